import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding, couldNotVerify } from '../helpers.js';
import type { Analysis } from '../analysis.js';
import { findInterface } from '../../model/ip-output.js';
import { probePodViews, ipEvidence, statusEvidence, multusLogsHint, type ProbePodView } from './lib/probe-common.js';

/**
 * The test pod runs but `ip addr` shows no interface for the attachment. What network-status
 * says tells the cases apart: no status at all means multus never ran for the pod (the runtime
 * used another CNI config directly: the K3s conf-dir trap, a config sorting before multus's);
 * a status without the NAD means multus ran but did not attach it; a status that lists it under
 * another name is only a naming difference (warning).
 */
export const probeInterfaceMissing = defineCheck(
  {
    id: 'probe-interface-missing',
    title: 'Test pod has no interface for the attachment',
    severity: 'error',
    category: 'probe',
    scope: 'cluster',
    distributions: 'all',
    doc: 'The test pod started but has no secondary interface (net1): the pod came up with the cluster network only. This is the silent failure mode: nothing is in an error state, the pod simply lacks the interface, usually because the container runtime never called multus.',
  },
  (a) => {
    const out: Finding[] = [];
    for (const v of probePodViews(a)) {
      if (!v.pod.started) continue;
      if (!v.ip) {
        if (v.pod.error)
          out.push(
            couldNotVerify(
              probeInterfaceMissing.meta,
              v.subject,
              `the interfaces of the ${v.label} could not be read: ${v.pod.error}`,
            ),
          );
        continue;
      }
      if (v.ip.interfaces.length === 0) {
        out.push(
          couldNotVerify(
            probeInterfaceMissing.meta,
            v.subject,
            `the \`ip\` output of the ${v.label} could not be read (${v.ip.problems.join('; ')})`,
            'Re-run the probe with an image whose `ip` prints `ip addr` or `ip -j addr` output (iproute2 or BusyBox).',
          ),
        );
        continue;
      }
      if (v.iface) continue;
      // `ip -o addr` prints address lines only: an interface without any address is not listed.
      // Its absence proves nothing unless network-status shows multus did not attach the NAD.
      if (v.ip.format === 'oneline' && (!v.status || v.status.error || v.statusEntry)) {
        out.push(
          couldNotVerify(
            probeInterfaceMissing.meta,
            v.subject,
            `the ${v.label} shows no ${v.ifname} in \`ip -o addr\`, which omits interfaces without an address`,
            'Collect `ip addr` or `ip -j addr`, which list every interface.',
          ),
        );
        continue;
      }
      out.push(missing(a, v));
    }
    return out;
  },
);

function missing(a: Analysis, v: ProbePodView): Finding {
  const evidence: Evidence[] = [ipEvidence(v)];
  const st = statusEvidence(v);
  if (st) evidence.push(st);
  const added = (v.pod.events ?? []).filter((e) => e.reason === 'AddedInterface');
  for (const e of added) evidence.push({ label: 'event AddedInterface', value: e.message });
  const m = multusLogsHint(a, v.pod.node);
  const where = v.pod.node ? `node ${v.pod.node}` : 'the node';

  // Listed under another interface name that does exist: the attachment is there, only named differently.
  const other = v.statusEntry?.interface;
  if (other && other !== v.ifname && v.ip && findInterface(v.ip, other)) {
    return finding(
      probeInterfaceMissing.meta,
      v.subject,
      `The ${v.label} has no ${v.ifname}, but network-status shows NAD ${v.nadKey} attached as ${other}.`,
      evidence,
      `Multus attached the network under another name. Request the name explicitly in the JSON form of the annotation: [{"name": "${v.probe.nad.name}", "namespace": "${v.probe.nad.namespace}", "interface": "${v.ifname}"}].`,
      'warning',
    );
  }

  // A DPDK/userspace device (vfio-pci VF, vhost-user, memif) has no kernel interface by design.
  if (v.statusEntry && v.statusDeviceType) {
    return finding(
      probeInterfaceMissing.meta,
      v.subject,
      `The ${v.label} has no kernel interface ${v.ifname}; network-status shows NAD ${v.nadKey} attached as a ${v.statusDeviceType} device, which is expected for userspace (DPDK) drivers.`,
      evidence,
      "Nothing to fix if the application uses the device through DPDK/vhost-user; if it expects a kernel interface, bind the device to its kernel driver (not vfio-pci) in the device plugin's resource pool.",
      'info',
    );
  }

  let message: string;
  let fix: string;
  if (!v.status || v.status.error) {
    message = `The ${v.label} is running but has no ${v.ifname}: NAD ${v.nadKey} was not attached.`;
    fix = `Run \`kubectl multus check\`: it checks that ${where} runs a multus pod and that multus's config is the first file in ${a.paths.confDir} (the directory the ${a.paths.label} runtime reads). Multus log: \`${m}\`.`;
  } else if (v.status.entries.length === 0) {
    message = `The ${v.label} is running without ${v.ifname} and without a network-status annotation: multus was never called for it, the runtime used another CNI config directly.`;
    fix =
      `On ${a.paths.label} the runtime reads CNI configs from ${a.paths.confDir} and uses the first one by name; multus's config (00-multus.conf or .conflist) must be that first file, and the multus pod on ${where} must be running. ` +
      `\`kubectl multus check\` shows which (multus-conf-missing, multus-conf-wrong-dir, multus-conf-not-first, multus-pods-not-ready). Multus log: \`${m}\`.`;
  } else if (!v.statusEntry) {
    const names = v.status.entries.map((e) => e.name).join(', ');
    message = `The ${v.label} has no ${v.ifname}: multus ran (network-status lists ${names || 'nothing'}) but did not attach NAD ${v.nadKey}.`;
    fix = `Multus did not see the request for ${v.nadKey}: check the test pod's k8s.v1.cni.cncf.io/networks annotation and multus namespace isolation (a NAD in another namespace than the pod may be refused), then read the multus log: \`${m}\`.`;
  } else {
    message = `The ${v.label} has no ${v.ifname}, although network-status reports NAD ${v.nadKey} on ${v.statusEntry.interface ?? 'an interface'}.`;
    fix = `The interface was created and then lost (renamed or moved by another plugin in the chain, or a device plugin handed out a device that left the pod). Inspect the NAD's plugin chain and the multus log: \`${m}\`.`;
  }
  return finding(probeInterfaceMissing.meta, v.subject, message, evidence, fix);
}
