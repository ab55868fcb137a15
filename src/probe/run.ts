/**
 * One probe of one NAD: create the test pods, wait for them, look at their interfaces from
 * inside, ping across, and turn it all into a ProbeResult for the probe checks. The pods are
 * deleted in `finally`, so success, failure, timeout and cancellation (Ctrl-C/SIGTERM abort the
 * signal) all end the same way; --keep leaves them for inspection.
 */
import type { CollectionError, NadObject, ProbePod, ProbeResult } from '../snapshot/types.js';
import type { Session } from '../cluster/session.js';
import { ClusterError } from '../cluster/errors.js';
import { limiter } from '../cluster/limit.js';
import { parseCniConfig } from '../model/cni-config.js';
import { parseIpOutput, findInterface, assignedAddresses } from '../model/ip-output.js';
import { NETWORK_STATUS_ANNOTATION, LEGACY_NETWORKS_STATUS_ANNOTATION } from '../model/networks-annotation.js';
import { probeIpam } from '../model/probe-ipam.js';
import { ProbePods } from './tracker.js';
import { noteLeftovers } from '../collect/leftovers.js';
import { probePodManifest, probePodName, type ProbePodPlan } from './pod-spec.js';
import { podEvents, waitForPods, type PodWaitResult } from './wait.js';
import { readInterfaces } from './interfaces.js';
import { planPings, runPings, type PingPeer } from './ping.js';
import { deadlineSeconds, type ProbeRequest } from './request.js';

export interface ProbeRun {
  result: ProbeResult;
  errors: CollectionError[];
  /** Test pods left on the cluster on purpose (--keep), `namespace/name`. */
  kept: string[];
  /** Test pods that could not be deleted, `namespace/name`. */
  leftovers: string[];
}

export interface ProbeContext {
  session: Session;
  runId: string;
  signal: AbortSignal;
  progress: (s: string) => void;
}

/** Plan the pods: one per node entry, requested MACs/addresses handed out in order. */
export function planPods(
  nad: { namespace: string; name: string },
  nodes: Array<string | undefined>,
  req: Pick<ProbeRequest, 'interface' | 'macs' | 'ips'>,
  runId: string,
): ProbePodPlan[] {
  return nodes.map((node, i) => ({
    name: probePodName(runId, i, node),
    namespace: nad.namespace,
    ...(node ? { node } : {}),
    nad,
    interface: req.interface,
    ...(req.macs[i] ? { mac: req.macs[i] } : {}),
    ...(req.ips[i]
      ? {
          ips: req.ips[i]!.split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : {}),
  }));
}

/**
 * A reason not to start at all, found in the NAD before any pod exists: static IPAM without
 * addresses fails every pod that brings none, which would be our doing, not the NAD's.
 */
export function planProblem(nad: NadObject, plans: ProbePodPlan[]): string | undefined {
  const cfg = typeof nad.config === 'string' ? parseCniConfig(nad.config) : undefined;
  const ipam = probeIpam(cfg);
  if (ipam?.type === 'static' && ipam.ranges.length === 0) {
    const without = plans.filter((p) => !p.ips?.length).length;
    if (without)
      return `NAD ${nad.namespace}/${nad.name} uses static IPAM without "addresses": give every test pod an address, one --ip per pod (${plans.length} pod${plans.length === 1 ? '' : 's'}, e.g. --ip 192.168.1.201/24${plans.length > 1 ? ' --ip 192.168.1.202/24' : ''})`;
  }
  return undefined;
}

function statusOf(w: PodWaitResult): string {
  const a = w.pod?.metadata?.annotations;
  // '' = read, and multus wrote none (see ProbePod.networkStatus).
  return a?.[NETWORK_STATUS_ANNOTATION] ?? a?.[LEGACY_NETWORKS_STATUS_ANNOTATION] ?? '';
}

export async function runProbe(
  c: ProbeContext,
  nad: { namespace: string; name: string },
  plans: ProbePodPlan[],
  req: ProbeRequest,
): Promise<ProbeRun> {
  const { client, exec } = c.session;
  const errors: CollectionError[] = [];
  const record = (collector: string, e: unknown, name?: string) => {
    const err: CollectionError = {
      collector,
      message: e instanceof Error ? e.message : String(e),
      namespace: nad.namespace,
    };
    if (name) err.resource = `pods/${name}`;
    if (e instanceof ClusterError && e.code !== undefined) err.code = e.code;
    errors.push(err);
  };
  const tracker = new ProbePods(client);
  const pods = new Map<string, ProbePod>();
  // Filled in `finally`, after the return value was built: shared by reference.
  const kept: string[] = [];
  const leftovers: string[] = [];
  try {
    c.progress(`creating ${plans.length} test pod${plans.length === 1 ? '' : 's'} for ${nad.namespace}/${nad.name}`);
    const manifestOpts = {
      image: req.image,
      runId: c.runId,
      deadlineSeconds: deadlineSeconds(req.timeoutMs),
      ping: req.ping,
    };
    const created: ProbePodPlan[] = [];
    const limit = limiter(10);
    await Promise.all(
      plans.map((p) =>
        limit(async () => {
          try {
            await tracker.create(p.namespace, p.name, probePodManifest(p, manifestOpts), c.signal);
            created.push(p);
          } catch (e) {
            if (c.signal.aborted) throw e;
            // Not a finding: the NAD was never exercised (RBAC, Pod Security admission, quota).
            record('probe/create', e, p.name);
          }
        }),
      ),
    );
    created.sort((a, b) => plans.indexOf(a) - plans.indexOf(b));
    if (created.length === 0) return { result: { nad, runId: c.runId, pods: [], pings: [] }, errors, kept, leftovers };

    const waited = await waitForPods(
      client,
      nad.namespace,
      c.runId,
      created.map((p) => p.name),
      { timeoutMs: req.timeoutMs, signal: c.signal, progress: c.progress },
    );
    c.progress("reading the test pods' interfaces and events");
    await Promise.all(
      created.map((p) =>
        limit(async () => {
          const w = waited.get(p.name)!;
          const pod: ProbePod = {
            name: p.name,
            namespace: p.namespace,
            interface: p.interface,
            started: w.started,
            ...(w.pod?.spec?.nodeName || p.node ? { node: w.pod?.spec?.nodeName ?? p.node } : {}),
            ...(p.mac ? { requestedMac: p.mac } : {}),
            ...(p.ips?.length ? { requestedIps: p.ips } : {}),
            ...(w.pod?.status?.phase ? { phase: w.pod.status.phase } : {}),
          };
          pods.set(p.name, pod);
          const uid = w.pod?.metadata?.uid;
          if (uid) {
            try {
              pod.events = await podEvents(client, p.namespace, uid, c.signal);
            } catch (e) {
              if (c.signal.aborted) throw e;
              record('probe/events', e, p.name);
            }
          }
          if (!w.started) {
            if (w.gaveUp) pod.error = w.gaveUp;
            return;
          }
          pod.networkStatus = statusOf(w);
          try {
            const ip = await readInterfaces(exec, p.namespace, p.name, c.signal);
            if (ip.output !== undefined) pod.ipOutput = ip.output;
            if (ip.error) {
              pod.error = ip.error;
              record('probe/exec', new Error(`${p.name}: ${ip.error}`), p.name);
            }
          } catch (e) {
            if (c.signal.aborted) throw e;
            pod.error = `cannot exec into the test pod: ${(e as Error).message}`;
            record('probe/exec', e, p.name);
          }
        }),
      ),
    );

    const ordered = created.map((p) => pods.get(p.name)!);
    const result: ProbeResult = { nad, runId: c.runId, pods: ordered, pings: [] };
    const peers: PingPeer[] = [];
    for (const pod of ordered) {
      if (!pod.started || pod.ipOutput === undefined) continue;
      const iface = findInterface(parseIpOutput(pod.ipOutput), pod.interface);
      const addresses = iface ? assignedAddresses(iface) : [];
      if (addresses.length)
        peers.push({
          name: pod.name,
          namespace: pod.namespace,
          ...(pod.node ? { node: pod.node } : {}),
          ifname: pod.interface,
          addresses,
        });
    }
    if (req.ping && peers.length >= 2) {
      const planned = planPings(peers);
      c.progress(
        `pinging between ${peers.length} test pods (${planned.length} ping${planned.length === 1 ? '' : 's'})`,
      );
      const r = await runPings(exec, planned, c.signal);
      result.pings = r.pings;
      for (const p of r.problems)
        record('probe/ping', new Error(`${p}; the probe image needs \`ping\` (pass one with --image)`));
    }
    return { result, errors, kept, leftovers };
  } finally {
    if (req.keep && !c.signal.aborted) {
      kept.push(...tracker.names.map((p) => `${p.namespace}/${p.name}`));
    } else if (tracker.names.length) {
      c.progress('deleting the test pods');
      const left = await tracker.deleteAll(c.runId);
      noteLeftovers(left);
      leftovers.push(...left);
    }
  }
}
