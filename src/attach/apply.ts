/**
 * The thin I/O around the plan: read the workload (and the NAD, and what else runs in the
 * namespace), compute the plan, and send it as a merge patch with the object's resourceVersion as
 * precondition. A 409 means someone changed the object meanwhile: re-read, re-plan, retry
 * (bounded). Dry runs write nothing: `client` never sends the patch, `server` sends it with
 * dryRun=All so admission and validation run without storing.
 */
import type { KubeClient, KubeObject, ResourceRef } from '../cluster/client.js';
import { resourcePath } from '../cluster/client.js';
import { ClusterError } from '../cluster/errors.js';
import type { NadObject, WorkloadObject } from '../snapshot/types.js';
import type { CollectContext } from '../collect/context.js';
import type { Target } from './kinds.js';
import { planAttach, planDetach } from './plan.js';
import type { AttachRequest, DetachRequest, Plan, PlanContext, PlanResult } from './types.js';

export type DryRun = 'none' | 'client' | 'server';

export interface Operation {
  target: Target;
  namespace: string;
  action: { verb: 'attach'; req: AttachRequest } | { verb: 'detach'; req: DetachRequest };
  dryRun: DryRun;
  kubectlFlags: string[];
  /** Attempts when the object keeps changing under us (409 Conflict). */
  maxAttempts?: number;
}

interface Deps {
  client: KubeClient;
  random: (n: number) => Uint8Array;
  progress: (msg: string) => void;
  /** Pods and workloads of a namespace (the collector); injectable for tests. */
  neighbours?: (namespace: string) => Promise<{ workloads?: WorkloadObject[]; error?: string }>;
}

export type Outcome =
  | { status: 'refused'; result: Extract<PlanResult, { ok: false }> }
  | {
      status: 'unchanged' | 'patched' | 'dry-run';
      plan: Plan;
      object: KubeObject;
      attempts: number;
      conflicts: number;
      dryRun: DryRun;
      warnings: string[];
    };

export function workloadRef(t: Target, namespace: string): ResourceRef {
  return {
    group: t.kind.group || undefined,
    version: t.kind.version,
    resource: t.kind.resource,
    namespace,
    name: t.name,
  };
}

const NAD_REF = { group: 'k8s.cni.cncf.io', version: 'v1', resource: 'network-attachment-definitions' };

interface NadRead {
  nads: NadObject[];
  crdMissing: boolean;
}

function toNad(o: KubeObject): NadObject {
  const spec = (o as { spec?: Record<string, unknown> }).spec ?? {};
  const n: NadObject = {
    name: o.metadata?.name ?? '',
    namespace: o.metadata?.namespace ?? 'default',
    specKeys: Object.keys(spec),
  };
  if (typeof spec['config'] === 'string') n.config = spec['config'];
  else if (spec['config'] !== undefined)
    n.configNotString = Array.isArray(spec['config']) ? 'array' : typeof spec['config'];
  if (o.metadata?.annotations) n.annotations = o.metadata.annotations;
  return n;
}

/**
 * The NAD asked for, and its namespace's other NADs for "did you mean". A 404 that names the
 * object means it does not exist; a 404 for the path means the CRD is not served at all.
 */
async function readNads(client: KubeClient, ns: string, name: string): Promise<NadRead> {
  try {
    const one = await client.get({ ...NAD_REF, namespace: ns, name });
    let all: KubeObject[] = [one];
    try {
      all = await client.list({ ...NAD_REF, namespace: ns });
    } catch {
      /* the neighbours only improve a message */
    }
    if (!all.some((x) => x.metadata?.name === name)) all.push(one);
    return { nads: all.map(toNad), crdMissing: false };
  } catch (e) {
    if (!(e instanceof ClusterError) || e.kind !== 'not-found') throw e;
    if (!e.status?.details?.name) return { nads: [], crdMissing: true };
    const all = await client.list({ ...NAD_REF, namespace: ns }).catch(() => [] as KubeObject[]);
    return { nads: all.map(toNad), crdMissing: false };
  }
}

function isConflict(e: unknown): boolean {
  return e instanceof ClusterError && e.code === 409 && e.status?.reason !== 'AlreadyExists';
}

export async function runOperation(op: Operation, deps: Deps): Promise<Outcome> {
  const { client } = deps;
  const ref = workloadRef(op.target, op.namespace);
  const maxAttempts = op.maxAttempts ?? 5;
  const warnings: string[] = [];
  deps.progress(`reading ${op.target.kind.display}/${op.target.name}`);
  let object = await client.get(ref);
  let nads: NadRead = { nads: [], crdMissing: false };
  let neighbours: WorkloadObject[] | undefined;
  if (op.action.verb === 'attach') {
    const req = op.action.req;
    const nadNs = req.network.namespace ?? op.namespace;
    deps.progress(`reading NetworkAttachmentDefinition ${nadNs}/${req.network.name}`);
    nads = await readNads(client, nadNs, req.network.name);
    if (deps.neighbours) {
      deps.progress(`reading pods and workloads in ${op.namespace}`);
      const n = await deps.neighbours(op.namespace);
      neighbours = n.workloads;
      if (n.error)
        warnings.push(
          `other workloads in ${op.namespace} could not all be read (${n.error}): duplicate MACs/IPs with them were not checked`,
        );
    }
  }
  let conflicts = 0;
  for (let attempt = 1; ; attempt++) {
    const ctx: PlanContext = {
      object,
      kind: op.target.kind,
      nads: nads.nads,
      nadCrdMissing: nads.crdMissing,
      neighbours,
      random: deps.random,
      kubectlFlags: op.kubectlFlags,
    };
    const result = op.action.verb === 'attach' ? planAttach(ctx, op.action.req) : planDetach(ctx, op.action.req);
    if (!result.ok) return { status: 'refused', result };
    const plan = result.plan;
    const base = { plan, attempts: attempt, conflicts, dryRun: op.dryRun, warnings };
    if (plan.noop || !plan.patch) return { status: 'unchanged', object, ...base };
    if (op.dryRun === 'client') return { status: 'dry-run', object: plan.result, ...base };
    // The resourceVersion in a patch is a precondition: the server answers 409 if the object moved on.
    const body = {
      ...plan.patch,
      metadata: {
        ...((plan.patch['metadata'] as object | undefined) ?? {}),
        resourceVersion: object.metadata?.resourceVersion,
      },
    };
    try {
      deps.progress(`patching ${plan.ref}${op.dryRun === 'server' ? ' (server dry run)' : ''}`);
      const written = await client.request<KubeObject>(
        'PATCH',
        resourcePath(ref),
        { verb: 'patch', resource: ref.resource, group: ref.group, namespace: ref.namespace, name: ref.name },
        {
          body,
          contentType: 'application/merge-patch+json',
          query: op.dryRun === 'server' ? { dryRun: 'All' } : undefined,
        },
      );
      return { status: op.dryRun === 'server' ? 'dry-run' : 'patched', object: written, ...base };
    } catch (e) {
      if (!isConflict(e)) throw e;
      conflicts++;
      if (attempt >= maxAttempts) {
        throw new ClusterError(
          `${plan.ref} kept changing while it was being patched (${conflicts} conflicts in a row); nothing was written, try again`,
          'invalid',
          409,
        );
      }
      deps.progress(`${plan.ref} changed meanwhile (409 Conflict): reading it again`);
      object = await client.get(ref);
    }
  }
}

/** The collector's view of a namespace's pods and workloads (for duplicates and `--mac` keep). */
export function collectorNeighbours(
  ctx: () => CollectContext,
): (ns: string) => Promise<{ workloads?: WorkloadObject[]; error?: string }> {
  return async (ns) => {
    const c = ctx();
    const { collectWorkloads } = await import('../collect/workloads.js');
    const workloads = await collectWorkloads(c, { namespace: ns });
    return { workloads, error: c.errors.length ? c.errors.map((e) => e.message).join('; ') : undefined };
  };
}
