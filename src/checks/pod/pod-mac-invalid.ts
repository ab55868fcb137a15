import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { judgedWorkloads, selectionsOf } from './lib/common.js';
import { macProblem } from '../../model/networks-annotation.js';
import { isUnrendered } from '../../model/cni-config.js';

/** Suggest a locally administered unicast MAC with the same tail (first octet 02). */
function suggestion(mac: string): string {
  const parts = mac.split(/[:-]/);
  if (parts.length === 6 && parts.every((p) => /^[0-9a-fA-F]{2}$/.test(p)))
    return ['02', ...parts.slice(1)].join(':').toLowerCase();
  return '02:00:00:00:00:01';
}

/**
 * `mac` must be a 6-octet unicast address: multus rejects malformed values (invalid MAC address)
 * and the kernel refuses multicast ones (cannot assign requested address), both at sandbox time.
 */
export const podMacInvalid = defineCheck(
  {
    id: 'pod-mac-invalid',
    title: 'Requested MAC address is not a unicast MAC',
    severity: 'error',
    category: 'pod',
    scope: 'objects',
    distributions: 'all',
    doc: 'A "mac" in a network selection element must be six hex octets with the multicast bit of the first octet clear. Random MAC generators often produce multicast addresses (first octet odd, e.g. f1: or e7:), which the kernel refuses, so the pod never starts.',
  },
  (a) => {
    const out: Finding[] = [];
    for (const w of judgedWorkloads(a)) {
      for (const sel of selectionsOf(w)) {
        if (sel.mac === undefined || isUnrendered(sel.mac)) continue;
        const problem = macProblem(sel.mac);
        if (!problem) continue;
        out.push(
          finding(
            podMacInvalid.meta,
            w.subject,
            `The MAC "${sel.mac}" requested for network "${sel.name}" ${problem}.`,
            [w.annotationEvidence(sel.mac)],
            `Use a locally administered unicast MAC: the first octet's lowest bit clear and second-lowest bit set (x2, x6, xA or xE), e.g. "${suggestion(sel.mac)}".`,
          ),
        );
      }
    }
    return out;
  },
);
