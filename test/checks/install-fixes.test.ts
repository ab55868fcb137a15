/** The shared fix texts (src/checks/install/lib/fixes.ts): the right mechanism and paths for each distribution. */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/checks/analysis.js';
import { dirsFix, pluginInstallFix, targetDirs } from '../../src/checks/install/lib/fixes.js';
import { shellQuote as shq } from '../../src/model/shell.js';
import { dir, multus, snapshot } from '../helpers/snapshot.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { K3S_CONF, labNode, thickInstall } from './install-fixtures.js';

const a = (p: Partial<Snapshot>) => analyze(snapshot(p));
const k3sNode = (binDirs: string[]) =>
  labNode('k1', { runtime: { kind: 'containerd', confDir: K3S_CONF, binDirs }, dirs: { [K3S_CONF]: dir([]) } });

describe('fix texts', () => {
  it('old K3s (versioned runtime bin dir): targets data/current/bin and says to re-install after upgrades', () => {
    const an = a({
      cluster: { distribution: 'k3s' },
      nodes: [k3sNode(['/var/lib/rancher/k3s/data/3ccf8a82f0e1c3d1bbbd0e1b0b2c3b5c/bin'])],
    });
    expect(targetDirs(an)).toMatchObject({
      binDir: '/var/lib/rancher/k3s/data/current/bin',
      oldK3s: true,
      fromNodes: true,
    });
    expect(dirsFix(an, multus(), { bin: true })).toContain('re-install plugins after each K3s upgrade');
  });
  it('without node data, K3s defaults; an unknown volume layout is flagged in the patch', () => {
    const an = a({ cluster: { distribution: 'k3s' }, nodes: [] });
    expect(targetDirs(an)).toMatchObject({
      confDir: K3S_CONF,
      binDir: '/var/lib/rancher/k3s/data/cni',
      fromNodes: false,
    });
    const fix = dirsFix(an, multus({ volumes: undefined }), { conf: true, bin: true, kubeconfig: true });
    expect(fix).toContain('the K3s default');
    expect(fix).toContain('# volume indexes assume the upstream manifest');
  });
  it('volume indexes come from the DaemonSet when known', () => {
    const m = multus({
      volumes: [
        { name: 'multus-cfg' },
        { name: 'cnibin', hostPath: '/opt/cni/bin' },
        { name: 'cni', hostPath: '/etc/cni/net.d' },
      ],
      containerIndex: 1,
    });
    const fix = dirsFix(a({ cluster: { distribution: 'k3s' }, nodes: [] }), m, {
      conf: true,
      bin: true,
      kubeconfig: true,
    });
    expect(fix).toContain('/spec/template/spec/volumes/2/hostPath/path');
    expect(fix).toContain('/spec/template/spec/volumes/1/hostPath/path');
    expect(fix).toContain('/spec/template/spec/containers/1/args/-');
    expect(fix).not.toContain('volume indexes assume');
  });
  it("RKE2 chart: HelmChartConfig; OpenShift: never patch the operator's DaemonSet", () => {
    expect(
      dirsFix(a({ cluster: { distribution: 'rke2' } }), multus({ flavor: 'rke2-chart', name: 'rke2-multus' }), {
        conf: true,
      }),
    ).toContain('kind: HelmChartConfig\nmetadata:\n  name: rke2-multus');
    const os = dirsFix(a({ cluster: { distribution: 'openshift' } }), multus({ flavor: 'openshift' }), { conf: true });
    expect(os).toContain('Cluster Network Operator');
    expect(os).not.toContain('kubectl');
  });
  it("upstream thick: also the daemon's binDir, as a host path under chrootDir", () => {
    expect(
      dirsFix(
        a({ cluster: { distribution: 'k3s' }, nodes: [k3sNode(['/var/lib/rancher/k3s/data/cni'])] }),
        thickInstall(),
        { bin: true },
      ),
    ).toContain('"binDir": "/var/lib/rancher/k3s/data/cni" in daemon-config.json');
  });
  it('plugin installation per distribution', () => {
    expect(pluginInstallFix(a({ cluster: { distribution: 'kind' } }), ['macvlan'])).toContain('docker exec <node>');
    expect(pluginInstallFix(a({ cluster: { distribution: 'openshift' } }), ['macvlan'])).toContain(
      'multus-additional-cni-plugins',
    );
    expect(pluginInstallFix(a({ cluster: { distribution: 'kubeadm' } }), ['sriov'])).toContain(
      'SR-IOV Network Operator',
    );
  });
  it('cluster data is quoted before it goes into a command', () => {
    expect(shq('kube-system')).toBe('kube-system');
    expect(shq("a b'c")).toBe(`'a b'\\''c'`);
    expect(shq('$(reboot)')).toBe(`'$(reboot)'`);
  });
});
