import { defineCheck, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import {
  copiesOf,
  describe,
  networkIdentity,
  normaliseMac,
  resolveSelections,
  schedulableNodeCount,
  ownerIdOf,
  requesterId,
  unitsByOwner,
  type Requester,
} from './lib/common.js';
import type { Analysis, WorkloadView } from '../analysis.js';
import type { Evidence } from '../types.js';
import { macProblem } from '../../model/networks-annotation.js';
import { isUnrendered } from '../../model/cni-config.js';

interface MacRequest {
  req: Requester;
  mac: string;
  net: string;
  identity: string;
  evidence: Evidence;
}

const finishedPod = (w: WorkloadView) =>
  w.obj.kind === 'Pod' && (w.obj.phase === 'Succeeded' || w.obj.phase === 'Failed');

function macsOf(a: Analysis, req: Requester): MacRequest[] {
  return resolveSelections(a, req.view)
    .filter((r) => r.sel.mac !== undefined && !isUnrendered(r.sel.mac) && !macProblem(r.sel.mac))
    .map((r) => ({
      req,
      mac: r.sel.mac!,
      net: r.sel.name,
      identity: networkIdentity(a, req.view, r),
      evidence: req.view.annotationEvidence(r.sel.mac!),
    }));
}

/**
 * One MAC, two interfaces: on one master the kernel refuses the second macvlan (address already
 * in use); across nodes on one L2 segment both come up and the switch flaps between them. A
 * fixed MAC in a template is copied into every replica (and every DaemonSet pod).
 */
export const podMacDuplicate = defineCheck(
  {
    id: 'pod-mac-duplicate',
    title: 'The same MAC address is requested more than once',
    severity: 'error',
    category: 'pod',
    scope: 'objects',
    distributions: 'all',
    doc: 'A fixed "mac" in a pod template is copied into every replica. Two interfaces with one MAC on the same segment break each other (flapping switch tables, one DHCP lease for both), and on the same master the kernel refuses the second one.',
  },
  (a) => {
    const out: Finding[] = [];
    const meta = podMacDuplicate.meta;
    const nodes = schedulableNodeCount(a);
    const live = a.workloads.filter((w) => !finishedPod(w));
    const templates: Requester[] = live
      .filter((w) => w.obj.kind !== 'Pod')
      .map((w) => ({
        id: requesterId(w.namespace, w.obj.kind, w.obj.name),
        subject: w.subject,
        view: w,
        copies: copiesOf(w),
      }));
    const byId = new Map(templates.map((t) => [t.id, t]));

    // 1. A template that fixes a MAC and runs more than one pod: blame the template.
    const templateMacs = new Map<string, MacRequest[]>();
    const replicated = new Set<string>();
    for (const t of templates) {
      const macs = macsOf(a, t);
      templateMacs.set(t.id, macs);
      const first = macs[0];
      if (!first || !(t.copies === 'per-node' || t.copies > 1)) continue;
      for (const m of macs) replicated.add(`${t.id}|${normaliseMac(m.mac)}`);
      const perNode = t.copies === 'per-node';
      // One schedulable node: no second copy yet, but the next node (or a rollout surge) makes one.
      const severity = perNode && nodes !== undefined && nodes <= 1 ? 'warning' : 'error';
      out.push(
        finding(
          meta,
          t.subject,
          perNode
            ? `${describe(t.subject)} requests the fixed MAC ${first.mac} on network "${first.net}", so every node's pod gets the same MAC${severity === 'warning' ? ' (one schedulable node today)' : ''}.`
            : `${describe(t.subject)} runs ${t.copies} pods from one template with the fixed MAC ${first.mac} on network "${first.net}": they all get the same MAC.`,
          [first.evidence],
          'A fixed MAC fits one pod. Use a single replica with `strategy: {type: Recreate}` (a rolling update briefly runs two), a StatefulSet with one MAC per pod set by an operator/webhook, or drop "mac" and reserve addresses by other means.',
          severity,
        ),
      );
    }

    // 2. What each pod actually asked for (per-pod MACs may come from a webhook, not the template).
    const requests: MacRequest[] = [];
    const withPods = new Set<string>();
    for (const p of live.filter((w) => w.obj.kind === 'Pod')) {
      const owner = ownerIdOf(p);
      const t = owner ? byId.get(owner) : undefined;
      if (t) withPods.add(t.id);
      const fromTemplate = new Set(
        (t ? (templateMacs.get(t.id) ?? []) : []).map((m) => `${normaliseMac(m.mac)}|${m.identity}`),
      );
      const self: Requester = {
        id: requesterId(p.namespace, 'Pod', p.obj.name),
        subject: p.subject,
        view: p,
        copies: 1,
      };
      for (const m of macsOf(a, self))
        requests.push(t && fromTemplate.has(`${normaliseMac(m.mac)}|${m.identity}`) ? { ...m, req: t } : m);
    }
    for (const t of templates) if (!withPods.has(t.id)) requests.push(...(templateMacs.get(t.id) ?? []));

    const byMac = new Map<string, MacRequest[]>();
    for (const m of requests) {
      const k = normaliseMac(m.mac);
      byMac.set(k, [...(byMac.get(k) ?? []), m]);
    }
    for (const [k, all] of byMac) {
      // Pods of one owner with one MAC each in their own annotation: one finding on the owner, naming the pods.
      const units = unitsByOwner(all, ({ owner, subject, list, sameNet }) => {
        if (replicated.has(`${owner}|${k}`)) return;
        out.push(
          finding(
            meta,
            subject,
            `${list.length} pods of ${describe(subject)} (${listNames(
              list.map((m) => m.req.view.obj.name),
              4,
            )}) each request MAC ${list[0]!.mac}${sameNet ? ` on network "${list[0]!.net}"` : ''} in their own annotation: they get the same MAC.`,
            list.map((m) => m.evidence),
            'Whatever sets the per-pod MACs (a mutating webhook, an operator) must give each pod its own (locally administered unicast, e.g. 02:xx:xx:xx:xx:xx with distinct tails).',
            sameNet ? 'error' : 'warning',
          ),
        );
      });
      if (units.length < 2) continue;
      for (const x of units) {
        const others = units.filter((y) => y !== x);
        // Same network: certainly one segment. Different networks may be separate segments.
        const sameNet = others.some((y) => y.identity === x.identity);
        out.push(
          finding(
            meta,
            x.req.subject,
            `${describe(x.req.subject)} requests MAC ${x.mac} on network "${x.net}", which ${listNames(others.map((y) => `${describe(y.req.subject)}${y.net !== x.net ? ` (on "${y.net}")` : ''}`))} also request${others.length === 1 ? 's' : ''}${sameNet ? '' : '; a conflict if these networks share a segment'}.`,
            [x.evidence],
            'Give each pod its own MAC (locally administered unicast, e.g. 02:xx:xx:xx:xx:xx with distinct tails).',
            sameNet ? 'error' : 'warning',
          ),
        );
      }
    }
    return out;
  },
);
