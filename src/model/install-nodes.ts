/**
 * Per-node views of a multus install: which nodes run it, what its pods logged there, and which
 * primary CNI config multus would wrap on each node. Shared by the install checks.
 */
import type { MultusInstall, MultusPod, NodeInfo } from '../snapshot/types.js';
import type { Subject } from './subject.js';
import { primaryConfIn, type NodeConf } from './node-files.js';
import type { InstallFacts } from './multus-install.js';

export function dsSubject(m: MultusInstall): Subject {
  return { kind: 'DaemonSet', name: m.name, namespace: m.namespace };
}

/** Nodes this install runs on: those with one of its pods, or every node when pods were not collected. */
export function nodesOf<N extends { name: string }>(nodes: N[], m: MultusInstall): N[] {
  if (!m.pods) return nodes;
  const on = new Set(m.pods.map((p) => p.node).filter((n): n is string => !!n));
  return nodes.filter((n) => on.has(n.name));
}

export function podOn(m: MultusInstall, node: string): MultusPod | undefined {
  return m.pods?.find((p) => p.node === node);
}

/** Log lines of the install's pods (current and previous), optionally only those on one node. */
function logLines(m: MultusInstall, node?: string): Array<{ pod: MultusPod; line: string }> {
  const out: Array<{ pod: MultusPod; line: string }> = [];
  for (const p of m.pods ?? []) {
    if (node && p.node !== node) continue;
    for (const line of [...(p.previousLogs ?? []), ...(p.logs ?? [])]) out.push({ pod: p, line });
  }
  return out;
}

/** The first log line matching, with its pod (evidence that a path is wrong, as multus itself saw it). */
export function findLog(m: MultusInstall, re: RegExp, node?: string): { pod: MultusPod; line: string } | undefined {
  return logLines(m, node).find((l) => re.test(l.line));
}

/**
 * The config multus wraps as the primary network on a node. `undefined` when it cannot be told
 * (not inspected, dir not listed, dir not on a hostPath); `{}` when the dir was listed and has none.
 */
export function primaryOn(
  n: { node: NodeInfo; inspected: boolean },
  f: InstallFacts,
): { conf?: NodeConf; dir: string } | undefined {
  const dir = f.autoconfigDir.host;
  if (!dir || !n.inspected) return undefined;
  const r = primaryConfIn(n.node.inspection, dir, f.thin?.masterCniFileName);
  return r ? { ...r, dir } : undefined;
}
