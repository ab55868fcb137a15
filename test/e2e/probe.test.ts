/**
 * `probe`, `check --probe` and `cleanup` end to end against the fake API server and its fake
 * kubelet in simulated mode (no root needed, no packet sent): what the user sees when the test
 * pods run, when they never start, when the run is cut off by Ctrl-C/SIGTERM, and that nothing
 * is left behind unless --keep asked for it.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, parseReport, runCliAsync, type Report } from './helpers.js';
import { macvlanConfig, managedPods, nad, startProbeCluster } from '../probe/fixtures.js';
import type { FakeKubeletOptions } from '../fake-cluster/kubelet.js';

interface ProbeReport extends Report {
  probes: {
    pods: Array<{
      pod: string;
      node?: string;
      interface: string;
      addresses: string[];
      mac?: string;
      result: string;
      findings: string[];
    }>;
    pings: Array<{ from: string; to: string; address: string; sameNode: boolean; ok: boolean }>;
  };
}

const NADS = [
  nad('lan', macvlanConfig('lan')),
  nad('lan-static', macvlanConfig('lan-static', { capabilities: { ips: true }, ipam: { type: 'static' } })),
];

let cluster: Awaited<ReturnType<typeof startProbeCluster>> | undefined;
beforeAll(() => assertBuilt());
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

async function start(kubelet: Partial<FakeKubeletOptions> = {}, objects: object[] = NADS, extra = {}) {
  cluster = await startProbeCluster(objects, { mode: 'simulated', retryMs: 300, ...kubelet }, extra);
  return cluster;
}

const kc = () => ['--kubeconfig', cluster!.fc.kubeconfigPath];

async function settled(fc = cluster!.fc): Promise<string[]> {
  // Deletion is synchronous in the fake's store; give the kubelet's teardown a moment anyway.
  await new Promise((r) => setTimeout(r, 50));
  return managedPods(fc);
}

describe('probe: test pods that run', () => {
  it('puts two pods on two nodes, shows their interfaces and pings, finds nothing, and deletes them', async () => {
    await start();
    const r = await runCliAsync(['probe', 'lan', ...kc(), '-o', 'json']);
    const rep = parseReport(r.stdout) as ProbeReport;
    expect(rep.findings).toEqual([]);
    expect(r.code).toBe(0);
    expect(rep.probes.pods.map((p) => p.node).sort()).toEqual(['worker-1', 'worker-2']);
    for (const p of rep.probes.pods) {
      expect(p.interface).toBe('net1');
      expect(p.addresses[0]).toMatch(/^192\.168\.77\.1\d\d\/24$/);
      expect(p.result).toBe('ok');
    }
    expect(rep.probes.pings).toHaveLength(2);
    expect(rep.probes.pings.every((p) => p.ok && !p.sameNode)).toBe(true);
    expect(await settled()).toEqual([]);
  });

  it('prints a table of the test pods and pings for people', async () => {
    await start();
    const r = await runCliAsync(['probe', 'default/lan', ...kc(), '--node', 'worker-1', '--node', 'worker-1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/TEST POD\s+NODE\s+IF\s+ADDRESSES\s+MAC\s+RESULT/);
    expect(r.stdout).toMatch(/worker-1\s+net1\s+192\.168\.77\.\d+\/24\s+[0-9a-f:]{17}\s+ok/);
    expect(r.stdout).toMatch(/same node\s+ok/);
    expect(r.stdout).toContain('No problems found');
  });

  it('falls back to `ip addr` in BusyBox images (no ip -j) and uses ip -j elsewhere', async () => {
    const { fc } = await start();
    const busy = parseReport(
      (await runCliAsync(['probe', 'lan', ...kc(), '--node', 'worker-1', '--no-ping', '-o', 'json'])).stdout,
    ) as ProbeReport;
    const full = parseReport(
      (
        await runCliAsync([
          'probe',
          'lan',
          ...kc(),
          '--node',
          'worker-1',
          '--no-ping',
          '--image',
          'docker.io/nicolaka/netshoot:v0.13',
          '-o',
          'json',
        ])
      ).stdout,
    ) as ProbeReport;
    for (const rep of [busy, full]) {
      expect(rep.findings).toEqual([]);
      expect(rep.probes.pods[0]!.addresses).toHaveLength(1);
    }
    const execs = fc.stats().exec.byPod;
    expect(execs[`default/${busy.probes.pods[0]!.pod}`]).toBe(2); // ip -j refused, then ip addr
    expect(execs[`default/${full.probes.pods[0]!.pod}`]).toBe(1);
  });

  it('requests the MAC and addresses it is given, one per pod in order', async () => {
    await start();
    const r = await runCliAsync([
      'probe',
      'lan-static',
      ...kc(),
      '--node',
      'worker-1',
      '--node',
      'worker-2',
      '--ip',
      '192.168.77.201/24',
      '--ip',
      '192.168.77.202/24',
      '--mac',
      '02:6b:61:62:00:07',
      '-o',
      'json',
    ]);
    const rep = parseReport(r.stdout) as ProbeReport;
    expect(rep.findings).toEqual([]);
    expect(rep.probes.pods.map((p) => p.addresses[0])).toEqual(['192.168.77.201/24', '192.168.77.202/24']);
    expect(rep.probes.pods[0]!.mac).toBe('02:6b:61:62:00:07');
  });

  it('reports an attachment that came up without the requested MAC', async () => {
    await start({ simulate: () => ({ cidrs: ['192.168.77.120/24'], mac: '5e:00:00:00:00:01' }) });
    const r = await runCliAsync([
      'probe',
      'lan',
      ...kc(),
      '--node',
      'worker-1',
      '--mac',
      '02:6b:61:62:00:07',
      '-o',
      'json',
    ]);
    const rep = parseReport(r.stdout) as ProbeReport;
    expect(rep.findings.map((f) => f.id)).toEqual(['probe-mac-mismatch']);
    expect(rep.findings[0]!.message).toContain('5e:00:00:00:00:01, not the requested 02:6b:61:62:00:07');
    expect(r.code).toBe(1);
  });
});

describe('probe: test pods that never start', () => {
  it('shows the sandbox event, classified, and still deletes the pods', async () => {
    await start({ simulate: () => ({ error: 'failed to find plugin "macvlan" in path [/opt/cni/bin]' }) });
    const r = await runCliAsync(['probe', 'lan', ...kc(), '--node', 'worker-1', '-o', 'json']);
    const rep = parseReport(r.stdout) as ProbeReport;
    expect(r.code).toBe(1);
    expect(rep.findings.map((f) => f.id)).toEqual(['probe-pod-not-started']);
    const f = rep.findings[0]!;
    expect(f.subject.node).toBe('worker-1');
    expect(f.fix).toContain('cni-plugin-missing');
    expect(JSON.stringify(f.evidence)).toContain(
      'error adding container to network \\"lan\\": failed to find plugin \\"macvlan\\" in path [/opt/cni/bin]',
    );
    expect(rep.probes.pods[0]!.result).toBe('not started');
    expect(await settled()).toEqual([]);
  });

  it('gives up at --timeout and says so', async () => {
    await start({ startDelayMs: 600_000 });
    const r = await runCliAsync(['probe', 'lan', ...kc(), '--node', 'worker-2', '--timeout', '2s', '-o', 'json']);
    const rep = parseReport(r.stdout) as ProbeReport;
    expect(r.code).toBe(1);
    expect(rep.findings.map((f) => f.id)).toEqual(['probe-pod-not-started']);
    expect(JSON.stringify(rep.findings[0]!.evidence)).toContain('not Running after --timeout 2s');
    expect(await settled()).toEqual([]);
  });

  it('stops at once when the NAD does not exist', async () => {
    await start();
    const r = await runCliAsync(['probe', 'nope', ...kc()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('NetworkAttachmentDefinition "nope" not found in namespace "default"');
    expect(cluster!.fc.stats().byResource['create pods']).toBeUndefined();
  });

  it('a refused pod creation (RBAC, Pod Security) is incomplete input (exit 2), not a finding about the NAD', async () => {
    await start({}, NADS, { faults: { forbid: [{ verbs: ['create'], resources: ['pods'] }] } });
    const r = await runCliAsync(['probe', 'lan', ...kc(), '-o', 'json']);
    const rep = parseReport(r.stdout);
    expect(r.code).toBe(2);
    expect(rep.findings).toEqual([]);
    expect(rep.errors.map((e) => e.collector)).toEqual(['probe/create', 'probe/create']);
    expect(rep.errors[0]!.message).toContain('forbidden: cannot create pods');
  });

  it('refuses static IPAM without an address per pod before creating anything', async () => {
    await start();
    const r = await runCliAsync(['probe', 'lan-static', ...kc()]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('one --ip per pod');
    expect(cluster!.fc.stats().byResource['create pods']).toBeUndefined();
  });

  it.each([
    [['--node', 'worker-1', '--all-nodes'], '--node and --all-nodes cannot be used together'],
    [['--mac', '01:00:5e:00:00:01'], 'multicast'],
    [['--ip', '192.168.77.300/24'], 'is not an IP address'],
    [['--ip', '10.0.0.1/24', '--ip', '10.0.0.2/24', '--ip', '10.0.0.3/24'], 'more values than there are test pods (2)'],
    [['--timeout', 'soon'], 'invalid --timeout'],
  ])('rejects bad flags %j with exit 3', async (flags, msg) => {
    const r = await runCliAsync(['probe', 'lan', '--kubeconfig', '/nonexistent', ...flags]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(msg);
  });
});

describe('probe: nothing is left behind', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('deletes the test pods when the run gets %s', async (signal) => {
    const { fc } = await start({ startDelayMs: 600_000 });
    let pid = 0;
    let sent = false;
    const unsubscribe = fc.world.store.subscribe((e) => {
      if (sent || e.gr !== 'pods' || e.type !== 'ADDED') return;
      if (managedPods(fc).length === 2) {
        sent = true;
        // After the write that told us, as a person pressing Ctrl-C while pods are pending would.
        setTimeout(() => process.kill(pid, signal), 100);
      }
    });
    try {
      const r = await runCliAsync(['probe', 'lan', ...kc(), '--timeout', '5m'], { onSpawn: (p) => (pid = p) });
      expect(sent).toBe(true);
      expect(r.code).toBe(130);
      expect(r.stderr).toContain('interrupted: the test pods were deleted');
      expect(managedPods(fc)).toEqual([]);
      expect(fc.stats().byResource['delete pods']).toBeGreaterThanOrEqual(2);
    } finally {
      unsubscribe();
    }
  });

  it('keeps the pods with --keep, and cleanup lists (--dry-run) and removes them', async () => {
    const { fc } = await start();
    const r = await runCliAsync(['probe', 'lan', ...kc(), '--keep']);
    expect(r.code).toBe(0);
    const kept = managedPods(fc);
    expect(kept).toHaveLength(2);
    expect(r.stderr).toContain('kept test pods (--keep)');
    expect(r.stderr).toContain('kubectl multus cleanup');
    // A node-inspector pod left by a check that was killed hard: cleanup removes it too.
    fc.world.store.put('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'kubectl-multus-inspect-abc123-0a1b2c3d4e',
        namespace: 'kube-system',
        uid: 'u-inspect',
        labels: {
          'app.kubernetes.io/managed-by': 'kubectl-multus',
          'app.kubernetes.io/component': 'node-inspector',
          'kubectl-multus.io/run-id': 'abc123',
        },
      },
      spec: { nodeName: 'worker-1', containers: [{ name: 'inspect', image: 'busybox' }] },
      status: { phase: 'Running' },
    });
    const dry = await runCliAsync(['cleanup', '--dry-run', ...kc()]);
    expect(dry.code).toBe(0);
    for (const k of [...kept, 'kube-system/kubectl-multus-inspect-abc123-0a1b2c3d4e'])
      expect(dry.stdout).toContain(k.split('/')[1]);
    expect(dry.stdout).toContain('default/lan');
    expect(dry.stderr).toContain('3 pods would be deleted');
    expect(managedPods(fc)).toHaveLength(3);
    const real = await runCliAsync(['cleanup', ...kc()]);
    expect(real.code).toBe(0);
    expect(real.stderr).toContain('3 of 3 pods deleted');
    expect(managedPods(fc)).toEqual([]);
    const again = await runCliAsync(['cleanup', ...kc()]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('No pods created by kubectl-multus');
  });

  it('cleanup -n touches one namespace only', async () => {
    const { fc } = await start();
    await runCliAsync(['probe', 'lan', ...kc(), '--keep', '--node', 'worker-1', '--no-ping']);
    const r = await runCliAsync(['cleanup', '-n', 'kube-system', ...kc()]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('No pods created by kubectl-multus in namespace kube-system');
    expect(managedPods(fc)).toHaveLength(1);
  });
});

describe('check --probe', () => {
  // A running pod that uses NAD lan (the fake gives scenario pods without status a Running one).
  const user = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'app-1', namespace: 'default', annotations: { 'k8s.v1.cni.cncf.io/networks': 'lan' } },
    spec: { nodeName: 'worker-2', containers: [{ name: 'app', image: 'nginx' }] },
  };

  it('probes the NADs running pods use, on the nodes they run on, and reports with the other checks', async () => {
    const { fc } = await start({ simulate: () => ({ error: 'Link not found' }) }, [...NADS, user]);
    const r = await runCliAsync(['check', ...kc(), '--probe', '--inspect-nodes', 'never', '-o', 'json']);
    const rep = parseReport(r.stdout);
    const probe = rep.findings.filter((f) => f.id.startsWith('probe-'));
    expect(probe.map((f) => f.id)).toEqual(['probe-pod-not-started', 'probe-pod-not-started']);
    expect(probe.map((f) => f.subject.node).sort()).toEqual(['worker-1', 'worker-2']);
    expect(probe[0]!.message).toContain('default/lan');
    // lan-static is not used by any pod: not probed.
    expect(fc.stats().byResource['create pods']).toBe(2);
    expect(managedPods(fc)).toEqual([]);
  });

  it('without --probe creates no pod', async () => {
    const { fc } = await start({}, [...NADS, user]);
    await runCliAsync(['check', ...kc(), '--inspect-nodes', 'never', '-o', 'json']);
    expect(fc.stats().byResource['create pods']).toBeUndefined();
  });
});
