// Live `check` against a generated fake cluster of 500 nodes, 2,000 NADs and 20,000 pods with
// 20 ms per request (test/fake-cluster generator), the CLI built and run as a child process.
// Reported: wall time, API requests by verb and execs (counted by the fake server), peak RSS (the
// CLI's own, from -v), next to the ideal: every list call in parallel (so the longest paginated
// list, pods at 500 per page) plus ⌈nodes/concurrency⌉ exec round trips, one round (concurrency
// execs at once) being measured on the same server just before. CLI start-up counts in the wall.
// Targets: ≤ 1 exec per node, wall ≤ 1.3× ideal, RSS ≤ 200 MB.
// BENCH_CLUSTER_NODES / _NADS / _PODS / _LATENCY shrink it for a quick look.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'kubectl-multus');
const NODES = Number(process.env.BENCH_CLUSTER_NODES ?? 500);
const NADS = Number(process.env.BENCH_CLUSTER_NADS ?? 2000);
const PODS = Number(process.env.BENCH_CLUSTER_PODS ?? 20000);
const LATENCY = Number(process.env.BENCH_CLUSTER_LATENCY ?? 20);
const CONCURRENCY = 10;
const PAGE = 500;
// A multus image with a shell, so node data comes from one exec into each node's multus pod.
const IMAGE = 'registry.example.com/multus-cni:v4.1.4-debug';

/** Bundle the fake cluster and the exec path of the CLI (TypeScript) for this plain-node script. */
async function loadHarness() {
  // the fake cluster plus calibrate()
  const outfile = join(ROOT, 'node_modules', '.cache', 'bench-cluster', 'harness.mjs');
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    stdin: {
      contents: ["export { startFakeCluster, generateScenario } from './test/fake-cluster/index.ts';"].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return import(pathToFileURL(outfile).href);
}

function runCli(args) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: '/nonexistent' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
  });
}

/**
 * One exec round trip as the CLI experiences it, on this machine: on a cluster of CONCURRENCY
 * nodes (one round), the wall time of `check` minus that of `check --inspect-nodes never` (same
 * start-up and lists). Median of 3 pairs. On this machine the fake runs every node's script, so a
 * round is bounded by its CPUs; the ratio below isolates what the CLI adds on top.
 */
async function execRoundTrip(h) {
  const fc = await h.startFakeCluster(
    h.generateScenario({ nodes: CONCURRENCY, nads: 40, pods: 400, latencyMs: LATENCY, multusImage: IMAGE }),
  );
  try {
    warm(fc);
    const diffs = [];
    for (let i = 0; i < 3; i++) {
      // fresh container trees for every run, as in the measured run
      const never = await runCli([
        'check',
        '--kubeconfig',
        fc.kubeconfigPath,
        '-o',
        'json',
        '--inspect-nodes',
        'never',
      ]);
      const auto = await runCli([
        'check',
        '--kubeconfig',
        fc.kubeconfigPath,
        '-o',
        'json',
        '--concurrency',
        String(CONCURRENCY),
      ]);
      if (auto.code > 1) throw new Error(`calibration check exited ${auto.code}: ${auto.stderr.slice(-500)}`);
      diffs.push(auto.ms - never.ms);
    }
    diffs.sort((a, b) => a - b);
    return Math.max(diffs[1], LATENCY);
  } finally {
    await fc.close();
  }
}

/**
 * The fake writes each pod's file tree (hostPath mirrors, sysfs, an `ip` stand-in) synchronously on
 * its first exec, ~0.1 s of the fake's own event loop per pod: test-harness cost that no real
 * cluster has. Build every multus pod's tree before timing, in both measurements.
 */
function warm(fc) {
  for (const p of fc.world.store.peekAll('pods'))
    if (p.metadata.name.startsWith('kube-multus-ds-')) fc.fs.container(p, 'kube-multus');
}

export async function run() {
  const h = await loadHarness();
  const scenario = h.generateScenario({ nodes: NODES, nads: NADS, pods: PODS, latencyMs: LATENCY, multusImage: IMAGE });
  // calibrate first, on its own small cluster, before the big one takes memory
  const rtt = await execRoundTrip(h);
  const fc = await h.startFakeCluster(scenario);
  try {
    warm(fc);
    fc.resetStats();
    const r = await runCli([
      'check',
      '--kubeconfig',
      fc.kubeconfigPath,
      '-o',
      'json',
      '-v',
      '--concurrency',
      String(CONCURRENCY),
    ]);
    if (r.code !== 0 && r.code !== 1) throw new Error(`check exited ${r.code}: ${r.stderr.slice(-2000)}`);
    const report = JSON.parse(r.stdout);
    const stats = fc.stats();
    const rss = Number(/peak RSS (\d+) MB/.exec(r.stderr)?.[1] ?? NaN);
    const podPages = Math.ceil(PODS / PAGE);
    const listChain = podPages * LATENCY;
    const execRounds = Math.ceil(NODES / CONCURRENCY);
    const ideal = listChain + execRounds * rtt;
    const execsPerNode = stats.exec.total / NODES;
    const verbs = Object.entries(stats.byVerb)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    const inspected = report.errors.length === 0 ? 'complete' : `${report.errors.length} collection errors`;
    return [
      {
        case: `check: ${NODES} nodes, ${NADS} NADs, ${PODS} pods, ${LATENCY} ms/request (ideal ${ideal.toFixed(0)} ms = ${podPages} pod pages × ${LATENCY} ms + ${execRounds} rounds of ${CONCURRENCY} execs × ${rtt.toFixed(0)} ms)`,
        runs: 1,
        wallMs: r.ms,
        rssMb: rss,
        ratio: r.ms / ideal,
        target: '≤ 1.3× ideal',
        pass: r.ms <= 1.3 * ideal,
        note: inspected,
      },
      { case: `API requests (${stats.requests}): ${verbs}`, runs: 1, note: `${stats.exec.total} execs` },
      { case: 'execs per node', runs: 1, ratio: execsPerNode, target: '≤ 1', pass: execsPerNode <= 1 },
      { case: 'peak RSS of the CLI', runs: 1, rssMb: rss, target: '≤ 200 MB', pass: rss <= 200 },
    ];
  } finally {
    await fc.close();
  }
}
