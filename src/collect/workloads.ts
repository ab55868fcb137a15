/**
 * Pods and workloads that matter to multus, read page by page and kept slim: only pods and pod
 * templates that carry a multus annotation (or pods stuck creating their sandbox), and of their
 * annotations only the multus ones. Pod owners are resolved ReplicaSet → Deployment and
 * Job → CronJob from the ReplicaSet/Job lists (kept as small name maps).
 */
import type { WorkloadKind, WorkloadObject } from '../snapshot/types.js';
import type { KubeObject, ResourceRef } from '../cluster/client.js';
import type { CollectContext } from './context.js';
import { ClusterError } from '../cluster/errors.js';
import type { PodObject } from './multus-install.js';
import { dict } from '../model/own.js';

/** Annotation prefixes that multus and this tool read; every other annotation is dropped. */
const KEEP_ANNOTATION = /^(k8s\.v1\.cni\.cncf\.io\/|v1\.multus-cni\.io\/|kubectl-multus\.io\/)/;

export function keptAnnotations(a: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = dict();
  for (const [k, v] of Object.entries(a ?? {})) if (KEEP_ANNOTATION.test(k)) out[k] = v;
  return out;
}

interface TemplateSpec {
  metadata?: { annotations?: Record<string, string> };
  spec?: { hostNetwork?: boolean };
}
interface ControllerObject extends KubeObject {
  spec?: { replicas?: number; template?: TemplateSpec; jobTemplate?: { spec?: { template?: TemplateSpec } } };
}

/** Owner maps: `ns/ReplicaSet` → Deployment name, `ns/Job` → CronJob name. */
interface OwnerMaps {
  replicaSets: Map<string, string>;
  jobs: Map<string, string>;
}

function controllerOf(o: KubeObject): { kind: string; name: string } | undefined {
  const refs = o.metadata?.ownerReferences ?? [];
  const r = refs.find((x) => x.controller) ?? refs[0];
  return r ? { kind: r.kind, name: r.name } : undefined;
}

/**
 * The workload that owns a pod: its controller, with a ReplicaSet resolved to its Deployment and
 * a Job to its CronJob. When the ReplicaSet is unknown (list not allowed), a ReplicaSet named
 * `<deployment>-<pod-template-hash>` is taken to belong to that Deployment, as Deployments name them.
 */
export function resolveOwner(pod: KubeObject, maps: OwnerMaps | undefined): { kind: string; name: string } | undefined {
  const c = controllerOf(pod);
  if (!c) return undefined;
  const ns = pod.metadata?.namespace ?? 'default';
  if (c.kind === 'ReplicaSet') {
    const dep = maps?.replicaSets.get(`${ns}/${c.name}`);
    if (dep !== undefined) return dep ? { kind: 'Deployment', name: dep } : c;
    const hash = pod.metadata?.labels?.['pod-template-hash'];
    if (!maps && hash && c.name.endsWith(`-${hash}`))
      return { kind: 'Deployment', name: c.name.slice(0, -hash.length - 1) };
    return c;
  }
  if (c.kind === 'Job') {
    const cj = maps?.jobs.get(`${ns}/${c.name}`);
    if (cj) return { kind: 'CronJob', name: cj };
  }
  return c;
}

function waitingReason(p: PodObject): string | undefined {
  for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) {
    const r = s.state?.waiting?.reason;
    if (r) return r;
  }
  return undefined;
}

/** A pod as the checks need it, or undefined when it has nothing to do with multus. */
export function podToWorkload(p: PodObject, maps: OwnerMaps | undefined): WorkloadObject | undefined {
  const ann = keptAnnotations(p.metadata?.annotations);
  const waiting = waitingReason(p);
  // Sandbox failures hit every pod on a node whose CNI chain is broken, annotated or not.
  if (Object.keys(ann).length === 0 && waiting !== 'ContainerCreating') return undefined;
  const w: WorkloadObject = {
    kind: 'Pod',
    name: p.metadata?.name ?? '',
    namespace: p.metadata?.namespace ?? 'default',
    podAnnotations: ann,
    hostNetwork: p.spec?.hostNetwork === true,
  };
  const owner = resolveOwner(p, maps);
  if (owner) w.owner = owner;
  if (p.spec?.nodeName) w.nodeName = p.spec.nodeName;
  if (p.status?.phase) w.phase = p.status.phase;
  if (waiting) w.waitingReason = waiting;
  if (p.metadata?.creationTimestamp) w.createdAt = p.metadata.creationTimestamp;
  return w;
}

/** A controller with a pod template, when it or its template carries a multus annotation. */
export function controllerToWorkload(o: ControllerObject, kind: WorkloadKind): WorkloadObject | undefined {
  const template = kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template : o.spec?.template;
  const meta = keptAnnotations(o.metadata?.annotations);
  const tmpl = keptAnnotations(template?.metadata?.annotations);
  if (!Object.keys(meta).length && !Object.keys(tmpl).length) return undefined;
  const w: WorkloadObject = {
    kind,
    name: o.metadata?.name ?? '',
    namespace: o.metadata?.namespace ?? 'default',
    podAnnotations: tmpl,
    hostNetwork: template?.spec?.hostNetwork === true,
  };
  if (Object.keys(meta).length) w.annotations = meta;
  if (kind !== 'DaemonSet' && kind !== 'CronJob' && kind !== 'Job') w.replicas = o.spec?.replicas ?? 1;
  if (o.metadata?.creationTimestamp) w.createdAt = o.metadata.creationTimestamp;
  return w;
}

const CONTROLLERS: Array<{ kind: WorkloadKind; ref: Omit<ResourceRef, 'namespace'> }> = [
  { kind: 'Deployment', ref: { group: 'apps', version: 'v1', resource: 'deployments' } },
  { kind: 'StatefulSet', ref: { group: 'apps', version: 'v1', resource: 'statefulsets' } },
  { kind: 'DaemonSet', ref: { group: 'apps', version: 'v1', resource: 'daemonsets' } },
  { kind: 'ReplicaSet', ref: { group: 'apps', version: 'v1', resource: 'replicasets' } },
  { kind: 'Job', ref: { group: 'batch', version: 'v1', resource: 'jobs' } },
  { kind: 'CronJob', ref: { group: 'batch', version: 'v1', resource: 'cronjobs' } },
  { kind: 'ReplicationController', ref: { version: 'v1', resource: 'replicationcontrollers' } },
];

interface WorkloadsOptions {
  namespace?: string;
  /** DaemonSets already listed by the install collector (saves a list). */
  daemonSets?: ControllerObject[];
  /** Only pods (the status command). */
  podsOnly?: boolean;
}

/** Pods and workloads; controller lists that fail are recorded and the rest still returned. */
export async function collectWorkloads(
  ctx: CollectContext,
  o: WorkloadsOptions = {},
): Promise<WorkloadObject[] | undefined> {
  const ns = o.namespace;
  const maps: OwnerMaps = { replicaSets: new Map(), jobs: new Map() };
  let mapsOk = true;
  const controllers: WorkloadObject[] = [];
  const rawPods: PodObject[] = [];
  let podsOk = true;
  const listInto = async (kind: WorkloadKind, ref: Omit<ResourceRef, 'namespace'>) => {
    const r = await ctx.attempt(
      kind === 'ReplicaSet' || kind === 'Job' ? 'workloads/owners' : 'workloads',
      async () => {
        const handle = (items: ControllerObject[]) => {
          for (const it of items) {
            if (kind === 'ReplicaSet' || kind === 'Job') {
              const c = controllerOf(it);
              const key = `${it.metadata?.namespace ?? 'default'}/${it.metadata?.name ?? ''}`;
              const want = kind === 'ReplicaSet' ? 'Deployment' : 'CronJob';
              (kind === 'ReplicaSet' ? maps.replicaSets : maps.jobs).set(key, c?.kind === want ? c.name : '');
              // A standalone ReplicaSet/Job is a workload of its own.
              if (c?.kind === want) continue;
            }
            const w = controllerToWorkload(it, kind);
            if (w) controllers.push(w);
          }
        };
        if (kind === 'DaemonSet' && o.daemonSets)
          handle(o.daemonSets.filter((d) => !ns || d.metadata?.namespace === ns));
        else {
          try {
            await ctx.client.listPages<ControllerObject>({ ...ref, namespace: ns }, handle);
          } catch (e) {
            // A kind the server does not serve (old batch/v1 CronJob, trimmed API servers) has no objects.
            if (e instanceof ClusterError && e.kind === 'not-found') return true;
            throw e;
          }
        }
        return true;
      },
      { namespace: ns, resource: ref.group ? `${ref.resource}.${ref.group}` : ref.resource },
    );
    if (!r && (kind === 'ReplicaSet' || kind === 'Job')) mapsOk = false;
  };
  const podList = ctx.attempt(
    'pods',
    async () => {
      await ctx.client.listPages<PodObject>({ version: 'v1', resource: 'pods', namespace: ns }, (items) => {
        // Keep only the pods that matter; owners are resolved once the maps are complete.
        for (const p of items) {
          const ann = keptAnnotations(p.metadata?.annotations);
          const relevant = Object.keys(ann).length > 0 || waitingReason(p) === 'ContainerCreating';
          if (relevant) rawPods.push(slimPod(p, ann));
        }
      });
      return true;
    },
    { namespace: ns, resource: 'pods' },
  );
  const lists = o.podsOnly ? [] : CONTROLLERS.map((c) => listInto(c.kind, c.ref));
  const [podsDone] = await Promise.all([podList, ...lists]);
  if (!podsDone) podsOk = false;
  const pods = rawPods.map((p) => podToWorkload(p, mapsOk ? maps : undefined)).filter((w): w is WorkloadObject => !!w);
  if (!podsOk && controllers.length === 0 && o.podsOnly) return undefined;
  return [...controllers, ...pods];
}

/** Drop everything of a pod object but the fields podToWorkload reads (bounded memory). */
function slimPod(p: PodObject, ann: Record<string, string>): PodObject {
  return {
    metadata: {
      name: p.metadata?.name,
      namespace: p.metadata?.namespace,
      annotations: ann,
      labels: p.metadata?.labels?.['pod-template-hash']
        ? { 'pod-template-hash': p.metadata.labels['pod-template-hash'] }
        : undefined,
      ownerReferences: p.metadata?.ownerReferences?.map((r) => ({
        kind: r.kind,
        name: r.name,
        controller: r.controller,
      })),
      creationTimestamp: p.metadata?.creationTimestamp,
    },
    spec: { nodeName: p.spec?.nodeName, hostNetwork: p.spec?.hostNetwork },
    status: {
      phase: p.status?.phase,
      containerStatuses: p.status?.containerStatuses
        ?.filter((s) => s.state?.waiting)
        .map((s) => ({ name: s.name, state: { waiting: { reason: s.state?.waiting?.reason } } })),
      initContainerStatuses: p.status?.initContainerStatuses
        ?.filter((s) => s.state?.waiting)
        .map((s) => ({ name: s.name, state: { waiting: { reason: s.state?.waiting?.reason } } })),
    },
  };
}
