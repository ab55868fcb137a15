/**
 * Hostile input, faults and secrets (issue #10): the built CLI, run as a user (or a flaky
 * cluster) would push it. Nothing hangs, nothing leaks, nothing is claimed that did not happen.
 * Each `describe` is one item of the issue; big inputs are generated at test time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommand, runCli, type CliResult } from '../helpers/cli.js';
import { assertBuilt, settle } from './helpers.js';

beforeAll(assertBuilt);

const tmp = mkdtempSync(join(tmpdir(), 'km-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, content: string | Buffer): string {
  const p = join(tmp, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, content);
  return p;
}

const NAD = (name: string, extra = '') => `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: ${name}
  namespace: lan
spec:
  config: '{"cniVersion": "0.3.1", "name": "${name}", "type": "macvlan", "master": "eth1", "mode": "bridge", "ipam": {"type": "static"}${extra}}'
`;
/** A NAD with one error (invalid JSON), so a lint that read it exits 1. */
const BROKEN = `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: broken
  namespace: lan
spec:
  config: '{"cniVersion": "0.3.1", "type": "macvlan" "master": "eth1"}'
`;

/**
 * Run `producer | kubectl-multus ARGS` through a real shell pipe (a pipe, unlike the socket pair
 * Node gives a child, is what `helm template … |` hands the CLI). `producer` is a Node script.
 */
let producers = 0;
function pipeInto(producer: string, args: string[], o: { reader?: string; shell?: string } = {}): Promise<CliResult> {
  const cmd = cliCommand(args);
  // `shell`: a shell producer (`for …; do cat F; done`), as a user's pipeline would be.
  const script = o.reader ? `"$@" | ${o.reader}` : o.shell ? `${o.shell} | "$@"` : `"$0" "$PRODUCER" | "$@"`;
  const file = join(tmp, `producer-${++producers}.cjs`);
  writeFileSync(file, producer);
  const child = spawn('sh', ['-c', script, process.execPath, cmd.file, ...cmd.args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: tmp, PRODUCER: file },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return settle(child, `timed out: ${args.join(' ')}`, 60_000);
}

interface LintReport {
  findings: Array<{ id: string; subject: { name: string }; message: string }>;
  errors: Array<{ message: string }>;
}
const json = (s: string): LintReport => JSON.parse(s) as LintReport;

describe('1. standard input is a stream', () => {
  it('lint -f - reads 200 NADs (> 64 KiB) from a shell loop, and from a slow producer', async () => {
    const nad = write('one/nad.yaml', NAD('macvlan-lan'));
    const broken = write('one/broken.yaml', BROKEN);
    // the README's `helm template … |` case: many small writes (cat per document)
    const loop = `{ for i in $(seq 200); do cat '${nad}'; echo ---; done; cat '${broken}'; }`;
    // and a producer that pauses: the pipe is often empty when the CLI reads
    const slow = `{ for i in $(seq 200); do cat '${nad}'; echo ---; case $i in *0) sleep 0.02;; esac; done; cat '${broken}'; }`;
    for (const shell of [loop, slow]) {
      const r = await pipeInto('', ['lint', '-f', '-', '-o', 'json'], { shell });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      const rep = json(r.stdout);
      expect(rep.errors).toEqual([]);
      // the last document (after 64 KiB) was read
      expect(rep.findings.some((f) => f.id === 'nad-config-invalid-json' && f.subject.name === 'broken')).toBe(true);
    }
  });

  it('check --snapshot - reads a snapshot larger than 64 KiB from a pipe', async () => {
    const snap = JSON.stringify({
      apiVersion: 'kubectl-multus.io/v1alpha1',
      kind: 'Snapshot',
      source: 'manifests',
      cluster: { distribution: 'unknown' },
      nads: [],
      workloads: [],
      errors: [],
      padding: 'x'.repeat(200_000),
    });
    const producer = `const s=${JSON.stringify(snap)};let i=0;const t=setInterval(()=>{process.stdout.write(s.slice(i,i+4096));i+=4096;if(i>=s.length)clearInterval(t)},1)`;
    const r = await pipeInto(producer, ['check', '--snapshot', '-', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ apiVersion: 'kubectl-multus/v1', errors: [] });
  });

  it('lint -f - reads 10 MB from a pipe', async () => {
    const producer = `const line='# '+'x'.repeat(98)+'\\n';process.stdout.write(line.repeat(100000));process.stdout.write(${JSON.stringify(BROKEN)})`;
    const r = await pipeInto(producer, ['lint', '-f', '-', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(json(r.stdout).findings.map((f) => f.subject.name)).toContain('broken');
  });

  it('empty standard input is exit 2 with "no input"', () => {
    const r = runCli(['lint', '-f', '-', '-o', 'json'], { input: '' });
    expect(r.code).toBe(2);
    expect(json(r.stdout).errors.map((e) => e.message)).toEqual(['<stdin>: no input on standard input']);
    const s = runCli(['check', '--snapshot', '-'], { input: '' });
    expect(s.code).toBe(2);
    expect(s.stderr).toBe('error: cannot read snapshot from standard input: no input\n');
  });
});

describe('2. a repeated single-valued flag takes its last value (as kubectl does)', () => {
  const broken = write('two/broken.yaml', BROKEN);
  const snapFile = write(
    'two/snap.json',
    JSON.stringify({
      apiVersion: 'kubectl-multus.io/v1alpha1',
      kind: 'Snapshot',
      source: 'manifests',
      cluster: { distribution: 'unknown' },
      nads: [{ name: 'broken', namespace: 'lan', config: '{"type": "macvlan" "x": 1}' }],
      workloads: [],
      errors: [],
    }),
  );

  it('--fail-on error --fail-on error still fails on errors (lint, check --snapshot)', () => {
    expect(runCli(['lint', '-f', broken, '--fail-on', 'error', '--fail-on', 'error']).code).toBe(1);
    expect(runCli(['check', '--snapshot', snapFile, '--fail-on', 'error', '--fail-on', 'error']).code).toBe(1);
    // last wins: never, then error → 1; error, then never → 0
    expect(runCli(['lint', '-f', broken, '--fail-on', 'never', '--fail-on', 'error']).code).toBe(1);
    expect(runCli(['lint', '-f', broken, '--fail-on', 'error', '--fail-on', 'never']).code).toBe(0);
  });

  // command × single-valued flag: the flag given twice behaves exactly like its last value alone.
  write('two/cfg.yaml', 'failOn: never\n');
  const noKube = join(tmp, 'no-kubeconfig');
  const table: Array<[string, string, string[], string, string, (r: CliResult) => unknown]> = [
    ['lint', '-o', ['-f', broken], 'table', 'json', (r) => JSON.parse(r.stdout).apiVersion],
    ['lint', '--output', ['-f', broken], 'yaml', 'json', (r) => JSON.parse(r.stdout).apiVersion],
    [
      'lint',
      '--config',
      ['-f', broken, '-o', 'json'],
      join(tmp, 'none.yaml'),
      join(tmp, 'two', 'cfg.yaml'),
      (r) => r.code,
    ],
    ['lint', '--fail-on', ['-f', broken, '-o', 'json'], 'never', 'warning', (r) => r.code],
    ['check', '-o', ['--snapshot', snapFile], 'yaml', 'json', (r) => JSON.parse(r.stdout).apiVersion],
    ['check', '--snapshot', ['-o', 'json'], join(tmp, 'missing.json'), snapFile, (r) => r.code],
    ['check', '--fail-on', ['--snapshot', snapFile, '-o', 'json'], 'never', 'error', (r) => r.code],
    ['check', '--timeout', ['--kubeconfig', noKube], '600h', '1m', (r) => r.code],
    ['check', '--concurrency', ['--kubeconfig', noKube], '0', '2', (r) => r.code],
    ['check', '--inspect-nodes', ['--kubeconfig', noKube], 'banana', 'never', (r) => r.code],
    ['explain', '-o', ['nad-config-missing'], 'text', 'json', (r) => JSON.parse(r.stdout).id],
    ['version', '-o', [], 'text', 'json', (r) => typeof JSON.parse(r.stdout).version],
    ['status', '-o', ['--kubeconfig', noKube], 'banana', 'json', (r) => r.code],
    ['status', '--kubeconfig', [], join(tmp, 'two', 'cfg.yaml'), noKube, (r) => r.stderr],
    ['nads', '--request-timeout', ['--kubeconfig', noKube], '600h', '10s', (r) => r.code],
    ['sysdump', '-o', ['--kubeconfig', noKube], join(tmp, 'a.json'), join(tmp, 'b.json'), (r) => r.code],
    ['sysdump', '--exec-timeout', ['-o', join(tmp, 'x.json'), '--kubeconfig', noKube], 'banana', '1m', (r) => r.code],
    ['probe', '--timeout', ['lan/macvlan', '--kubeconfig', noKube], 'banana', '1m', (r) => r.code],
    ['probe', '--interface', ['lan/macvlan', '--kubeconfig', noKube], 'a/b', 'net9', (r) => r.code],
    [
      'attach',
      '--dry-run',
      ['deploy/web', '--network', 'lan/macvlan', '--kubeconfig', noKube],
      'banana',
      'client',
      (r) => r.code,
    ],
    ['attach', '--network', ['deploy/web', '--kubeconfig', noKube, '--dry-run'], 'a/b/c', 'lan/macvlan', (r) => r.code],
    [
      'detach',
      '--timeout',
      ['deploy/web', '--network', 'lan/macvlan', '--kubeconfig', noKube],
      'banana',
      '1m',
      (r) => r.code,
    ],
    ['cleanup', '--request-timeout', ['--kubeconfig', noKube], 'banana', '5s', (r) => r.code],
  ];
  it.each(table)('%s %s given twice = its last value', (cmd, flag, base, first, last, observe) => {
    const twice = runCli([cmd, ...base, flag, first, flag, last]);
    const once = runCli([cmd, ...base, flag, last]);
    expect(twice.stderr).toBe(once.stderr);
    expect(observe(twice)).toEqual(observe(once));
    expect(twice.code).toBe(once.code);
  });
});

describe('8. a closed stdout ends the command quietly', () => {
  it('explain --list | (reader that closes at once): exit 0, no stack trace', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await pipeInto('', ['explain', '--list'], { reader: '{ exec <&-; sleep 0.3; }' });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
  });
  it('lint -o json with a closed stdout: exit 0, no stack trace', async () => {
    const f = write('eight/broken.yaml', BROKEN);
    const r = await pipeInto('', ['lint', '-f', f, '-o', 'json'], { reader: '{ exec <&-; sleep 0.3; }' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('9. durations a timer cannot hold are refused', () => {
  it.each([
    ['check', '--timeout', '600h'],
    ['check', '--exec-timeout', '597h'],
    ['sysdump', '--request-timeout', '2147484s'],
    ['probe', '--timeout', '1000h'],
  ])('%s %s %s: exit 3 with a clear message', (cmd, flag, value) => {
    const extra = cmd === 'sysdump' ? ['-o', join(tmp, 'nine.json')] : cmd === 'probe' ? ['lan/macvlan'] : [];
    const r = runCli([cmd, ...extra, flag, value, '--kubeconfig', join(tmp, 'no-kubeconfig')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${flag} "${value}" is too long: the longest is 596h`);
  });
  it('596h is still accepted (the run fails later on the missing kubeconfig, exit 2)', () => {
    const r = runCli(['check', '--timeout', '596h', '--kubeconfig', join(tmp, 'no-kubeconfig')]);
    expect(r.code).toBe(2);
  });
});

describe('11. unbounded and looping input', () => {
  it('lint -f /dev/zero stops at the 64 MiB limit: exit 2, one message', () => {
    const r = runCli(['lint', '-f', '/dev/zero', '-o', 'json']);
    expect(r.code).toBe(2);
    expect(json(r.stdout).errors.map((e) => e.message)).toEqual([
      '/dev/zero: input is larger than the 64 MiB limit for one input; not linted',
    ]);
  });

  it('standard input over 64 MiB: exit 2, one message', async () => {
    const r = await pipeInto(
      `const b=Buffer.alloc(1<<20,0x23);let n=0;(function w(){while(n<70){n++;if(!process.stdout.write(b))return process.stdout.once('drain',w)}})()`,
      ['lint', '-f', '-', '-o', 'json'],
    );
    expect(r.code).toBe(2);
    expect(json(r.stdout).errors.map((e) => e.message)).toEqual([
      '<stdin>: input is larger than the 64 MiB limit for one input; not linted',
    ]);
  });

  it.skipIf(process.platform === 'win32')('a FIFO in a linted directory is refused, not waited on', async () => {
    const dir = join(tmp, 'fifo');
    write('fifo/ok.yaml', BROKEN);
    const mk = spawnSync('mkfifo', [join(dir, 'pipe.yaml')]);
    if (mk.status !== 0) return;
    // asynchronously, with a deadline: a CLI that opens the FIFO blocks forever
    const { runCliAsync } = await import('./helpers.js');
    const r = await runCliAsync(['lint', '-f', dir, '-o', 'json'], { timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(json(r.stdout).errors.map((e) => e.message)).toEqual([
      `${join(dir, 'pipe.yaml')}: a FIFO, not a regular file; not read (name it with -f to read it)`,
    ]);
    expect(json(r.stdout).findings.map((f) => f.subject.name)).toEqual(['broken']);
  });

  it('-R through a symlink loop reads every file once', () => {
    const dir = join(tmp, 'loop');
    write('loop/a/nad.yaml', BROKEN);
    symlinkSync('..', join(dir, 'a', 'up'));
    symlinkSync(join(dir, 'a'), join(dir, 'again'));
    const r = runCli(['lint', '-R', '-f', dir, '-o', 'json']);
    expect(r.code).toBe(1);
    const rep = json(r.stdout);
    expect(rep.errors).toEqual([]);
    expect(rep.findings.filter((f) => f.id === 'nad-config-invalid-json')).toHaveLength(1);
  });
});

describe('10. lint reads YAML as the API server does', () => {
  const BAD_CFG = `'{"cniVersion": "0.3.1", "type": "macvlan" "master": "eth1"}'`;
  const GOOD_CFG = `'{"cniVersion": "0.3.1", "name": "x", "type": "macvlan", "master": "eth1", "mode": "bridge", "ipam": {"type": "static"}}'`;

  it('a duplicate key: the last value is the one judged (kubectl applies the last)', () => {
    const dupBadLast = write(
      'ten/dup1.yaml',
      `apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: dup, namespace: lan}\nspec:\n  config: ${GOOD_CFG}\n  config: ${BAD_CFG}\n`,
    );
    const r1 = runCli(['lint', '-f', dupBadLast, '-o', 'json']);
    expect(r1.code).toBe(1);
    expect(json(r1.stdout).findings.map((f) => f.id)).toContain('nad-config-invalid-json');
    const dupGoodLast = write(
      'ten/dup2.yaml',
      `apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: dup, namespace: lan}\nspec:\n  config: ${BAD_CFG}\n  config: ${GOOD_CFG}\n`,
    );
    const r2 = runCli(['lint', '-f', dupGoodLast, '-o', 'json']);
    expect(json(r2.stdout).findings.map((f) => f.id)).not.toContain('nad-config-invalid-json');
  });

  it('merge keys (<<: *anchor, <<: [*a]) are expanded', () => {
    const f = write(
      'ten/merge.yaml',
      `apiVersion: v1
kind: List
items:
- &nad
  apiVersion: k8s.cni.cncf.io/v1
  kind: NetworkAttachmentDefinition
  metadata: {name: plain, namespace: lan}
  spec: &spec
    config: ${BAD_CFG}
- <<: *nad
  metadata: {name: merged, namespace: lan}
- <<: [*nad]
  metadata: {name: merged-list, namespace: lan}
  spec:
    <<: *spec
`,
    );
    const r = runCli(['lint', '-f', f, '-o', 'json']);
    expect(r.code).toBe(1);
    const names = json(r.stdout)
      .findings.filter((x) => x.id === 'nad-config-invalid-json')
      .map((x) => x.subject.name)
      .sort();
    expect(names).toEqual(['merged', 'merged-list', 'plain']);
  });

  it('"interface": "constructor" is an ordinary name, not a prototype lookup', () => {
    const f = write(
      'ten/proto.yaml',
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: lan\n  annotations:\n    k8s.v1.cni.cncf.io/networks: '[{"name":"lan","interface":"constructor","constructor":1}]'\nspec: {containers: [{name: c, image: i}]}\n`,
    );
    const r = runCli(['lint', '-f', f]);
    expect(r.stdout).not.toMatch(/native code|which is function|\[object Object\]/);
  });
});

describe('3. secrets never reach a sysdump or a report', () => {
  // One secret of each kind, seeded into a working K3s cluster.
  const JWT = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{"sub":"x","exp":1900000000}').toString('base64url')}.SEKRETjwtSignature09`;
  const SECRETS = {
    containerdPassword: 'SEKRET-containerd-password-1',
    containerdAuth: 'U0VLUkVULWF1dGgtYmFzZTY0LTI=',
    containerdIdentityToken: 'SEKRET-identitytoken-3',
    nadEtcdPassword: 'SEKRET-etcd-password-4',
    nadPassword: 'SEKRET-nad-password-5',
    nadToken: 'SEKRET-nad-token-6',
    pemBody: 'MHcCAQEEIBSEKRETpemPrivateKeyBody7',
    bearer: 'SEKRETbearer8abcdefgh',
    jwt: JWT,
    cniArgsPassword: 'SEKRET-cniargs-10',
    logToken: 'SEKRET-logtoken-11',
    logPassword: 'SEKRET-logpass-12',
    eventPassword: 'SEKRET-eventpass-13',
  };

  async function seeded() {
    const { loadScenarioFile } = await import('../fake-cluster/index.js');
    const { scenarioPath, startFakeCluster } = await import('./helpers.js');
    const s = loadScenarioFile(scenarioPath('healthy-k3s'));
    const toml = `version = 2
[plugins."io.containerd.grpc.v1.cri".cni]
  bin_dir = "/var/lib/rancher/k3s/data/cni"
  conf_dir = "/var/lib/rancher/k3s/agent/etc/cni/net.d"
[plugins."io.containerd.grpc.v1.cri".registry.configs."registry.example.com".auth]
  username = "robot"
  password = "${SECRETS.containerdPassword}"
  auth = "${SECRETS.containerdAuth}"
  identitytoken = "${SECRETS.containerdIdentityToken}"
`;
    for (const n of Object.values(s.nodes))
      n.files = { ...n.files, '/var/lib/rancher/k3s/agent/etc/containerd/config.toml': toml };
    const pem = `-----BEGIN EC PRIVATE KEY-----\n${SECRETS.pemBody}\n-----END EC PRIVATE KEY-----`;
    s.objects.push(
      {
        apiVersion: 'k8s.cni.cncf.io/v1',
        kind: 'NetworkAttachmentDefinition',
        metadata: { name: 'secretive', namespace: 'default' },
        spec: {
          config: JSON.stringify({
            cniVersion: '0.3.1',
            name: 'secretive',
            type: 'macvlan',
            master: 'eth1',
            mode: 'bridge',
            password: SECRETS.nadPassword,
            token: SECRETS.nadToken,
            tls: { cert_pem: pem },
            ipam: { type: 'whereabouts', range: '192.168.30.0/24', etcd_password: SECRETS.nadEtcdPassword },
          }),
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'with-cni-args',
          namespace: 'default',
          annotations: {
            'k8s.v1.cni.cncf.io/networks': JSON.stringify([
              { name: 'secretive', 'cni-args': { password: SECRETS.cniArgsPassword } },
            ]),
          },
        },
        spec: { nodeName: 'k3s-1', containers: [{ name: 'c', image: 'busybox' }] },
      },
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'with-cni-args.1', namespace: 'default' },
        involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'with-cni-args', namespace: 'default' },
        reason: 'FailedCreatePodSandBox',
        type: 'Warning',
        message: `Failed to create pod sandbox: plugin type="macvlan" failed (add): login with password=${SECRETS.eventPassword} refused; Authorization: Bearer ${SECRETS.bearer}; token ${JWT}`,
      },
    );
    s.pods.push({
      select: { namespace: 'kube-system', daemonSet: 'multus' },
      logs: {
        'kube-rke2-multus': `connecting to https://10.43.0.1:443 with token=${SECRETS.logToken} password=${SECRETS.logPassword}\nAuthorization: Bearer ${SECRETS.bearer}\n`,
      },
    });
    return startFakeCluster(s);
  }

  const leaks = (text: string) =>
    Object.entries(SECRETS)
      .filter(([, v]) => text.includes(v) || text.includes(v.split('.').pop()!))
      .map(([k]) => k);

  it('sysdump --logs: no seeded secret in the file, what was redacted is counted, the file is 0600', async () => {
    const { runCliAsync } = await import('./helpers.js');
    const { readFileSync, statSync } = await import('node:fs');
    const fc = await seeded();
    try {
      const file = join(fc.workDir, 'dump.json');
      const r = await runCliAsync(['sysdump', '--kubeconfig', fc.kubeconfigPath, '-o', file, '--logs']);
      expect(r.code, r.stderr).toBeLessThan(2);
      const text = readFileSync(file, 'utf8');
      expect(leaks(text)).toEqual([]);
      // the structure is kept: the NAD and its keys are there, only values went
      const snap = JSON.parse(text);
      const nad = snap.nads.find((n: { name: string }) => n.name === 'secretive');
      expect(JSON.parse(nad.config)).toMatchObject({
        type: 'macvlan',
        master: 'eth1',
        password: 'REDACTED',
        ipam: { etcd_password: 'REDACTED', range: '192.168.30.0/24' },
      });
      // every seeded place was collected, and redacted where it was
      const toml = snap.nodes[0].inspection.files['/var/lib/rancher/k3s/agent/etc/containerd/config.toml']
        .content as string;
      expect(toml).toContain('password = "REDACTED"');
      expect(toml).toContain('identitytoken = "REDACTED"');
      expect(toml).toContain('username = "robot"');
      expect(JSON.stringify(snap.events)).toContain('password=REDACTED');
      expect(JSON.stringify(snap.multus[0].pods.map((p: { logs?: string[] }) => p.logs))).toContain(
        'token=REDACTED password=REDACTED',
      );
      const pod = snap.workloads.find((w: { name: string }) => w.name === 'with-cni-args');
      expect(pod.podAnnotations['k8s.v1.cni.cncf.io/networks']).toContain('"password":"REDACTED"');
      expect(nad.config).toContain('REDACTED (ec private key)');
      expect(Object.keys(snap.redactions).length).toBeGreaterThan(3);
      expect(r.stderr).toMatch(/secrets redacted: \d+ values: .*PEM private keys.*/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      // and nothing on the terminal either
      expect(leaks(r.stderr + r.stdout)).toEqual([]);
    } finally {
      await fc.close();
    }
  });

  it('check -o json: no seeded secret in the report', async () => {
    const { runCliAsync } = await import('./helpers.js');
    const fc = await seeded();
    try {
      const r = await runCliAsync(['check', '--kubeconfig', fc.kubeconfigPath, '-o', 'json']);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(leaks(r.stdout + r.stderr)).toEqual([]);
      const t = await runCliAsync(['check', '--kubeconfig', fc.kubeconfigPath, '-o', 'yaml']);
      expect(leaks(t.stdout + t.stderr)).toEqual([]);
    } finally {
      await fc.close();
    }
  });
});

describe('6. sysdump -o never overwrites by surprise', () => {
  it('refuses an existing file (exit 3, file untouched) unless --force; writes atomically', async () => {
    const { runCliAsync, scenarioPath, startFakeCluster } = await import('./helpers.js');
    const { readFileSync, readdirSync, statSync } = await import('node:fs');
    const fc = await startFakeCluster(scenarioPath('healthy-k3s'));
    try {
      const target = join(fc.workDir, 'precious.yaml');
      writeFileSync(target, 'apiVersion: v1\nkind: Config\n');
      const r = await runCliAsync(['sysdump', '--kubeconfig', fc.kubeconfigPath, '-o', target]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`${target} already exists: choose another name, or add --force to replace it`);
      expect(readFileSync(target, 'utf8')).toBe('apiVersion: v1\nkind: Config\n');
      // the kubeconfig in use, too
      const k = await runCliAsync(['sysdump', '--kubeconfig', fc.kubeconfigPath, '-o', fc.kubeconfigPath]);
      expect(k.code).toBe(3);
      const f = await runCliAsync(['sysdump', '--kubeconfig', fc.kubeconfigPath, '-o', target, '--force']);
      expect(f.code, f.stderr).toBe(0);
      expect(JSON.parse(readFileSync(target, 'utf8')).kind).toBe('Snapshot');
      expect(statSync(target).mode & 0o777).toBe(0o600);
      expect(readdirSync(fc.workDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    } finally {
      await fc.close();
    }
  });
});

describe('4. --timeout bounds the whole command', () => {
  async function upgradeHangs() {
    const { loadScenarioFile } = await import('../fake-cluster/index.js');
    const { scenarioPath, startFakeCluster } = await import('./helpers.js');
    const s = loadScenarioFile(scenarioPath('fault-exec-hang'));
    s.pods = s.pods.map((p) => (p.execHang ? { ...p, execHang: false, execUpgradeHang: true } : p));
    return startFakeCluster(s);
  }

  it('check: an exec upgrade that is never answered is cut, the report printed, and the process exits', async () => {
    const { runCliAsync, parseReport } = await import('./helpers.js');
    const fc = await upgradeHangs();
    try {
      const t0 = Date.now();
      const r = await runCliAsync(
        ['check', '--kubeconfig', fc.kubeconfigPath, '-o', 'json', '--exec-timeout', '2s', '--timeout', '20s'],
        { timeoutMs: 40_000 },
      );
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(r.code).toBe(2);
      const rep = parseReport(r.stdout);
      expect(rep.errors).toEqual([expect.objectContaining({ collector: 'inspect/worker-2', node: 'worker-2' })]);
    } finally {
      await fc.close();
    }
  });

  it('check: --timeout alone ends the run when an exec upgrade never answers', async () => {
    const { runCliAsync, parseReport } = await import('./helpers.js');
    const fc = await upgradeHangs();
    try {
      const t0 = Date.now();
      const r = await runCliAsync(
        ['check', '--kubeconfig', fc.kubeconfigPath, '-o', 'json', '--exec-timeout', '10m', '--timeout', '3s'],
        { timeoutMs: 40_000 },
      );
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(r.code).toBe(2);
      expect(parseReport(r.stdout).errors.map((e) => e.collector)).toContain('timeout');
    } finally {
      await fc.close();
    }
  });
});

describe('5. Ctrl-C never claims a cleanup that failed', () => {
  type Obj = { metadata: { name: string; namespace?: string; labels?: Record<string, string> } };

  it('check: deleting the node-inspector pods fails → their names and `kubectl multus cleanup`, exit 130', async () => {
    const { loadScenarioFile } = await import('../fake-cluster/index.js');
    const { runCliAsync, scenarioPath, startFakeCluster } = await import('./helpers.js');
    const s = loadScenarioFile(scenarioPath('fault-exec-fails'));
    s.createdPods = { phase: 'Pending', delayMs: 0 };
    s.faults = {
      ...s.faults,
      errors: [
        ...(s.faults.errors ?? []),
        { verbs: ['delete'], resources: ['pods'], code: 500, message: 'etcdserver: request timed out' },
      ],
    };
    const fc = await startFakeCluster(s);
    const inspectors = () =>
      (fc.world.store.peekAll('pods') as Obj[])
        .filter((p) => p.metadata.labels?.['app.kubernetes.io/managed-by'] === 'kubectl-multus')
        .map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    try {
      let pid = 0;
      const run = runCliAsync(['check', '--kubeconfig', fc.kubeconfigPath, '-o', 'json'], {
        onSpawn: (p) => (pid = p),
        timeoutMs: 60_000,
      });
      for (let i = 0; i < 200 && inspectors().length < 2; i++) await new Promise((res) => setTimeout(res, 50));
      expect(inspectors()).toHaveLength(2);
      process.kill(pid, 'SIGINT');
      const r = await run;
      expect(r.code).toBe(130);
      expect(r.stderr).not.toContain('were deleted');
      for (const p of inspectors()) expect(r.stderr).toContain(p);
      expect(r.stderr).toContain('kubectl multus cleanup');
    } finally {
      await fc.close();
    }
  });
});

describe('7. an interrupted attach says what it wrote', () => {
  it('Ctrl-C during --wait after the PATCH: the object and the new entry on stdout, exit 130', async () => {
    const { runCliAsync, scenarioPath, startFakeCluster } = await import('./helpers.js');
    const fc = await startFakeCluster(scenarioPath('attach-workloads'));
    const annotation = () =>
      (
        fc.world.store.get('deployments.apps', 'default', 'web') as
          { spec: { template: { metadata: { annotations?: Record<string, string> } } } } | undefined
      )?.spec.template.metadata.annotations?.['k8s.v1.cni.cncf.io/networks'];
    try {
      let pid = 0;
      const run = runCliAsync(
        [
          'attach',
          'deploy/web',
          '--network',
          'macvlan-dhcp',
          '--wait',
          '--timeout',
          '5m',
          '--kubeconfig',
          fc.kubeconfigPath,
        ],
        { onSpawn: (p) => (pid = p), timeoutMs: 60_000 },
      );
      for (let i = 0; i < 300 && !annotation()?.includes('macvlan-dhcp'); i++)
        await new Promise((res) => setTimeout(res, 50));
      expect(annotation()).toContain('macvlan-dhcp');
      await new Promise((res) => setTimeout(res, 300));
      process.kill(pid, 'SIGINT');
      const r = await run;
      expect(r.code).toBe(130);
      expect(r.stdout).toContain('kind: Deployment');
      expect(r.stdout).toContain('macvlan-dhcp');
      expect(r.stderr).toContain('interrupted after the change was written');
      expect(r.stderr).not.toContain('node-inspector');
    } finally {
      await fc.close();
    }
  });
});

describe('12. smaller ones', () => {
  it('-o json against an unreachable cluster prints exactly one JSON object, with errors', async () => {
    const { runCliAsync } = await import('./helpers.js');
    const kc = write(
      'twelve/unreachable.yaml',
      `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`,
    );
    const r = await runCliAsync(['check', '--kubeconfig', kc, '-o', 'json']);
    expect(r.code).toBe(2);
    const rep = JSON.parse(r.stdout) as {
      apiVersion: string;
      findings: unknown[];
      errors: Array<{ collector: string; message: string }>;
    };
    expect(rep.apiVersion).toBe('kubectl-multus/v1');
    expect(rep.findings).toEqual([]);
    expect(rep.errors).toHaveLength(1);
    expect(rep.errors[0]!.message).toContain('cannot reach the API server https://127.0.0.1:1');
    // the human form still says it on stderr, once
    expect(r.stderr.match(/cannot reach/g)).toHaveLength(1);
  });

  it('one connection reset mid-response is retried: the run completes as if nothing happened', async () => {
    const { loadScenarioFile } = await import('../fake-cluster/index.js');
    const { runCliAsync, scenarioPath, startFakeCluster, parseReport } = await import('./helpers.js');
    const s = loadScenarioFile(scenarioPath('healthy-k3s'));
    s.faults = {
      ...s.faults,
      resets: [
        { verbs: ['list'], resources: ['pods'], times: 1 },
        { verbs: ['list'], resources: ['network-attachment-definitions'], times: 1 },
      ],
    };
    const fc = await startFakeCluster(s);
    try {
      const r = await runCliAsync(['check', '--kubeconfig', fc.kubeconfigPath, '-o', 'json']);
      const rep = parseReport(r.stdout);
      expect(rep.errors).toEqual([]);
      expect(r.code, r.stderr).toBe(0);
    } finally {
      await fc.close();
    }
  });

  it('a hanging exec credential plugin is bounded by --timeout', async () => {
    const { runCliAsync, scenarioPath, startFakeCluster } = await import('./helpers.js');
    const fc = await startFakeCluster(scenarioPath('healthy-k3s'));
    try {
      const { readFileSync } = await import('node:fs');
      const base = readFileSync(fc.kubeconfigPath, 'utf8');
      const server = /server: (\S+)/.exec(base)![1]!;
      const kc = write(
        'twelve/exec-plugin.yaml',
        `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${server}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: sh, args: ["-c", "sleep 300"], interactiveMode: Never}}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`,
      );
      const t0 = Date.now();
      const r = await runCliAsync(['check', '--kubeconfig', kc, '--timeout', '2s'], { timeoutMs: 30_000 });
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('the exec credential plugin "sh" of user "u" did not finish within --timeout 2s');
    } finally {
      await fc.close();
    }
  });

  it('a snapshot with cluster: null is refused by validation, not a crash', () => {
    const f = write(
      'twelve/null-cluster.json',
      JSON.stringify({
        apiVersion: 'kubectl-multus.io/v1alpha1',
        kind: 'Snapshot',
        source: 'cluster',
        cluster: null,
        nads: [],
        workloads: [],
        errors: [],
      }),
    );
    const r = runCli(['check', '--snapshot', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: snapshot ${f} is not valid: snapshot.cluster is required\n`);
  });

  it('cert/key mismatch and garbage CA data: one plain sentence each', async () => {
    const { runCliAsync, scenarioPath, startFakeCluster } = await import('./helpers.js');
    const { readFileSync } = await import('node:fs');
    const { generateKeyPairSync } = await import('node:crypto');
    const fc = await startFakeCluster(scenarioPath('healthy-k3s'));
    try {
      const base = readFileSync(fc.kubeconfigPath, 'utf8');
      const b64 = (s: string) => Buffer.from(s).toString('base64');
      const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
      }) as string;
      const cases: Array<[string, string, string]> = [
        [
          'garbage CA',
          base.replace(
            /certificate-authority-data: \S+/,
            `certificate-authority-data: ${b64('this is not a certificate')}`,
          ),
          'is not a PEM certificate',
        ],
        [
          'key from another pair',
          base.replace(/client-key-data: \S+/, `client-key-data: ${b64(otherKey)}`),
          'do not belong together',
        ],
        [
          'garbage key',
          base.replace(/client-key-data: \S+/, `client-key-data: ${b64('garbage')}`),
          'is not a readable PEM private key',
        ],
      ];
      for (const [name, text, sentence] of cases) {
        const kc = write(`twelve/${name.replace(/ /g, '-')}.yaml`, text);
        const r = await runCliAsync(['check', '--kubeconfig', kc, '--inspect-nodes', 'never']);
        expect(r.code, name).toBe(2);
        expect(r.stderr.trim().split('\n'), name).toHaveLength(1);
        expect(r.stderr, name).toContain(sentence);
        expect(r.stderr, name).not.toMatch(/routines|ERR_OSSL|self-signed/);
      }
    } finally {
      await fc.close();
    }
  });
});
