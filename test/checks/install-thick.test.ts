/** multus-thick-socket-missing, multus-thick-config-mismatch, multus-readiness-indicator-missing; OpenShift and upstream thick stay clean. */
import { describe, expect, it } from 'vitest';
import { installChecks } from '../../src/checks/install/index.js';
import { analyze } from '../../src/checks/analysis.js';
import { multusThickSocketMissing } from '../../src/checks/install/multus-thick-socket-missing.js';
import { multusThickConfigMismatch } from '../../src/checks/install/multus-thick-config-mismatch.js';
import { multusReadinessIndicatorMissing } from '../../src/checks/install/multus-readiness-indicator-missing.js';
import { cniPluginMissing } from '../../src/checks/install/cni-plugin-missing.js';
import { dir, file, run, snapshot } from '../helpers/snapshot.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import {
  K3S_BIN,
  K3S_CONF,
  labNode,
  openshiftNode,
  openshiftSnapshot,
  REF_PLUGINS,
  THICK_SHIM,
  thickInstall,
  thickNode,
  UPSTREAM_DAEMON,
} from './install-fixtures.js';

const errorsOf = (s: Snapshot) => {
  const a = analyze(s);
  return installChecks.flatMap((c) => c.run(a)).filter((f) => f.severity === 'error');
};

describe('healthy thick installs produce no errors', () => {
  it('OpenShift (CNO multus: /etc/kubernetes/cni/net.d, /run/multus/cni/net.d, /var/lib/cni/bin, socket in /run/multus/socket)', () => {
    expect(errorsOf(openshiftSnapshot())).toEqual([]);
  });
  it('upstream thick on kubeadm with the socket present', () => {
    expect(errorsOf(snapshot({ multus: [thickInstall()], nodes: [thickNode()] }))).toEqual([]);
  });
});

describe('multus-thick-socket-missing', () => {
  it('fires when the socket is absent on a node', () => {
    const fs = run(
      multusThickSocketMissing,
      snapshot({ multus: [thickInstall()], nodes: [thickNode({ socket: false })] }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('/run/multus/multus.sock does not exist on n1');
  });
  it("fires when the daemon's socketDir is not what the shim dials", () => {
    const m = thickInstall({
      daemonConfig: { source: 'cm', content: UPSTREAM_DAEMON.replace('/host/run/multus/', '/host/run/multus/other') },
    });
    expect(run(multusThickSocketMissing, snapshot({ multus: [m], nodes: [thickNode()] }))[0]!.message).toContain(
      'but the shim dials /run/multus/multus.sock',
    );
  });
  it('does not fire with the socket present, or for a thin install; unknown when the node was not inspected', () => {
    expect(run(multusThickSocketMissing, snapshot({ multus: [thickInstall()], nodes: [thickNode()] }))).toEqual([]);
    expect(run(multusThickSocketMissing, openshiftSnapshot())).toEqual([]);
    const n = thickNode();
    delete n.inspection;
    expect(
      run(multusThickSocketMissing, snapshot({ multus: [thickInstall()], nodes: [n] })).map((f) => f.severity),
    ).toEqual(['info']);
  });
});

/** Seed 002: the rke2-multus chart, thick, on K3s, with cniConfigDir through /hostroot. */
function seed002(daemon: object, bin: string[] = ['multus-shim', 'passthru', ...REF_PLUGINS]): Snapshot {
  const c = 'kube-multus';
  const m = thickInstall({
    name: 'multus',
    flavor: 'rke2-chart',
    image: 'rancher/hardened-multus-thick:v4.2.2-build20250611',
    daemonConfig: {
      source: 'configmap kube-system/multus-4.2.208-config key daemon-config.json',
      content: JSON.stringify(daemon),
    },
    mounts: [
      { volume: 'cni', hostPath: '/etc/cni/net.d', mountPath: '/host/etc/cni/net.d', container: c },
      { volume: 'cnibin', hostPath: '/opt/cni/bin', mountPath: '/opt/cni/bin', container: c },
      { volume: 'host-run', hostPath: '/run', mountPath: '/host/run', container: c },
      { volume: 'hostroot', hostPath: '/', mountPath: '/hostroot', container: c },
    ],
    pods: [
      {
        name: 'multus-x',
        node: 'k1',
        ready: true,
        phase: 'Running',
        containers: [{ name: c, state: 'running', ready: true }],
      },
    ],
  });
  const flannel =
    '{"name":"cbr0","cniVersion":"1.0.0","plugins":[{"type":"flannel","delegate":{"hairpinMode":true,"forceAddress":true,"isDefaultGateway":true}},{"type":"portmap","capabilities":{"portMappings":true}},{"type":"bandwidth","capabilities":{"bandwidth":true}}]}';
  const n = labNode('k1', {
    runtime: { kind: 'containerd', confDir: K3S_CONF, binDirs: [K3S_BIN] },
    dirs: {
      [K3S_CONF]: dir(['00-multus.conf', '10-flannel.conflist']),
      '/opt/cni/bin': dir(bin),
      // K3s links every name its multicall binary answers to (k3s-io/k3s #10929 listing).
      [K3S_BIN]: dir([
        'multus-shim',
        ...['bandwidth', 'bridge', 'cni', 'firewall', 'flannel', 'host-local', 'loopback', 'portmap'].map((n) =>
          file(n, {
            type: 'symlink',
            target: '/var/lib/rancher/k3s/data/3ccf8a82f0e1c3d1bbbd0e1b0b2c3b5c/bin/cni',
            targetExists: true,
          }),
        ),
      ]),
    },
    files: {
      [`${K3S_CONF}/00-multus.conf`]: {
        exists: true,
        content: THICK_SHIM.replace(
          '/host/etc/cni/net.d/10-flannel.conflist',
          `/hostroot${K3S_CONF}/10-flannel.conflist`,
        ),
      },
      [`${K3S_CONF}/10-flannel.conflist`]: { exists: true, content: flannel },
    },
    paths: { '/run/multus/multus.sock': true },
  });
  return snapshot({ cluster: { distribution: 'k3s' }, multus: [m], nodes: [n] });
}

const SEED002 = {
  chrootDir: '/hostroot',
  cniVersion: '0.3.1',
  cniBinDir: '/opt/cni/bin',
  cniConfigDir: `/hostroot${K3S_CONF}`,
  multusAutoconfigDir: `/hostroot${K3S_CONF}`,
  multusConfigFile: 'auto',
  socketDir: '/host/run/multus/',
};

describe('seed 002 (rke2-multus thick on K3s): the daemon runs delegates from /opt/cni/bin only', () => {
  it('cni-plugin-missing names flannel, where the runtime has it, the ignored cniBinDir key, and the binDir value', () => {
    const fs = run(cniPluginMissing, seed002(SEED002));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain(
      '"flannel", missing from the thick daemon\'s binDir /opt/cni/bin (it searches nothing else) on k1 (the runtime has it in /var/lib/rancher/k3s/data/cni)',
    );
    expect(fs[0]!.message).toContain('"cniBinDir", which multus does not read');
    expect(fs[0]!.fix).toContain('Set "binDir": "/var/lib/rancher/k3s/data/cni" in daemon-config.json');
    expect(fs[0]!.fix).toContain('config.daemon_conf.binDir: /var/lib/rancher/k3s/data/cni');
    // One cause, one finding: the daemon config itself is consistent.
    expect(run(multusThickConfigMismatch, seed002(SEED002))).toEqual([]);
  });
  it("near miss: binDir pointing at K3s's dir, with chrootDir (links resolve on the host), is fine", () => {
    const { cniBinDir: _, ...rest } = SEED002;
    expect(run(cniPluginMissing, seed002({ ...rest, binDir: K3S_BIN }))).toEqual([]);
    expect(run(multusThickConfigMismatch, seed002({ ...rest, binDir: K3S_BIN }))).toEqual([]);
  });
});

describe('multus-thick-config-mismatch', () => {
  it('without chrootDir the bin dir must be mounted at the same path', () => {
    const d = JSON.parse(UPSTREAM_DAEMON);
    delete d.chrootDir;
    const m = thickInstall({
      daemonConfig: { source: 'cm', content: JSON.stringify({ ...d, binDir: '/host/opt/cni/bin' }) },
    });
    m.mounts.push({
      volume: 'cnibin2',
      hostPath: '/opt/cni/bin',
      mountPath: '/host/opt/cni/bin',
      container: 'kube-multus',
    });
    expect(run(multusThickConfigMismatch, snapshot({ multus: [m], nodes: [thickNode()] }))[0]!.message).toContain(
      'identical path',
    );
  });
  it("an autoconfig dir without a primary config is an error; OpenShift's separate dir with one is not", () => {
    const d = { ...JSON.parse(UPSTREAM_DAEMON), multusAutoconfigDir: '/host/run/multus/cni/net.d' };
    const n = thickNode();
    n.inspection!.dirs['/run/multus/cni/net.d'] = dir([]);
    const fs = run(
      multusThickConfigMismatch,
      snapshot({ multus: [thickInstall({ daemonConfig: { source: 'cm', content: JSON.stringify(d) } })], nodes: [n] }),
    );
    expect(fs[0]!.message).toContain('holds no primary CNI config on n1');
    expect(run(multusThickConfigMismatch, openshiftSnapshot())).toEqual([]);
  });
  it('invalid daemon-config.json, with its position', () => {
    const fs = run(
      multusThickConfigMismatch,
      snapshot({
        multus: [thickInstall({ daemonConfig: { source: 'cm', content: '{\n "cniVersion": "0.3.1",\n}' } })],
        nodes: [],
      }),
    );
    expect(fs[0]!.evidence[0]).toMatchObject({ line: 2 });
  });
});

describe('multus-readiness-indicator-missing', () => {
  it("fires when OpenShift's readiness file is absent on the node", () => {
    const n = openshiftNode();
    n.inspection!.dirs['/run/multus/cni/net.d'] = dir([]);
    delete n.inspection!.files['/run/multus/cni/net.d/10-ovn-kubernetes.conf'];
    const fs = run(multusReadinessIndicatorMissing, openshiftSnapshot({ nodes: [n] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('/run/multus/cni/net.d/10-ovn-kubernetes.conf does not exist on ocp-worker-0');
  });
  it('fires when the thick daemon cannot see the file (not on a hostPath mount)', () => {
    const m = thickInstall({
      daemonConfig: {
        source: 'cm',
        content: JSON.stringify({ ...JSON.parse(UPSTREAM_DAEMON), readinessindicatorfile: '/run/flannel/subnet.env' }),
      },
    });
    expect(run(multusReadinessIndicatorMissing, snapshot({ multus: [m], nodes: [thickNode()] }))[0]!.message).toContain(
      'not on a hostPath mount',
    );
  });
  it('does not fire when present or not configured', () => {
    expect(run(multusReadinessIndicatorMissing, openshiftSnapshot())).toEqual([]);
    expect(run(multusReadinessIndicatorMissing, snapshot({ multus: [thickInstall()], nodes: [thickNode()] }))).toEqual(
      [],
    );
  });
});
