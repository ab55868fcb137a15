import { defineCheck, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import { describe, networkIdentity, normaliseMac, requesters, resolveSelections, schedulableNodeCount, type Requester } from './common.js';
import { macProblem } from '../../model/networks-annotation.js';
import { isUnrendered } from '../../model/cni-config.js';

/**
 * One MAC, two interfaces: on one master the kernel refuses the second macvlan (address already
 * in use); across nodes on one L2 segment both come up and the switch flaps between them. A
 * fixed MAC in a template is copied into every replica (and every DaemonSet pod).
 */
export const podMacDuplicate = defineCheck(
  {
    id: 'pod-mac-duplicate',
    title: 'the same MAC address is requested more than once',
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
    const byMac = new Map<string, Array<{ req: Requester; mac: string; net: string; identity: string }>>();
    for (const req of requesters(a)) {
      const macs = resolveSelections(a, req.view).filter((r) => r.sel.mac !== undefined && !isUnrendered(r.sel.mac) && !macProblem(r.sel.mac));
      for (const r of macs) {
        const k = normaliseMac(r.sel.mac!);
        const list = byMac.get(k) ?? [];
        if (!list.some((x) => x.req.id === req.id)) list.push({ req, mac: r.sel.mac!, net: r.sel.name, identity: networkIdentity(a, req.view, r) });
        byMac.set(k, list);
      }
      const first = macs[0]?.sel;
      if (!first) continue;
      if (req.copies === 'per-node' || req.copies > 1) {
        const perNode = req.copies === 'per-node';
        // One schedulable node: no second copy yet, but the next node (or a rollout surge) makes one.
        const severity = perNode && nodes !== undefined && nodes <= 1 ? 'warning' : 'error';
        out.push(
          finding(
            meta,
            req.subject,
            perNode
              ? `${describe(req.subject)} requests the fixed MAC ${first.mac} on network "${first.name}", so every node's pod gets the same MAC${severity === 'warning' ? ' (one schedulable node today)' : ''}.`
              : `${describe(req.subject)} runs ${req.copies} pods from one template with the fixed MAC ${first.mac} on network "${first.name}": they all get the same MAC.`,
            [req.view.annotationEvidence(first.mac)],
            'A fixed MAC fits one pod. Use a single replica with `strategy: {type: Recreate}` (a rolling update briefly runs two), a StatefulSet with one MAC per pod set by an operator/webhook, or drop "mac" and reserve addresses by other means.',
            severity,
          ),
        );
      }
    }
    for (const [, list] of byMac) {
      if (list.length < 2) continue;
      for (const x of list) {
        const others = list.filter((y) => y !== x);
        // Same network: certainly one segment. Different networks may be separate segments.
        const sameNet = others.some((y) => y.identity === x.identity);
        out.push(
          finding(
            meta,
            x.req.subject,
            `${describe(x.req.subject)} requests MAC ${x.mac} on network "${x.net}", which ${listNames(others.map((y) => `${describe(y.req.subject)}${y.net !== x.net ? ` (on "${y.net}")` : ''}`))} also request${others.length === 1 ? 's' : ''}${sameNet ? '' : '; a conflict if these networks share a segment'}.`,
            [x.req.view.annotationEvidence(x.mac)],
            'Give each pod its own MAC (locally administered unicast, e.g. 02:xx:xx:xx:xx:xx with distinct tails).',
            sameNet ? 'error' : 'warning',
          ),
        );
      }
    }
    return out;
  },
);
