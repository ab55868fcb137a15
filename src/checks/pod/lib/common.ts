/** What the pod and workload checks share: which objects to judge, NAD resolution, replica counts. */
import { nadKey, type Analysis, type NadView, type WorkloadView } from '../../analysis.js';
import type { Subject } from '../../types.js';
import type { NetworkSelection } from '../../../model/networks-annotation.js';
import { podNetworkStatus, statusNameMatches, type NetworkStatusEntry } from '../../../model/network-status.js';

/** Pods that finished no longer hold addresses or MACs. */
function finished(w: WorkloadView): boolean {
  return w.obj.kind === 'Pod' && (w.obj.phase === 'Succeeded' || w.obj.phase === 'Failed');
}

function ownerKey(namespace: string, kind: string, name: string): string {
  return `${namespace}/${kind}/${name}`;
}

/**
 * The objects to judge. A pod whose owning workload is in the snapshot too is judged through that
 * workload (its template carries the same annotation), so one mistake gives one finding.
 */
export function judgedWorkloads(a: Analysis): WorkloadView[] {
  const present = new Set(
    a.workloads.filter((w) => w.obj.kind !== 'Pod').map((w) => ownerKey(w.namespace, w.obj.kind, w.obj.name)),
  );
  return a.workloads.filter((w) => {
    if (finished(w)) return false;
    const o = w.obj.owner;
    return !(w.obj.kind === 'Pod' && o && present.has(ownerKey(w.namespace, o.kind, o.name)));
  });
}

/** Selections of a workload whose annotation parsed cleanly (broken ones are another check's job). */
export function selectionsOf(w: WorkloadView): NetworkSelection[] {
  if (!w.networks || w.networks.errors.length > 0) return [];
  return w.networks.selections;
}

export interface Resolved {
  sel: NetworkSelection;
  namespace: string;
  key: string;
  /** The NAD, when exactly one object answers to the name (see `exists`). */
  nad?: NadView;
  /** A NAD with this namespace/name is in the snapshot (possibly several, when linting files). */
  exists: boolean;
}

/**
 * Resolve each selection to its NAD; an unqualified name lives in the pod's namespace. Linted
 * files can hold several NADs with one namespace/name (different projects in one folder): prefer
 * the one from the workload's own file, and judge nothing when the choice is ambiguous.
 */
export function resolveSelections(a: Analysis, w: WorkloadView): Resolved[] {
  return selectionsOf(w).map((sel) => {
    const namespace = sel.namespace && sel.namespace !== '' ? sel.namespace : w.namespace;
    const key = nadKey(namespace, sel.name);
    if (!a.offline) {
      const nad = a.nadIndex.get(key);
      return { sel, namespace, key, nad, exists: nad !== undefined };
    }
    const all = a.nads.filter((n) => n.key === key);
    const file = w.obj.source?.file;
    const same = file === undefined ? [] : all.filter((n) => n.obj.source?.file === file);
    const nad = same.length === 1 ? same[0] : same.length === 0 && all.length === 1 ? all[0] : undefined;
    return { sel, namespace, key, nad, exists: all.length > 0 };
  });
}

/**
 * A requester of an address or MAC: a workload template (with the pods it runs at once), or one
 * pod. pod-ip-duplicate and pod-mac-duplicate judge what each pod actually asked for, and blame a
 * template only for what the template itself fixes.
 */
export interface Requester {
  id: string;
  subject: Subject;
  view: WorkloadView;
  /** Pods running this template at once: a number, or 'per-node' for a DaemonSet. */
  copies: number | 'per-node';
}

/** How many pods one workload runs from its template. */
export function copiesOf(w: WorkloadView): number | 'per-node' {
  switch (w.obj.kind) {
    case 'Pod':
      return 1;
    case 'DaemonSet':
      return 'per-node';
    default:
      return w.obj.replicas ?? 1;
  }
}

/** Schedulable nodes, when node data was collected (undefined otherwise). */
export function schedulableNodeCount(a: Analysis): number | undefined {
  if (a.offline || a.snapshot.nodes === undefined) return undefined;
  return a.snapshot.nodes.filter((n) => !n.unschedulable).length;
}

/** `Deployment default/web` for messages. */
export function describe(s: Subject): string {
  return `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`;
}

/** The CLI the user runs: `oc` on OpenShift, `kubectl` elsewhere. */
export function kubectlFor(a: Analysis): string {
  return a.distribution === 'openshift' ? 'oc' : 'kubectl';
}

export { chainOf, type Chain } from '../../../model/chain.js';

/** Compare MACs the way the kernel does: case-insensitive, `-` or `:` separators. */
export function normaliseMac(mac: string): string {
  return mac.trim().toLowerCase().replace(/-/g, ':');
}

/** The address part of an `ips` entry (`10.1.1.5/24` → `10.1.1.5`). */
export function ipPart(entry: string): string {
  const i = entry.indexOf('/');
  return (i < 0 ? entry : entry.slice(0, i)).trim();
}

/**
 * What multus reported for a running pod (network-status): the entries for one NAD, or undefined
 * when this is not a live pod or the annotation is absent/unreadable.
 */
function statusEntriesFor(w: WorkloadView, namespace: string, name: string): NetworkStatusEntry[] | undefined {
  if (w.obj.kind !== 'Pod' || w.obj.phase !== 'Running') return undefined;
  const st = podNetworkStatus({ ...(w.obj.annotations ?? {}), ...w.obj.podAnnotations });
  if (!st || st.error) return undefined;
  return st.entries.filter((e) => !e.default && statusNameMatches(e.name, namespace, name));
}

/**
 * Which network an attachment lands on, for duplicate detection. In a cluster the NAD key says
 * it; across linted files one key may name unrelated NADs of different projects, so there the
 * resolved object (or, unresolved, the workload's file) is part of the identity.
 */
export function networkIdentity(a: Analysis, w: WorkloadView, r: Resolved): string {
  if (!a.offline) return r.key;
  const src = r.nad?.obj.source ?? w.obj.source;
  return `${r.key}@${src?.file ?? ''}${r.nad ? `:${src?.line ?? ''}` : ''}`;
}

/** The live pods behind a judged object: the pod itself, or the pods a workload owns. */
function podsOf(a: Analysis, w: WorkloadView): WorkloadView[] {
  if (w.obj.kind === 'Pod') return [w];
  return a.workloads.filter(
    (p) =>
      p.obj.kind === 'Pod' &&
      p.namespace === w.namespace &&
      p.obj.owner?.kind === w.obj.kind &&
      p.obj.owner.name === w.obj.name,
  );
}

/** network-status entries for one NAD across the live pods behind a judged object. */
export function liveStatusEntries(
  a: Analysis,
  w: WorkloadView,
  namespace: string,
  name: string,
): NetworkStatusEntry[] | undefined {
  const lists = podsOf(a, w)
    .map((p) => statusEntriesFor(p, namespace, name))
    .filter((x): x is NetworkStatusEntry[] => x !== undefined);
  return lists.length ? lists.flat() : undefined;
}

/** Group objects by the workload that owns them (pods without an owner stand alone). */
export function byOwner(pods: WorkloadView[]): Array<{ subject: Subject; ownerKind?: string; pods: WorkloadView[] }> {
  const m = new Map<string, { subject: Subject; ownerKind?: string; pods: WorkloadView[] }>();
  for (const p of pods) {
    const o = p.obj.owner;
    const key = o ? ownerKey(p.namespace, o.kind, o.name) : ownerKey(p.namespace, 'Pod', p.obj.name);
    const g = m.get(key) ?? {
      subject: o ? { kind: o.kind, name: o.name, namespace: p.namespace } : p.subject,
      ownerKind: o?.kind,
      pods: [],
    };
    g.pods.push(p);
    m.set(key, g);
  }
  return [...m.values()];
}

/** A stable key for one object: pods and templates of the uniqueness checks (pod-ip-duplicate, pod-mac-duplicate). */
export const requesterId = (namespace: string, kind: string, name: string) => `${namespace}/${kind}/${name}`;

/** The key of the controller that owns a pod, in requesterId form. */
export const ownerIdOf = (p: WorkloadView) =>
  p.obj.owner ? requesterId(p.namespace, p.obj.owner.kind, p.obj.owner.name) : undefined;

/** Pods of one owner that each request one value (an address, a MAC) in their own annotation. */
export interface OwnerGroup<R> {
  owner: string;
  subject: Subject;
  list: R[];
  /** Every pod asks on the same network: certainly one segment. */
  sameNet: boolean;
}

/**
 * Splits the requests of one value into the units that are judged against each other: pods of one
 * owner count as one unit (the owner), reported once through `onGroup` when two or more of them ask
 * for the value themselves; every other requester stands alone (once, however often it asks).
 */
export function unitsByOwner<R extends { req: Requester; identity: string }>(
  all: R[],
  onGroup: (g: OwnerGroup<R>) => void,
): R[] {
  const units: R[] = [];
  const groups = new Map<string, R[]>();
  for (const q of all) {
    const owner = q.req.view.obj.kind === 'Pod' ? ownerIdOf(q.req.view) : undefined;
    if (owner) groups.set(owner, [...(groups.get(owner) ?? []), q]);
    else if (!units.some((u) => u.req.id === q.req.id)) units.push(q);
  }
  for (const [owner, list] of groups) {
    const first = list[0]!;
    if (list.length === 1) {
      units.push(first);
      continue;
    }
    const o = first.req.view.obj.owner!;
    const subject = { kind: o.kind, name: o.name, namespace: first.req.view.namespace };
    onGroup({ owner, subject, list, sameNet: list.every((q) => q.identity === first.identity) });
    units.push({ ...first, req: { id: owner, subject, view: first.req.view, copies: list.length } });
  }
  return units;
}
