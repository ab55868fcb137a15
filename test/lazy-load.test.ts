/**
 * `lint`, `--help`, `version` and `explain` must start as fast as Node itself, so they must never
 * load @kubernetes/client-node (it lives in a lazily imported chunk of the bundle). We run the
 * built CLI with a module `load` hook that records every file it loads, then look for the
 * client's code in those files. The client is bundled (no node_modules path to spot), so we
 * recognise it by string literals of its KubeConfig class, which survive minification.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from './helpers/cli.js';

/** Error texts of @kubernetes/client-node's KubeConfig (dist/config.js): only that library has them. */
const CLIENT_MARKERS = [
  'HTTP protocol is not allowed when skipTLSVerify is not set or false',
  'Unsupported proxy type',
];

const tmp = mkdtempSync(join(tmpdir(), 'km-lazy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const hooks = join(tmp, 'hooks.mjs');
writeFileSync(
  hooks,
  `import { appendFileSync } from 'node:fs';
let log;
export async function initialize(data) { log = data.log; }
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(log, url + '\\n');
  return next(url, context);
}
`,
);

function loadedFiles(args: string[], entry: string = BIN): { files: string[]; code: number } {
  const log = join(tmp, `loaded-${args.join('_').replace(/\W/g, '-')}.txt`);
  writeFileSync(log, '');
  const register = join(tmp, `register-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)}, { data: { log: ${JSON.stringify(log)} } });\n`,
  );
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, entry, ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp' },
    encoding: 'utf8',
  });
  const files = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((u) => fileURLToPath(u));
  return { files, code: r.status ?? -1 };
}

const hasClient = (file: string) => {
  const text = readFileSync(file, 'utf8');
  return CLIENT_MARKERS.some((m) => text.includes(m));
};

function distFiles(dir = join(ROOT, 'dist', 'cli')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? distFiles(join(dir, e.name)) : e.name.endsWith('.mjs') ? [join(dir, e.name)] : [],
  );
}

describe('lazy loading of the Kubernetes client', () => {
  it('the client is in the bundle, in a chunk of its own (so this test can see it)', () => {
    const withClient = distFiles().filter(hasClient);
    expect(withClient.length).toBeGreaterThan(0);
    expect(withClient).not.toContain(join(ROOT, 'dist', 'cli', 'kubectl-multus.mjs'));
  });

  it.each([
    ['lint', ['lint', '-f', 'examples/nads/bridge-static.yaml']],
    ['--help', ['--help']],
    ['version', ['version']],
    ['explain', ['explain', 'nad-config-invalid-json']],
    ['explain --list', ['explain', '--list']],
  ])('%s does not load it', (_name, args) => {
    const { files, code } = loadedFiles(args);
    expect(code).toBe(0);
    const dist = files.filter((f) => f.startsWith(join(ROOT, 'dist')));
    expect(dist.length, 'the load hook saw the bundle').toBeGreaterThan(0);
    expect(dist.filter(hasClient)).toEqual([]);
  });

  it('the hook does record the client chunk when it is loaded (control)', () => {
    const chunk = distFiles().find(hasClient)!;
    const script = join(tmp, 'load-client.mjs');
    writeFileSync(script, `await import(${JSON.stringify(pathToFileURL(chunk).href)});\n`);
    const { files, code } = loadedFiles([], script);
    expect(code).toBe(0);
    expect(files).toContain(chunk);
  });
});
