// Bundles the CLI with esbuild: ESM with code splitting, so the lazily imported cluster modules
// (and @kubernetes/client-node) live in separate chunks that `lint`/`version` never load.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
let commit = process.env.KUBECTL_MULTUS_COMMIT ?? 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
    .toString()
    .trim();
} catch {
  /* not a git checkout (npm tarball) */
}

await import('./gen-pages.mjs').then(async (m) => {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(root, 'src', 'generated', 'check-pages.ts'), m.renderPagesModule());
});

rmSync(join(root, 'dist', 'cli'), { recursive: true, force: true });
await build({
  entryPoints: { 'kubectl-multus': join(root, 'src', 'cli', 'bin.ts') },
  outdir: join(root, 'dist', 'cli'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // jsonc-parser's CommonJS entry is a UMD wrapper esbuild cannot follow; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  minify: true,
  sourcemap: false,
  legalComments: 'linked',
  define: { __KM_VERSION__: JSON.stringify(pkg.version), __KM_COMMIT__: JSON.stringify(commit) },
  // Some CJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __kmCreateRequire } from 'node:module'; const require = __kmCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

// Prebuilt top-level help for the startup fast path (src/cli/fast-path.ts), produced by the real
// parser so the two cannot drift; COLUMNS is fixed so the wrap width does not depend on this shell.
{
  const { execFileSync: run } = await import('node:child_process');
  const { writeFileSync: write } = await import('node:fs');
  const help = run(process.execPath, [join(root, 'dist', 'cli', 'kubectl-multus.mjs'), '--help'], {
    env: { ...process.env, KUBECTL_MULTUS_NO_FASTPATH: '1', COLUMNS: '100', NO_COLOR: '1' },
  }).toString();
  write(join(root, 'dist', 'cli', 'help.txt'), help);
}
