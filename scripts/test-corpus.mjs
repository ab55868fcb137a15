// `npm run test:corpus`: the tests that read the real-world corpus (test/helpers/corpus.ts), which
// is not part of this repository. Without it: one line, exit 0.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = resolve(root, process.env.KUBECTL_MULTUS_CORPUS ?? join('..', 'shared', 'corpus'));
if (!existsSync(corpus)) {
  console.log(`test:corpus: skipped, no corpus at ${corpus} (set KUBECTL_MULTUS_CORPUS to its folder)`);
  process.exit(0);
}
const npx = (args) =>
  spawnSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, KUBECTL_MULTUS_CORPUS: corpus },
  }).status ?? 1;
// Some corpus tests run the built CLI over every corpus file.
const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' }).status;
if (built !== 0) process.exit(built ?? 1);
process.exit(npx(['vitest', 'run', '--config', 'vitest.corpus.config.ts', ...process.argv.slice(2)]));
