import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { locate } from '../../model/cni-config.js';
import { parseIp } from '../../model/cidr.js';
import { assignedAddresses, type IpAddress } from '../../model/ip-output.js';
import { probeIpam, inRanges } from '../../model/probe-ipam.js';
import { probePodViews, ipEvidence, statusEvidence } from './lib/probe-common.js';

/**
 * The address on the interface is outside every range the NAD's IPAM hands out. Judged per
 * family and only when no address of that family is inside: a LAN may add addresses of its own
 * (IPv6 router advertisements give SLAAC addresses next to the IPAM one), and those are not
 * IPAM's doing. Addresses the pod requested (`ips`) count as in range. DHCP and unknown IPAM
 * plugins have no range in the config and are not judged.
 */
export const probeAddressOutOfRange = defineCheck(
  {
    id: 'probe-address-out-of-range',
    title: 'Attachment address is outside the NAD range',
    severity: 'error',
    category: 'probe',
    scope: 'cluster',
    distributions: 'all',
    doc: "The test pod's secondary interface got an address that the NAD's IPAM configuration does not hand out. The address then came from somewhere else (another config with the same network name, an IPAM pool left from an earlier version of the NAD), and it may collide with hosts outside the range.",
  },
  (a) => {
    const out: Finding[] = [];
    for (const v of probePodViews(a)) {
      if (!v.pod.started || !v.iface || !v.nad) continue;
      const ipam = probeIpam(v.nad.config);
      if (!ipam?.known) continue;
      const requested = (v.pod.requestedIps ?? [])
        .map((r) => parseIp(r.split('/')[0] ?? ''))
        .filter((x) => x !== undefined);
      const ok = (x: IpAddress): boolean => {
        const ip = parseIp(x.address);
        if (!ip) return true;
        return inRanges(ipam.ranges, ip) || requested.some((r) => r.family === ip.family && r.value === ip.value);
      };
      for (const fam of [4, 6] as const) {
        const ranges = ipam.ranges.filter((r) => r.family === fam);
        const addrs = assignedAddresses(v.iface).filter((x) => x.family === fam);
        if (ranges.length === 0 || addrs.length === 0 || addrs.some(ok)) continue;
        const evidence: Evidence[] = [
          ipEvidence(v),
          ...ranges.map((r) => v.nad!.at(locate(v.nad!.config!.parsed, r.path), r.text)),
        ];
        const st = statusEvidence(v);
        if (st) evidence.push(st);
        out.push(
          finding(
            probeAddressOutOfRange.meta,
            v.subject,
            `${v.ifname} in the ${v.label} has ${addrs.map((x) => x.cidr).join(', ')}, outside the ${ipam.type} range of NAD ${v.nadKey} (${ranges.map((r) => r.text).join(', ')}).`,
            evidence,
            fixFor(ipam.type, v.nad.config?.name ?? v.nad.name),
          ),
        );
      }
    }
    return out;
  },
);

function fixFor(type: string, networkName: string): string {
  switch (type) {
    case 'host-local':
      return `host-local keeps its allocations per node in /var/lib/cni/networks/${networkName}, keyed by the config "name": another NAD or a file in /etc/cni/multus/net.d with the same "name" shares that store. Give each network its own "name", and check that the NAD was not edited while pods held addresses from the old range.`;
    case 'whereabouts':
      return 'whereabouts allocates from an IPPool named after the range: an address outside the current range comes from a pool of an earlier version of the NAD or from another NAD with the same network_name. Compare `kubectl get ippools.whereabouts.cni.cncf.io -A` with the NAD and delete stale pools once no pod uses them.';
    default:
      return 'Static IPAM assigns exactly the listed addresses (or the ones the pod requests with "ips"): make the NAD and the request agree.';
  }
}
