// Runs every benchmark suite in bench/suites/*.mjs and prints one table.
// A suite exports `async function run()` returning rows:
//   { case, runs?, wallMs?, rssMb?, ratio?, target?, pass?, note? }
// `npm run bench` builds first; `node bench/run.mjs startup` runs only the suites named.
// The exit code is 1 when a row with a target misses it, so CI can gate on it.
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Table from 'cli-table3';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const suites = readdirSync(join(here, 'suites'))
  .filter((f) => f.endsWith('.mjs'))
  .sort()
  .filter((f) => only.length === 0 || only.includes(basename(f, '.mjs')));

const rows = [];
for (const file of suites) {
  const name = basename(file, '.mjs');
  process.stderr.write(`bench: ${name} …\n`);
  const mod = await import(pathToFileURL(join(here, 'suites', file)).href);
  for (const r of await mod.run()) rows.push({ suite: name, ...r });
}

const fmt = (v, d = 1) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '—');
const table = new Table({
  head: ['suite', 'case', 'runs', 'median wall ms', 'peak RSS MB', 'ratio', 'target', 'result'],
  style: { head: [], border: [] },
});
for (const r of rows) {
  table.push([
    r.suite,
    r.case,
    r.runs ?? '—',
    fmt(r.wallMs),
    fmt(r.rssMb),
    typeof r.ratio === 'number' ? `${r.ratio.toFixed(2)}×` : '—',
    r.target ?? '—',
    r.pass === undefined ? (r.note ?? '') : r.pass ? 'pass' : 'FAIL',
  ]);
}
process.stdout.write(`node ${process.version}, ${cpus().length} CPU(s), ${cpus()[0]?.model ?? 'unknown CPU'}\n`);
process.stdout.write(table.toString() + '\n');
const failed = rows.filter((r) => r.pass === false);
if (failed.length > 0) {
  process.stdout.write(`${failed.length} target(s) missed: ${failed.map((r) => `${r.suite}/${r.case}`).join(', ')}\n`);
  process.exitCode = 1;
}
