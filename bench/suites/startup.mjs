// Start-up cost of the CLI relative to Node itself, measured in the same run so that the machine's
// speed cancels out. Wall time is the median of N runs (cases interleaved, after warm-up); peak RSS
// comes from /usr/bin/time -v when present, else from the child's own process.resourceUsage().
// Targets (docs/architecture.md: `lint`, `--help` and `version` start as fast as Node itself):
// version ≤ 1.15× `node -e 0`, lint of the whole corpus ≤ 1.5×.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'kubectl-multus');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const RSS_RUNS = Number(process.env.BENCH_RSS_RUNS ?? 3);
const WARMUP = 2;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function hasTimeV() {
  try {
    accessSync('/usr/bin/time', constants.X_OK);
    return spawnSync('/usr/bin/time', ['-v', 'true'], { encoding: 'utf8' }).stderr.includes(
      'Maximum resident set size',
    );
  } catch {
    return false;
  }
}

export async function run() {
  const cases = [
    { case: 'node -e 0', argv: ['-e', '0'], baseline: true },
    { case: 'kubectl-multus version', argv: [BIN, 'version'], target: 1.15 },
    { case: 'kubectl-multus --help', argv: [BIN, '--help'] },
    { case: 'kubectl-multus explain nad-config-invalid-json', argv: [BIN, 'explain', 'nad-config-invalid-json'] },
  ];
  const nads = join(CORPUS, 'nads');
  const pods = join(CORPUS, 'pod-annotations');
  if (existsSync(nads) && existsSync(pods)) {
    // Findings (1) and the corpus's unrendered templates (2) are expected exit codes here.
    cases.push({
      case: 'kubectl-multus lint (corpus: nads + pod-annotations)',
      argv: [BIN, 'lint', '-f', nads, '-f', pods, '-o', 'json'],
      target: 1.5,
      okCodes: [0, 1, 2],
    });
  }

  const exec = (c) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, c.argv, {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (!(c.okCodes ?? [0]).includes(r.status))
      throw new Error(`${c.case}: exit ${r.status}: ${String(r.stderr).slice(0, 300)}`);
    return ms;
  };

  for (let i = 0; i < WARMUP; i++) for (const c of cases) exec(c);
  const times = new Map(cases.map((c) => [c, []]));
  // Interleave the cases so that a burst of load on the machine hits all of them alike.
  for (let i = 0; i < RUNS; i++) for (const c of cases) times.get(c).push(exec(c));

  const rss = new Map(cases.map((c) => [c, []]));
  const timeV = hasTimeV();
  const tmp = mkdtempSync(join(tmpdir(), 'km-bench-'));
  try {
    const hook = join(tmp, 'rss.mjs');
    writeFileSync(
      hook,
      "import { appendFileSync } from 'node:fs';\nprocess.on('exit', () => appendFileSync(process.env.KM_RSS_FILE, process.resourceUsage().maxRSS + '\\n'));\n",
    );
    for (let i = 0; i < RSS_RUNS; i++) {
      for (const c of cases) {
        if (timeV) {
          const r = spawnSync('/usr/bin/time', ['-v', process.execPath, ...c.argv], {
            cwd: ROOT,
            stdio: ['ignore', 'ignore', 'pipe'],
            encoding: 'utf8',
          });
          const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
          if (m) rss.get(c).push(Number(m[1]) / 1024);
        } else {
          const out = join(tmp, 'rss.txt');
          writeFileSync(out, '');
          spawnSync(process.execPath, ['--import', hook, ...c.argv], {
            cwd: ROOT,
            stdio: 'ignore',
            env: { ...process.env, KM_RSS_FILE: out },
          });
          const kb = Number(readFileSync(out, 'utf8').trim().split('\n').pop());
          if (kb > 0) rss.get(c).push(kb / 1024);
        }
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const base = median(times.get(cases[0]));
  return cases.map((c) => {
    const wallMs = median(times.get(c));
    const ratio = wallMs / base;
    const row = { case: c.case, runs: RUNS, wallMs, rssMb: rss.get(c).length ? median(rss.get(c)) : undefined, ratio };
    if (c.baseline) row.note = `baseline${timeV ? '' : ' (RSS via resourceUsage)'}`;
    if (c.target) {
      row.target = `≤ ${c.target}×`;
      row.pass = ratio <= c.target;
    }
    return row;
  });
}
