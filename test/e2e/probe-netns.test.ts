/**
 * `probe` with REAL networking: the fake kubelet gives every test pod its own Linux network
 * namespace and runs the real CNI plugins (Debian's containernetworking-plugins) with the NAD's
 * config; `ip addr` and `ping` in the pods are real. The "LAN" is a veth pair between the two
 * fake nodes' namespaces, made here; every address lives inside namespaces this file creates, so
 * nothing leaves the machine. Needs root, iproute2, iputils-ping and the plugins (.ci/run
 * installs them); skips with a note otherwise.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, parseReport, runCliAsync, type Report } from './helpers.js';
import { macvlanConfig, managedPods, nad, startProbeCluster } from '../probe/fixtures.js';
import { addNetns, delNetns, inNetns, ip, realNetworking, vethPair, which } from '../fake-cluster/netns.js';

interface ProbeReport extends Report {
  probes: {
    pods: Array<{ pod: string; node?: string; addresses: string[]; mac?: string; result: string; findings: string[] }>;
    pings: Array<{ from: string; to: string; address: string; sameNode: boolean; ok: boolean }>;
  };
}

const env = await realNetworking();
if (!env.ok) console.warn(`probe-netns: skipping the real-networking probe tests: ${env.reason}`);

// Unique per run: namespaces of parallel or aborted runs never collide.
const P = `kmp${randomBytes(3).toString('hex')}`;
const NODE1 = `${P}n1`;
const NODE2 = `${P}n2`;
const STATIC = { type: 'static' };

describe.skipIf(!env.ok)('probe with real network namespaces and CNI plugins', () => {
  let c: Awaited<ReturnType<typeof startProbeCluster>>;
  const kc = () => ['--kubeconfig', c.fc.kubeconfigPath];
  const probe = async (args: string[]) => {
    const r = await runCliAsync(['probe', ...args, ...kc(), '-o', 'json'], { timeoutMs: 90_000 });
    return { r, rep: parseReport(r.stdout) as ProbeReport };
  };

  beforeAll(async () => {
    assertBuilt();
    await addNetns(NODE1);
    await addNetns(NODE2);
    // The LAN between the two nodes, and a spare NIC on node 1 for host-device.
    await vethPair({ netns: NODE1, name: 'lan0' }, { netns: NODE2, name: 'lan0' });
    await vethPair({ netns: NODE1, name: 'hd0' }, { netns: NODE1, name: 'hd0peer' });
    c = await startProbeCluster(
      [
        nad('lan-ok', macvlanConfig('lan-ok')),
        nad('lan-static', macvlanConfig('lan-static', { capabilities: { ips: true }, ipam: STATIC })),
        nad('lan-fw', macvlanConfig('lan-fw', { capabilities: { ips: true }, ipam: STATIC })),
        nad('lan-eth9', macvlanConfig('lan-eth9', { master: 'eth9' })),
        nad('lan-private', macvlanConfig('lan-private', { mode: 'private' })),
        nad('lan-hostdev', {
          cniVersion: '0.3.1',
          name: 'lan-hostdev',
          type: 'host-device',
          device: 'hd0',
          ipam: { type: 'static', addresses: [{ address: '192.168.78.10/24' }] },
        }),
      ],
      {
        mode: 'netns',
        prefix: P,
        cniPath: [env.ok ? env.cniDir : ''],
        nodeNetns: { 'worker-1': NODE1, 'worker-2': NODE2 },
        retryMs: 500,
        // A firewall in the pods of lan-fw: ICMP echo requests arriving on net1 are dropped.
        afterNetworkUp: async (p) => {
          if (!p.netns || !p.attachments.some((a) => a.name === 'default/lan-fw')) return;
          const r = await inNetns(p.netns, which('iptables') ?? 'iptables', [
            '-A',
            'INPUT',
            '-i',
            'net1',
            '-p',
            'icmp',
            '--icmp-type',
            'echo-request',
            '-j',
            'DROP',
          ]);
          if (r.code !== 0) throw new Error(`iptables: ${r.stderr}`);
        },
      },
    );
  });

  afterAll(async () => {
    await c?.close();
    await delNetns(NODE1);
    await delNetns(NODE2);
  });

  it('a working NAD: two pods on one node get addresses from the range and ping each other', async () => {
    const { r, rep } = await probe(['lan-ok', '--node', 'worker-1', '--node', 'worker-1']);
    expect(rep.findings).toEqual([]);
    expect(r.code).toBe(0);
    for (const p of rep.probes.pods) {
      expect(p.result).toBe('ok');
      const last = Number(p.addresses[0]!.split('/')[0]!.split('.')[3]);
      expect(last).toBeGreaterThanOrEqual(100);
      expect(last).toBeLessThanOrEqual(150);
      expect(p.mac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    }
    expect(rep.probes.pings.map((p) => [p.sameNode, p.ok])).toEqual([
      [true, true],
      [true, true],
    ]);
    expect(managedPods(c.fc)).toEqual([]);
  });

  it('a working NAD across nodes: static addresses, pings over the LAN between the nodes', async () => {
    const { r, rep } = await probe([
      'lan-static',
      '--node',
      'worker-1',
      '--node',
      'worker-2',
      '--ip',
      '192.168.77.201/24',
      '--ip',
      '192.168.77.202/24',
      '--image',
      'docker.io/nicolaka/netshoot:v0.13',
    ]);
    expect(rep.findings).toEqual([]);
    expect(r.code).toBe(0);
    expect(rep.probes.pods.map((p) => [p.node, p.addresses])).toEqual([
      ['worker-1', ['192.168.77.201/24']],
      ['worker-2', ['192.168.77.202/24']],
    ]);
    expect(rep.probes.pings.every((p) => p.ok && !p.sameNode)).toBe(true);
  });

  it("a master that does not exist: the plugin's own error is the evidence", async () => {
    const { r, rep } = await probe(['lan-eth9', '--node', 'worker-1', '--timeout', '30s']);
    expect(r.code).toBe(1);
    expect(rep.findings.map((f) => f.id)).toEqual(['probe-pod-not-started']);
    const f = rep.findings[0]!;
    // "Link not found" is what macvlan itself answers (as in ../shared/corpus/lab/master-missing__events.json).
    const event = f.evidence.find((e) => String(e['label']).startsWith('event FailedCreatePodSandBox'));
    expect(String(event?.['value'])).toMatch(
      /failed to setup network for sandbox "[0-9a-f]{64}": plugin type="multus" failed \(add\): \[default\/kubectl-multus-probe-[^\]]+:lan-eth9\]: error adding container to network "lan-eth9": Link not found$/,
    );
    expect(f.fix).toContain('nad-master-missing');
    expect(managedPods(c.fc)).toEqual([]);
  });

  it('a MAC requested without the mac capability: macvlan still applies it (CNI_ARGS), so nothing is reported', async () => {
    const { r, rep } = await probe(['lan-ok', '--node', 'worker-1', '--mac', '02:6b:61:62:00:07', '--no-ping']);
    expect(rep.findings).toEqual([]);
    expect(r.code).toBe(0);
    expect(rep.probes.pods[0]!.mac).toBe('02:6b:61:62:00:07');
  });

  it("a MAC requested from host-device, which keeps the device's own MAC: reported", async () => {
    const want = '02:6b:61:62:00:09';
    const have = JSON.parse(await ip(['-n', NODE1, '-j', 'link', 'show', 'hd0']))[0].address as string;
    const { r, rep } = await probe(['lan-hostdev', '--node', 'worker-1', '--mac', want, '--no-ping']);
    expect(r.code).toBe(1);
    expect(rep.findings.map((f) => f.id)).toEqual(['probe-mac-mismatch']);
    expect(rep.findings[0]!.message).toContain(`has MAC ${have}, not the requested ${want}`);
    expect(rep.findings[0]!.fix).toContain('host-device');
    // DEL gave the device back to the node.
    expect(await ip(['-n', NODE1, 'link', 'show', 'hd0'])).toContain('hd0');
  });

  it('macvlan private mode: pods on one node cannot reach each other, by design (info, not error)', async () => {
    const { r, rep } = await probe(['lan-private', '--node', 'worker-1', '--node', 'worker-1']);
    expect(rep.probes.pings.map((p) => p.ok)).toEqual([false, false]);
    expect(rep.findings.map((f) => [f.id, f.severity])).toEqual([
      ['probe-peer-unreachable', 'info'],
      ['probe-peer-unreachable', 'info'],
    ]);
    expect(rep.findings[0]!.message).toContain('both on node worker-1');
    expect(rep.findings[0]!.fix).toContain('"private" forbids traffic between macvlan interfaces');
    expect(r.code).toBe(0);
  });

  it('an unreachable peer across nodes (ICMP dropped in the pods): error, says different nodes', async () => {
    const { r, rep } = await probe([
      'lan-fw',
      '--node',
      'worker-1',
      '--node',
      'worker-2',
      '--ip',
      '192.168.77.211/24',
      '--ip',
      '192.168.77.212/24',
    ]);
    expect(r.code).toBe(1);
    expect(rep.findings.map((f) => [f.id, f.severity])).toEqual([
      ['probe-peer-unreachable', 'error'],
      ['probe-peer-unreachable', 'error'],
    ]);
    expect(rep.findings[0]!.message).toContain('on different nodes (worker-1 and worker-2)');
    expect(JSON.stringify(rep.findings[0]!.evidence)).toMatch(/\d+ packets transmitted, 0 received, 100% packet loss/);
  });

  it('leaves no pod network namespace behind', async () => {
    await c.close();
    const left = (await ip(['netns', 'list']))
      .split('\n')
      .filter((l) => l.startsWith(P) && !l.startsWith(NODE1) && !l.startsWith(NODE2));
    expect(c.kubelet.created.length).toBeGreaterThan(0);
    expect(left).toEqual([]);
  });
});
