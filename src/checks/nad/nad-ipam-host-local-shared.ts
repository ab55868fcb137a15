import { defineCheck, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import { judgeableNads, masterOf, pluginEvidence, schedulableNodes, whereaboutsInstall } from './lib/common.js';
import { goKey } from '../../model/go-json.js';

/** Main plugins that put pods of every node on the same L2 segment as the host NIC. */
const SHARED_L2 = new Set(['macvlan', 'ipvlan', 'vlan', 'host-device']);

/**
 * host-local keeps its allocations in a directory on each node, so every node hands out the same
 * addresses from the same range. On an interface shared between nodes (macvlan/ipvlan/vlan on a
 * host NIC, host-device), pods on different nodes collide. A single schedulable node is fine;
 * offline the node count is unknown, so it is only mentioned.
 */
export const nadIpamHostLocalShared = defineCheck(
  {
    id: 'nad-ipam-host-local-shared',
    title: 'host-local IPAM on a segment shared by several nodes',
    severity: 'warning',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'host-local stores its leases on each node (/var/lib/cni/networks/<name>), unaware of the other nodes. With macvlan/ipvlan/vlan/host-device on a LAN that all nodes share, the first pod on every node gets the same address: duplicate IPs and intermittent connectivity. Use whereabouts (cluster-wide allocation), DHCP, or give each node its own NAD with a disjoint range.',
  },
  (a) => {
    const meta = nadIpamHostLocalShared.meta;
    const out: Finding[] = [];
    const schedulable = schedulableNodes(a);
    // Cluster snapshots without node data say nothing; so do single-node clusters.
    if (!a.offline && schedulable.length <= 1) return out;
    for (const { nad, cfg } of judgeableNads(a)) {
      const main = cfg.plugins[0];
      if (!main || !SHARED_L2.has(main.type ?? '') || main.ipamType !== 'host-local') continue;
      const m = masterOf(main);
      const on = m?.value ? ` on ${m.value}` : '';
      const ev = pluginEvidence(
        nad,
        cfg,
        main,
        [goKey(main.raw, 'ipam') ?? 'ipam', goKey(main.ipam!, 'type') ?? 'type'],
        'host-local',
      );
      const fix = `Switch to cluster-wide allocation: \`"ipam": {"type": "whereabouts", "range": "<same subnet>", "range_start": …, "range_end": …}\`. ${whereaboutsInstall(a)} Alternatives: "type": "dhcp" (with the CNI dhcp daemon), static addresses per pod, or one NAD per node with disjoint ranges.`;
      if (a.offline) {
        out.push(
          finding(
            meta,
            nad.subject,
            `${main.type}${on} with host-local IPAM: on a cluster of more than one node every node allocates the same addresses independently (not verifiable offline: the node count is unknown).`,
            [ev],
            fix,
            'info',
          ),
        );
        continue;
      }
      out.push(
        finding(
          meta,
          nad.subject,
          `${main.type}${on} with host-local IPAM on a cluster with ${schedulable.length} schedulable nodes (${listNames(schedulable.map((n) => n.name))}): each node hands out the same range independently, so pods on different nodes get duplicate addresses.`,
          [ev],
          fix,
        ),
      );
    }
    return out;
  },
);
