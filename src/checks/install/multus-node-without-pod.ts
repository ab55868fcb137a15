import { defineCheck, type Finding, type Severity } from '../types.js';
import { finding, listNames } from '../helpers.js';
import type { MultusInstall, NodeInfo } from '../../snapshot/types.js';
import { dsSubject } from '../../model/install-nodes.js';
import { shellQuote } from '../../model/shell.js';
import { own } from '../../model/own.js';

type Toleration = NonNullable<MultusInstall['tolerations']>[number];

/** Taints the DaemonSet controller tolerates on every DaemonSet pod by itself. */
const AUTO_TOLERATED = new Set(
  [
    'not-ready',
    'unreachable',
    'disk-pressure',
    'memory-pressure',
    'pid-pressure',
    'unschedulable',
    'network-unavailable',
  ].map((k) => `node.kubernetes.io/${k}`),
);

function tolerates(ts: Toleration[], taint: NodeInfo['taints'][number]): boolean {
  return ts.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

/** Why the DaemonSet's pod template excludes a node, when it visibly does. */
function exclusions(m: MultusInstall, n: NodeInfo): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(m.nodeSelector ?? {})) {
    const has = own(n.labels, k);
    if (has !== v)
      out.push(`nodeSelector ${k}=${v} (the node has ${has === undefined ? 'no such label' : `${k}=${has}`})`);
  }
  if (m.tolerations) {
    for (const t of n.taints) {
      if (
        (t.effect === 'NoSchedule' || t.effect === 'NoExecute') &&
        !AUTO_TOLERATED.has(t.key) &&
        !tolerates(m.tolerations, t)
      ) {
        out.push(`taint ${t.key}${t.value ? `=${t.value}` : ''}:${t.effect} is not tolerated`);
      }
    }
  }
  return out;
}

/**
 * A node with no multus pod at all. Error when pods asking for secondary networks are on that node
 * (they get eth0 only, or fail with a thick shim); otherwise a warning (unexplained) or info (the
 * DaemonSet's nodeSelector/tolerations exclude the node on purpose or by mistake).
 */
export const multusNodeWithoutPod = defineCheck(
  {
    id: 'multus-node-without-pod',
    title: 'A node runs no multus pod',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'Multus works per node: where its DaemonSet has no pod (a nodeSelector such as kubernetes.io/arch: amd64 on an arm64 node, an untolerated taint), pods that ask for secondary networks get only eth0.',
  },
  (a) => {
    const meta = multusNodeWithoutPod.meta;
    const out: Finding[] = [];
    if (!a.snapshot.nodes) return out;
    for (const m of a.multus) {
      if (!m.pods) continue;
      const withPod = new Set(m.pods.map((p) => p.node).filter(Boolean));
      const groups = new Map<Severity, Array<{ node: string; reasons: string[]; asking: string[] }>>();
      for (const n of a.nodes) {
        if (n.node.ready === false || withPod.has(n.name)) continue;
        const reasons = exclusions(m, n.node);
        const asking = a.workloads
          .filter(
            (w) =>
              w.obj.kind === 'Pod' && w.obj.nodeName === n.name && w.networksValue !== undefined && !w.obj.hostNetwork,
          )
          .map((w) => `${w.namespace}/${w.obj.name}`);
        const sev: Severity = asking.length ? 'error' : reasons.length ? 'info' : 'warning';
        if (!groups.has(sev)) groups.set(sev, []);
        groups.get(sev)!.push({ node: n.name, reasons, asking });
      }
      for (const [sev, list] of groups) {
        const names = list.map((x) => x.node);
        const asking = list.flatMap((x) => x.asking);
        const reasons = [...new Set(list.flatMap((x) => x.reasons))];
        const msg =
          `No ${m.name} pod runs on ${listNames(names)}` +
          (reasons.length ? ` (${reasons.slice(0, 3).join('; ')})` : ' although nothing in the DaemonSet excludes it') +
          (asking.length
            ? `, yet ${listNames(asking, 3)} ask${asking.length === 1 ? 's' : ''} for secondary networks there and get only eth0.`
            : ': pods scheduled there will get no secondary networks.');
        const evidence = list.slice(0, 8).map((x) => ({
          node: x.node,
          label: 'node without multus',
          value: x.reasons.join('; ') || 'no pod, no visible exclusion',
        }));
        const fix: string[] = [];
        if (reasons.some((r) => r.startsWith('nodeSelector'))) {
          const keys = Object.keys(m.nodeSelector ?? {}).filter((k) =>
            reasons.some((r) => r.startsWith(`nodeSelector ${k}=`)),
          );
          const ops = keys.map((k) => ({
            op: 'remove',
            path: `/spec/template/spec/nodeSelector/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`,
          }));
          fix.push(
            m.flavor === 'rke2-chart'
              ? "Widen the chart's `labels.nodeSelector` (current charts use only kubernetes.io/os: linux)."
              : `Drop the selector: kubectl -n ${shellQuote(m.namespace)} patch ds ${shellQuote(m.name)} --type=json -p ${shellQuote(JSON.stringify(ops))}`,
          );
        }
        if (reasons.some((r) => r.startsWith('taint'))) {
          fix.push(
            `Tolerate the taints (multus must run wherever pods may): kubectl -n ${shellQuote(m.namespace)} patch ds ${shellQuote(m.name)} --type=json -p ${shellQuote(JSON.stringify([{ op: 'add', path: '/spec/template/spec/tolerations/-', value: { operator: 'Exists' } }]))}`,
          );
        }
        if (!reasons.length)
          fix.push(
            `Look for the reason in the DaemonSet's events: kubectl -n ${shellQuote(m.namespace)} describe ds ${shellQuote(m.name)} (pod creation failures, node affinity, resource pressure).`,
          );
        out.push(finding(meta, dsSubject(m), msg, evidence, fix.join('\n'), sev));
      }
    }
    return out;
  },
);
