/**
 * `attach`/`detach` end to end: the built CLI against the fake API server (scenario
 * attach-workloads), and the machine's real kubectl reading back what was written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, runCliAsync, scenarioPath, startFakeCluster, type FakeCluster } from './helpers.js';
import { KUBECTL, kubectl, scratchHome } from '../fake-cluster/testkit.js';
import { cliCommand } from '../helpers/cli.js';

const NETWORKS = 'k8s.v1.cni.cncf.io/networks';
const SCENARIO = scenarioPath('attach-workloads');

const GR: Record<string, string> = {
  deploy: 'deployments.apps',
  sts: 'statefulsets.apps',
  ds: 'daemonsets.apps',
  rs: 'replicasets.apps',
  job: 'jobs.batch',
  cj: 'cronjobs.batch',
  pod: 'pods',
};

function stored(fc: FakeCluster, target: string): any {
  const [type, name] = target.split('/') as [string, string];
  return fc.world.store.get(GR[type]!, 'default', name);
}

function cli(fc: FakeCluster, verb: 'attach' | 'detach', args: string[]) {
  return runCliAsync([verb, ...args, '--kubeconfig', fc.kubeconfigPath]);
}

/** `kubectl get … -o json` with the machine's kubectl (or the store when kubectl is missing). */
async function getJson(fc: FakeCluster, home: string, target: string): Promise<any> {
  if (!KUBECTL) return stored(fc, target);
  const r = await kubectl(fc, home, ['get', target, '-n', 'default', '-o', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

let home: ReturnType<typeof scratchHome>;
beforeAll(() => {
  assertBuilt();
  home = scratchHome();
});
afterAll(() => home?.cleanup());

describe('attach writes the annotation on every kind of workload', () => {
  let fc: FakeCluster;
  beforeAll(async () => {
    fc = await startFakeCluster(SCENARIO);
  });
  afterAll(() => fc?.close());

  it("Deployment: short form in, JSON out, the running pod's MAC kept, hostNetwork off, other annotations kept", async () => {
    const r = await cli(fc, 'attach', ['deploy/web', '--network', 'macvlan-hostlocal', '--mac']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('- macvlan-hostlocal');
    expect(r.stdout).toContain('+ {"name":"macvlan-hostlocal","mac":"5e:8a:d8:38:88:31"}');
    expect(r.stdout).toContain('spec.template.spec.hostNetwork: true → false');
    expect(r.stdout).toMatch(/equivalent command:\n  kubectl patch deployment\.apps\/web -n default --type merge -p '/);
    expect(r.stdout).toContain('deployment.apps/web patched');
    const d = await getJson(fc, home.dir, 'deployment/web');
    expect(d.spec.template.metadata.annotations).toEqual({
      [NETWORKS]: '[{"name":"macvlan-hostlocal","mac":"5e:8a:d8:38:88:31"}]',
      'prometheus.io/scrape': 'true',
    });
    expect(d.spec.template.spec.hostNetwork).toBe(false);
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.27');
  });

  it('running it twice changes nothing', async () => {
    const rv = stored(fc, 'deploy/web').metadata.resourceVersion;
    const before = fc.stats().byVerb['patch'] ?? 0;
    const r = await cli(fc, 'attach', ['deploy/web', '--network', 'macvlan-hostlocal', '--mac']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('deployment.apps/web unchanged');
    expect(stored(fc, 'deploy/web').metadata.resourceVersion).toBe(rv);
    expect(fc.stats().byVerb['patch'] ?? 0).toBe(before);
  });

  it('StatefulSet, DaemonSet, ReplicaSet, suspended Job and CronJob', async () => {
    const cases: Array<[string, string[], string[], unknown]> = [
      [
        'sts/db',
        ['--network', 'macvlan-static', '--ip', '192.168.9.20/24', '--interface', 'lan0'],
        ['spec', 'template'],
        [{ name: 'macvlan-static', interface: 'lan0', ips: ['192.168.9.20/24'] }],
      ],
      ['ds/agent', ['--network', 'infra/lan'], ['spec', 'template'], [{ name: 'lan', namespace: 'infra' }]],
      [
        'rs/standalone',
        ['--network', 'macvlan-dhcp', '--mac=02:aa:bb:cc:dd:01'],
        ['spec', 'template'],
        [{ name: 'macvlan-dhcp', mac: '02:aa:bb:cc:dd:01' }],
      ],
      [
        'job/batch-suspended',
        ['--network', 'macvlan-dhcp', '--mac=stable'],
        ['spec', 'template'],
        [{ name: 'macvlan-dhcp', mac: expect.stringMatching(/^[0-9a-f][26ae](:[0-9a-f]{2}){5}$/) }],
      ],
      [
        'cj/nightly',
        ['--network', 'bridge-dhcp'],
        ['spec', 'jobTemplate', 'spec', 'template'],
        [{ name: 'lan', namespace: 'infra' }, { name: 'bridge-dhcp' }],
      ],
    ];
    for (const [target, args, path, want] of cases) {
      const r = await cli(fc, 'attach', [target, ...args]);
      expect(r.code, `${target}: ${r.stderr}`).toBe(0);
      const o = await getJson(fc, home.dir, target.replace(/^cj\//, 'cronjob/').replace(/^rs\//, 'replicaset/'));
      const tpl = path.reduce((x, k) => x[k], o);
      expect(JSON.parse(tpl.metadata.annotations[NETWORKS]), target).toEqual(want);
    }
  });

  it('a 409 Conflict on the first patch: re-reads the object and retries', async () => {
    const before = fc.stats().byVerb['patch'] ?? 0;
    const r = await cli(fc, 'attach', ['deploy/conflicted', '--network', 'macvlan-dhcp']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('patched (after 1 conflict: re-read and re-applied)');
    expect(fc.stats().byVerb['patch']).toBe(before + 2);
    expect((await getJson(fc, home.dir, 'deployment/conflicted')).spec.template.metadata.annotations[NETWORKS]).toBe(
      '[{"name":"macvlan-dhcp"}]',
    );
  });

  it('detach removes the entry (and the annotation when empty), keeps other annotations', async () => {
    const r = await cli(fc, 'detach', ['deploy/api', '--network', 'macvlan-dhcp']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('(annotation removed)');
    const d = await getJson(fc, home.dir, 'deployment/api');
    expect(d.spec.template.metadata.annotations).toEqual({ 'sidecar.istio.io/inject': 'false' });
    const again = await cli(fc, 'detach', ['deploy/api', '--network', 'macvlan-dhcp']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('unchanged');
  });

  it('detach after attach turns hostNetwork back on', async () => {
    const r = await cli(fc, 'detach', ['deploy/web', '--network', 'macvlan-hostlocal']);
    expect(r.code, r.stderr).toBe(0);
    const d = await getJson(fc, home.dir, 'deployment/web');
    expect(d.spec.template.spec.hostNetwork).toBe(true);
    expect(d.spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
    expect(d.metadata.annotations?.['kubectl-multus.io/host-network-before-attach']).toBeUndefined();
  });

  it('a missing workload is a cluster error (exit 2)', async () => {
    const r = await cli(fc, 'attach', ['deploy/nosuch', '--network', 'macvlan-dhcp']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not found');
  });
});

describe('refusals write nothing and name the check', () => {
  let fc: FakeCluster;
  beforeAll(async () => {
    fc = await startFakeCluster(SCENARIO);
  });
  afterAll(() => fc?.close());

  const cases: Array<[string, string[], string]> = [
    ['deploy/api', ['--network', 'nosuch'], 'pod-nad-not-found'],
    ['deploy/api', ['--network', 'ipvlan-l2', '--mac=auto'], 'pod-mac-without-capability'],
    ['deploy/api', ['--network', 'bridge-dhcp', '--ip', '10.1.1.1/24'], 'pod-ips-without-capability'],
    ['sts/db', ['--network', 'macvlan-hostlocal', '--ip', '192.168.77.200/24'], 'pod-ips-invalid'],
    ['deploy/multi', ['--network', 'macvlan-dhcp', '--mac=stable'], 'pod-mac-duplicate'],
    ['ds/agent', ['--network', 'macvlan-dhcp', '--mac'], 'pod-mac-duplicate'],
    ['deploy/multi', ['--network', 'macvlan-static', '--ip', '192.168.9.9/24'], 'pod-ip-duplicate'],
    ['deploy/api', ['--network', 'macvlan-dhcp', '--mac=02:00:00:00:00:09'], 'attach-entry-differs'],
    ['deploy/api', ['--network', 'macvlan-static', '--interface', 'eth0'], 'pod-interface-conflict'],
    ['pod/bare', ['--network', 'macvlan-dhcp'], 'attach-bare-pod'],
    ['pod/web-5d8f7c9b6d-x7k2p', ['--network', 'macvlan-dhcp'], 'attach-owned-by-controller'],
    ['rs/web-5d8f7c9b6d', ['--network', 'macvlan-dhcp'], 'attach-owned-by-controller'],
    ['job/batch-started', ['--network', 'macvlan-dhcp'], 'attach-template-immutable'],
  ];

  it.each(cases)('%s %j → %s', async (target, args, id) => {
    const rv = stored(fc, target).metadata.resourceVersion;
    const r = await cli(fc, 'attach', [target, ...args]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`[${id}]`);
    expect(r.stderr).toContain('nothing was written');
    expect(r.stdout).toBe('');
    expect(stored(fc, target).metadata.resourceVersion).toBe(rv);
  });

  it('the bare-pod refusal names a command that works: run as printed, it recreates the pod with the annotation', async () => {
    const r = await cli(fc, 'attach', ['pod/bare', '--network', 'macvlan-dhcp']);
    const line = r.stderr.split('\n').find((l) => l.includes('| kubectl replace --force -f -'));
    expect(line, r.stderr).toBeDefined();
    if (!KUBECTL) return;
    // kubectl finds the plugin as kubectl-multus on PATH: a shim that runs the built CLI.
    const dir = mkdtempSync(join(tmpdir(), 'km-attach-'));
    try {
      const cmd = cliCommand([]);
      writeFileSync(
        join(dir, 'kubectl-multus'),
        `#!/bin/sh\nexec ${[cmd.file, ...cmd.args].map((w) => `'${w}'`).join(' ')} "$@"\n`,
        { mode: 0o755 },
      );
      symlinkSync(KUBECTL, join(dir, 'kubectl'));
      const uid = stored(fc, 'pod/bare').metadata.uid;
      const out = await new Promise<{ code: number; stderr: string }>((resolve) =>
        execFile(
          'sh',
          ['-c', line!.trim()],
          { env: { PATH: `${dir}:/usr/bin:/bin`, HOME: home.dir } },
          (err, _o, stderr) => resolve({ code: err ? 1 : 0, stderr }),
        ),
      );
      expect(out.code, out.stderr).toBe(0);
      const now = stored(fc, 'pod/bare');
      expect(now.metadata.uid).not.toBe(uid);
      expect(now.metadata.annotations[NETWORKS]).toBe('[{"name":"macvlan-dhcp"}]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--force writes a fixed MAC on several replicas, with the warning', async () => {
    const r = await cli(fc, 'attach', ['deploy/multi', '--network', 'macvlan-dhcp', '--mac=stable', '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('[pod-mac-duplicate]');
    expect(r.stdout).toContain('(--force)');
    expect(JSON.parse(stored(fc, 'deploy/multi').spec.template.metadata.annotations[NETWORKS])[0].mac).toMatch(
      /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/,
    );
  });

  it('bad flag values are usage errors (exit 3) found before the cluster is asked', async () => {
    const before = fc.stats().requests;
    for (const args of [
      ['attach', 'deploy/web', '--network', 'lan', '--mac=01:00:5e:00:00:01'],
      ['attach', 'svc/web', '--network', 'lan'],
      ['attach', 'deploy/web', '--network', 'lan', '-A'],
      ['attach', 'deploy/web', '--network', 'lan@net1'],
      ['attach', 'deploy/web', '--network', 'lan', '--ip', '10.1.1'],
      ['attach', 'deploy/web', '--network', 'lan', '--wait', '--dry-run'],
      ['attach', 'deploy/web'],
    ]) {
      const r = await runCliAsync([...args, '--kubeconfig', fc.kubeconfigPath]);
      expect(r.code, args.join(' ')).toBe(3);
    }
    expect(fc.stats().requests).toBe(before);
  });
});

describe('dry runs write nothing', () => {
  let fc: FakeCluster;
  beforeAll(async () => {
    fc = await startFakeCluster(SCENARIO);
  });
  afterAll(() => fc?.close());

  it('--dry-run (client): prints the diff, the command and the resulting object; the object is unchanged', async () => {
    const before = stored(fc, 'deploy/web');
    const patches = fc.stats().byVerb['patch'] ?? 0;
    const r = await cli(fc, 'attach', [
      'deploy/web',
      '--network',
      'macvlan-static',
      '--ip',
      '192.168.9.30/24',
      '--dry-run',
      '-o',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('(dry run: nothing was written)');
    expect(r.stderr).toContain('kubectl patch deployment.apps/web');
    const o = JSON.parse(r.stdout);
    expect(JSON.parse(o.spec.template.metadata.annotations[NETWORKS])).toEqual([
      { name: 'macvlan-hostlocal' },
      { name: 'macvlan-static', ips: ['192.168.9.30/24'] },
    ]);
    expect(o.spec.template.spec.hostNetwork).toBe(false);
    expect(stored(fc, 'deploy/web')).toEqual(before);
    expect(fc.stats().byVerb['patch'] ?? 0).toBe(patches);
  });

  it('--dry-run=server: the API server computes the result with dryRun=All and stores nothing', async () => {
    const before = stored(fc, 'cj/nightly');
    const patches = fc.stats().byVerb['patch'] ?? 0;
    const r = await cli(fc, 'attach', ['cj/nightly', '--network', 'macvlan-dhcp', '--dry-run=server', '-o', 'yaml']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('(server dry run: nothing was written)');
    expect(r.stdout).toContain('kind: CronJob');
    expect(r.stdout).toContain(`${NETWORKS}: '[{"name":"lan","namespace":"infra"},{"name":"macvlan-dhcp"}]'`);
    expect(fc.stats().byVerb['patch']).toBe(patches + 1);
    expect(stored(fc, 'cj/nightly')).toEqual(before);
  });
});
