import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { locate } from '../../model/cni-config.js';
import { assignedAddresses } from '../../model/ip-output.js';
import { probeIpam, type ProbeIpam } from '../../model/probe-ipam.js';
import { probePodViews, ipEvidence, statusEvidence, type ProbePodView } from './lib/probe-common.js';
import type { NadView } from '../analysis.js';

/**
 * The interface exists but carries no address although the NAD configures IPAM. An `ipam: {}`
 * (L2 only) is fine and not judged; the automatic IPv6 link-local address does not count as
 * one. With host-local/whereabouts ranges of both families, a family without an address is
 * reported too (dual-stack half-configured).
 */
export const probeAddressMissing = defineCheck(
  {
    id: 'probe-address-missing',
    title: 'Attachment interface has no IP address',
    severity: 'error',
    category: 'probe',
    scope: 'cluster',
    distributions: 'all',
    doc: "The test pod got its secondary interface, but without the IP address the NAD's IPAM should have assigned, so nothing can reach the pod over it. An IPAM section on a chained plugin other than the first (which is ignored) is the usual configuration cause.",
  },
  (a) => {
    const out: Finding[] = [];
    for (const v of probePodViews(a)) {
      if (!v.pod.started || !v.iface || !v.nad) continue;
      const ipam = probeIpam(v.nad.config);
      if (!ipam) continue;
      const assigned = assignedAddresses(v.iface);
      if (assigned.length === 0) {
        out.push(
          report(v, v.nad, ipam, ipam.path, `has no IP address, although NAD ${v.nadKey} configures ${ipam.type} IPAM`),
        );
        continue;
      }
      if (!ipam.known) continue;
      for (const fam of [4, 6] as const) {
        const ranges = ipam.ranges.filter((r) => r.family === fam);
        if (ranges.length === 0 || assigned.some((x) => x.family === fam)) continue;
        out.push(
          report(
            v,
            v.nad,
            ipam,
            ranges[0]!.path,
            `has no IPv${fam} address, although NAD ${v.nadKey} configures an IPv${fam} range (${ranges.map((r) => r.text).join(', ')})`,
          ),
        );
      }
    }
    return out;
  },
);

function report(v: ProbePodView, nad: NadView, ipam: ProbeIpam, path: Array<string | number>, what: string): Finding {
  const type = ipam.type;
  const evidence: Evidence[] = [ipEvidence(v)];
  const cfg = nad.config!;
  evidence.push(nad.at(locate(cfg.parsed, path), `ipam type ${type}`));
  const st = statusEvidence(v);
  if (st) evidence.push(st);
  if (v.iface && (v.iface.carrier === false || v.iface.up === false)) {
    evidence.push({
      label: 'link state',
      value: `${v.ifname} is ${v.iface.up === false ? 'administratively down' : 'up without carrier (NO-CARRIER)'}`,
    });
  }
  const ipamOwner = ipam.plugin;
  let fix: string;
  if (cfg.main && ipamOwner !== cfg.main && ipamOwner.index > 0) {
    fix = `The ipam section is on the chained plugin "${ipamOwner.type ?? '?'}" (plugins[${ipamOwner.index}]); only the plugin that creates the interface (plugins[0], "${cfg.main.type ?? '?'}") runs IPAM. Move "ipam" to plugins[0].`;
  } else if (type === 'dhcp') {
    fix = `DHCP leases go out through ${v.ifname}: check that the DHCP server is reachable on the master's L2 segment (hypervisors drop frames from unknown MACs unless promiscuous/forged transmits or MAC spoofing is allowed) and that the CNI dhcp daemon runs on ${v.pod.node ?? 'the node'} (/run/cni/dhcp.sock).`;
  } else if (type === 'static') {
    fix =
      'Static IPAM assigns only the addresses listed in "addresses" or passed by the pod ("ips" in the networks annotation, which needs "capabilities": {"ips": true}); give it one.';
  } else {
    fix = `Check the result of the ${type} IPAM: \`kubectl multus check\` (nad-ipam-range-invalid, nad-ipam-unknown) and the multus log on ${v.pod.node ?? 'the node'}; for a dual-stack range, both families need a range set.`;
  }
  return finding(probeAddressMissing.meta, v.subject, `${v.ifname} in the ${v.label} ${what}.`, evidence, fix);
}
