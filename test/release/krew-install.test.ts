/**
 * A simulated `kubectl krew install`: unpack the linux/amd64 archive as the manifest says into a
 * temporary krew root, link the bin into its bin dir, follow the caveats for completion, put that
 * dir first on PATH, and go through the machine's real kubectl plugin dispatch and completion.
 */
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../src/checks/index.js';
import { ROOT } from '../helpers/cli.js';
import { installProblems, loadManifest, structuralProblems } from './krew-rules.js';
import {
  buildRelease,
  buildReleaseOf,
  committedManifestSource,
  findKubectl,
  rebuildObstacle,
  run,
  tempDir,
} from './support.js';
import { parse } from 'yaml';

const kubectl = findKubectl();
const work = tempDir('krew');
const krewRoot = join(work, 'krew');
let version: string;
let env: NodeJS.ProcessEnv;

/**
 * `kubectl krew install --manifest=krew-manifest.yaml --archive=kubectl-multus_<v>_linux_amd64.tar.gz`
 * as the README says: the committed top-level manifest, and the linux/amd64 archive of the release
 * it describes (rebuilt from its source commit, which must give the same bytes; krew checks the
 * sha256). A clone that cannot rebuild that commit falls back to a release of the working tree
 * with the manifest that release writes.
 */
const committed = readFileSync(join(ROOT, 'krew-manifest.yaml'), 'utf8');
const source = committedManifestSource(committed);
const obstacle = source ? rebuildObstacle(source.commit) : 'no source-commit header';
let manifestUsed = '';

beforeAll(() => {
  if (!kubectl) return;
  let out: string;
  let manifest: any;
  if (!obstacle) {
    const r = buildReleaseOf(source!.commit, source!.time, ['linux_amd64'], join(work, 'build'));
    if (r.status !== 0) throw new Error(`release failed:\n${r.output}`);
    out = r.out;
    manifest = parse(committed);
    manifestUsed = 'the committed krew-manifest.yaml';
  } else {
    out = join(work, 'release');
    const r = buildRelease(['linux_amd64'], out);
    if (r.status !== 0) throw new Error(`release failed:\n${r.output}`);
    manifest = loadManifest(join(out, 'krew-manifest.yaml'));
    manifestUsed = `the working tree's release manifest (${obstacle})`;
  }
  expect(structuralProblems(manifest)).toEqual([]);
  // --archive: krew installs this host's platform from the given file after checking its sha256.
  const host = {
    ...manifest,
    spec: {
      ...manifest.spec,
      platforms: manifest.spec.platforms.filter(
        (p: { selector: { matchLabels: { os: string; arch: string } } }) =>
          p.selector.matchLabels.os === 'linux' && p.selector.matchLabels.arch === 'amd64',
      ),
    },
  };
  expect(host.spec.platforms).toHaveLength(1);
  const { problems, installed } = installProblems(host, out);
  expect(problems, manifestUsed).toEqual([]);
  version = manifest.spec.version;
  // krew: ~/.krew/store/<name>/<version>/ holds the files; ~/.krew/bin/kubectl-<name> links to bin.
  const store = join(krewRoot, 'store', 'multus', version);
  mkdirSync(store, { recursive: true });
  mkdirSync(join(krewRoot, 'bin'), { recursive: true });
  const plat = installed.find((i) => i.platform === 'linux/amd64')!;
  for (const f of plat.files) {
    mkdirSync(dirname(join(store, f.name)), { recursive: true });
    writeFileSync(join(store, f.name), f.data);
    chmodSync(join(store, f.name), f.mode);
  }
  symlinkSync(join(store, host.spec.platforms[0].bin), join(krewRoot, 'bin', 'kubectl-multus'));
  // The caveat's completion step, as a user would run it (with $HOME/.krew = krewRoot).
  const cp = /cp "\$HOME\/\.krew\/(store\/multus\/[^"]+)" "\$HOME\/\.krew\/bin\/"/.exec(manifest.spec.caveats);
  expect(cp, 'caveat with the cp command').not.toBeNull();
  copyFileSync(join(krewRoot, cp![1]!), join(krewRoot, 'bin', 'kubectl_complete-multus'));
  chmodSync(join(krewRoot, 'bin', 'kubectl_complete-multus'), 0o755);
  // No Node on this PATH: the plugin must not need it. kubectl's own dir and /bin (sh) only.
  env = {
    PATH: [join(krewRoot, 'bin'), dirname(kubectl), '/usr/bin', '/bin'].join(':'),
    HOME: work,
    KUBECONFIG: join(work, 'no-kubeconfig'),
  };
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const k = (args: string[], o: { input?: string } = {}) => run(kubectl!, args, { env, cwd: work, ...o });

describe.skipIf(!kubectl)('installed through krew layout, run through the real kubectl', () => {
  it('kubectl plugin list finds kubectl-multus without warnings', async () => {
    const r = await k(['plugin', 'list']);
    expect(r.stdout).toContain(join(krewRoot, 'bin', 'kubectl-multus'));
    expect(r.stderr).not.toMatch(/warning/i);
  });

  it('`kubectl multus version` runs the single executable (no Node on PATH)', async () => {
    const r = await k(['multus', 'version']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^kubectl-multus ${version.slice(1).replace(/\./g, '\\.')} \\(commit \\S+, bun \\S+ single executable linux/x64\\)`,
      ),
    );
  });

  it('`kubectl multus lint -f` passes a valid NAD (examples/) and fails a broken one with exit 1', async () => {
    const good = join(ROOT, 'examples', 'nads', 'macvlan-host-local.yaml');
    const ok = await k(['multus', 'lint', '-f', good, '-o', 'json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).summary.errors).toBe(0);
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, readFileSync(good, 'utf8').replace(/"type":/, '"type" '));
    const r = await k(['multus', 'lint', '-f', bad, '-o', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { id: string }) => f.id)).toContain('nad-config-invalid-json');
  });

  const complete = async (...words: string[]) => {
    const r = await k(['__complete', 'multus', ...words]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.replace(/\n$/, '').split('\n');
    return { values: lines.slice(0, -1).map((l) => l.split('\t')[0]), last: lines.at(-1) };
  };

  it('kubectl completes the subcommands through kubectl_complete-multus', async () => {
    const c = await complete('');
    expect(c.values).toEqual(expect.arrayContaining(['lint', 'explain', 'version', 'check', 'completion']));
    expect(c.last).toBe(':4');
  });

  it('kubectl completes check ids for explain and --ignore, and lint flags', async () => {
    expect((await complete('explain', '')).values.sort()).toEqual([...CHECK_IDS].sort());
    expect((await complete('lint', '--ignore', '')).values.sort()).toEqual([...CHECK_IDS].sort());
    expect((await complete('lint', '--f')).values).toEqual(['--fail-on', '--filename']);
  });
});
