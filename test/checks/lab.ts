/** Turns the real captures in ../shared/corpus/lab into snapshot objects for the pod/flannel tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED } from '../helpers/cli.js';
import type { EventRecord, NadObject, WorkloadObject } from '../../src/snapshot/types.js';

export const LAB = join(SHARED, 'corpus', 'lab');

export function labJson(name: string): any {
  return JSON.parse(readFileSync(join(LAB, name), 'utf8'));
}

/** A `kubectl get pod -o json` object as the collector would record it. */
export function labPod(p: any): WorkloadObject {
  const waiting = (p.status?.containerStatuses ?? [])
    .map((c: { state?: { waiting?: { reason?: string } } }) => c.state?.waiting?.reason)
    .find(Boolean);
  const owner = p.metadata.ownerReferences?.[0];
  return {
    kind: 'Pod',
    name: p.metadata.name,
    namespace: p.metadata.namespace,
    annotations: p.metadata.annotations ?? {},
    podAnnotations: p.metadata.annotations ?? {},
    hostNetwork: p.spec.hostNetwork === true,
    nodeName: p.spec.nodeName,
    phase: p.status?.phase,
    createdAt: p.metadata.creationTimestamp,
    ...(waiting ? { waitingReason: waiting } : {}),
    ...(owner ? { owner: { kind: owner.kind, name: owner.name } } : {}),
  };
}

export function labEvents(name: string): EventRecord[] {
  return labJson(name).items.map((e: any) => ({
    namespace: e.metadata.namespace,
    involvedObject: {
      kind: e.involvedObject.kind,
      name: e.involvedObject.name,
      namespace: e.involvedObject.namespace,
      uid: e.involvedObject.uid,
    },
    reason: e.reason,
    message: e.message,
    type: e.type,
    count: e.count,
    lastTimestamp: e.lastTimestamp ?? undefined,
  }));
}

/** The lab's two NADs (macvlan-lan host-local, macvlan-lan-dhcp), as collected from the cluster. */
export function labNads(): NadObject[] {
  return labJson('healthy__network-attachment-definitions.json').items.map((n: any) => ({
    name: n.metadata.name,
    namespace: n.metadata.namespace,
    config: n.spec.config,
  }));
}
