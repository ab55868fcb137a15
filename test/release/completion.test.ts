/**
 * Completion as a shell sees it: `kubectl-multus __complete …` answers kubectl's plugin-completion
 * protocol (one candidate per line, last line `:<directive>`); the bash script drives it; names
 * come from a TLS API server that requires a client certificate.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yargs from 'yargs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../src/checks/index.js';
import { clusterNames } from '../../src/completion/cluster-names.js';
import { complete } from '../../src/completion/engine.js';
import { specFromParser } from '../../src/completion/spec.js';
import { cliCommand } from '../helpers/cli.js';
import { list, obj, startFakeApi, type FakeApi } from './fake-api.js';
import { run, tempDir } from './support.js';

const dir = tempDir('completion');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function completeCli(words: string[], env: Record<string, string> = {}) {
  const cmd = cliCommand(['__complete', ...words]);
  const r = await run(cmd.file, cmd.args, { env: { PATH: process.env['PATH'] ?? '', HOME: dir, ...env } });
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.replace(/\n$/, '').split('\n');
  const last = lines.pop()!;
  expect(last).toMatch(/^:\d+$/);
  return { values: lines.map((l) => l.split('\t')[0]!), lines, directive: Number(last.slice(1)) };
}

describe('__complete (kubectl plugin-completion protocol)', () => {
  it('offers the subcommands with descriptions, not the hidden entry point, and no file completion', async () => {
    const c = await completeCli(['']);
    expect(c.values).toEqual(expect.arrayContaining(['lint', 'explain', 'version', 'check', 'completion']));
    expect(c.values).not.toContain('__complete');
    expect(c.lines.find((l) => l.startsWith('lint\t'))).toMatch(/^lint\t\S/);
    expect(c.directive & 4).toBe(4);
  });

  it('filters subcommands by the typed prefix', async () => {
    expect((await completeCli(['ex'])).values).toEqual(['explain']);
  });

  it('completes every check id for `explain` and for `--ignore`, including after a comma', async () => {
    expect((await completeCli(['explain', ''])).values.sort()).toEqual([...CHECK_IDS].sort());
    expect((await completeCli(['lint', '--ignore', ''])).values.sort()).toEqual([...CHECK_IDS].sort());
    const first = CHECK_IDS[0]!;
    const after = await completeCli(['lint', '--ignore', `${first},`]);
    expect(after.values.length).toBe(CHECK_IDS.length - 1);
    for (const v of after.values) expect(v.startsWith(`${first},`)).toBe(true);
    expect(after.values).not.toContain(`${first},${first}`);
  });

  it('completes flag names of the command, without those already given', async () => {
    const all = (await completeCli(['lint', '--'])).values;
    expect(all).toEqual(expect.arrayContaining(['--filename', '--ignore', '--output', '--fail-on', '--recursive']));
    expect(all).not.toContain('--snapshot'); // a `check` flag
    expect((await completeCli(['lint', '--recursive', '--'])).values).not.toContain('--recursive');
  });

  it('completes flag values from their choices, in both `-o x` and `--output=x` forms', async () => {
    expect((await completeCli(['lint', '-o', ''])).values).toEqual(['table', 'json', 'yaml', 'sarif']);
    expect((await completeCli(['lint', '--output=j'])).values).toEqual(['--output=json']);
    expect((await completeCli(['completion', ''])).values).toEqual(['bash', 'zsh', 'fish', 'powershell']);
  });

  it('leaves file arguments to the shell (no candidates, default directive)', async () => {
    const c = await completeCli(['lint', '-f', '']);
    expect(c.values).toEqual([]);
    expect(c.directive).toBe(0);
  });

  it('completes kubeconfig context names', async () => {
    const api = await startFakeApi(dir, {});
    try {
      const c = await completeCli(['version', '--cluster', '--context', ''], { KUBECONFIG: api.kubeconfig });
      expect(c.values.sort()).toEqual(['fake', 'other']);
    } finally {
      await api.close();
    }
  });

  it('answers with no candidates (not an error or a hang) when there is no kubeconfig at all', async () => {
    const c = await completeCli(['version', '--cluster', '--context', '']);
    expect(c.values).toEqual([]);
  });
});

describe('cluster names (NADs, workloads, namespaces) over TLS with a client certificate', () => {
  let api: FakeApi;
  const nads = (ns: string, ...names: string[]) =>
    list(
      'NetworkAttachmentDefinitionList',
      names.map((n) => obj(n, ns)),
    );
  beforeAll(async () => {
    mkdirSync(join(dir, 'api'), { recursive: true });
    api = await startFakeApi(
      join(dir, 'api'),
      {
        '/apis/k8s.cni.cncf.io/v1/namespaces/team-a/network-attachment-definitions': nads(
          'team-a',
          'macvlan-a',
          'ipvlan-b',
        ),
        '/apis/k8s.cni.cncf.io/v1/namespaces/other/network-attachment-definitions': nads('other', 'sriov-x'),
        '/apis/k8s.cni.cncf.io/v1/network-attachment-definitions': list('NetworkAttachmentDefinitionList', [
          obj('macvlan-a', 'team-a'),
          obj('sriov-x', 'other'),
        ]),
        '/apis/apps/v1/namespaces/team-a/deployments': list('DeploymentList', [obj('web', 'team-a')]),
        '/apis/apps/v1/namespaces/team-a/statefulsets': list('StatefulSetList', []),
        '/apis/apps/v1/namespaces/team-a/daemonsets': list('DaemonSetList', [obj('agent', 'team-a')]),
        '/api/v1/namespaces/team-a/pods': list('PodList', [
          obj('standalone', 'team-a'),
          obj('web-123', 'team-a', { ownerReferences: [{ kind: 'ReplicaSet', name: 'web-1' }] }),
        ]),
        '/api/v1/namespaces': list('NamespaceList', [obj('team-a', ''), obj('other', '')]),
      },
      { namespace: 'team-a' },
    );
  });
  afterAll(() => api?.close());

  // A parser shaped like the cluster commands other modules register: names, not commands, pick the lookup.
  const spec = () =>
    specFromParser(
      yargs([])
        .option('kubeconfig', { type: 'string' })
        .option('namespace', { alias: 'n', type: 'string' })
        .option('all-namespaces', { alias: 'A', type: 'boolean' })
        .command('probe <nad>', 'probe', (y) => y.positional('nad', { type: 'string' }))
        .command('attach <workload>', 'attach', (y) =>
          y.positional('workload', { type: 'string' }).option('network', { type: 'string' }),
        ),
    );
  // The product's 1.5 s budget keeps a shell's Tab responsive; on a loaded CI machine the first TLS handshake
  // alone can take longer, so these tests give the lookup more time (the budget itself is tested below).
  const cluster: typeof clusterNames = (kind, flags) => clusterNames(kind, flags, 15_000);
  const providers = { checkIds: () => [], contexts: async () => [], cluster };
  const values = async (words: string[]) =>
    (await complete(spec(), ['--kubeconfig', api.kubeconfig, ...words], providers)).candidates;

  it("lists NADs of the context's namespace, of -n, and ns/name with -A", async () => {
    expect(await values(['probe', ''])).toEqual(['macvlan-a', 'ipvlan-b']);
    expect(await values(['probe', 'ip'])).toEqual(['ipvlan-b']);
    expect(await values(['-n', 'other', 'probe', ''])).toEqual(['sriov-x']);
    expect(await values(['-A', 'probe', ''])).toEqual(['team-a/macvlan-a', 'other/sriov-x']);
    expect(await values(['attach', 'deployment/web', '--network', 'mac'])).toEqual(['macvlan-a']);
    expect(api.requests.every((r) => r.user === 'completion-user')).toBe(true);
  });

  it('lists workloads as kind/name, and only the pods no controller owns', async () => {
    expect(await values(['attach', ''])).toEqual(['deployment/web', 'daemonset/agent', 'pod/standalone']);
    expect(await values(['attach', 'pod/'])).toEqual(['pod/standalone']);
  });

  it('gives up silently on an API server that never answers', async () => {
    const hung = await startFakeApi(join(dir, 'api'), {}, { hang: true });
    try {
      const names = await clusterNames('nad', { kubeconfig: hung.kubeconfig }, 300);
      expect(names).toEqual([]);
      expect(hung.requests.length).toBe(1); // it did reach the server, and still returned
    } finally {
      await hung.close();
    }
  });
});

describe('completion scripts', () => {
  it('prints a script for each shell, and refuses an unknown shell as a usage error', async () => {
    for (const shell of ['bash', 'zsh', 'fish', 'powershell']) {
      const cmd = cliCommand(['completion', shell]);
      const r = await run(cmd.file, cmd.args, { env: { PATH: process.env['PATH'] ?? '', HOME: dir } });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('kubectl-multus __complete');
    }
    const cmd = cliCommand(['completion', 'tcsh']);
    expect((await run(cmd.file, cmd.args, { env: { PATH: process.env['PATH'] ?? '', HOME: dir } })).code).toBe(3);
  });

  // kubectl-multus on PATH, as after an install, running whichever build is under test.
  const installOnPath = () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    const cmd = cliCommand([]);
    const quoted = [cmd.file, ...cmd.args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    writeFileSync(join(bin, 'kubectl-multus'), `#!/bin/sh\nexec ${quoted} "$@"\n`, { mode: 0o755 });
    return bin;
  };
  const script = async (shell: string) => {
    const g = cliCommand(['completion', shell]);
    const file = join(dir, `km.${shell}`);
    writeFileSync(file, (await run(g.file, g.args, { env: { PATH: process.env['PATH'] ?? '', HOME: dir } })).stdout);
    return file;
  };
  const have = (sh: string) => spawnSync('sh', ['-c', `command -v ${sh}`]).status === 0;

  it.skipIf(!have('fish'))(
    'the fish script completes subcommands and flag choices (skipped without fish)',
    async () => {
      const bin = installOnPath();
      const file = await script('fish');
      const r = await run(
        'fish',
        ['-c', 'source $argv[1]; complete -C "kubectl-multus ex"; complete -C "kubectl-multus lint -o "', file],
        { env: { PATH: `${bin}:${process.env['PATH']}`, HOME: dir } },
      );
      expect(
        r.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('\t')[0])
          .sort(),
      ).toEqual(['explain', 'json', 'sarif', 'table', 'yaml']);
    },
  );

  it.skipIf(!have('zsh'))(
    'the zsh script parses and registers its completion function (skipped without zsh)',
    async () => {
      const file = await script('zsh');
      const r = await run(
        'zsh',
        ['-c', 'autoload -U compinit; compinit -u -D; source $1; print -r -- ${_comps[kubectl-multus]}', 'zsh', file],
        { env: { PATH: process.env['PATH'] ?? '', HOME: dir } },
      );
      expect(r.stdout.trim()).toBe('_kubectl_multus');
    },
  );

  it('the bash script completes subcommands, `--output=` values and falls back to files', async () => {
    const bin = installOnPath();
    const bashScript = await script('bash');
    const work = join(dir, 'work');
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, 'nads.yaml'), '');
    // words as bash splits them (COMP_WORDBREAKS has '='), line and point as readline sets them
    const drive = (line: string, words: string[]) =>
      run(
        'bash',
        [
          '-c',
          `source "$1"; COMP_LINE="$2"; COMP_POINT=\${#COMP_LINE}; shift 2; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); __kubectl_multus_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
          'x',
          bashScript,
          line,
          ...words,
        ],
        {
          env: { PATH: `${bin}:${process.env['PATH']}`, HOME: dir },
          cwd: work,
        },
      ).then((r) => r.stdout.split('\n').filter(Boolean));
    expect(await drive('kubectl-multus ex', ['kubectl-multus', 'ex'])).toEqual(['explain']);
    expect(await drive('kubectl-multus lint --output=j', ['kubectl-multus', 'lint', '--output', '=', 'j'])).toEqual([
      'json',
    ]);
    expect(await drive('kubectl-multus lint -f ', ['kubectl-multus', 'lint', '-f', ''])).toEqual(['nads.yaml']);
  });
});
