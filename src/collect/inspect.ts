/**
 * Per-node inspection, one exec per node, in parallel up to --concurrency:
 *   tier 1 — exec the node script in the node's multus pod (hostNetwork: it sees the host's
 *            interfaces; it sees the host paths its DaemonSet mounts);
 *   tier 2 — a node-inspector pod, when the multus image has no shell, the exec fails, the pod
 *            cannot see what the checks need (the runtime's conf and bin dirs, K3s's containerd
 *            config, the dhcp socket when a NAD uses DHCP, the thick daemon's socket), there is
 *            no multus pod on the node, or `--inspect-nodes always`.
 * A timed-out exec is not retried in tier 2 (a hung node would hang again and double the wait).
 */
import type { Distribution, NodeInfo, NodeInspection } from '../snapshot/types.js';
import { ClusterError } from '../cluster/errors.js';
import { limiter } from '../cluster/limit.js';
import type { CollectContext } from './context.js';
import type { InstallHandle } from './multus-install.js';
import { imageHasNoShell } from './install-fingerprint.js';
import {
  essentialExtras,
  INSPECTOR_ROOT,
  multusPodCoversEssentials,
  planForInspector,
  planForMultusPod,
  wantedPaths,
  type NodePlan,
} from './node-plan.js';
import { hostToContainer, normPath } from '../model/mount-paths.js';
import { nodeScriptArgv } from './node-script.js';
import { parseNodeOutput } from './node-output.js';
import { runtimeCniConfig } from './runtime-config.js';
import { InspectorPods } from './inspector-pod.js';
import { SERVICE_CIDR_FILES } from './service-cidr.js';
import { noteLeftovers } from './leftovers.js';

/** Largest file the script transfers. */
const FILE_CAP_BYTES = 1024 * 1024;

class NoShell extends Error {}

function toInspection(
  source: NodeInspection['source'],
  out: string,
  plan: NodePlan,
  node: NodeInfo,
  distribution: Distribution,
): NodeInspection {
  const { inspection } = parseNodeOutput(out, plan, FILE_CAP_BYTES);
  const result: NodeInspection = { source, ...inspection };
  // Files read only for the service range (they may hold join tokens): keep just those lines.
  for (const p of SERVICE_CIDR_FILES) {
    const f = result.files[p];
    if (f?.content !== undefined)
      f.content = f.content
        .split('\n')
        .filter((l) => /service-cidr|service-cluster-ip-range/.test(l))
        .join('\n');
  }
  const runtime = runtimeCniConfig(result.files, distribution, node.containerRuntime, result.processes);
  if (runtime) result.runtime = runtime;
  return result;
}

/**
 * The runtime's own conf/bin dirs, when its config names dirs the first pass did not list
 * (`bin_dir = "/usr/lib/cni"`): one more exec in the same pod lists them, so no verdict rests
 * on a directory nobody looked at. `toPath` maps a host path to the pod's view (undefined: not visible).
 */
async function listRuntimeDirs(
  ctx: CollectContext,
  ns: string,
  pod: string,
  container: string,
  root: string,
  ins: NodeInspection,
  toPath: (host: string) => string | undefined,
): Promise<void> {
  const rt = ins.runtime;
  if (!rt || ins.error) return;
  const ops: NodePlan['ops'] = [];
  const want = (op: 'C' | 'L', host: string) => {
    const h = normPath(host);
    if (ins.dirs[h] || ops.some((o) => o.host === h)) return;
    const path = toPath(h);
    if (path !== undefined) ops.push({ op, host: h, path });
  };
  if (rt.confDir) want('C', rt.confDir);
  for (const b of rt.binDirs ?? []) want('L', b);
  if (!ops.length) return;
  const plan: NodePlan = { root, ops, invisible: [] };
  try {
    const out = await execScript(ctx, ns, pod, container, plan);
    const { inspection } = parseNodeOutput(out, plan, FILE_CAP_BYTES);
    Object.assign(ins.dirs, inspection.dirs);
    Object.assign(ins.files, inspection.files);
  } catch (e) {
    if (e instanceof ClusterError && e.kind === 'aborted') throw e;
    // The first pass stands; the dirs stay "not listed" and the checks say they could not verify.
  }
}

async function execScript(
  ctx: CollectContext,
  ns: string,
  pod: string,
  container: string,
  plan: NodePlan,
): Promise<string> {
  const argv = nodeScriptArgv(plan.root, FILE_CAP_BYTES, plan.ops);
  const r = await ctx.exec.run(ns, pod, container, argv, { timeoutMs: ctx.o.execTimeoutMs, signal: ctx.o.signal });
  if (r.stdout.includes('KMI 1 ')) return r.stdout;
  if (r.exitCode === 126 || r.exitCode === 127 || r.failure) {
    throw new NoShell(r.failure ?? (r.stderr.trim().split('\n')[0] || `exit code ${r.exitCode}`));
  }
  throw new NoShell(
    r.stderr.trim().split('\n')[0] || `the node script printed nothing (exit code ${r.exitCode ?? 'unknown'})`,
  );
}

interface InspectResult {
  /** Execs per node, for -v and the benchmark. */
  execs: number;
  /** Inspector pods left behind (deletion failed). */
  leftovers: string[];
}

interface InspectNeeds {
  /** Some NAD uses DHCP IPAM: the dhcp daemon socket must be checked on every node. */
  dhcp: boolean;
}

export async function inspectNodes(
  ctx: CollectContext,
  nodes: NodeInfo[],
  installs: InstallHandle[],
  distribution: Distribution,
  needs: InspectNeeds = { dhcp: false },
): Promise<InspectResult> {
  const mode = ctx.o.inspectNodes;
  if (mode === 'never') return { execs: 0, leftovers: [] };
  // auto without any multus install: nothing to diagnose on the nodes, so no pods are created.
  if (mode === 'auto' && installs.length === 0) return { execs: 0, leftovers: [] };
  const pods = new InspectorPods(ctx.client);
  const run = limiter(Math.max(1, ctx.o.concurrency));
  const inspectorNs = ctx.o.inspectorNamespace ?? installs[0]?.install.namespace ?? 'kube-system';
  const allInstalls = installs.map((h) => h.install);
  let done = 0;
  const total = nodes.length;
  const wantedFor = (hostNetwork: boolean) => wantedPaths(distribution, allInstalls, { interfaces: hostNetwork });
  const wantedHost = wantedFor(true);
  const extras = essentialExtras(allInstalls, needs);

  const viaInspector = async (node: NodeInfo): Promise<NodeInspection> => {
    const plan = planForInspector(wantedHost);
    let name: string | undefined;
    try {
      name = await pods.create({
        namespace: inspectorNs,
        node: node.name,
        image: ctx.o.inspectorImage,
        runId: ctx.o.runId,
        signal: ctx.o.signal,
      });
      await pods.waitRunning(
        inspectorNs,
        name,
        Math.max(60_000, ctx.o.execTimeoutMs),
        ctx.o.inspectorImage,
        ctx.o.signal,
      );
      const out = await execScript(ctx, inspectorNs, name, 'inspect', plan);
      const ins = toInspection('node-inspector', out, plan, node, distribution);
      await listRuntimeDirs(ctx, inspectorNs, name, 'inspect', INSPECTOR_ROOT, ins, (h) => INSPECTOR_ROOT + h);
      return ins;
    } finally {
      if (name) {
        try {
          await pods.delete(name);
        } catch (e) {
          ctx.record(`inspect/${node.name}`, e, { node: node.name, namespace: inspectorNs });
        }
      }
    }
  };

  const inspectOne = async (node: NodeInfo): Promise<void> => {
    const fail = (err: unknown, source: NodeInspection['source']) => {
      if (err instanceof ClusterError && err.kind === 'aborted') return;
      ctx.record(`inspect/${node.name}`, err, { node: node.name });
      node.inspection = { source, error: err instanceof Error ? err.message : String(err), dirs: {}, files: {} };
    };
    if (node.ready === false) {
      fail(new Error(`node ${node.name} is not Ready: not inspected`), 'multus-pod');
      return;
    }
    const handle = installs.find((h) => h.podByNode.get(node.name)?.running);
    const pod = handle?.podByNode.get(node.name);
    const tier1 =
      mode === 'auto' &&
      handle !== undefined &&
      pod !== undefined &&
      !imageHasNoShell(handle.install.image) &&
      multusPodCoversEssentials(
        distribution,
        handle.install.mounts.filter((m) => m.container === handle.install.containerName),
        extras,
      );
    if (tier1) {
      const mounts = handle.install.mounts.filter((m) => m.container === handle.install.containerName);
      const plan = planForMultusPod(wantedFor(handle.hostNetwork), mounts);
      try {
        const out = await execScript(ctx, handle.install.namespace, pod.name, handle.install.containerName, plan);
        const ins = toInspection('multus-pod', out, plan, node, distribution);
        await listRuntimeDirs(ctx, handle.install.namespace, pod.name, handle.install.containerName, '', ins, (h) =>
          hostToContainer(h, mounts),
        );
        node.inspection = ins;
        return;
      } catch (e) {
        if (
          !(e instanceof NoShell) &&
          !(e instanceof ClusterError && (e.kind === 'server' || e.kind === 'other' || e.kind === 'invalid'))
        ) {
          fail(e, 'multus-pod');
          return;
        }
        ctx.o.progress(
          `${node.name}: exec into ${handle.install.namespace}/${pod.name} failed (${(e as Error).message}); using a node-inspector pod`,
        );
      }
    }
    try {
      node.inspection = await viaInspector(node);
    } catch (e) {
      fail(e, 'node-inspector');
    }
  };

  await Promise.all(
    nodes.map((n) =>
      run(async () => {
        if (ctx.o.signal.aborted) return;
        await inspectOne(n);
        const err = n.inspection?.error;
        if (err && !ctx.errors.some((e) => e.collector === `inspect/${n.name}`))
          ctx.record(`inspect/${n.name}`, new Error(err), { node: n.name });
        done++;
        ctx.o.progress(`inspected ${done}/${total} nodes`);
      }),
    ),
  );
  const leftovers = await pods.deleteAll();
  noteLeftovers(leftovers);
  return { execs: ctx.exec.count, leftovers };
}
