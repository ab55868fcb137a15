/** Reading what `attach` needs from a workload object: its pod template, replicas, identity. */
import type { KubeObject } from '../cluster/client.js';
import type { WorkloadObject } from '../snapshot/types.js';
import { NETWORKS_ANNOTATION } from '../model/networks-annotation.js';
import type { KindInfo } from './kinds.js';
import type { Plan } from './types.js';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function at(o: unknown, path: string[]): unknown {
  let cur = o;
  for (const p of path) cur = isObj(cur) ? cur[p] : undefined;
  return cur;
}

export function templateOf(o: KubeObject, kind: KindInfo): { annotations: Record<string, string>; spec: Obj } {
  const t = kind.template.length ? at(o, kind.template) : o;
  const annotations = at(t, ['metadata', 'annotations']);
  const spec = at(t, ['spec']);
  return {
    annotations: isObj(annotations) ? (annotations as Record<string, string>) : {},
    spec: isObj(spec) ? spec : {},
  };
}

/** Pods one template runs at once (the duplicate checks' "copies"). */
function replicasOf(o: KubeObject, kind: KindInfo): number | undefined {
  const num = (v: unknown, d: number) => (typeof v === 'number' ? v : d);
  switch (kind.kind) {
    case 'DaemonSet':
      return undefined;
    case 'Pod':
      return 1;
    case 'Job':
      return num(at(o, ['spec', 'parallelism']), 1);
    case 'CronJob':
      return num(at(o, ['spec', 'jobTemplate', 'spec', 'parallelism']), 1);
    default:
      return num(at(o, ['spec', 'replicas']), 1);
  }
}

export function hostNetworkPath(kind: KindInfo): string {
  return [...kind.template, 'spec', 'hostNetwork'].join('.');
}

export function subjectOf(o: KubeObject, kind: KindInfo): Plan['subject'] {
  return { kind: kind.kind, namespace: o.metadata?.namespace ?? 'default', name: o.metadata?.name ?? '' };
}

export const describe = (s: Plan['subject']) => `${s.kind} ${s.namespace}/${s.name}`;

export function workloadObject(
  o: KubeObject,
  kind: KindInfo,
  networks: string | undefined,
  hostNetwork: boolean,
): WorkloadObject {
  const s = subjectOf(o, kind);
  const w: WorkloadObject = { kind: kind.kind, name: s.name, namespace: s.namespace, podAnnotations: {}, hostNetwork };
  if (networks !== undefined) w.podAnnotations[NETWORKS_ANNOTATION] = networks;
  const r = replicasOf(o, kind);
  if (r !== undefined) w.replicas = r;
  return w;
}
