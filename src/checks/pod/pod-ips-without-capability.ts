import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { chainOf, ipPart, judgedWorkloads, liveStatusEntries, resolveSelections } from './lib/common.js';
import { isUnrendered, locate } from '../../model/cni-config.js';
import { LEGACY_IP_IPAMS as LEGACY_IP } from '../../model/legacy-args.js';

/** Reference plugins that get addresses only from an IPAM section (others, e.g. OVN-Kubernetes, assign their own). */
const NEEDS_IPAM = new Set(['macvlan', 'ipvlan', 'bridge', 'vlan', 'host-device', 'ptp', 'tap', 'dummy']);

/**
 * `ips` reaches the IPAM through runtimeConfig only when a plugin declares
 * `"capabilities": {"ips": true}`; multus also sets CNI_ARGS `IP=`, which static, host-local and
 * whereabouts read. dhcp asks the server and ignores both; without IPAM nothing assigns it.
 */
export const podIpsWithoutCapability = defineCheck(
  {
    id: 'pod-ips-without-capability',
    title: 'IPs requested but no plugin in the chain declares the ips capability',
    severity: 'warning',
    category: 'pod',
    scope: 'objects',
    distributions: 'all',
    doc: 'An "ips" list in the networks annotation reaches the IPAM through runtimeConfig only when a plugin declares "capabilities": {"ips": true}. static, host-local and whereabouts also read multus\'s legacy IP= argument; dhcp never honours a requested address.',
  },
  (a) => {
    const out: Finding[] = [];
    const meta = podIpsWithoutCapability.meta;
    for (const w of judgedWorkloads(a)) {
      for (const r of resolveSelections(a, w)) {
        const ips = r.sel.ips;
        if (!ips?.length || ips.some(isUnrendered) || !r.nad) continue;
        const chain = chainOf(r.nad);
        const main = chain?.main;
        if (!chain || !main?.type || chain.hasCapability('ips')) continue;
        const ipamType = chain.ipamType;
        if (ipamType !== undefined && isUnrendered(ipamType)) continue;
        if (!chain.ipamPlugin && !NEEDS_IPAM.has(main.type)) continue;
        const parsed = r.nad.config!.parsed;
        const ipamEv = chain.ipamPlugin
          ? r.nad.at(locate(parsed, [...chain.ipamPlugin.path, 'ipam', 'type']), `ipam.type: ${ipamType ?? '(none)'}`)
          : r.nad.at(locate(parsed, [...main.path, 'type']), `type: ${main.type} (no ipam)`);
        const entries = liveStatusEntries(a, w, r.namespace, r.sel.name);
        const wanted = ips.map(ipPart);
        const notApplied =
          !!entries && entries.length > 0 && !entries.some((e) => wanted.every((ip) => e.ips.includes(ip)));
        const ev = [w.annotationEvidence(JSON.stringify(ips)), ipamEv];
        if (notApplied)
          ev.push({
            label: 'network-status',
            value: entries!.map((e) => `${e.interface ?? '?'} ${e.ips.join(',') || '(no address)'}`).join('; '),
          });
        const capFix = `Add "capabilities": {"ips": true} to the ${main.type} plugin of NAD ${r.nad.key} and use "ipam": {"type": "static"} (or host-local with a range that contains the address).`;
        if (ipamType === 'dhcp' || !chain.ipamPlugin) {
          out.push(
            finding(
              meta,
              w.subject,
              ipamType === 'dhcp'
                ? `${w.subject.kind} ${w.subject.name} requests ${wanted.join(', ')} on network "${r.sel.name}", but NAD ${r.nad.key} uses dhcp IPAM, which takes whatever the DHCP server offers and never honours a requested address.`
                : `${w.subject.kind} ${w.subject.name} requests ${wanted.join(', ')} on network "${r.sel.name}", but NAD ${r.nad.key} has no IPAM that could assign it.`,
              ev,
              ipamType === 'dhcp'
                ? `Either drop "ips" and reserve the address on the DHCP server (pin the MAC with "mac" and a mac capability), or switch the NAD to static IPAM: ${capFix}`
                : capFix,
              'error',
            ),
          );
          continue;
        }
        if (notApplied) {
          out.push(
            finding(
              meta,
              w.subject,
              `${wanted.join(', ')} was requested on network "${r.sel.name}" but network-status shows other addresses: no plugin of NAD ${r.nad.key} declares the ips capability.`,
              ev,
              `${capFix}\nThen recreate the pod.`,
              'error',
            ),
          );
          continue;
        }
        out.push(
          finding(
            meta,
            w.subject,
            LEGACY_IP.has(ipamType ?? '')
              ? `${wanted.join(', ')} on network "${r.sel.name}" reaches ${ipamType} IPAM only through multus's legacy IP= argument: no plugin of NAD ${r.nad.key} declares "capabilities": {"ips": true}.`
              : `${wanted.join(', ')} on network "${r.sel.name}" may be ignored: no plugin of NAD ${r.nad.key} declares "capabilities": {"ips": true}, and IPAM "${ipamType}" is not known to read the legacy IP= argument.`,
            ev,
            capFix,
          ),
        );
      }
    }
    return out;
  },
);
