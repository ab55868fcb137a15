/** The probe's pure decisions: the test pod it asks for, where pods go, who pings whom, which flags it accepts. */
import { describe, expect, it } from 'vitest';
import { probePodManifest, probePodName, type ProbePodPlan } from '../../src/probe/pod-spec.js';
import { chooseNodes } from '../../src/probe/nodes.js';
import { planPings, type PingPeer } from '../../src/probe/ping.js';
import { planPods, planProblem } from '../../src/probe/run.js';
import { deadlineSeconds } from '../../src/probe/request.js';
import { nadsInUse } from '../../src/cli/probe-for-check.js';
import { probeRequest } from '../../src/cli/probe.js';
import { UsageError } from '../../src/cli/exit.js';
import { parseIpOutput, findInterface, assignedAddresses } from '../../src/model/ip-output.js';
import { node, snapshot } from '../helpers/snapshot.js';
import type { NodeInfo } from '../../src/snapshot/types.js';

const plan: ProbePodPlan = {
  name: 'kubectl-multus-probe-abc123-0-aaaaaa',
  namespace: 'lab',
  node: 'w1',
  nad: { namespace: 'lab', name: 'lan' },
  interface: 'net1',
  mac: '02:00:00:00:00:01',
  ips: ['192.168.1.201/24'],
};

describe('the test pod', () => {
  const m = probePodManifest(plan, {
    image: 'registry.local/busybox:1.36.1',
    runId: 'abc123',
    deadlineSeconds: 660,
    ping: true,
  }) as any;

  it('asks for the NAD with the interface, MAC and addresses in the JSON form of the annotation', () => {
    expect(JSON.parse(m.metadata.annotations['k8s.v1.cni.cncf.io/networks'])).toEqual([
      { name: 'lan', namespace: 'lab', interface: 'net1', mac: '02:00:00:00:00:01', ips: ['192.168.1.201/24'] },
    ]);
  });

  it('is labelled for cleanup, pinned to its node, tolerates taints and ends by itself', () => {
    expect(m.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'kubectl-multus',
      'kubectl-multus.io/run-id': 'abc123',
      'app.kubernetes.io/component': 'probe',
    });
    expect(m.spec.nodeName).toBe('w1');
    expect(m.spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(m.spec.activeDeadlineSeconds).toBe(660);
    expect(m.spec.restartPolicy).toBe('Never');
    expect(m.spec.containers[0].image).toBe('registry.local/busybox:1.36.1');
  });

  it('has no privileges: no host namespaces, no escalation, every capability dropped but NET_RAW for ping', () => {
    expect(m.spec.hostNetwork).toBeUndefined();
    expect(m.spec.automountServiceAccountToken).toBe(false);
    const sc = m.spec.containers[0].securityContext;
    expect(sc).toMatchObject({ privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(sc.capabilities).toEqual({ drop: ['ALL'], add: ['NET_RAW'] });
    const noPing = probePodManifest(plan, { image: 'x', runId: 'abc123', deadlineSeconds: 660, ping: false }) as any;
    expect(noPing.spec.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  it('has a valid, bounded name whatever the node is called', () => {
    const name = probePodName('abc123', 12, 'a-very-long-node-name.with.dots.example.internal');
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(name.length).toBeLessThanOrEqual(63);
  });

  it('outlives the wait: the deadline covers --timeout plus the execs, never less than 10 minutes', () => {
    expect(deadlineSeconds(60_000)).toBe(600);
    expect(deadlineSeconds(900_000)).toBe(1200);
  });
});

describe('where the test pods go', () => {
  const n = (name: string, o: Partial<NodeInfo> = {}) => ({ ...node(name), ready: true, ...o });
  const worker = (name: string) => n(name);
  const cp = (name: string) => n(name, { labels: { 'node-role.kubernetes.io/control-plane': '' } });

  it('two different nodes by default, workers before control planes', () => {
    expect(chooseNodes([cp('cp1'), worker('w2'), worker('w1')], { named: [], all: false })).toEqual({
      nodes: ['w1', 'w2'],
      notes: [],
    });
    expect(chooseNodes([cp('cp1'), worker('w1')], { named: [], all: false })).toMatchObject({ nodes: ['w1', 'cp1'] });
  });

  it('prefers the nodes where the NAD is used (check --probe)', () => {
    expect(
      chooseNodes([worker('w1'), worker('w2'), worker('w3')], { named: [], all: false, prefer: ['w3'] }),
    ).toMatchObject({ nodes: ['w3', 'w1'] });
  });

  it('both pods on the only node, and says that only same-node traffic is tested', () => {
    const c = chooseNodes([worker('solo'), n('down', { ready: false })], { named: [], all: false });
    expect(c).toMatchObject({ nodes: ['solo', 'solo'] });
    expect((c as { notes: string[] }).notes[0]).toContain('same-node');
  });

  it('--all-nodes skips NotReady, cordoned and Windows nodes', () => {
    const c = chooseNodes(
      [
        worker('a'),
        n('b', { ready: false }),
        n('c', { unschedulable: true }),
        n('d', { labels: { 'kubernetes.io/os': 'windows' } }),
        worker('e'),
      ],
      { named: [], all: true },
    );
    expect(c).toMatchObject({ nodes: ['a', 'e'] });
  });

  it('named nodes as given (twice = two pods there); an unknown one is an error', () => {
    expect(chooseNodes([worker('w1')], { named: ['w1', 'w1'], all: false })).toMatchObject({ nodes: ['w1', 'w1'] });
    expect(chooseNodes([worker('w1')], { named: ['w9'], all: false })).toEqual({
      error: 'node "w9" not found (nodes: w1)',
    });
  });

  it('lets the scheduler place two pods when nodes cannot be listed', () => {
    expect(chooseNodes(undefined, { named: [], all: false })).toMatchObject({ nodes: [undefined, undefined] });
  });
});

describe('who pings whom', () => {
  const peer = (name: string, node: string, ...cidrs: string[]): PingPeer => {
    const text = `2: net1@if3: <BROADCAST,UP,LOWER_UP> mtu 1500 state UP\n    link/ether 02:00:00:00:00:0${name.length} brd ff:ff:ff:ff:ff:ff\n${cidrs.map((c) => `    ${c.includes(':') ? 'inet6' : 'inet'} ${c} scope global net1\n`).join('')}`;
    return {
      name,
      namespace: 'lab',
      node,
      ifname: 'net1',
      addresses: assignedAddresses(findInterface(parseIpOutput(text), 'net1')!),
    };
  };

  it('every pod pings every other one, per family both have', () => {
    const p = planPings([peer('a', 'n1', '10.0.0.1/24', 'fd00::1/64'), peer('b', 'n2', '10.0.0.2/24')]);
    expect(p.map((x) => `${x.from.name}>${x.to.name} ${x.address}`)).toEqual(['a>b 10.0.0.2', 'b>a 10.0.0.1']);
  });

  it('a ring beyond four pods, so every pod still sends and answers', () => {
    const peers = ['a', 'b', 'c', 'd', 'e'].map((n, i) => peer(n, 'n1', `10.0.0.${i + 1}/24`));
    expect(planPings(peers).map((x) => `${x.from.name}>${x.to.name}`)).toEqual(['a>b', 'b>c', 'c>d', 'd>e', 'e>a']);
  });

  it('two pods with the same address are marked: such a ping would answer from the sender itself', () => {
    const p = planPings([peer('a', 'n1', '192.168.77.100/24'), peer('b', 'n2', '192.168.77.100/24')]);
    expect(p.every((x) => x.duplicate)).toBe(true);
  });
});

describe('planning a run', () => {
  it('hands out MACs and addresses in order; a comma list gives one pod two addresses', () => {
    const plans = planPods(
      { namespace: 'lab', name: 'lan' },
      ['w1', 'w2'],
      { interface: 'net2', macs: ['02:00:00:00:00:01'], ips: ['10.0.0.1/24,fd00::1/64'] },
      'abc123',
    );
    expect(plans.map((p) => [p.node, p.interface, p.mac, p.ips])).toEqual([
      ['w1', 'net2', '02:00:00:00:00:01', ['10.0.0.1/24', 'fd00::1/64']],
      ['w2', 'net2', undefined, undefined],
    ]);
  });

  it('refuses static IPAM without addresses unless every pod brings one', () => {
    const nad = {
      name: 's',
      namespace: 'lab',
      config: JSON.stringify({
        cniVersion: '0.3.1',
        name: 's',
        type: 'macvlan',
        master: 'eth1',
        capabilities: { ips: true },
        ipam: { type: 'static' },
      }),
    };
    const two = (ips: string[]) =>
      planPods({ namespace: 'lab', name: 's' }, ['w1', 'w2'], { interface: 'net1', macs: [], ips }, 'r');
    expect(planProblem(nad, two(['10.0.0.1/24']))).toContain('one --ip per pod');
    expect(planProblem(nad, two(['10.0.0.1/24', '10.0.0.2/24']))).toBeUndefined();
    const withAddresses = {
      ...nad,
      config: nad.config.replace('{"type":"static"}', '{"type":"static","addresses":[{"address":"10.0.0.9/24"}]}'),
    };
    expect(planProblem(withAddresses, two([]))).toBeUndefined();
  });
});

describe('probe flags', () => {
  const base = { nad: 'lan', timeout: '60s', interface: 'net1', image: 'busybox', ping: true };
  it('reads namespace/name, repeated flags and comma lists', () => {
    const r = probeRequest({ ...base, nad: 'lab/lan', node: ['w1', 'w2,w3'], mac: ['02-00-00-00-00-0A'] });
    expect(r).toMatchObject({
      nad: { namespace: 'lab', name: 'lan' },
      nodes: ['w1', 'w2', 'w3'],
      macs: ['02:00:00:00:00:0a'],
      timeoutMs: 60_000,
      ping: true,
      keep: false,
    });
  });
  it.each([
    [{ nad: 'lab/lan', namespace: 'other' }, 'but -n says "other"'],
    [{ nad: 'Lan_1' }, 'not a valid NetworkAttachmentDefinition name'],
    [{ mac: ['02:00:00:00:00:01', '02:00:00:00:00:01'] }, 'the same MAC for two test pods'],
    [{ interface: 'a-name-that-is-too-long' }, '--interface'],
    [{ timeout: '0' }, 'invalid --timeout'],
  ])('refuses %j', (extra, msg) => {
    expect(() => probeRequest({ ...base, ...extra })).toThrow(UsageError);
    expect(() => probeRequest({ ...base, ...extra })).toThrow(msg);
  });
});

describe('check --probe: which NADs', () => {
  it('those running, non-hostNetwork pods request and that exist, with the nodes of their users', () => {
    const s = snapshot({
      nads: [
        { name: 'lan', namespace: 'a' },
        { name: 'other', namespace: 'b' },
        { name: 'idle', namespace: 'a' },
      ],
      workloads: [
        {
          kind: 'Pod',
          name: 'p1',
          namespace: 'a',
          podAnnotations: { 'k8s.v1.cni.cncf.io/networks': 'lan,b/other' },
          hostNetwork: false,
          phase: 'Running',
          nodeName: 'w2',
        },
        {
          kind: 'Pod',
          name: 'p2',
          namespace: 'a',
          podAnnotations: { 'k8s.v1.cni.cncf.io/networks': '[{"name":"lan"}]' },
          hostNetwork: false,
          phase: 'Running',
          nodeName: 'w1',
        },
        {
          kind: 'Pod',
          name: 'p3',
          namespace: 'a',
          podAnnotations: { 'k8s.v1.cni.cncf.io/networks': 'idle' },
          hostNetwork: false,
          phase: 'Pending',
          nodeName: 'w1',
        },
        {
          kind: 'Pod',
          name: 'p4',
          namespace: 'a',
          podAnnotations: { 'k8s.v1.cni.cncf.io/networks': 'missing' },
          hostNetwork: false,
          phase: 'Running',
          nodeName: 'w1',
        },
        {
          kind: 'Deployment',
          name: 'd',
          namespace: 'a',
          podAnnotations: { 'k8s.v1.cni.cncf.io/networks': 'idle' },
          hostNetwork: false,
        },
      ],
    });
    expect(nadsInUse(s)).toEqual([
      { namespace: 'a', name: 'lan', nodes: ['w1', 'w2'] },
      { namespace: 'b', name: 'other', nodes: ['w2'] },
    ]);
  });
});
