/**
 * Issue 15: every check that could say "the runtime cannot find/execute multus" from a node's
 * inferred configuration weighs positive evidence first (a pod multus gave a network-status after
 * it started on that node), and never rests an error on a directory that was not listed.
 */
import { describe, expect, it } from 'vitest';
import { dir, inspection, multus, node, pod, run, snapshot } from '../helpers/snapshot.js';
import { cniBinDirMismatch } from '../../src/checks/install/cni-bin-dir-mismatch.js';
import { multusConfWrongDir } from '../../src/checks/install/multus-conf-wrong-dir.js';
import { multusBinaryMissing } from '../../src/checks/install/multus-binary-missing.js';
import { multusConfNotFirst } from '../../src/checks/install/multus-conf-not-first.js';
import { multusConfMissing } from '../../src/checks/install/multus-conf-missing.js';
import { cniPrimaryMissing } from '../../src/checks/install/cni-primary-missing.js';
import type { NodeInspection, Snapshot } from '../../src/snapshot/types.js';

const STARTED = '2025-01-01T10:00:00Z';
const MULTUS_CONF = JSON.stringify({
  cniVersion: '0.3.1',
  name: 'multus-cni-network',
  type: 'multus',
  kubeconfig: '/etc/cni/net.d/multus.d/multus.kubeconfig',
  delegates: [{ cniVersion: '0.3.1', name: 'cbr0', plugins: [{ type: 'bridge' }] }],
});
const BRIDGE = JSON.stringify({ cniVersion: '0.3.1', name: 'cbr0', plugins: [{ type: 'bridge' }] });
const STATUS = JSON.stringify([
  { name: 'cbr0', interface: 'eth0', ips: ['10.244.0.5'], default: true },
  { name: 'default/macvlan-lan', interface: 'net1', ips: ['192.168.77.100'] },
]);

/** A pod on n1 that multus handled, created `created`. */
const handled = (created = '2025-01-01T11:00:00Z') =>
  pod('net-demo', 'macvlan-lan', {
    nodeName: 'n1',
    createdAt: created,
    podAnnotations: { 'k8s.v1.cni.cncf.io/networks': 'macvlan-lan', 'k8s.v1.cni.cncf.io/network-status': STATUS },
  });

function world(ins: Partial<NodeInspection>, p: Partial<Snapshot> = {}): Snapshot {
  return snapshot({
    nodes: [node('n1', { inspection: inspection({ source: 'node-inspector', ...ins }) })],
    multus: [
      multus({
        pods: [
          { name: 'kube-multus-ds-a', node: 'n1', phase: 'Running', ready: true, startedAt: STARTED, containers: [] },
        ],
      }),
    ],
    ...p,
  });
}

const runtime = (binDirs: string[], confDir = '/etc/cni/net.d') => ({
  kind: 'containerd' as const,
  configFile: '/etc/containerd/config.toml',
  configFrom: 'default-path' as const,
  configReason: 'assumed',
  confDir,
  binDirs,
});

describe('cni-bin-dir-mismatch', () => {
  const base = {
    runtime: runtime(['/usr/lib/cni']),
    dirs: { '/etc/cni/net.d': dir(['00-multus.conf']), '/opt/cni/bin': dir(['multus', 'bridge']) },
    files: { '/etc/cni/net.d/00-multus.conf': { exists: true, content: MULTUS_CONF } },
  };

  it('the runtime dir was not listed: could not verify (info) with what to run by hand, never an error', () => {
    const f = run(cniBinDirMismatch, world(base));
    expect(f.map((x) => x.severity)).toEqual(['info']);
    expect(f[0]!.message).toMatch(/Could not verify.*\/usr\/lib\/cni.*not listed/);
    expect(f[0]!.fix).toContain('ls -la /usr/lib/cni');
  });

  it('listed, without multus, and no evidence that multus runs: error', () => {
    const f = run(cniBinDirMismatch, world({ ...base, dirs: { ...base.dirs, '/usr/lib/cni': dir(['bridge']) } }));
    expect(f.map((x) => x.severity)).toEqual(['error']);
  });

  it('listed, without multus, but a pod created after multus started has its network-status: info, no fix', () => {
    const f = run(
      cniBinDirMismatch,
      world({ ...base, dirs: { ...base.dirs, '/usr/lib/cni': dir(['bridge']) } }, { workloads: [handled()] }),
    );
    expect(f.map((x) => x.severity)).toEqual(['info']);
    expect(f[0]!.fix).toBe('');
    expect(f[0]!.message).toContain('/etc/containerd/config.toml is probably not the file the runtime reads');
  });

  it('the same pod, created before multus (re)started, is no evidence', () => {
    const f = run(
      cniBinDirMismatch,
      world(
        { ...base, dirs: { ...base.dirs, '/usr/lib/cni': dir(['bridge']) } },
        { workloads: [handled('2025-01-01T09:00:00Z')] },
      ),
    );
    expect(f.map((x) => x.severity)).toEqual(['error']);
  });

  it('a hostNetwork pod is no evidence (multus is never called for it)', () => {
    const w = { ...handled(), hostNetwork: true };
    const f = run(
      cniBinDirMismatch,
      world({ ...base, dirs: { ...base.dirs, '/usr/lib/cni': dir(['bridge']) } }, { workloads: [w] }),
    );
    expect(f.map((x) => x.severity)).toEqual(['error']);
  });

  it('an AddedInterface event from multus for a pod on the node is evidence too', () => {
    const w = pod('p2', undefined, { nodeName: 'n1', podAnnotations: {} });
    const f = run(
      cniBinDirMismatch,
      world(
        { ...base, dirs: { ...base.dirs, '/usr/lib/cni': dir(['bridge']) } },
        {
          workloads: [w],
          events: [
            {
              involvedObject: { kind: 'Pod', name: 'p2', namespace: 'default' },
              reason: 'AddedInterface',
              message: 'Add eth0 [10.244.0.7/24] from cbr0',
              lastTimestamp: '2025-01-01T12:00:00Z',
            },
          ],
        },
      ),
    );
    expect(f.map((x) => x.severity)).toEqual(['info']);
  });
});

describe('multus-conf-wrong-dir', () => {
  const rt = runtime(['/opt/cni/bin'], '/etc/k8s/cni/net.d');
  const base = {
    runtime: rt,
    dirs: {
      '/etc/cni/net.d': dir(['00-multus.conf', '10-bridge.conflist']),
      '/opt/cni/bin': dir(['multus', 'bridge']),
    },
    files: {
      '/etc/cni/net.d/00-multus.conf': { exists: true, content: MULTUS_CONF },
      '/etc/cni/net.d/10-bridge.conflist': { exists: true, content: BRIDGE },
    },
  };

  it('the runtime conf dir was not listed: could not verify, not an error', () => {
    const f = run(multusConfWrongDir, world(base));
    expect(f.map((x) => x.severity)).toEqual(['info']);
    expect(f[0]!.message).toContain('Could not verify');
    expect(f[0]!.fix).toContain('ls -la /etc/k8s/cni/net.d');
  });

  it('listed and empty: error; with a pod multus handled: info without a fix', () => {
    const listed = { ...base, dirs: { ...base.dirs, '/etc/k8s/cni/net.d': dir([]) } };
    expect(run(multusConfWrongDir, world(listed)).map((x) => x.severity)).toEqual(['error']);
    const f = run(multusConfWrongDir, world(listed, { workloads: [handled()] }));
    expect(f.map((x) => x.severity)).toEqual(['info']);
    expect(f[0]!.fix).toBe('');
  });
});

describe('multus-binary-missing, multus-conf-not-first, multus-conf-missing, cni-primary-missing', () => {
  it('multus-binary-missing: binary absent from the listed runtime bin dir, yet multus runs: info', () => {
    const ins = {
      runtime: runtime(['/usr/lib/cni']),
      dirs: { '/etc/cni/net.d': dir(['00-multus.conf']), '/usr/lib/cni': dir(['bridge']) },
      files: { '/etc/cni/net.d/00-multus.conf': { exists: true, content: MULTUS_CONF } },
    };
    expect(run(multusBinaryMissing, world(ins)).map((x) => x.severity)).toEqual(['error']);
    const f = run(multusBinaryMissing, world(ins, { workloads: [handled()] }));
    expect(f.map((x) => `${x.severity} ${x.fix}`)).toEqual(['info ']);
  });

  it('multus-conf-not-first: another config sorts first, yet multus runs: info', () => {
    const ins = {
      runtime: runtime(['/opt/cni/bin']),
      dirs: { '/etc/cni/net.d': dir(['00-aaa.conflist', '00-multus.conf']), '/opt/cni/bin': dir(['multus', 'bridge']) },
      files: {
        '/etc/cni/net.d/00-aaa.conflist': { exists: true, content: BRIDGE },
        '/etc/cni/net.d/00-multus.conf': { exists: true, content: MULTUS_CONF },
      },
    };
    expect(run(multusConfNotFirst, world(ins)).map((x) => x.severity)).toEqual(['error']);
    expect(run(multusConfNotFirst, world(ins, { workloads: [handled()] })).map((x) => x.severity)).toEqual(['info']);
  });

  it('multus-conf-missing: no multus config in the runtime dir, yet multus runs: info', () => {
    const ins = {
      runtime: runtime(['/opt/cni/bin']),
      dirs: { '/etc/cni/net.d': dir(['10-bridge.conflist']), '/opt/cni/bin': dir(['multus', 'bridge']) },
      files: { '/etc/cni/net.d/10-bridge.conflist': { exists: true, content: BRIDGE } },
    };
    expect(run(multusConfMissing, world(ins)).map((x) => x.severity)).toEqual(['error']);
    expect(run(multusConfMissing, world(ins, { workloads: [handled()] })).map((x) => x.severity)).toEqual(['info']);
  });

  it('cni-primary-missing: no primary config where multus looks, yet multus gave a pod its eth0: info', () => {
    const ins = {
      runtime: runtime(['/opt/cni/bin']),
      dirs: { '/etc/cni/net.d': dir(['00-multus.conf']), '/opt/cni/bin': dir(['multus', 'bridge']) },
      files: { '/etc/cni/net.d/00-multus.conf': { exists: true, content: MULTUS_CONF } },
    };
    expect(run(cniPrimaryMissing, world(ins)).map((x) => x.severity)).toEqual(['error']);
    expect(run(cniPrimaryMissing, world(ins, { workloads: [handled()] })).map((x) => x.severity)).toEqual(['info']);
  });
});

describe('cni-plugin-missing weighs pods that got the NAD', () => {
  it('macvlan not in the listed dirs, but a pod on the node has default/macvlan-lan in its network-status: info; without it: error', async () => {
    const { cniPluginMissing } = await import('../../src/checks/install/cni-plugin-missing.js');
    const { nad } = await import('../helpers/snapshot.js');
    const lan = nad('macvlan-lan', {
      cniVersion: '0.3.1',
      name: 'macvlan-lan',
      type: 'macvlan',
      master: 'eth1',
      ipam: { type: 'host-local', subnet: '192.168.77.0/24' },
    });
    const ins = {
      runtime: runtime(['/opt/cni/bin']),
      dirs: { '/etc/cni/net.d': dir(['00-multus.conf']), '/opt/cni/bin': dir(['multus', 'bridge', 'host-local']) },
      files: { '/etc/cni/net.d/00-multus.conf': { exists: true, content: MULTUS_CONF } },
    };
    const broken = run(cniPluginMissing, world(ins, { nads: [lan] }));
    expect(broken.map((x) => x.severity)).toEqual(['error']);
    const works = run(cniPluginMissing, world(ins, { nads: [lan], workloads: [handled()] }));
    expect(works.map((x) => `${x.severity}:${x.fix}`)).toEqual(['info:']);
    expect(works[0]!.message).toContain('default/macvlan-lan works');
  });
});

describe('multus-kubeconfig-missing weighs pods that got a NAD', () => {
  it('the kubeconfig named in the config is absent, yet pods on the node got NAD interfaces: info', async () => {
    const { multusKubeconfigMissing } = await import('../../src/checks/install/multus-kubeconfig-missing.js');
    const ins = {
      runtime: runtime(['/opt/cni/bin']),
      dirs: {
        '/etc/cni/net.d': dir(['00-multus.conf']),
        '/etc/cni/net.d/multus.d': dir([]),
        '/opt/cni/bin': dir(['multus']),
      },
      files: { '/etc/cni/net.d/00-multus.conf': { exists: true, content: MULTUS_CONF } },
    };
    expect(run(multusKubeconfigMissing, world(ins)).map((x) => x.severity)).toEqual(['error']);
    expect(
      run(multusKubeconfigMissing, world(ins, { workloads: [handled()] })).map((x) => `${x.severity}:${x.fix}`),
    ).toEqual(['info:']);
  });
});
