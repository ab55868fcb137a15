/**
 * The install checks on the real lab captures: the K3s failures of seeds 000/002/004 must be
 * named (and only by the checks that own them), and the healthy lab must produce no error.
 */
import { describe, expect, it } from 'vitest';
import { installChecks } from '../../src/checks/install/index.js';
import { analyze } from '../../src/checks/analysis.js';
import type { Finding } from '../../src/checks/types.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { snapshot } from '../helpers/snapshot.js';
import {
  K3S_CONF,
  K3S_CURRENT,
  K3S_TOML,
  k3sDistroSnapshot,
  lab,
  labInstall,
  labNads,
  labNode,
  parseLs,
} from './install-fixtures.js';

function runAll(s: Snapshot): Finding[] {
  const a = analyze(s);
  return installChecks.flatMap((c) => c.run(a));
}
const byId = (fs: Finding[], id: string) => fs.filter((f) => f.id === id);
const errors = (fs: Finding[]) =>
  fs
    .filter((f) => f.severity === 'error')
    .map((f) => f.id)
    .sort();

const KUBECONFIG = lab('multus.kubeconfig.redacted');

function healthy(): Snapshot {
  return snapshot({
    cluster: { distribution: 'kubeadm', crds: ['network-attachment-definitions.k8s.cni.cncf.io'] },
    collectedAt: '2026-11-23T17:20:00Z',
    multus: [labInstall('healthy')],
    nads: labNads(),
    nodes: [
      labNode('lab-node', {
        runtime: {
          kind: 'containerd',
          configFile: '/etc/containerd/config.toml',
          confDir: '/etc/cni/net.d',
          binDirs: ['/opt/cni/bin'],
        },
        dirs: parseLs(lab('healthy__ls-cni-dirs.txt')),
        files: {
          '/etc/cni/net.d/00-multus.conflist': { exists: true, content: lab('healthy__00-multus.conflist') },
          '/etc/cni/net.d/10-lab-bridge.conflist': { exists: true, content: lab('healthy__10-lab-bridge.conflist') },
          '/etc/cni/net.d/multus.d/multus.kubeconfig': { exists: true, content: KUBECONFIG, redacted: true },
        },
        paths: { '/run/cni/dhcp.sock': true },
      }),
    ],
  });
}

/** K3s with the upstream thin DaemonSet unchanged (seed 000 before its kustomize patch). */
function k3sUpstreamThin(binDirs = [K3S_CURRENT]): Snapshot {
  return k3sDistroSnapshot({
    multus: [
      labInstall('k3s-upstream-thin', {
        json: 'k3s-upstream-thin__multus-pod.json',
        logs: 'k3s-upstream-thin__multus-logs.txt',
        previous: 'k3s-upstream-thin__multus-logs-previous.txt',
      }),
    ],
    nads: labNads(),
    nodes: [
      labNode('lab-node', {
        runtime: { kind: 'containerd', configFile: K3S_TOML, confDir: K3S_CONF, binDirs },
        dirs: parseLs(lab('k3s-upstream-thin__ls-cni-dirs.txt')),
        files: {
          [`${K3S_CONF}/10-lab-bridge.conflist`]: { exists: true, content: lab('healthy__10-lab-bridge.conflist') },
          '/etc/cni/net.d/multus.d/multus.kubeconfig': { exists: true, content: KUBECONFIG, redacted: true },
        },
      }),
    ],
  });
}

/** K3s with only the hostPaths patched: the kubeconfig path still says /etc/cni/net.d. */
function k3sHostpathOnly(): Snapshot {
  return k3sDistroSnapshot({
    multus: [labInstall('k3s-hostpath-only')],
    nads: labNads(),
    nodes: [
      labNode('lab-node', {
        runtime: { kind: 'containerd', configFile: K3S_TOML, confDir: K3S_CONF, binDirs: [K3S_CURRENT] },
        dirs: parseLs(lab('k3s-hostpath-only__ls-cni-dirs.txt')),
        files: {
          [`${K3S_CONF}/00-multus.conflist`]: { exists: true, content: lab('k3s-hostpath-only__00-multus.conflist') },
          [`${K3S_CONF}/10-lab-bridge.conflist`]: { exists: true, content: lab('healthy__10-lab-bridge.conflist') },
          [`${K3S_CONF}/multus.d/multus.kubeconfig`]: { exists: true, content: KUBECONFIG, redacted: true },
        },
      }),
    ],
    events: JSON.parse(lab('k3s-hostpath-only__events.json')).items.map((e: any) => ({
      involvedObject: e.involvedObject,
      reason: e.reason,
      message: e.message,
    })),
  });
}

describe('install checks on the lab captures', () => {
  it('healthy lab (kubeadm, upstream thin v4.1.4): no errors', () => {
    const fs = runAll(healthy());
    expect(errors(fs)).toEqual([]);
    // The only warning is the known one: the upstream thin manifest never refreshes its token.
    expect(fs.filter((f) => f.severity === 'warning').map((f) => f.id)).toEqual(['multus-kubeconfig-token-expired']);
  });

  it('K3s + upstream thin DaemonSet: wrong conf dir, bin dir, crash-looping pod', () => {
    const fs = runAll(k3sUpstreamThin());
    expect(errors(fs)).toEqual(['cni-bin-dir-mismatch', 'multus-conf-wrong-dir', 'multus-pods-not-ready']);
    const wrong = byId(fs, 'multus-conf-wrong-dir')[0]!;
    expect(wrong.message).toContain(`reads ${K3S_CONF}`);
    expect(wrong.evidence.map((e) => e.value)).toContain(
      'failed to create multus config: cannot find valid master CNI config in "/host/etc/cni/net.d"',
    );
    // The kustomize patch of seed 000, with indexes from this DaemonSet and the runtime's own bin dir.
    expect(wrong.fix).toContain('kind: DaemonSet, namespace: kube-system, name: kube-multus-ds');
    expect(wrong.fix).toContain(`path: /spec/template/spec/volumes/0/hostPath/path\n      value: ${K3S_CONF}`);
    expect(wrong.fix).toContain(`path: /spec/template/spec/volumes/1/hostPath/path\n      value: ${K3S_CURRENT}`);
    expect(wrong.fix).toContain(
      `path: /spec/template/spec/containers/0/args/-\n      value: --multus-kubeconfig-file-host=${K3S_CONF}/multus.d/multus.kubeconfig`,
    );
    expect(wrong.fix).not.toContain('volume indexes assume');
    const pods = byId(fs, 'multus-pods-not-ready')[0]!;
    expect(pods.message).toContain('0/1 multus pods are ready');
    expect(pods.message).toContain('multus finds no primary CNI config');
    expect(pods.fix).toContain('exits with code 0');
    // One cause, one finding: the primary is in the runtime's dir, so cni-primary-missing stays quiet.
    expect(byId(fs, 'cni-primary-missing')).toEqual([]);
    expect(byId(fs, 'multus-conf-missing')).toEqual([]);
  });

  it('K3s with the stable bin dir: the patch targets data/cni, never the versioned dir', () => {
    const fs = runAll(k3sUpstreamThin(['/var/lib/rancher/k3s/data/cni']));
    const fix = byId(fs, 'multus-conf-wrong-dir')[0]!.fix;
    expect(fix).toContain('value: /var/lib/rancher/k3s/data/cni\n');
    expect(fix).not.toMatch(/data\/[0-9a-f]{16,}\/bin/);
  });

  it('K3s hostPaths patched but no --multus-kubeconfig-file-host: kubeconfig missing', () => {
    const fs = runAll(k3sHostpathOnly());
    expect(errors(fs)).toEqual(['multus-kubeconfig-missing']);
    const f = byId(fs, 'multus-kubeconfig-missing')[0]!;
    expect(f.message).toContain('/etc/cni/net.d/multus.d/multus.kubeconfig');
    expect(f.evidence.find((e) => e.line)).toMatchObject({ path: `${K3S_CONF}/00-multus.conflist`, line: 8 });
    expect(
      f.evidence.some(
        (e) => e.label === 'the kubeconfig is here instead' && e.path === `${K3S_CONF}/multus.d/multus.kubeconfig`,
      ),
    ).toBe(true);
    expect(f.fix).toContain(`--multus-kubeconfig-file-host=${K3S_CONF}/multus.d/multus.kubeconfig`);
    // current/bin points into the versioned dir, but this K3s does not yet use data/cni: no nagging.
    expect(byId(fs, 'cni-bin-dir-versioned')).toEqual([]);
  });

  it('kubeconfig at the right path but never written: restart, not a path change', () => {
    const s = healthy();
    const ins = s.nodes![0]!.inspection!;
    ins.dirs['/etc/cni/net.d']!.entries = ins.dirs['/etc/cni/net.d']!.entries.filter((e) => e.name !== 'multus.d');
    delete ins.dirs['/etc/cni/net.d/multus.d'];
    delete ins.files['/etc/cni/net.d/multus.d/multus.kubeconfig'];
    const f = byId(runAll(s), 'multus-kubeconfig-missing')[0]!;
    expect(f.fix).toContain('The path is the one multus writes to, but the file is not there');
    expect(f.fix).not.toContain('--multus-kubeconfig-file-host');
  });

  it('conf-not-first: 00-aaa-shadow.conf shadows 00-multus.conflist', () => {
    const s = healthy();
    const ins = s.nodes![0]!.inspection!;
    ins.dirs['/etc/cni/net.d'] = parseLs(lab('conf-not-first__ls-etc-cni-net.d.txt'), '/etc/cni/net.d')[
      '/etc/cni/net.d'
    ]!;
    ins.files['/etc/cni/net.d/00-aaa-shadow.conf'] = {
      exists: true,
      content: lab('conf-not-first__00-aaa-shadow.conf'),
    };
    const fs = runAll(s);
    expect(errors(fs)).toEqual(['multus-conf-not-first']);
    expect(byId(fs, 'multus-conf-not-first')[0]!.message).toContain(
      '00-aaa-shadow.conf sorts before the multus config 00-multus.conflist',
    );
  });

  it('plugin-missing: macvlan renamed away on the node', () => {
    const s = healthy();
    s.nodes![0]!.inspection!.dirs['/opt/cni/bin'] = parseLs(lab('plugin-missing__ls-opt-cni-bin.txt'), '/opt/cni/bin')[
      '/opt/cni/bin'
    ]!;
    const fs = runAll(s);
    expect(errors(fs)).toEqual(['cni-plugin-missing', 'cni-plugin-missing']);
    expect(
      byId(fs, 'cni-plugin-missing')
        .map((f) => f.subject.name)
        .sort(),
    ).toEqual(['macvlan-lan', 'macvlan-lan-dhcp']);
    expect(byId(fs, 'cni-plugin-missing')[0]!.fix).toContain('containernetworking/plugins');
  });
});
