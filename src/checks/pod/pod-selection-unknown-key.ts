import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { describe, judgedWorkloads, selectionsOf } from './lib/common.js';
import { selectionDefaultRoutes } from '../../model/routes.js';
import { own } from '../../model/own.js';

/** Keys people write that the spec spells differently. */
const DID_YOU_MEAN: Record<string, string> = {
  gateway: 'default-route',
  gateways: 'default-route',
  defaultRoute: 'default-route',
  default_route: 'default-route',
  ip: 'ips',
  ipAddress: 'ips',
  address: 'ips',
  addresses: 'ips',
  macAddress: 'mac',
  ifname: 'interface',
  interfaceName: 'interface',
  ns: 'namespace',
  cniArgs: 'cni-args',
  cni_args: 'cni-args',
};

/**
 * Go's JSON decoder ignores keys it does not know, so a typo in a selection element is silent:
 * `gateway` (as in multus's own old macvlan example) never moves the default route. Several
 * default-route gateways for one family are refused by multus ("does not support ECMP"), which
 * fails the pod: that part is reported as an error.
 */
export const podSelectionUnknownKey = defineCheck(
  {
    id: 'pod-selection-unknown-key',
    title: 'Network selection element has a key outside the spec',
    severity: 'warning',
    category: 'pod',
    scope: 'objects',
    distributions: 'all',
    doc: 'Keys of a network selection element that the spec does not define are ignored without a word: "gateway" does not set the default route (the key is "default-route"), "ip" does not request an address (the key is "ips"). Vendor keys must contain a dot. Two default-route gateways of one IP family make multus refuse the pod.',
  },
  (a) => {
    const out: Finding[] = [];
    const meta = podSelectionUnknownKey.meta;
    for (const w of judgedWorkloads(a)) {
      const sels = selectionsOf(w);
      for (const s of sels) {
        for (const k of s.unknownKeys) {
          const alt = own(DID_YOU_MEAN, k);
          out.push(
            finding(
              meta,
              w.subject,
              `Network "${s.name}" in ${describe(w.subject)} has the key "${k}", which multus ignores${alt ? ` (did you mean "${alt}"?)` : ''}.`,
              [w.annotationEvidence(JSON.stringify(s.raw?.[k] ?? null))],
              alt === 'default-route'
                ? `Use "default-route" with a list of gateways, e.g. {"name": "${s.name}", "default-route": ["192.168.1.1"]} — and mind that moving the default route off eth0 sends cluster DNS and services through this network (see \`kubectl multus explain flannel-network-excludes-service-cidr\`).`
                : alt
                  ? `Rename "${k}" to "${alt}".`
                  : 'Remove the key, or give a vendor extension a reverse-DNS name (e.g. "org.example.key").',
            ),
          );
        }
      }
      const byFamily = new Map<number, Array<{ net: string; gw: string }>>();
      for (const s of sels) {
        for (const r of selectionDefaultRoutes(s)) {
          if (r.family === undefined) continue;
          const l = byFamily.get(r.family) ?? [];
          l.push({ net: s.name, gw: r.gw });
          byFamily.set(r.family, l);
        }
      }
      for (const [family, l] of byFamily) {
        if (l.length < 2) continue;
        out.push(
          finding(
            meta,
            w.subject,
            `${describe(w.subject)} asks for ${l.length} IPv${family} default-route gateways (${l.map((x) => `${x.gw} on "${x.net}"`).join(', ')}); multus does not support ECMP default routes and refuses the pod.`,
            [w.annotationEvidence()],
            'Keep "default-route" on one element, with one gateway per IP family.',
            'error',
          ),
        );
      }
    }
    return out;
  },
);
