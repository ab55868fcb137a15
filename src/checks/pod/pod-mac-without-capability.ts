import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { chainOf, judgedWorkloads, liveStatusEntries, normaliseMac, resolveSelections } from './lib/common.js';
import { macProblem } from '../../model/networks-annotation.js';
import { isUnrendered, locate } from '../../model/cni-config.js';
import { LEGACY_MAC_PLUGINS as LEGACY_MAC, LEGACY_ONLY_MAC_PLUGINS, macSupport } from '../../model/legacy-args.js';
import { own } from '../../model/own.js';

/** Plugins that create the interface with a MAC they do not choose per pod. */
const NEVER_PER_POD_MAC: Record<string, string> = {
  ipvlan: "ipvlan interfaces share the master's MAC address, so a per-pod MAC cannot be applied",
  'host-device': 'host-device moves an existing device into the pod and keeps its MAC',
};

/**
 * The spec delivers `mac` only to plugins that declare `"capabilities": {"mac": true}`. Multus
 * also passes it as CNI_ARGS `MAC=`, which macvlan (plugins ≥ v0.8.7), bridge (≥ v1.0.0) and
 * tuning read; the lab capture mac-no-capability shows macvlan without the capability applying
 * the MAC. So: error where it can never work, warning where it works only through that legacy
 * path — and an error after all when a running pod's network-status shows another MAC.
 */
export const podMacWithoutCapability = defineCheck(
  {
    id: 'pod-mac-without-capability',
    title: 'MAC requested but no plugin in the chain declares the mac capability',
    severity: 'warning',
    category: 'pod',
    scope: 'objects',
    distributions: 'all',
    doc: 'A "mac" in the networks annotation reaches a plugin through runtimeConfig only when the plugin declares "capabilities": {"mac": true}. macvlan, bridge, tap, tuning and sriov also read multus\'s legacy MAC= argument, so the MAC usually still applies; macvtap and ovs read only that argument (no capability to declare, nothing to fix); ipvlan and host-device can never set a per-pod MAC.',
  },
  (a) => {
    const out: Finding[] = [];
    const meta = podMacWithoutCapability.meta;
    for (const w of judgedWorkloads(a)) {
      for (const r of resolveSelections(a, w)) {
        const mac = r.sel.mac;
        if (mac === undefined || isUnrendered(mac) || macProblem(mac) || !r.nad) continue;
        const chain = chainOf(r.nad);
        const main = chain?.main;
        if (!chain || !main?.type || isUnrendered(main.type)) continue;
        const cap = chain.hasCapability('mac');
        const entries = liveStatusEntries(a, w, r.namespace, r.sel.name);
        const wanted = normaliseMac(mac);
        const notApplied =
          !!entries &&
          entries.length > 0 &&
          entries.every((e) => e.mac !== undefined && normaliseMac(e.mac) !== wanted);
        const appliedNow = !!entries?.some((e) => e.mac !== undefined && normaliseMac(e.mac) === wanted);
        const statusEv = notApplied
          ? [{ label: 'network-status', value: entries!.map((e) => `${e.interface ?? '?'} mac ${e.mac}`).join(', ') }]
          : [];
        const ev = [
          w.annotationEvidence(mac),
          r.nad.at(locate(r.nad.config!.parsed, [...main.path, 'type']), `type: ${main.type}`),
          ...statusEv,
        ];
        const capSnippet = `"capabilities": {"mac": true}`;
        const never = own(NEVER_PER_POD_MAC, main.type);
        if (main.type === 'ipvlan' || (never && !cap && !chain.has('tuning'))) {
          out.push(
            finding(
              meta,
              w.subject,
              `${w.subject.kind} ${w.subject.name} requests MAC ${mac} on network "${r.sel.name}", but ${never}.`,
              ev,
              main.type === 'ipvlan'
                ? 'Drop "mac" from the selection, or use a macvlan NAD (with "capabilities": {"mac": true}) when the pod needs its own MAC (e.g. for a DHCP reservation).'
                : `Chain a tuning plugin that sets the MAC: add {"type": "tuning", ${capSnippet}} after host-device in a conflist, or drop "mac" from the selection.`,
              'error',
            ),
          );
          continue;
        }
        if (cap) continue;
        if (LEGACY_ONLY_MAC_PLUGINS.has(main.type)) {
          // MAC= is how this plugin takes a MAC: nothing to add. Only a MAC that did not arrive is news.
          if (notApplied) {
            out.push(
              finding(
                meta,
                w.subject,
                `MAC ${mac} was requested on network "${r.sel.name}" but network-status shows another MAC; ${main.type} reads the MAC only from multus's MAC= argument (it has no "mac" capability to declare).`,
                ev,
                `Check that multus passes CNI_ARGS to the delegate (the multus log on the node shows the ADD call with "MAC=${mac}"), and that the ${main.type} plugin on the node is a release that reads MAC=; then recreate the pod.`,
                'warning',
              ),
            );
          }
          continue;
        }
        const known = macSupport(main.type);
        const legacy = LEGACY_MAC.has(main.type) || !!chain.has('tuning');
        const fix =
          main.type === 'ib-sriov'
            ? 'InfiniBand ports have a GUID, not a MAC: drop "mac" and request the address with "infiniband-guid" in the selection (with `"capabilities": {"infinibandGUID": true}` on the ib-sriov plugin).'
            : known && !known.capability && !known.legacy
              ? `${main.type} cannot set a per-pod MAC: chain {"type": "tuning", ${capSnippet}} after it in a conflist (NAD ${r.nad.key}), or drop "mac" from the selection.`
              : `Add ${capSnippet} to the ${main.type} plugin in NAD ${r.nad.key}${main.type === 'macvlan' || main.type === 'bridge' ? ' (it then sets the MAC when it creates the interface, before IPAM runs)' : ''}, e.g.\n  { "cniVersion": "0.3.1", "type": "${main.type}", ..., ${capSnippet}, "ipam": { ... } }`;
        if (notApplied) {
          out.push(
            finding(
              meta,
              w.subject,
              `MAC ${mac} was requested on network "${r.sel.name}" but not applied (network-status shows another MAC): no plugin of NAD ${r.nad.key} declares the mac capability.`,
              ev,
              `${fix}\nThen recreate the pod.`,
              'error',
            ),
          );
          continue;
        }
        out.push(
          finding(
            meta,
            w.subject,
            legacy
              ? `MAC ${mac} on network "${r.sel.name}" is applied only through multus's legacy MAC= argument${appliedNow ? ' (network-status shows it applied today)' : ''}: no plugin of NAD ${r.nad.key} declares "capabilities": {"mac": true} (macvlan needs plugins ≥ v0.8.7, bridge ≥ v1.0.0 for that path).`
              : known
                ? `MAC ${mac} on network "${r.sel.name}" is ignored: no plugin of NAD ${r.nad.key} declares "capabilities": {"mac": true}, and "${main.type}" reads neither a mac capability nor multus's legacy MAC= argument.`
                : `MAC ${mac} on network "${r.sel.name}" may be ignored: no plugin of NAD ${r.nad.key} declares "capabilities": {"mac": true}, and "${main.type}" is not known to read multus's legacy MAC= argument.`,
            ev,
            fix,
          ),
        );
      }
    }
    return out;
  },
);
