/** Probe results built from the real lab captures (corpus/lab) for the probe check tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED } from '../helpers/cli.js';
import { snapshot } from '../helpers/snapshot.js';
import type { EventRecord, NadObject, ProbePing, ProbePod, ProbeResult, Snapshot } from '../../src/snapshot/types.js';

const LAB = join(SHARED, 'corpus', 'lab');

export function lab(name: string): string {
  return readFileSync(join(LAB, name), 'utf8');
}

/** The lab's NADs (macvlan-lan: host-local 192.168.77.100-150; macvlan-lan-dhcp: dhcp), plus single-file ones. */
export function labNads(): NadObject[] {
  const list = JSON.parse(lab('healthy__network-attachment-definitions.json')) as { items: any[] };
  const more = ['dhcp-no-daemon__nad-lan-dhcp-nodaemon.json', 'master-missing__nad-lan-eth9.json'].map((f) =>
    JSON.parse(lab(f)),
  );
  return [...list.items, ...more].map((i) => ({
    name: i.metadata.name,
    namespace: i.metadata.namespace,
    config: i.spec.config,
  }));
}

export function labEvents(scenario: string): EventRecord[] {
  const list = JSON.parse(lab(`${scenario}__events.json`)) as { items: any[] };
  return list.items.map((e) => ({
    involvedObject: { kind: e.involvedObject.kind, name: e.involvedObject.name, namespace: e.involvedObject.namespace },
    reason: e.reason,
    message: e.message,
    type: e.type,
    count: e.count,
    lastTimestamp: e.lastTimestamp ?? undefined,
  }));
}

export function probePod(name: string, p: Partial<ProbePod> = {}): ProbePod {
  return { name, namespace: 'default', node: 'lab-node', interface: 'net1', started: true, phase: 'Running', ...p };
}

export function probe(nad: string, pods: ProbePod[], pings: ProbePing[] = []): ProbeResult {
  return { nad: { namespace: 'default', name: nad }, runId: 'r1', pods, pings };
}

export function probeSnapshot(probes: ProbeResult[], p: Partial<Snapshot> = {}): Snapshot {
  return snapshot({ nads: labNads(), probes, ...p });
}

/** The healthy host-local pod from the lab, as a probe would have collected it. */
export function healthyHostLocal(p: Partial<ProbePod> = {}): ProbePod {
  return probePod('cap-netshoot', {
    ipOutput: lab('healthy-hostlocal__ip-addr.txt'),
    networkStatus: lab('healthy-hostlocal__network-status.json'),
    events: labEvents('healthy-hostlocal'),
    ...p,
  });
}
