import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { compareVersions } from '../../model/cni-config.js';
import { parseIp } from '../../model/cidr.js';
import { assignedAddresses, normalizeMac } from '../../model/ip-output.js';
import { probeIpam } from '../../model/probe-ipam.js';
import { probePodViews, ipEvidence, statusEvidence, multusLogsHint, type ProbePodView } from './lib/probe-common.js';
import type { Analysis } from '../analysis.js';

/**
 * network-status is what other tools (and people) read to learn a pod's secondary addresses;
 * when it disagrees with the interface itself they are misled. Only claims that can be checked
 * are compared: every IP the status lists must be on the interface (not the reverse: SLAAC and
 * link-local addresses never appear in the status), the MAC and the MTU when both sides say.
 * A missing interface is probe-interface-missing's finding, not this one.
 */
export const probeStatusMismatch = defineCheck(
  {
    id: 'probe-status-mismatch',
    title: 'network-status disagrees with the interface',
    severity: 'warning',
    category: 'probe',
    scope: 'cluster',
    distributions: 'all',
    doc: "Multus records each attachment (interface, IPs, MAC) in the pod's k8s.v1.cni.cncf.io/network-status annotation. When that record differs from what `ip addr` shows inside the pod, anything that relies on the annotation (service meshes, monitoring, `kubectl get` scripts, the network-status based controllers) acts on wrong data.",
  },
  (a) => {
    const out: Finding[] = [];
    for (const v of probePodViews(a)) {
      if (!v.pod.started || !v.status || !v.iface) continue;
      const diffs = differences(v);
      if (diffs.length === 0) continue;
      const evidence: Evidence[] = [ipEvidence(v)];
      const st = statusEvidence(v);
      if (st) evidence.push(st);
      out.push(
        finding(
          probeStatusMismatch.meta,
          v.subject,
          `network-status of the ${v.label} disagrees with ${v.ifname}: ${diffs.join('; ')}.`,
          evidence,
          fixFor(a, v),
        ),
      );
    }
    return out;
  },
);

function differences(v: ProbePodView): string[] {
  const iface = v.iface!;
  const status = v.status!;
  if (status.error) return [status.error];
  const e = v.statusEntry;
  if (!e) {
    return status.entries.length === 0
      ? [`it is missing or empty, yet ${v.ifname} exists`]
      : [
          `it does not list NAD ${v.nadKey} (it lists ${status.entries.map((x) => x.name).join(', ')}), yet ${v.ifname} exists`,
        ];
  }
  const out: string[] = [];
  if (e.interface && e.interface !== v.ifname) out.push(`it lists ${v.nadKey} on ${e.interface}, not ${v.ifname}`);
  const onIface = assignedAddresses(iface)
    .map((x) => parseIp(x.address))
    .filter((x) => x !== undefined);
  const missing = e.ips.filter((s) => {
    const ip = parseIp(s.split('/')[0] ?? '');
    return ip !== undefined && !onIface.some((x) => x.family === ip.family && x.value === ip.value);
  });
  if (missing.length > 0) out.push(`it lists ${missing.join(', ')}, which ${v.ifname} does not have`);
  // Without IPAM the LAN may still add addresses (SLAAC) that multus never hears of.
  if (e.ips.length === 0 && onIface.length > 0 && probeIpam(v.nad?.config))
    out.push(
      `it lists no IP, while ${v.ifname} has ${assignedAddresses(iface)
        .map((x) => x.cidr)
        .join(', ')}`,
    );
  const sm = normalizeMac(e.mac);
  if (sm && iface.mac && sm !== iface.mac) out.push(`it says MAC ${sm}, ${v.ifname} has ${iface.mac}`);
  if (e.mtu !== undefined && iface.mtu !== undefined && e.mtu !== iface.mtu)
    out.push(`it says MTU ${e.mtu}, ${v.ifname} has ${iface.mtu}`);
  return out;
}

function fixFor(a: Analysis, v: ProbePodView): string {
  const cv = v.nad?.config?.cniVersion;
  if (v.status?.error)
    return `Something other than multus wrote an unreadable k8s.v1.cni.cncf.io/network-status (multus writes a JSON list); find the writer (an admission webhook, an operator) and the multus log: \`${multusLogsHint(a, v.pod.node)}\`.`;
  if (!v.statusEntry) {
    return `Multus attached the interface but could not record it: its service account must be allowed to update pods/status (\`kubectl multus check\` runs multus-rbac-insufficient). Multus log: \`${multusLogsHint(a, v.pod.node)}\`.`;
  }
  if (v.nad?.config && (cv === undefined || compareVersions(cv, '0.3.0') < 0)) {
    return `NAD ${v.nadKey} ${cv === undefined ? 'has no cniVersion' : `uses cniVersion ${cv}`}: results before 0.3.0 carry no per-interface detail, so multus records incomplete data. Set "cniVersion": "0.3.1" or newer (what the plugins in ${a.paths.binDirs[0]} support).`;
  }
  return "A later plugin in the chain (tuning, a vendor plugin) changed the interface after the result was recorded, or something changed it inside the pod; the interface is the truth. Align the chain so the first plugin's result is final, or let the last plugin report the final values.";
}
