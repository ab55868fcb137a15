/**
 * `kubectl multus version [--cluster]`: what a user pastes into a bug report.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { detectMultus } from '../../src/cli/version-cluster.js';
import { cliCommand, ROOT, SHARED } from '../helpers/cli.js';
import { list, startFakeApi } from './fake-api.js';
import { run, tempDir } from './support.js';
import { itCorpus } from '../helpers/corpus.js';

const dir = tempDir('version');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pkgVersion = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

async function cli(args: string[], env: Record<string, string> = {}) {
  const cmd = cliCommand(args);
  return run(cmd.file, cmd.args, { env: { PATH: process.env['PATH'] ?? '', HOME: dir, ...env } });
}

const daemonSets = (file: string): any[] =>
  parseAllDocuments(readFileSync(join(SHARED, 'corpus', 'daemonsets', file), 'utf8'))
    .map((d) => d.toJS())
    .filter((d) => d?.kind === 'DaemonSet');

const ds = (name: string, ns: string, containers: { name: string; image: string; command?: string[] }[]) => ({
  metadata: { name, namespace: ns },
  spec: { template: { spec: { containers } } },
});

describe('version', () => {
  it('prints plugin version, commit and runtime', async () => {
    const r = await cli(['version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^kubectl-multus ${pkgVersion.replace(/\./g, '\\.')} \\(commit \\S+, (node|bun) \\S+.* (linux|darwin|win32)/(x64|arm64)\\)\\n$`,
      ),
    );
    const j = JSON.parse((await cli(['version', '-o', 'json'])).stdout);
    expect(Object.keys(j).sort()).toEqual(['commit', 'runtime', 'version']);
  });

  it('--cluster without any kubeconfig: the plugin version, a clear note, exit 2', async () => {
    const r = await cli(['version', '--cluster']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`kubectl-multus ${pkgVersion}`);
    expect(r.stdout).toMatch(/multus: unknown \(could not read the cluster: no kubeconfig found/);
    expect(r.stderr).toMatch(/no reachable cluster/);
  });

  it('--cluster with an unreachable API server: exit 2 and the reason', async () => {
    const api = await startFakeApi(dir, {});
    await api.close(); // the port is now closed
    const r = await cli(['version', '--cluster', '--kubeconfig', api.kubeconfig]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/multus: unknown \(could not read the cluster: cannot reach https:\/\/127\.0\.0\.1:\d+/);
  });

  it('--cluster reads the multus version off the DaemonSet image, over TLS with a client certificate', async () => {
    const api = await startFakeApi(dir, {
      '/apis/apps/v1/daemonsets': list('DaemonSetList', [
        ds('whereabouts', 'kube-system', [
          { name: 'whereabouts', image: 'ghcr.io/k8snetworkplumbingwg/whereabouts:v0.8.0' },
        ]),
        ds('kube-multus-ds', 'kube-system', [
          {
            name: 'kube-multus',
            image: 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.0-thick',
            command: ['/usr/src/multus-cni/bin/multus-daemon'],
          },
        ]),
      ]),
    });
    try {
      const r = await cli(['version', '--cluster', '--kubeconfig', api.kubeconfig]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(
        'multus: v4.1.0 thick (DaemonSet kube-system/kube-multus-ds, image ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.0-thick)',
      );
      const j = JSON.parse((await cli(['version', '--cluster', '--kubeconfig', api.kubeconfig, '-o', 'json'])).stdout);
      expect(j.cluster.multus).toMatchObject({
        version: 'v4.1.0',
        mode: 'thick',
        namespace: 'kube-system',
        daemonSet: 'kube-multus-ds',
      });
      expect(api.requests.map((q) => q.user)).toEqual(['completion-user', 'completion-user']);
    } finally {
      await api.close();
    }
  });

  it('--cluster on a cluster without multus says so (exit 0: the answer is known)', async () => {
    const api = await startFakeApi(dir, { '/apis/apps/v1/daemonsets': list('DaemonSetList', []) });
    try {
      const r = await cli(['version', '--cluster', '--kubeconfig', api.kubeconfig]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/multus: not found on https:\/\/127\.0\.0\.1:\d+/);
    } finally {
      await api.close();
    }
  });
});

describe('detectMultus on real DaemonSet manifests (shared/corpus)', () => {
  itCorpus('upstream thick manifest: thick mode, version unknown for the snapshot tag', () => {
    const [m] = detectMultus(daemonSets('k8snetworkplumbingwg__multus-cni__multus-daemonset-thick.yml'));
    expect(m).toMatchObject({ daemonSet: 'kube-multus-ds', namespace: 'kube-system', mode: 'thick', version: null });
  });

  itCorpus('upstream thin manifest: thin mode', () => {
    const [m] = detectMultus(daemonSets('k8snetworkplumbingwg__multus-cni__multus-daemonset.yml'));
    expect(m).toMatchObject({ daemonSet: 'kube-multus-ds', mode: 'thin' });
  });

  itCorpus('MicroK8s addon: multus v3.9', () => {
    const [m] = detectMultus(daemonSets('canonical__microk8s-community-addons__multus.yaml'));
    expect(m?.version).toBe('v3.9');
  });

  it('ignores whereabouts and images pinned by digest give no version', () => {
    expect(
      detectMultus([
        ds('whereabouts', 'kube-system', [
          { name: 'whereabouts', image: 'ghcr.io/k8snetworkplumbingwg/whereabouts:v0.8.0' },
        ]),
      ]),
    ).toEqual([]);
    const [m] = detectMultus([
      ds('multus', 'openshift-multus', [
        { name: 'kube-multus', image: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:' + 'a'.repeat(64) },
      ]),
    ]);
    expect(m).toMatchObject({ version: null, namespace: 'openshift-multus' });
  });
});
