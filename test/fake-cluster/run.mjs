// Launcher for `npm run fake-cluster`: bundles the TypeScript sources with esbuild (already a
// devDependency, so no tsx needed) into node_modules/.cache and runs them with plain node.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(here, '..', '..', 'node_modules', '.cache', 'fake-cluster', 'cli.mjs');
await build({
  entryPoints: [join(here, 'cli.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
await import(pathToFileURL(outfile).href);
