/**
 * Each way Multus fails that the real-world corpus taught us (captures from a real Multus
 * cluster, `npm run test:corpus`), reproduced on the small hand-written fixtures in
 * test/fixtures/failure-modes/ so a plain clone's `npm test` covers them too. Every check runs
 * (runChecks), so a change that silences the right finding or adds a wrong one shows here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../src/engine.js';
import type { EventRecord, NadObject, ProbePod, Snapshot, WorkloadObject } from '../src/snapshot/types.js';
import { ROOT } from './helpers/cli.js';
import { pod, snapshot } from './helpers/snapshot.js';

const DIR = join(ROOT, 'test', 'fixtures', 'failure-modes');
const read = (f: string) => readFileSync(join(DIR, f), 'utf8');
const NADS = JSON.parse(read('nads.json')) as NadObject[];
const SCENARIOS = JSON.parse(read('events.json')) as Record<
  string,
  { pod: string; networks: string; events: Array<{ reason: string; message: string; type?: string }> }
>;
const CREATED = '2026-01-10T10:00:00Z';

/** A pod stuck in ContainerCreating on node-a with the kubelet's events of its scenario. */
function stuck(name: keyof typeof SCENARIOS & string): Snapshot {
  const s = SCENARIOS[name]!;
  const p: WorkloadObject = pod(s.pod, s.networks, {
    nodeName: 'node-a',
    phase: 'Pending',
    waitingReason: 'ContainerCreating',
    createdAt: CREATED,
  });
  const events: EventRecord[] = s.events.map((e, i) => ({
    namespace: 'default',
    involvedObject: { kind: 'Pod', name: s.pod, namespace: 'default' },
    reason: e.reason,
    message: e.message,
    type: e.type ?? 'Warning',
    count: 3,
    lastTimestamp: `2026-01-10T10:0${i + 1}:00Z`,
  }));
  return snapshot({ nads: NADS, workloads: [p], events });
}

const findings = (s: Snapshot) => runChecks(s).findings;
const byId = (s: Snapshot, id: string) => findings(s).filter((f) => f.id === id);

describe('failure modes from a real Multus cluster, on hand-written fixtures', () => {
  it('a CNI plugin binary missing on the node: pod-sandbox-failed names the plugin and points at cni-plugin-missing', () => {
    const [f, ...more] = byId(stuck('plugin-missing'), 'pod-sandbox-failed');
    expect(more).toEqual([]);
    expect(f!.severity).toBe('error');
    expect(f!.message).toContain('"macvlan"');
    expect(f!.message).toContain('see check cni-plugin-missing');
    expect(f!.subject.node).toBe('node-a');
  });

  it('the NAD\'s master interface is not on the node ("Link not found"): the finding names the master from the NAD', () => {
    const [f] = byId(stuck('master-missing'), 'pod-sandbox-failed');
    expect(f!.message).toContain('names "enp9s9"');
    expect(f!.message).toContain('see check nad-master-missing');
  });

  it('DHCP IPAM without the dhcp daemon: the sandbox failure points at dhcp-daemon-missing', () => {
    const [f] = byId(stuck('dhcp-no-daemon'), 'pod-sandbox-failed');
    expect(f!.message).toContain('see check dhcp-daemon-missing');
  });

  it('a typo in the networks annotation: pod-nad-not-found suggests the NAD that exists, and the sandbox failure points there', () => {
    const s = stuck('nad-not-found');
    const [nf] = byId(s, 'pod-nad-not-found');
    expect(nf!.severity).toBe('error');
    expect(nf!.message).toContain('"lann"');
    expect(nf!.message).toContain('did you mean "lan"');
    expect(byId(s, 'pod-sandbox-failed')[0]!.message).toContain('see check pod-nad-not-found');
  });

  it('a running pod that asked for a network but has no network-status (multus did not run for it): pod-network-status-missing', () => {
    const p = pod('web-1', 'lan', { nodeName: 'node-a', phase: 'Running', createdAt: CREATED });
    const [f] = byId(snapshot({ nads: NADS, workloads: [p] }), 'pod-network-status-missing');
    expect(f!.severity).toBe('error');
  });

  it('a requested MAC on macvlan without the mac capability: a warning (the legacy path still applies it), not an error', () => {
    const p = pod('web-mac', [{ name: 'lan', mac: '02:4b:00:00:00:07' }], { phase: 'Running', createdAt: CREATED });
    p.podAnnotations['k8s.v1.cni.cncf.io/network-status'] = JSON.stringify([
      { name: 'cbr0', interface: 'eth0', ips: ['10.42.0.11'], default: true },
      { name: 'default/lan', interface: 'net1', ips: ['10.77.0.22'], mac: '02:4b:00:00:00:07' },
    ]);
    const fs = byId(snapshot({ nads: NADS, workloads: [p] }), 'pod-mac-without-capability');
    expect(fs.map((f) => f.severity)).toEqual(['warning']);
  });

  describe('probe results (`ip addr` inside test pods)', () => {
    const probePod = (name: string, p: Partial<ProbePod>): ProbePod => ({
      name,
      namespace: 'default',
      node: 'node-a',
      interface: 'net1',
      started: true,
      phase: 'Running',
      ...p,
    });
    const probed = (nadName: string, pods: ProbePod[]) =>
      snapshot({
        nads: NADS,
        probes: [{ nad: { namespace: 'default', name: nadName }, runId: 'r1', pods, pings: [] }],
      });
    const probeIds = (s: Snapshot) =>
      findings(s)
        .filter((f) => f.id.startsWith('probe-'))
        .map((f) => f.id);
    const status = (ip: string) =>
      JSON.stringify([
        { name: 'cbr0', interface: 'eth0', ips: ['10.42.0.9'], default: true },
        { name: 'default/lan', interface: 'net1', ips: [ip], mac: '02:4b:00:00:00:21' },
      ]);

    it('a healthy attachment (net1 with an address from the host-local range) gives no probe finding', () => {
      expect(
        probeIds(
          probed('lan', [
            probePod('probe-a', { ipOutput: read('ip-addr-net1.txt'), networkStatus: status('10.77.0.21') }),
          ]),
        ),
      ).toEqual([]);
    });

    it("an address outside the NAD's range (a DHCP server answered on that LAN): probe-address-out-of-range", () => {
      const out = read('ip-addr-net1.txt').replace('10.77.0.21/24', '10.77.0.216/24');
      expect(
        probeIds(probed('lan', [probePod('probe-a', { ipOutput: out, networkStatus: status('10.77.0.216') })])),
      ).toContain('probe-address-out-of-range');
    });

    it('no net1 in the pod: probe-interface-missing', () => {
      expect(
        probeIds(probed('lan', [probePod('probe-a', { ipOutput: read('ip-addr-no-net1.txt'), networkStatus: '' })])),
      ).toContain('probe-interface-missing');
    });
  });
});
