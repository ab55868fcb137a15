/** Multus DaemonSet recognition on real manifests (../shared/corpus) and lab captures. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SHARED } from '../helpers/cli.js';
import {
  describeMultus,
  imageHasNoShell,
  isMultusDaemonSet,
  multusVersion,
  configMapFileSource,
  daemonConfigPath,
  selectorString,
  type DaemonSetObject,
} from '../../src/collect/install-fingerprint.js';
import { installPaths } from '../../src/collect/node-plan.js';
import { describeCorpus } from '../helpers/corpus.js';

function daemonSets(file: string): DaemonSetObject[] {
  const text = readFileSync(join(SHARED, 'corpus', file), 'utf8');
  if (file.endsWith('.json')) return [JSON.parse(text) as DaemonSetObject];
  return parseAllDocuments(text)
    .map((d) => d.toJS() as DaemonSetObject)
    .filter((o) => o && o.kind === 'DaemonSet');
}

describeCorpus('multus DaemonSets in real manifests', () => {
  it('upstream thin manifest: thin, upstream, args and hostPath mounts per container', () => {
    const [ds] = daemonSets('daemonsets/k8snetworkplumbingwg__multus-cni__multus-daemonset.yml');
    expect(isMultusDaemonSet(ds!)).toBe(true);
    const m = describeMultus(ds!)!;
    expect(m).toMatchObject({
      namespace: 'kube-system',
      name: 'kube-multus-ds',
      mode: 'thin',
      flavor: 'upstream',
      containerName: 'kube-multus',
      command: ['/thin_entrypoint'],
      serviceAccount: 'multus',
      memoryLimit: '50Mi',
      containerIndex: 0,
    });
    expect(m.mounts).toContainEqual({
      volume: 'cni',
      hostPath: '/etc/cni/net.d',
      mountPath: '/host/etc/cni/net.d',
      container: 'kube-multus',
    });
    expect(m.mounts).toContainEqual({
      volume: 'cnibin',
      hostPath: '/opt/cni/bin',
      mountPath: '/host/opt/cni/bin',
      container: 'install-multus-binary',
    });
    expect(m.volumes).toContainEqual({ name: 'cni', hostPath: '/etc/cni/net.d' });
  });

  it('upstream thick manifest: thick, the daemon config ConfigMap it mounts, and / at /hostroot', () => {
    const [ds] = daemonSets('daemonsets/k8snetworkplumbingwg__multus-cni__multus-daemonset-thick.yml');
    const m = describeMultus(ds!)!;
    expect(m.mode).toBe('thick');
    expect(m.mounts).toContainEqual(
      expect.objectContaining({ hostPath: '/', mountPath: '/hostroot', container: 'kube-multus' }),
    );
    const main = ds!.spec!.template!.spec!.containers![0]!;
    expect(configMapFileSource(ds!.spec!.template!.spec, main, daemonConfigPath(main))).toEqual({
      name: 'multus-daemon-config',
      key: 'daemon-config.json',
    });
  });

  it('microk8s addon: recognised from its snap paths', () => {
    const dss = daemonSets('daemonsets/canonical__microk8s-community-addons__multus.yaml').filter(isMultusDaemonSet);
    expect(dss.length).toBeGreaterThan(0);
    const m = describeMultus(dss[0]!)!;
    expect(m.flavor).toBe('microk8s');
    expect(m.mode).toBe('thin');
  });

  it('whereabouts and DHCP daemon DaemonSets are not multus installs', () => {
    for (const f of [
      'daemonsets/k8snetworkplumbingwg__whereabouts__daemonset-install.yaml',
      'daemonsets/chaeynz__multus-dhcp__dhcp-daemonset.yaml',
    ]) {
      for (const ds of daemonSets(f)) expect(isMultusDaemonSet(ds), `${f} ${ds.metadata?.name}`).toBe(false);
    }
  });

  it('lab capture of a K3s cluster running the unmodified upstream DaemonSet', () => {
    const [ds] = daemonSets('lab/k3s-upstream-thin__ds-kube-multus-ds.json');
    const m = describeMultus(ds!)!;
    expect(m).toMatchObject({ mode: 'thin', image: 'docker.io/lab/multus-cni:v4.1.4', version: 'v4.1.4' });
    expect(m.status).toMatchObject({ desired: 1 });
    expect(selectorString(ds!.spec!.selector)).toBe('name=multus');
    // the thin config comes from the multus-cni-config ConfigMap only when --multus-conf-file names it
    expect(installPaths(m).confDirs).toEqual(['/etc/cni/net.d']);
  });
});

describe('rke2-multus chart and OpenShift shapes', () => {
  const rke2Thick: DaemonSetObject = {
    metadata: { name: 'rke2-multus', namespace: 'kube-system', labels: { app: 'rke2-multus' } },
    spec: {
      selector: { matchLabels: { app: 'rke2-multus' } },
      template: {
        spec: {
          hostNetwork: true,
          containers: [
            {
              name: 'kube-multus',
              image: 'rancher/hardened-multus-cni:v4.2.2-build20250814',
              command: ['/usr/src/multus-cni/bin/multus-daemon'],
              volumeMounts: [
                { name: 'cni', mountPath: '/host/etc/cni/net.d' },
                { name: 'cnibin', mountPath: '/opt/cni/bin' },
                { name: 'hostroot', mountPath: '/hostroot' },
                { name: 'multus-daemon-config', mountPath: '/etc/cni/net.d/multus.d' },
              ],
            },
          ],
          volumes: [
            { name: 'cni', hostPath: { path: '/etc/cni/net.d' } },
            { name: 'cnibin', hostPath: { path: '/opt/cni/bin' } },
            { name: 'hostroot', hostPath: { path: '/' } },
            {
              name: 'multus-daemon-config',
              configMap: {
                name: 'rke2-multus-v4.2.208-config',
                items: [{ key: 'daemon-config.json', path: 'daemon-config.json' }],
              },
            },
          ],
        },
      },
    },
  };

  it('rke2 chart thick: flavor, version without the build suffix, and the paths its daemon config names', () => {
    const m = describeMultus(rke2Thick)!;
    expect(m).toMatchObject({ mode: 'thick', flavor: 'rke2-chart', version: 'v4.2.2' });
    m.daemonConfig = {
      source: 'configmap',
      content: JSON.stringify({
        chrootDir: '/hostroot',
        cniVersion: '0.3.1',
        cniConfigDir: '/hostroot/var/lib/rancher/k3s/agent/etc/cni/net.d',
        multusAutoconfigDir: '/hostroot/var/lib/rancher/k3s/agent/etc/cni/net.d',
        socketDir: '/host/run/multus/',
      }),
    };
    const p = installPaths(m);
    // seed: cniConfigDir under /hostroot is the host's K3s conf dir
    expect(p.confDirs).toContain('/var/lib/rancher/k3s/agent/etc/cni/net.d');
    expect(p.confDirs).toContain('/etc/cni/net.d');
    expect(p.binDirs).toContain('/opt/cni/bin');
  });

  it('OpenShift multus in openshift-multus', () => {
    const ds: DaemonSetObject = {
      metadata: { name: 'multus', namespace: 'openshift-multus', labels: { app: 'multus' } },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'kube-multus',
                image: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:abc',
                command: ['/bin/bash', '-ec', '--'],
                args: ['exec /usr/src/multus-cni/bin/multus-daemon'],
              },
            ],
          },
        },
      },
    };
    expect(isMultusDaemonSet(ds)).toBe(true);
    expect(describeMultus(ds)).toMatchObject({ mode: 'thick', flavor: 'openshift' });
  });

  it('versions from image tags', () => {
    expect(multusVersion('ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.4-thick')).toBe('v4.1.4');
    expect(multusVersion('rancher/hardened-multus-cni:v4.0.2-build20231009')).toBe('v4.0.2');
    expect(multusVersion('nfvpe/multus:v3.9')).toBe('v3.9');
    expect(multusVersion('ghcr.io/k8snetworkplumbingwg/multus-cni:snapshot')).toBeUndefined();
    expect(multusVersion('quay.io/x/multus@sha256:0123')).toBeUndefined();
  });

  it('the upstream thin v4 image is known to have no shell; thick and other images are tried', () => {
    expect(imageHasNoShell('ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.4')).toBe(true);
    expect(imageHasNoShell('ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.4-thick')).toBe(false);
    expect(imageHasNoShell('ghcr.io/k8snetworkplumbingwg/multus-cni:v3.9.3')).toBe(false);
    expect(imageHasNoShell('rancher/hardened-multus-cni:v4.0.2-build20231009')).toBe(false);
  });
});
