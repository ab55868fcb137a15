import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { describe, judgedWorkloads, selectionsOf } from './lib/common.js';
import { isUnrendered } from '../../model/cni-config.js';
import { own } from '../../model/own.js';

/** Names the pod already has: eth0 from the cluster network, lo from the runtime. */
const RESERVED: Record<string, string> = {
  eth0: "the cluster network's interface",
  lo: 'the loopback interface',
};

/**
 * Interface names inside one pod must be unique. Multus names an attachment without an explicit
 * name `net<N>` by its position (first attachment net1, second net2, ...), so an explicit "net1"
 * on the second element collides with the first one's implicit name. The failure shows up at
 * sandbox time as `interface name net1 already exists` (validateIfName).
 */
export const podInterfaceConflict = defineCheck(
  {
    id: 'pod-interface-conflict',
    title: 'Two attachments share an interface name',
    severity: 'error',
    category: 'pod',
    scope: 'objects',
    distributions: 'all',
    doc: 'Each attachment becomes an interface in the pod: the name given with @name or "interface", or net1, net2, ... by position. Two attachments with one name, or an attachment named eth0, make multus fail with "interface name … already exists" and the pod stays in ContainerCreating.',
  },
  (a) => {
    const out: Finding[] = [];
    for (const w of judgedWorkloads(a)) {
      const sels = selectionsOf(w);
      if (sels.length === 0) continue;
      const byName = new Map<string, Array<{ index: number; net: string; explicit: boolean }>>();
      for (const s of sels) {
        if (s.interface !== undefined && isUnrendered(s.interface)) continue;
        const name = s.interface ?? `net${s.index + 1}`;
        const list = byName.get(name) ?? [];
        list.push({ index: s.index, net: s.name, explicit: s.interface !== undefined });
        byName.set(name, list);
      }
      for (const [name, list] of byName) {
        const reserved = own(RESERVED, name);
        if (reserved) {
          out.push(
            finding(
              podInterfaceConflict.meta,
              w.subject,
              `${describe(w.subject)} names the interface of network "${list[0]!.net}" "${name}", which is ${reserved}.`,
              [w.annotationEvidence()],
              `Pick another name (at most 15 characters), e.g. "${list[0]!.net}@net${list[0]!.index + 1}" in the short form or "interface": "net${list[0]!.index + 1}".`,
            ),
          );
        }
        if (list.length < 2) continue;
        const parts = list.map(
          (x) => `"${x.net}" (element ${x.index + 1}${x.explicit ? '' : `, unnamed so multus calls it ${name}`})`,
        );
        out.push(
          finding(
            podInterfaceConflict.meta,
            w.subject,
            `${describe(w.subject)} gives two attachments the interface name "${name}": ${parts.join(' and ')}.`,
            [w.annotationEvidence()],
            'Give every attachment a distinct "interface" (or @name). Unnamed attachments are called net1, net2, ... by their position in the list, so avoid those names for explicitly named ones or name them all.',
          ),
        );
      }
    }
    return out;
  },
);
