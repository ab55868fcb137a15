/** multus-binary-missing, cni-bin-dir-mismatch, cni-bin-dir-versioned, cni-plugin-missing, cni-primary-missing, cni-bin-broken-symlink */
import { describe, expect, it } from 'vitest';
import { multusBinaryMissing } from '../../src/checks/install/multus-binary-missing.js';
import { cniBinDirMismatch } from '../../src/checks/install/cni-bin-dir-mismatch.js';
import { cniBinDirVersioned } from '../../src/checks/install/cni-bin-dir-versioned.js';
import { cniPluginMissing } from '../../src/checks/install/cni-plugin-missing.js';
import { cniPrimaryMissing } from '../../src/checks/install/cni-primary-missing.js';
import { cniBinBrokenSymlink } from '../../src/checks/install/cni-bin-broken-symlink.js';
import { dir, file, multus, nad, run, snapshot } from '../helpers/snapshot.js';
import type { NodeInfo, Snapshot } from '../../src/snapshot/types.js';
import {
  FLANNEL_CONFLIST,
  K3S_BIN,
  K3S_CONF,
  k3sRuntime,
  labNode,
  THICK_SHIM,
  thickInstall,
  thickNode,
  UPSTREAM_DAEMON,
} from './install-fixtures.js';

const HASH = '/var/lib/rancher/k3s/data/9de9bfcf367b723ef0ac73dd91761165a4a8ad11ad16a758d3a996264e60c612/bin';
const K3S_MULTICALL = ['bandwidth', 'bridge', 'cni', 'firewall', 'flannel', 'host-local', 'loopback', 'portmap'];
const link = (n: string, exists = true) => file(n, { type: 'symlink', target: `${HASH}/cni`, targetExists: exists });
const K3S_FLANNEL =
  '{"name":"cbr0","cniVersion":"1.0.0","plugins":[{"type":"flannel","delegate":{"hairpinMode":true,"forceAddress":true,"isDefaultGateway":true}},{"type":"portmap","capabilities":{"portMappings":true}},{"type":"bandwidth","capabilities":{"bandwidth":true}}]}';
const THIN_K3S = JSON.stringify({
  cniVersion: '1.0.0',
  name: 'multus-cni-network',
  plugins: [
    { type: 'multus', kubeconfig: `${K3S_CONF}/multus.d/multus.kubeconfig`, delegates: [JSON.parse(K3S_FLANNEL)] },
  ],
});

/** A K3s node with thin multus set up with K3s paths; `bin` is the content of data/cni besides K3s's own links. */
function k3sNode(
  extraBin: string[] = ['multus'],
  optBin?: string[],
  source: 'node-inspector' | 'multus-pod' = 'node-inspector',
): NodeInfo {
  const dirs: Record<string, ReturnType<typeof dir>> = {
    [K3S_CONF]: dir(['00-multus.conflist', '10-flannel.conflist']),
    [K3S_BIN]: dir([...K3S_MULTICALL.map((n) => link(n)), ...extraBin]),
  };
  if (optBin) dirs['/opt/cni/bin'] = dir(optBin);
  return labNode('k1', {
    source,
    runtime: k3sRuntime(),
    dirs,
    files: {
      [`${K3S_CONF}/00-multus.conflist`]: { exists: true, content: THIN_K3S },
      [`${K3S_CONF}/10-flannel.conflist`]: { exists: true, content: K3S_FLANNEL },
    },
  });
}

const k3sMultus = () =>
  multus({
    flavor: 'rke2-chart',
    name: 'multus',
    pods: undefined,
    mounts: [
      { volume: 'cni', hostPath: K3S_CONF, mountPath: '/host/etc/cni/net.d', container: 'kube-multus' },
      { volume: 'cnibin', hostPath: K3S_BIN, mountPath: '/host/opt/cni/bin', container: 'kube-multus' },
    ],
  });

const k3s = (n: NodeInfo, p: Partial<Snapshot> = {}) =>
  snapshot({ cluster: { distribution: 'k3s' }, multus: [k3sMultus()], nodes: [n], ...p });
const MACVLAN_NAD = nad('lan', {
  cniVersion: '0.3.1',
  type: 'macvlan',
  master: 'eth1',
  ipam: { type: 'host-local', subnet: '192.168.1.0/24' },
});

describe('multus-binary-missing', () => {
  it("fires when the active multus config names multus and the runtime's bin dir lacks it, saying where it is", () => {
    const fs = run(multusBinaryMissing, k3s(k3sNode([], ['multus'])));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.evidence[0]!.value).toContain('(it is in /opt/cni/bin)');
    expect(fs[0]!.fix).toContain(`cni_conf:\n    confDir: ${K3S_CONF}\n    binDir: ${K3S_BIN}/`);
  });
  it('leftover config after uninstall: tells to remove it', () => {
    const fs = run(
      multusBinaryMissing,
      snapshot({ cluster: { distribution: 'k3s' }, multus: [], nodes: [k3sNode([])] }),
    );
    expect(fs[0]!.fix).toContain(`rm -f ${K3S_CONF}/00-multus.conflist`);
  });
  it('does not fire when the binary is there', () => {
    expect(run(multusBinaryMissing, k3s(k3sNode()))).toEqual([]);
  });
});

describe('cni-bin-dir-mismatch', () => {
  it("fires when multus copies itself to /opt/cni/bin but K3s's runtime uses data/cni", () => {
    const m = k3sMultus();
    m.mounts[1]!.hostPath = '/opt/cni/bin';
    const fs = run(
      cniBinDirMismatch,
      snapshot({ cluster: { distribution: 'k3s' }, multus: [m], nodes: [k3sNode([], ['multus'])] }),
    );
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('installs multus and the reference plugins into /opt/cni/bin');
    expect(fs[0]!.fix).toContain('binDir: /var/lib/rancher/k3s/data/cni/');
  });
  it("does not fire when it installs into the runtime's dir", () => {
    expect(run(cniBinDirMismatch, k3s(k3sNode()))).toEqual([]);
  });
});

describe('cni-bin-dir-versioned', () => {
  it('warns on a hostPath pinned to data/<hash>/bin (seed 000)', () => {
    const m = k3sMultus();
    m.mounts[1]!.hostPath = HASH;
    const fs = run(cniBinDirVersioned, snapshot({ cluster: { distribution: 'k3s' }, multus: [m], nodes: [] }));
    expect(fs[0]!.severity).toBe('warning');
    expect(fs[0]!.fix).toContain('/var/lib/rancher/k3s/data/cni');
  });
  it('does not warn for data/cni', () => {
    expect(run(cniBinDirVersioned, k3s(k3sNode()))).toEqual([]);
  });
});

describe('cni-plugin-missing', () => {
  it("K3s: macvlan is not in K3s's multicall set; names node, NAD and position, and how to install it", () => {
    const fs = run(cniPluginMissing, k3s(k3sNode(['multus'], []), { nads: [MACVLAN_NAD] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.subject).toMatchObject({ kind: 'NetworkAttachmentDefinition', name: 'lan' });
    expect(fs[0]!.message).toContain('uses "macvlan", which is not installed on k1');
    expect(fs[0]!.evidence[0]).toMatchObject({ path: 'default/lan:spec.config', line: 3 });
    expect(fs[0]!.fix).toContain(
      'multicall `cni` has only bandwidth, bridge, firewall, flannel, host-local, loopback and portmap',
    );
  });
  it('thin multus also searches /opt/cni/bin (its default binDir): plugins there count', () => {
    expect(run(cniPluginMissing, k3s(k3sNode(['multus'], ['macvlan']), { nads: [MACVLAN_NAD] }))).toEqual([]);
  });
  it('unknown (info) when a searched dir was not listed', () => {
    expect(run(cniPluginMissing, k3s(k3sNode(['multus']), { nads: [MACVLAN_NAD] })).map((f) => f.severity)).toEqual([
      'info',
    ]);
  });
  it("thick: only the daemon's binDir is searched", () => {
    const n = thickNode({ bin: ['multus-shim', 'flannel', 'bridge', 'host-local', 'portmap'] });
    const fs = run(cniPluginMissing, snapshot({ multus: [thickInstall()], nodes: [n], nads: [MACVLAN_NAD] }));
    expect(fs[0]!.message).toContain('"macvlan"');
  });
  it("the primary network's plugins (flannel needs bridge and host-local) are checked too", () => {
    const n = labNode('n1', {
      runtime: { kind: 'containerd', confDir: '/etc/cni/net.d', binDirs: ['/opt/cni/bin'] },
      dirs: {
        '/etc/cni/net.d': dir(['00-multus.conf', '10-flannel.conflist']),
        '/opt/cni/bin': dir(['multus', 'flannel', 'portmap']),
      },
      files: {
        '/etc/cni/net.d/00-multus.conf': {
          exists: true,
          content: JSON.stringify({
            cniVersion: '0.3.1',
            name: 'm',
            type: 'multus',
            kubeconfig: '/k',
            delegates: [JSON.parse(FLANNEL_CONFLIST)],
          }),
        },
      },
    });
    const fs = run(cniPluginMissing, snapshot({ multus: [multus({ pods: undefined })], nodes: [n] }));
    expect(fs[0]!.message).toContain('"bridge", "host-local" (flannel runs them as its default delegate and IPAM)');
    // Implied by flannel's defaults, not named in the config: a warning.
    expect(fs[0]!.severity).toBe('warning');
    // A type the config names (portmap) missing: an error.
    n.inspection!.dirs['/opt/cni/bin'] = dir(['multus', 'flannel', 'bridge', 'host-local']);
    const named = run(cniPluginMissing, snapshot({ multus: [multus({ pods: undefined })], nodes: [n] }));
    expect(named.map((f) => [f.severity, f.message.slice(0, 42)])).toEqual([
      ['error', 'The primary network needs "portmap", missi'],
    ]);
  });
  it('does not fire when everything is installed', () => {
    expect(
      run(cniPluginMissing, snapshot({ multus: [thickInstall()], nodes: [thickNode()], nads: [MACVLAN_NAD] })),
    ).toEqual([]);
  });
});

describe('cni-primary-missing', () => {
  it("fires when the conf dir has only multus's own config (K3s with --flannel-backend=none and no CNI)", () => {
    const n = labNode('k1', {
      runtime: { kind: 'containerd', confDir: '/etc/cni/net.d', binDirs: ['/opt/cni/bin'] },
      dirs: { '/etc/cni/net.d': dir([file('multus.d', { type: 'dir' })]) },
    });
    const fs = run(
      cniPrimaryMissing,
      snapshot({ cluster: { distribution: 'k3s' }, multus: [multus({ pods: undefined })], nodes: [n] }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.fix).toContain('--flannel-backend=none');
  });
  it('does not fire when a primary exists; leaves the wrong-dir case to multus-conf-wrong-dir', () => {
    expect(run(cniPrimaryMissing, snapshot({ multus: [thickInstall()], nodes: [thickNode()] }))).toEqual([]);
    const n = labNode('k1', {
      runtime: k3sRuntime(),
      dirs: { '/etc/cni/net.d': dir([]), [K3S_CONF]: dir(['10-flannel.conflist']) },
    });
    expect(
      run(
        cniPrimaryMissing,
        snapshot({ cluster: { distribution: 'k3s' }, multus: [multus({ pods: undefined })], nodes: [n] }),
      ),
    ).toEqual([]);
  });
});

describe('cni-bin-broken-symlink', () => {
  /** Thick on K3s without chrootDir, data/cni mounted as /opt/cni/bin: K3s's links dangle in the pod. */
  function thickNoChroot(source: 'node-inspector' | 'multus-pod', exists: boolean) {
    const d = { ...JSON.parse(UPSTREAM_DAEMON), binDir: K3S_BIN };
    delete d.chrootDir;
    const m = thickInstall({ pods: undefined, daemonConfig: { source: 'cm', content: JSON.stringify(d) } });
    m.mounts = m.mounts.filter((x) => x.volume !== 'cnibin' && x.volume !== 'hostroot');
    m.mounts.push({ volume: 'cnibin', hostPath: K3S_BIN, mountPath: K3S_BIN, container: 'kube-multus' });
    const n = labNode('k1', {
      source,
      runtime: k3sRuntime(),
      dirs: {
        [K3S_CONF]: dir(['00-multus.conf', '10-flannel.conflist']),
        [K3S_BIN]: dir(['multus-shim', ...K3S_MULTICALL.map((x) => link(x, exists)), 'macvlan']),
      },
      files: {
        [`${K3S_CONF}/00-multus.conf`]: { exists: true, content: THICK_SHIM },
        [`${K3S_CONF}/10-flannel.conflist`]: { exists: true, content: K3S_FLANNEL },
      },
    });
    return snapshot({ cluster: { distribution: 'k3s' }, multus: [m], nodes: [n] });
  }
  it('thick without chrootDir on K3s: flannel dangles inside the daemon (listed from the host)', () => {
    const fs = run(cniBinBrokenSymlink, thickNoChroot('node-inspector', true));
    const err = fs.find((f) => f.severity === 'error')!;
    expect(err.message).toContain('flannel');
    expect(err.fix).toContain('"chrootDir": "/hostroot"');
    // K3s links nobody uses: info only.
    expect(fs.find((f) => f.severity === 'info')!.message).toContain('cni');
  });
  it('the same seen from inside the daemon pod', () => {
    expect(run(cniBinBrokenSymlink, thickNoChroot('multus-pod', false)).some((f) => f.severity === 'error')).toBe(true);
  });
  it('thin on K3s: the links resolve on the host, nothing to report (even when listed from the multus pod)', () => {
    expect(run(cniBinBrokenSymlink, k3s(k3sNode()))).toEqual([]);
    const n = k3sNode(['multus'], undefined, 'multus-pod');
    for (const e of n.inspection!.dirs[K3S_BIN]!.entries) if (e.type === 'symlink') e.targetExists = false;
    expect(run(cniBinBrokenSymlink, k3s(n))).toEqual([]);
  });
});
