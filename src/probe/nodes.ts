/**
 * Which nodes get a test pod. Named nodes are taken as given (twice = two pods on that node);
 * --all-nodes takes every Ready, schedulable Linux node; by default two pods on two different
 * nodes (the cross-node case is the one that fails in practice), workers first, or both on the
 * only node there is.
 */
import type { NodeInfo } from '../snapshot/types.js';

export type NodeChoice = { nodes: Array<string | undefined>; notes: string[] } | { error: string };

const CONTROL_PLANE = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

function usable(n: NodeInfo): boolean {
  const os = n.labels['kubernetes.io/os'];
  return n.ready !== false && !n.unschedulable && (os === undefined || os === 'linux');
}

/** `nodes` undefined: the node list could not be read (the scheduler then places the pods). */
export function chooseNodes(
  nodes: NodeInfo[] | undefined,
  o: { named: string[]; all: boolean; prefer?: string[] },
): NodeChoice {
  const notes: string[] = [];
  if (o.named.length) {
    if (nodes) {
      const known = new Set(nodes.map((n) => n.name));
      const unknown = o.named.filter((n) => !known.has(n));
      if (unknown.length) {
        const list = nodes
          .map((n) => n.name)
          .slice(0, 10)
          .join(', ');
        return {
          error: `node ${unknown.map((n) => `"${n}"`).join(', ')} not found (nodes: ${list}${nodes.length > 10 ? ', …' : ''})`,
        };
      }
      for (const name of new Set(o.named)) {
        const n = nodes.find((x) => x.name === name)!;
        if (!usable(n))
          notes.push(
            `node ${name} is ${n.ready === false ? 'NotReady' : n.unschedulable ? 'cordoned' : 'not a Linux node'}: its test pod may not start for that reason`,
          );
      }
    }
    return { nodes: [...o.named], notes };
  }
  if (!nodes) {
    notes.push('the node list could not be read: the scheduler places the two test pods');
    return { nodes: [undefined, undefined], notes };
  }
  const ok = nodes.filter(usable);
  if (o.all) {
    if (ok.length === 0) return { error: 'no Ready, schedulable Linux node to run test pods on' };
    const skipped = nodes.length - ok.length;
    if (skipped) notes.push(`${skipped} node${skipped === 1 ? '' : 's'} skipped (NotReady, cordoned or not Linux)`);
    return { nodes: ok.map((n) => n.name), notes };
  }
  if (ok.length === 0) return { error: 'no Ready, schedulable Linux node to run test pods on (name one with --node)' };
  const prefer = new Set(o.prefer ?? []);
  const rank = (n: NodeInfo) => (prefer.has(n.name) ? 0 : 2) + (CONTROL_PLANE.some((l) => l in n.labels) ? 1 : 0);
  const sorted = [...ok].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  if (sorted.length === 1) {
    notes.push(
      `only one usable node (${sorted[0]!.name}): both test pods run there, so only same-node traffic is tested`,
    );
    return { nodes: [sorted[0]!.name, sorted[0]!.name], notes };
  }
  return { nodes: [sorted[0]!.name, sorted[1]!.name], notes };
}
