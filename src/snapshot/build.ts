/**
 * The one snapshot builder: code that assembles a Snapshot (collectors, `lint`, probe, attach)
 * and the tests use it. Required fields get neutral values, so a caller states only what matters
 * to it. Keys come out in the order of a collected snapshot (apiVersion, kind, source,
 * collectedAt, producer, cluster, nads, workloads, errors, then the optional sections), so a
 * written snapshot reads the same whoever built it.
 */
import { SNAPSHOT_API_VERSION, SNAPSHOT_KIND, type Snapshot } from './types.js';

export function snapshot(p: Partial<Snapshot> = {}): Snapshot {
  const { collectedAt, producer, ...rest } = p;
  return {
    apiVersion: SNAPSHOT_API_VERSION,
    kind: SNAPSHOT_KIND,
    source: 'cluster',
    ...(collectedAt !== undefined ? { collectedAt } : {}),
    ...(producer !== undefined ? { producer } : {}),
    cluster: { distribution: 'kubeadm' },
    nads: [],
    workloads: [],
    errors: [],
    ...rest,
  };
}

/** A snapshot as `lint` builds it from files: partial objects, no cluster data. */
export function manifests(p: Partial<Snapshot> = {}): Snapshot {
  return snapshot({ source: 'manifests', cluster: { distribution: 'unknown' }, ...p });
}
