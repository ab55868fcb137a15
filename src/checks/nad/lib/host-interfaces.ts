/** Looks up a NAD's master interface on each node whose interfaces were collected. */
import type { Analysis, NodeView } from '../../analysis.js';
import type { HostInterface } from '../../../snapshot/types.js';
import { interfacesOf, workerNodes } from './common.js';

interface MasterLookup {
  /** Worker nodes where the interface exists, with it. */
  found: Array<{ node: NodeView; iface: HostInterface }>;
  /** Worker nodes whose interfaces were collected and lack it. */
  missing: NodeView[];
  /** Worker nodes whose interfaces are unknown (not inspected, failed, or not collected). */
  unknown: NodeView[];
}

export function lookupMaster(a: Analysis, name: string): MasterLookup {
  const r: MasterLookup = { found: [], missing: [], unknown: [] };
  for (const n of workerNodes(a)) {
    const ifs = interfacesOf(n);
    if (!ifs) {
      r.unknown.push(n);
      continue;
    }
    const iface = ifs.find((i) => i.name === name);
    if (iface) r.found.push({ node: n, iface });
    else r.missing.push(n);
  }
  return r;
}

/** True when at least one node has interface facts: the node-data checks only speak then. */
export function haveInterfaceFacts(a: Analysis): boolean {
  return a.nodes.some((n) => interfacesOf(n) !== undefined);
}
