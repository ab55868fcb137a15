/**
 * The npm route: `npm pack` on a checkout without dist/ (prepack must build it), then
 * `npm install -g` of that tarball into a temporary prefix, then the commands on PATH.
 * Installing pulls the runtime dependencies from the npm registry (or npm's cache).
 */
import { cpSync, existsSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { run, tempDir } from './support.js';

const work = tempDir('npm');
const prefix = join(work, 'prefix');
let env: NodeJS.ProcessEnv;
let tarball: string;

beforeAll(async () => {
  const src = join(work, 'src');
  // A checkout as a fresh clone has it: sources, no dist/; node_modules shared to save the install.
  cpSync(ROOT, src, {
    recursive: true,
    filter: (p) => !/\/(node_modules|dist|\.git|coverage|\.vitest-tmp)$/.test(p) && !p.endsWith('.tgz'),
  });
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
  const npmEnv = {
    ...process.env,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  const pack = await run('npm', ['pack', '--pack-destination', work], { cwd: src, env: npmEnv, timeoutMs: 300_000 });
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.stdout}\n${pack.stderr}`);
  tarball = join(
    work,
    readdirSync(work).find((f) => f.endsWith('.tgz'))!,
  );
  const inst = await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', tarball], {
    cwd: work,
    env: npmEnv,
    timeoutMs: 600_000,
  });
  if (inst.code !== 0) throw new Error(`npm install -g failed:\n${inst.stdout}\n${inst.stderr}`);
  // PATH as after `npm i -g`: the prefix's bin first, then node (the bins are Node scripts).
  env = { PATH: [join(prefix, 'bin'), dirname(process.execPath), '/usr/bin', '/bin'].join(':'), HOME: work };
}, 900_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm i -g kubectl-multus (from the packed tarball)', () => {
  it('puts kubectl-multus on PATH and it runs', async () => {
    const r = await run('kubectl-multus', ['version', '-o', 'json'], { env, cwd: work });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).runtime).toMatch(/^node /);
  });

  it('lints a NAD from the installed package', async () => {
    const nad = join(ROOT, 'examples', 'nads', 'macvlan-host-local.yaml');
    const r = await run('kubectl-multus', ['lint', '-f', nad, '-o', 'json'], { env, cwd: work });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ apiVersion: 'kubectl-multus/v1', summary: { errors: 0 } });
  });

  it('installs the kubectl_complete-multus helper, which answers the completion protocol', async () => {
    const r = await run('kubectl_complete-multus', [''], { env, cwd: work });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split('\t')[0])).toContain('lint');
    expect(lines.at(-1)).toBe(':4');
  });

  it('the tarball carries the built CLI but not the release artefacts', async () => {
    const pkgDir = join(prefix, 'lib', 'node_modules', 'kubectl-multus');
    expect(existsSync(join(pkgDir, 'dist', 'cli', 'kubectl-multus.mjs'))).toBe(true);
    expect(existsSync(join(pkgDir, 'dist', 'release'))).toBe(false);
    expect(existsSync(join(pkgDir, 'LICENSE'))).toBe(true);
  });
});
