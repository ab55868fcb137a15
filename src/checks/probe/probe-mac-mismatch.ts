import { defineCheck, type Finding } from '../types.js';
import { finding, couldNotVerify } from '../helpers.js';
import { normalizeMac } from '../../model/ip-output.js';
import { probePodViews } from './lib/probe-common.js';

/**
 * The test pod asked for a MAC and the interface has another one. Which plugin can honour a
 * MAC decides the fix: ipvlan shares its parent's MAC and host-device keeps the device's, so no
 * setting helps there; macvlan and bridge take it with `"capabilities": {"mac": true}` (or a
 * chained `tuning` plugin with that capability).
 */
export const probeMacMismatch = defineCheck(
  {
    id: 'probe-mac-mismatch',
    title: 'Requested MAC address was not applied',
    severity: 'error',
    category: 'probe',
    scope: 'cluster',
    distributions: 'all',
    doc: 'The test pod requested a MAC address for the attachment ("mac" in the networks annotation) and the interface came up with a different one. Anything keyed on that MAC (DHCP reservations, switch port security, licences) then fails.',
  },
  (a) => {
    const out: Finding[] = [];
    for (const v of probePodViews(a)) {
      const want = normalizeMac(v.pod.requestedMac);
      if (!v.pod.started || !v.iface || !want) continue;
      const got = v.iface.mac;
      if (!got) {
        const st = normalizeMac(v.statusEntry?.mac);
        out.push(
          couldNotVerify(
            probeMacMismatch.meta,
            v.subject,
            `the \`ip\` output of the ${v.label} shows no MAC for ${v.ifname}${st ? ` (network-status says ${st})` : ''}`,
            'Collect `ip addr` or `ip -j addr` (not `ip -o addr`, which prints no MAC).',
          ),
        );
        continue;
      }
      if (got === want) continue;
      const main = v.nad?.config?.main;
      const type = main?.type;
      const chainHasCap = v.nad?.config?.plugins.some((p) => p.capabilities['mac'] === true);
      let fix: string;
      if (type === 'ipvlan')
        fix =
          'ipvlan interfaces always share the MAC of their master: a per-pod MAC is impossible. Use macvlan (or bridge) if the pod needs its own MAC.';
      else if (type === 'host-device' || type === 'sriov')
        fix = `${type} moves an existing device into the pod and keeps its MAC; set the MAC on the device (for SR-IOV VFs: the VF's MAC on the PF, or the sriov plugin's "mac"/capability when the device plugin allows it).`;
      else if (!chainHasCap)
        fix = `Add "capabilities": {"mac": true} to the "${type ?? 'first'}" plugin of NAD ${v.nadKey} (or chain {"type": "tuning", "capabilities": {"mac": true}} after it), so the MAC is passed as runtimeConfig rather than relying on the legacy CNI_ARGS path.`;
      else
        fix = `The chain declares the mac capability but the MAC was not applied: check that the plugins in ${a.paths.binDirs[0]} are recent enough (macvlan ≥ v0.8.7, bridge ≥ v1.0.0) and that a later plugin in the chain does not reset it.`;
      out.push(
        finding(
          probeMacMismatch.meta,
          v.subject,
          `${v.ifname} in the ${v.label} has MAC ${got}, not the requested ${want}.`,
          [
            {
              label: `ip addr: ${v.ifname}`,
              value: `link/${v.iface.linkType ?? 'ether'} ${got}`,
              ...(v.pod.node ? { node: v.pod.node } : {}),
            },
            { label: 'requested mac', value: want },
          ],
          fix,
        ),
      );
    }
    return out;
  },
);
