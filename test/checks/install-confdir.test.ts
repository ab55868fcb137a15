/** multus-conf-missing, multus-conf-wrong-dir, multus-conf-not-first, multus-conf-invalid, multus-conf-nested-delegates, multus-delegate-stale */
import { describe, expect, it } from 'vitest';
import { multusConfMissing } from '../../src/checks/install/multus-conf-missing.js';
import { multusConfWrongDir } from '../../src/checks/install/multus-conf-wrong-dir.js';
import { multusConfNotFirst } from '../../src/checks/install/multus-conf-not-first.js';
import { multusConfInvalid } from '../../src/checks/install/multus-conf-invalid.js';
import { multusConfNestedDelegates } from '../../src/checks/install/multus-conf-nested-delegates.js';
import { multusDelegateStale } from '../../src/checks/install/multus-delegate-stale.js';
import { dir, multus, node, run, snapshot } from '../helpers/snapshot.js';
import type { NodeInfo, Snapshot } from '../../src/snapshot/types.js';
import { FLANNEL_CONFLIST, K3S_CONF, labNode, REF_PLUGINS } from './install-fixtures.js';

const THIN_CONF = (delegate: object = JSON.parse(FLANNEL_CONFLIST)) =>
  JSON.stringify(
    {
      cniVersion: '0.3.1',
      name: 'multus-cni-network',
      type: 'multus',
      capabilities: { portMappings: true },
      kubeconfig: '/etc/cni/net.d/multus.d/multus.kubeconfig',
      delegates: [delegate],
    },
    null,
    2,
  );

/** A kubeadm node whose /etc/cni/net.d holds the given files (name → content). */
function kubeadmNode(files: Record<string, string>, name = 'n1'): NodeInfo {
  return labNode(name, {
    runtime: {
      kind: 'containerd',
      configFile: '/etc/containerd/config.toml',
      confDir: '/etc/cni/net.d',
      binDirs: ['/opt/cni/bin'],
    },
    dirs: { '/etc/cni/net.d': dir(Object.keys(files)), '/opt/cni/bin': dir(['multus', 'flannel', ...REF_PLUGINS]) },
    files: Object.fromEntries(
      Object.entries(files).map(([n, c]) => [`/etc/cni/net.d/${n}`, { exists: true, content: c }]),
    ),
  });
}

const kubeadm = (nodes: NodeInfo[], p: Partial<Snapshot> = {}) =>
  snapshot({ multus: [multus({ pods: undefined })], nodes, ...p });

describe('multus-conf-missing', () => {
  it('fires when the runtime dir has only the primary config', () => {
    const fs = run(multusConfMissing, kubeadm([kubeadmNode({ '10-flannel.conflist': FLANNEL_CONFLIST })]));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('on n1');
    expect(fs[0]!.evidence[0]).toMatchObject({ node: 'n1', path: '/etc/cni/net.d', value: '10-flannel.conflist' });
  });
  it('a config Cilium renamed to *.cilium_bak is missing too, and the fix points at cilium-cni-exclusive', () => {
    const fs = run(
      multusConfMissing,
      kubeadm([
        kubeadmNode({
          '05-cilium.conflist': '{"cniVersion":"0.3.1","name":"cilium","plugins":[{"type":"cilium-cni"}]}',
          '10-multus.conf.cilium_bak': THIN_CONF(),
        }),
      ]),
    );
    expect(fs[0]!.fix).toContain('see cilium-cni-exclusive');
  });
  it('does not fire with 00-multus.conf present, and only says "could not verify" for an uninspected node', () => {
    expect(
      run(
        multusConfMissing,
        kubeadm([kubeadmNode({ '00-multus.conf': THIN_CONF(), '10-flannel.conflist': FLANNEL_CONFLIST })]),
      ),
    ).toEqual([]);
    const fs = run(multusConfMissing, kubeadm([node('n2')]));
    expect(fs.map((f) => f.severity)).toEqual(['info']);
    expect(fs[0]!.message).toContain('n2 not inspected');
  });
});

describe('multus-conf-wrong-dir', () => {
  it('warns (not errors) when only the K3s default says where the runtime reads', () => {
    const fs = run(
      multusConfWrongDir,
      snapshot({ cluster: { distribution: 'k3s' }, multus: [multus({ pods: undefined })], nodes: [node('k1')] }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['warning']);
    expect(fs[0]!.message).toContain('probably reads /var/lib/rancher/k3s/agent/etc/cni/net.d');
  });
  it('K3s with --flannel-backend=none (containerd on /etc/cni/net.d, as in seed 001): no finding', () => {
    const n = labNode('k1', {
      dirs: { [K3S_CONF]: dir([], false), '/etc/cni/net.d': dir(['00-multus.conf', '10-flannel.conflist']) },
      files: {
        '/etc/cni/net.d/00-multus.conf': { exists: true, content: THIN_CONF() },
        '/etc/cni/net.d/10-flannel.conflist': { exists: true, content: FLANNEL_CONFLIST },
      },
    });
    expect(
      run(
        multusConfWrongDir,
        snapshot({ cluster: { distribution: 'k3s' }, multus: [multus({ pods: undefined })], nodes: [n] }),
      ),
    ).toEqual([]);
  });
  it('error when the conf dir is not on a hostPath at all', () => {
    const m = multus({ pods: undefined, args: ['--cni-conf-dir=/etc/cni/net.d'] });
    const fs = run(multusConfWrongDir, snapshot({ multus: [m], nodes: [] }));
    expect(fs[0]!.message).toContain('not on a hostPath volume');
  });
  it('rke2 chart on K3s: helm values, not a DaemonSet patch', () => {
    const m = multus({ flavor: 'rke2-chart', name: 'multus', pods: undefined });
    const n = labNode('k1', {
      runtime: { kind: 'containerd', confDir: K3S_CONF, binDirs: ['/var/lib/rancher/k3s/data/cni'] },
      dirs: { [K3S_CONF]: dir(['10-flannel.conflist']) },
    });
    const fs = run(multusConfWrongDir, snapshot({ cluster: { distribution: 'k3s' }, multus: [m], nodes: [n] }));
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.fix).toContain('helm upgrade multus rke2-charts/rke2-multus -n kube-system --reuse-values');
    expect(fs[0]!.fix).toContain(
      `    confDir: ${K3S_CONF}\n    binDir: /var/lib/rancher/k3s/data/cni/\n    kubeconfig: ${K3S_CONF}/multus.d/multus.kubeconfig`,
    );
  });
  it("a custom installer (init script, sleeping container: seed 003) is not judged by the thin entrypoint's defaults", () => {
    const m = multus({
      name: 'multus-install',
      mode: 'thin',
      command: ['/multus-installer.sh'],
      args: ['install'],
      mounts: [{ volume: 'etc-cni', hostPath: '/etc/cni', mountPath: '/etc/cni', container: 'kube-multus' }],
      pods: undefined,
    });
    expect(
      run(
        multusConfWrongDir,
        snapshot({ cluster: { distribution: 'kind' }, multus: [m], nodes: [node('kind-worker')] }),
      ),
    ).toEqual([]);
  });
  it('MicroK8s linking /etc/cni/net.d to its own dir: the runtime dir already has the multus config, no finding', () => {
    const snapDir = '/var/snap/microk8s/current/args/cni-network';
    const n = labNode('m1', {
      dirs: {
        [snapDir]: dir(['00-multus.conf', '10-calico.conflist']),
        '/etc/cni/net.d': dir(['00-multus.conf', '10-calico.conflist']),
      },
      files: { [`${snapDir}/00-multus.conf`]: { exists: true, content: THIN_CONF() } },
    });
    expect(
      run(
        multusConfWrongDir,
        snapshot({ cluster: { distribution: 'microk8s' }, multus: [multus({ pods: undefined })], nodes: [n] }),
      ),
    ).toEqual([]);
  });
});

describe('multus-conf-not-first', () => {
  it('fires when a ConfigMap-provided 70-multus.conf loses to 10-flannel.conflist', () => {
    const fs = run(
      multusConfNotFirst,
      kubeadm([kubeadmNode({ '10-flannel.conflist': FLANNEL_CONFLIST, '70-multus.conf': THIN_CONF() })]),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('10-flannel.conflist sorts before the multus config 70-multus.conf');
    expect(fs[0]!.fix).toContain('00-multus.conf');
  });
  it('does not fire when multus sorts first', () => {
    expect(
      run(
        multusConfNotFirst,
        kubeadm([kubeadmNode({ '00-multus.conf': THIN_CONF(), '10-flannel.conflist': FLANNEL_CONFLIST })]),
      ),
    ).toEqual([]);
  });
});

describe('multus-conf-invalid', () => {
  it('reports a trailing comma with line and column', () => {
    const bad =
      '{\n  "cniVersion": "0.3.1",\n  "name": "multus-cni-network",\n  "type": "multus",\n  "kubeconfig": "/etc/cni/net.d/multus.d/multus.kubeconfig",\n  "delegates": [ { "type": "flannel", "name": "cbr0" } ],\n}';
    const fs = run(multusConfInvalid, kubeadm([kubeadmNode({ '00-multus.conf': bad })]));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('trailing comma');
    expect(fs[0]!.evidence[0]).toMatchObject({ node: 'n1', path: '/etc/cni/net.d/00-multus.conf', line: 6 });
  });
  it('reports a thin config without delegates or clusterNetwork', () => {
    const fs = run(
      multusConfInvalid,
      kubeadm([
        kubeadmNode({ '00-multus.conf': '{"cniVersion":"0.3.1","name":"m","type":"multus","kubeconfig":"/k"}' }),
      ]),
    );
    expect(fs[0]!.message).toContain('at least one delegate/clusterNetwork must be specified');
  });
  it('accepts the generated thin config, the thick shim config, and a healthy non-multus file', () => {
    const shim =
      '{"cniVersion":"0.3.1","name":"multus-cni-network","type":"multus-shim","clusterNetwork":"/host/etc/cni/net.d/10-flannel.conflist"}';
    expect(
      run(
        multusConfInvalid,
        kubeadm([
          kubeadmNode({ '00-multus.conf': THIN_CONF(), '10-flannel.conflist': FLANNEL_CONFLIST }),
          kubeadmNode({ '00-multus.conf': shim }, 'n2'),
        ]),
      ),
    ).toEqual([]);
    expect(
      run(
        multusConfInvalid,
        kubeadm([kubeadmNode({ '10-multus-flannel.conf': '{"cniVersion":"0.3.1","name":"x","type":"flannel"}' })]),
      ),
    ).toEqual([]);
  });
});

describe('multus-conf-nested-delegates (seed 001: multus v4.0.2 restart bug)', () => {
  const nested = THIN_CONF(JSON.parse(THIN_CONF()));
  it("fires with the position of the nested delegate and the seed's init-container workaround at the real path", () => {
    const m = multus({ image: 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.0.2', version: 'v4.0.2', pods: undefined });
    const fs = run(
      multusConfNestedDelegates,
      snapshot({
        multus: [m],
        nodes: [kubeadmNode({ '00-multus.conf': nested, '10-flannel.conflist': FLANNEL_CONFLIST })],
      }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('nested 1 level deep');
    expect(fs[0]!.evidence[0]).toMatchObject({ path: '/etc/cni/net.d/00-multus.conf', line: 10, column: 5 });
    expect(fs[0]!.fix).toContain('v4.1.0');
    expect(fs[0]!.fix).toContain('rm -f /etc/cni/net.d/00-multus.conf');
    expect(fs[0]!.fix).toContain('"command":["rm","-f","/host/etc/cni/net.d/00-multus.conf"]');
    expect(fs[0]!.fix).toContain('"volumeMounts":[{"name":"cni","mountPath":"/host/etc/cni/net.d"}]');
  });
  it('K3s: the file and the workaround use the K3s conf dir', () => {
    const m = multus({
      pods: undefined,
      mounts: [{ volume: 'cni', hostPath: K3S_CONF, mountPath: '/host/etc/cni/net.d', container: 'kube-multus' }],
    });
    const n = labNode('k1', {
      dirs: { [K3S_CONF]: dir(['00-multus.conf']) },
      files: { [`${K3S_CONF}/00-multus.conf`]: { exists: true, content: nested } },
    });
    const fs = run(multusConfNestedDelegates, snapshot({ cluster: { distribution: 'k3s' }, multus: [m], nodes: [n] }));
    expect(fs[0]!.fix).toContain(`rm -f ${K3S_CONF}/00-multus.conf`);
  });
  it('does not fire on a normal generated config', () => {
    expect(run(multusConfNestedDelegates, kubeadm([kubeadmNode({ '00-multus.conf': THIN_CONF() })]))).toEqual([]);
  });
});

describe('multus-delegate-stale', () => {
  it("warns when flannel's conflist changed after multus copied it", () => {
    const changed = FLANNEL_CONFLIST.replace('"hairpinMode":true', '"hairpinMode":false');
    const fs = run(
      multusDelegateStale,
      kubeadm([kubeadmNode({ '00-multus.conf': THIN_CONF(), '10-flannel.conflist': changed })]),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('warning');
    expect(fs[0]!.evidence[0]!.value).toContain(
      'plugins.0.delegate.hairpinMode: multus has true, 10-flannel.conflist has false',
    );
  });
  it('does not fire when the copy matches (key order and spacing aside)', () => {
    const reordered = JSON.stringify(
      { plugins: JSON.parse(FLANNEL_CONFLIST).plugins, cniVersion: '0.3.1', name: 'cbr0' },
      null,
      4,
    );
    expect(
      run(
        multusDelegateStale,
        kubeadm([kubeadmNode({ '00-multus.conf': THIN_CONF(), '10-flannel.conflist': reordered })]),
      ),
    ).toEqual([]);
  });
});
