/**
 * `kubectl multus check --probe`: after the normal collection, probe every NAD that running pods
 * use, with two test pods placed where those pods run, and add the results to the snapshot so
 * the probe checks report next to everything else.
 */
import type { Snapshot } from '../snapshot/types.js';
import type { ClusterFlags } from '../cluster/kubeconfig.js';
import type { Io } from './io.js';
import { escapeTerminal } from '../report/escape.js';
import { parseNetworksAnnotation, NETWORKS_ANNOTATION } from '../model/networks-annotation.js';
import { newRunId, withSession } from '../collect/live.js';
import { chooseNodes } from '../probe/nodes.js';
import { planPods, planProblem, runProbe } from '../probe/run.js';
import { leftoverError } from './probe-command.js';
import { endOfRun, liveHooks } from './live-session.js';
import type { ProbeRequest } from '../probe/request.js';

export interface CheckProbeOptions {
  image: string;
  timeoutMs: number;
  verbose: boolean;
}

/** More NADs than this are not probed in one check run (each costs two pods and a wait). */
const MAX_PROBED_NADS = 20;

/** NADs requested by running pods that exist in the snapshot, with the nodes those pods run on. */
export function nadsInUse(s: Snapshot): Array<{ namespace: string; name: string; nodes: string[] }> {
  const known = new Set(s.nads.map((n) => `${n.namespace ?? 'default'}/${n.name}`));
  const used = new Map<string, Set<string>>();
  for (const w of s.workloads) {
    if (w.kind !== 'Pod' || w.phase !== 'Running' || w.hostNetwork) continue;
    const v = w.podAnnotations[NETWORKS_ANNOTATION];
    if (v === undefined) continue;
    for (const sel of parseNetworksAnnotation(v).selections) {
      const key = `${sel.namespace ?? w.namespace ?? 'default'}/${sel.name}`;
      if (!known.has(key)) continue;
      const nodes = used.get(key) ?? new Set<string>();
      if (w.nodeName) nodes.add(w.nodeName);
      used.set(key, nodes);
    }
  }
  return [...used]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, nodes]) => {
      const [namespace, name] = key.split('/') as [string, string];
      return { namespace, name, nodes: [...nodes].sort() };
    });
}

/** Adds `probes` (and their errors) to the snapshot. Returns an exit code when the run must end (Ctrl-C, lost cluster). */
export async function addProbes(
  io: Io,
  flags: ClusterFlags,
  snapshot: Snapshot,
  o: CheckProbeOptions,
): Promise<number | undefined> {
  const all = nadsInUse(snapshot);
  snapshot.probes = [];
  if (all.length === 0) {
    io.err('note: --probe: no running pod uses a NetworkAttachmentDefinition, nothing to probe\n');
    return undefined;
  }
  const nads = all.slice(0, MAX_PROBED_NADS);
  if (all.length > nads.length)
    io.err(
      `note: --probe: probing the first ${nads.length} of ${all.length} NADs in use (kubectl multus probe NAD for the others)\n`,
    );
  try {
    await withSession(flags, liveHooks(io, o.verbose), 0, async (session, signal, progress) => {
      // One NAD at a time: each run's pods are deleted before the next one starts.
      for (const nad of nads) {
        if (signal.aborted) return;
        const req: ProbeRequest = {
          nad,
          nodes: [],
          allNodes: false,
          interface: 'net1',
          macs: [],
          ips: [],
          image: o.image,
          timeoutMs: o.timeoutMs,
          ping: true,
          keep: false,
          preferNodes: nad.nodes,
        };
        const choice = chooseNodes(snapshot.nodes, { named: [], all: false, prefer: nad.nodes });
        if ('error' in choice) {
          snapshot.errors.push({
            collector: 'probe',
            message: `${nad.namespace}/${nad.name} not probed: ${choice.error}`,
          });
          continue;
        }
        const runId = newRunId();
        const ref = { namespace: nad.namespace, name: nad.name };
        const plans = planPods(ref, choice.nodes, req, runId);
        const nadObj = snapshot.nads.find((n) => (n.namespace ?? 'default') === nad.namespace && n.name === nad.name)!;
        const problem = planProblem(nadObj, plans);
        if (problem) {
          io.err(
            `note: --probe: ${escapeTerminal(nad.namespace)}/${escapeTerminal(nad.name)} not probed: ${escapeTerminal(problem)}\n`,
          );
          continue;
        }
        try {
          const run = await runProbe({ session, runId, signal, progress }, ref, plans, req);
          snapshot.probes!.push(run.result);
          snapshot.errors.push(...run.errors, ...leftoverError(run.leftovers));
        } catch (e) {
          if (signal.aborted) return;
          throw e;
        }
      }
    });
  } catch (e) {
    return endOfRun(io, e);
  }
  return undefined;
}
