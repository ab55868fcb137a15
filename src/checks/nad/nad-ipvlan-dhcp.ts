import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { judgeableNads, ipamEvidence, pluginLabel } from './lib/common.js';

/**
 * ipvlan slaves share the parent's MAC. DHCP servers that key leases on the MAC (most home
 * routers and dnsmasq without client-id matching) hand every pod the same lease, or the node's.
 */
export const nadIpvlanDhcp = defineCheck(
  {
    id: 'nad-ipvlan-dhcp',
    title: 'ipvlan with DHCP IPAM',
    severity: 'warning',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: "All ipvlan interfaces carry their parent's MAC address. The CNI dhcp plugin sends a client identifier, but many DHCP servers key leases on the MAC, so pods on one node get the same lease as each other or as the node. Use static or whereabouts IPAM with ipvlan, or macvlan (own MAC per pod) if DHCP is required.",
  },
  (a) => {
    const meta = nadIpvlanDhcp.meta;
    const out: Finding[] = [];
    for (const { nad, cfg } of judgeableNads(a)) {
      for (const plugin of cfg.plugins) {
        if (plugin.type !== 'ipvlan' || plugin.ipamType !== 'dhcp') continue;
        out.push(
          finding(
            meta,
            nad.subject,
            `${pluginLabel(cfg, plugin)} leases by DHCP, but every ipvlan interface shares the parent's MAC: DHCP servers that match leases by MAC give all pods on a node the same address.`,
            [ipamEvidence(nad, cfg, plugin, ['type'], 'dhcp')],
            'Use whereabouts (`"ipam": {"type": "whereabouts", "range": "<LAN subnet>", "range_start": …, "range_end": …}`) or static IPAM with ipvlan; keep DHCP only with macvlan, where each pod has its own MAC.',
          ),
        );
      }
    }
    return out;
  },
);
