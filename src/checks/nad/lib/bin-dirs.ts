/** What the inspected nodes' CNI bin dirs say about a plugin binary. */
import type { Analysis } from '../../analysis.js';

interface BinPresence {
  /** Nodes whose bin dirs were listed at all. */
  listed: string[];
  /** Of those, nodes where the binary is present. */
  present: string[];
}

export function binPresence(a: Analysis, binary: string): BinPresence {
  const listed: string[] = [];
  const present: string[] = [];
  for (const n of a.nodes) {
    if (!n.plugins) continue;
    listed.push(n.name);
    if (n.plugins.has(binary)) present.push(n.name);
  }
  return { listed, present };
}
