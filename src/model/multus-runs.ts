/**
 * Positive evidence that multus runs on a node: what the runtime did outranks what a config file
 * on the node says it would do. Two kinds, both written by multus itself while the runtime was
 * calling it:
 *  - a pod on the node, created after the node's multus pod (re)started, whose network-status
 *    annotation multus wrote (hostNetwork pods get none: multus is never called for them);
 *  - an `AddedInterface` event (multus's own "Add eth0 [...] from ..." event) for a pod on the
 *    node, not older than the multus pod's start.
 * Used by every check whose error would say "the runtime cannot find/execute multus" from the
 * node's inferred configuration: with such evidence the file is evidently not what the runtime
 * reads, and the finding drops to info without a fix.
 */
import type { Snapshot } from '../snapshot/types.js';
import type { Evidence } from './subject.js';
import { podNetworkStatus } from './network-status.js';

export interface MultusRuns {
  /** One line for messages: "pod default/net-demo (created …) has a network-status written by multus". */
  summary: string;
  evidence: Evidence[];
}

const t = (s: string | undefined): number | undefined => {
  if (!s) return undefined;
  const v = Date.parse(s);
  return Number.isNaN(v) ? undefined : v;
};

/**
 * NADs multus demonstrably attached on each node: `ns/name` of every non-default network-status
 * entry of pods there created after the node's multus pod started (so the NAD's plugins ran).
 */
export function attachedNadsByNode(s: Snapshot): Map<string, Set<string>> {
  const started = startTimes(s);
  const out = new Map<string, Set<string>>();
  for (const w of s.workloads ?? []) {
    if (w.kind !== 'Pod' || !w.nodeName || w.hostNetwork) continue;
    const st = podNetworkStatus(w.podAnnotations);
    if (!st || st.error) continue;
    const since = started.get(w.nodeName);
    const created = t(w.createdAt);
    if (since !== undefined && (created === undefined || created < since)) continue;
    for (const e of st.entries) {
      if (e.default) continue;
      const key = e.name.includes('/') ? e.name : `${w.namespace ?? 'default'}/${e.name}`;
      if (!out.has(w.nodeName)) out.set(w.nodeName, new Set());
      out.get(w.nodeName)!.add(key);
    }
  }
  return out;
}

function startTimes(s: Snapshot): Map<string, number> {
  const started = new Map<string, number>();
  for (const m of s.multus ?? []) {
    for (const p of m.pods ?? []) {
      const at = t(p.startedAt);
      if (p.node && at !== undefined) started.set(p.node, Math.max(started.get(p.node) ?? 0, at));
    }
  }
  return started;
}

/** Evidence per node name (only nodes that have some). */
export function multusRunsByNode(s: Snapshot): Map<string, MultusRuns> {
  const out = new Map<string, MultusRuns>();
  // When did multus (re)start on each node: pods it handled later met this multus.
  const started = startTimes(s);
  const podNode = new Map<string, string>();
  const add = (node: string, summary: string, ev: Evidence) => {
    const cur = out.get(node);
    if (!cur) out.set(node, { summary, evidence: [ev] });
    else if (cur.evidence.length < 3) cur.evidence.push(ev);
  };
  for (const w of s.workloads ?? []) {
    if (w.kind !== 'Pod' || !w.nodeName) continue;
    podNode.set(`${w.namespace ?? 'default'}/${w.name}`, w.nodeName);
    if (w.hostNetwork) continue;
    const st = podNetworkStatus(w.podAnnotations);
    if (!st || st.error || st.entries.length === 0) continue;
    const since = started.get(w.nodeName);
    const created = t(w.createdAt);
    // Created before the multus pod started: an earlier multus (or config) may have written it.
    if (since !== undefined && (created === undefined || created < since)) continue;
    const ifs = st.entries
      .map((e) => e.interface)
      .filter(Boolean)
      .join(', ');
    const key = `${w.namespace ?? 'default'}/${w.name}`;
    add(w.nodeName, `pod ${key} on ${w.nodeName} has a network-status written by multus${ifs ? ` (${ifs})` : ''}`, {
      node: w.nodeName,
      label: `multus ran for pod ${key}${w.createdAt ? ` (created ${w.createdAt})` : ''}`,
      value: `network-status: ${st.entries.map((e) => `${e.interface ?? '?'} from ${e.name}`).join('; ')}`,
    });
  }
  for (const e of s.events ?? []) {
    if (e.reason !== 'AddedInterface' || e.involvedObject.kind !== 'Pod') continue;
    const key = `${e.involvedObject.namespace ?? e.namespace ?? 'default'}/${e.involvedObject.name}`;
    const node = podNode.get(key);
    if (!node) continue;
    const since = started.get(node);
    const at = t(e.lastTimestamp);
    if (since !== undefined && (at === undefined || at < since)) continue;
    add(node, `multus added an interface to pod ${key} on ${node} (event AddedInterface)`, {
      node,
      label: `event AddedInterface, pod ${key}`,
      value: e.message,
    });
  }
  return out;
}
