import { defineCheck, type Finding } from '../types.js';
import type { WorkloadView } from '../analysis.js';
import { finding, listNames } from '../helpers.js';
import { byOwner, describe, kubectlFor, resolveSelections } from './lib/common.js';
import { safeNameOr } from '../../model/shell.js';
import { podNetworkStatus, statusNameMatches } from '../../model/network-status.js';
import { NETWORK_STATUS_ANNOTATION, LEGACY_NETWORKS_STATUS_ANNOTATION } from '../../model/networks-annotation.js';

interface Missing {
  pod: WorkloadView;
  missing: string[];
  /** No network-status at all: multus was not called for this pod. */
  absent: boolean;
  all: boolean;
  raw?: string;
}

/** Controllers that `rollout restart` recreates pods for. */
const RESTARTABLE = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/**
 * A running pod that asked for networks but whose network-status lacks them: multus was not in
 * the CNI path when the pod was created (conf dir the runtime does not read, a config sorting
 * before 00-multus, multus restarting) or did not attach them. Lab scenarios conf-not-first and
 * k3s-upstream-thin: pod Running, no network-status at all, no event. Pods of one workload are
 * reported together.
 */
export const podNetworkStatusMissing = defineCheck(
  {
    id: 'pod-network-status-missing',
    title: 'Running pod lacks the networks it asked for',
    severity: 'error',
    category: 'pod',
    scope: 'cluster',
    distributions: 'all',
    doc: 'Multus writes k8s.v1.cni.cncf.io/network-status on every pod it sets up. A running pod that asks for networks but has no status entry for them came up without those interfaces, silently: multus was bypassed (the runtime read another CNI config) or was not ready when the pod was created. The pod does not heal by itself.',
  },
  (a) => {
    const kc = kubectlFor(a);
    const bad: Missing[] = [];
    for (const w of a.workloads) {
      if (w.obj.kind !== 'Pod' || w.obj.phase !== 'Running' || w.obj.hostNetwork) continue;
      const wanted = resolveSelections(a, w);
      if (wanted.length === 0) continue;
      const ann = { ...(w.obj.annotations ?? {}), ...w.obj.podAnnotations };
      const raw = ann[NETWORK_STATUS_ANNOTATION] ?? ann[LEGACY_NETWORKS_STATUS_ANNOTATION];
      const st = podNetworkStatus(ann);
      if (st?.error) continue;
      const pool = (st?.entries ?? []).filter((e) => !e.default);
      const missing: string[] = [];
      for (const r of wanted) {
        const i = pool.findIndex(
          (e) =>
            statusNameMatches(e.name, r.namespace, r.sel.name) &&
            (r.sel.interface === undefined || e.interface === undefined || e.interface === r.sel.interface),
        );
        if (i >= 0) pool.splice(i, 1);
        else missing.push(r.key);
      }
      if (missing.length)
        bad.push({ pod: w, missing, absent: raw === undefined, all: missing.length === wanted.length, raw });
    }
    const out: Finding[] = [];
    for (const g of byOwner(bad.map((b) => b.pod))) {
      const items = bad.filter((b) => g.pods.includes(b.pod));
      const first = items[0]!;
      const nodes = [...new Set(items.map((b) => b.pod.obj.nodeName).filter((n): n is string => !!n))];
      const missing = [...new Set(items.flatMap((b) => b.missing))];
      const cause = first.all
        ? `multus did not set up ${items.length > 1 ? 'their' : "this pod's"} networks${first.absent ? ' (no network-status annotation at all: multus was not called)' : ''}`
        : 'multus attached some of the requested networks but not these';
      const who = g.ownerKind
        ? `${items.length} pod${items.length > 1 ? 's' : ''} of ${describe(g.subject)} (${listNames(
            items.map((b) => b.pod.obj.name),
            3,
          )}) ${items.length > 1 ? 'are' : 'is'}`
        : `${describe(g.subject)} is`;
      const dirHint =
        a.distribution === 'k3s'
          ? `On K3s the runtime reads ${a.paths.confDir}; a multus installed from the upstream manifest writes /etc/cni/net.d instead (see \`kubectl multus explain multus-conf-wrong-dir\`).`
          : `Multus must own the first config in ${a.paths.confDir} on ${nodes.length ? listNames(nodes) : 'the node'} (checks multus-conf-missing, multus-conf-not-first, multus-conf-wrong-dir).`;
      const ns = safeNameOr(g.subject.namespace ?? 'default', '<namespace>');
      const recreate =
        g.ownerKind && RESTARTABLE.has(g.ownerKind)
          ? `\`${kc} rollout restart ${g.ownerKind.toLowerCase()}/${safeNameOr(g.subject.name)} -n ${ns}\``
          : `\`${kc} delete pod -n ${ns} ${items.map((b) => safeNameOr(b.pod.obj.name)).join(' ')}\`${g.ownerKind ? ' (its controller recreates it)' : ' and re-apply it'}`;
      out.push(
        finding(
          podNetworkStatusMissing.meta,
          { ...g.subject, ...(nodes.length === 1 ? { node: nodes[0] } : {}) },
          `${who} Running without ${missing.join(', ')}: ${cause}.`,
          [
            { label: 'network-status', value: first.raw ?? '(absent)', node: first.pod.obj.nodeName },
            first.pod.annotationEvidence(),
          ],
          `${dirHint}\nAfter fixing the node, recreate the pods — multus only sets up networks when the sandbox is created: ${recreate}.`,
        ),
      );
    }
    return out;
  },
);
