// Release artefacts: start-up of the esbuild bundle under Node and of the single executable,
// against `node -e 0` and against `kubectl version --client` (a Go binary: what a plugin user
// compares with), measured interleaved in one run; plus build time and archive sizes.
// Targets (issue "Install like a kubectl plugin"): bundle under Node ≤ 1.15× `node -e 0`;
// single executable no slower than `kubectl version --client`.
// The release is built for all five platforms into a temporary directory (dist/release is left alone).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { release } from '../../scripts/release.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const WARMUP = 2;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function which(cmd) {
  const r = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export async function run() {
  const out = mkdtempSync(join(tmpdir(), 'km-bench-release-'));
  try {
    const s0 = performance.now();
    const summary = await release({ out });
    const buildMs = performance.now() - s0;

    const nad = join(out, 'nad.yaml');
    writeFileSync(
      nad,
      'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: macvlan\nspec:\n  config: \'{"cniVersion": "0.3.1", "type": "macvlan", "master": "eth0", "ipam": {"type": "host-local", "subnet": "192.168.1.0/24"}}\'\n',
    );
    const exe = join(out, 'linux_amd64', 'kubectl-multus');
    const bundle = join(out, 'node', 'kubectl-multus.mjs');
    const kubectl = which('kubectl');
    const commands = { version: ['version'], '--help': ['--help'], 'lint one NAD': ['lint', '-f', nad] };

    const cases = [{ case: 'node -e 0', file: process.execPath, args: ['-e', '0'], base: 'node' }];
    if (kubectl)
      cases.push({ case: 'kubectl version --client', file: kubectl, args: ['version', '--client'], base: 'kubectl' });
    for (const [name, argv] of Object.entries(commands)) {
      cases.push({ case: `bundle under node: ${name}`, file: process.execPath, args: [bundle, ...argv], vs: 'node' });
      cases.push({ case: `single executable: ${name}`, file: exe, args: argv, vs: 'kubectl' });
    }

    const exec = (c) => {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(c.file, c.args, {
        cwd: out,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(`${c.case}: exit ${r.status}: ${String(r.stderr).slice(0, 300)}`);
      return ms;
    };
    for (let i = 0; i < WARMUP; i++) for (const c of cases) exec(c);
    const times = new Map(cases.map((c) => [c, []]));
    for (let i = 0; i < RUNS; i++) for (const c of cases) times.get(c).push(exec(c));

    const med = new Map(cases.map((c) => [c, median(times.get(c))]));
    const baseMs = (b) => med.get(cases.find((c) => c.base === b));
    const rows = [];
    for (const c of cases) {
      const row = { case: c.case, runs: RUNS, wallMs: med.get(c) };
      if (c.vs === 'node')
        Object.assign(row, {
          ratio: med.get(c) / baseMs('node'),
          target: '≤ 1.15× node -e 0',
          pass: med.get(c) / baseMs('node') <= 1.15,
        });
      if (c.vs === 'kubectl') {
        if (kubectl)
          Object.assign(row, {
            ratio: med.get(c) / baseMs('kubectl'),
            target: '≤ 1× kubectl version',
            pass: med.get(c) <= baseMs('kubectl'),
          });
        row.note = `${(med.get(c) / baseMs('node')).toFixed(2)}× node -e 0`;
      }
      rows.push(row);
    }
    rows.push({
      case: `release build, 5 targets (${Object.keys(summary.timingsMs).length} steps)`,
      wallMs: buildMs,
      note: 'includes runtime downloads not yet cached',
    });
    for (const a of summary.artefacts) {
      rows.push({
        case: `archive ${a.archive}`,
        note: `${(a.bytes / 1e6).toFixed(1)} MB${a.executableBytes ? ` (executable ${(a.executableBytes / 1e6).toFixed(1)} MB)` : ''}`,
      });
    }
    return rows;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
