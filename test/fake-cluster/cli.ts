/**
 * Standalone fake cluster: `npm run fake-cluster -- SCENARIO.yaml [--latency-ms N] [--port P] [--quiet]`.
 * Prints the kubeconfig path on stdout (first line), details and the request log on stderr, and
 * runs until Ctrl-C, when it prints the request/exec counters and cleans up.
 */
import { resolve } from 'node:path';
import { loadScenarioFile } from './scenario.js';
import { FakeCluster } from './server.js';

const USAGE = 'usage: npm run fake-cluster -- SCENARIO.yaml [--latency-ms N] [--port P] [--quiet]';

function parse(argv: string[]): { scenario: string; latencyMs?: number; port?: number; quiet: boolean } {
  let scenario: string | undefined;
  let latencyMs: number | undefined;
  let port: number | undefined;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): number => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      const n = Number(v);
      if (v === undefined || !Number.isInteger(n) || n < 0)
        throw new Error(`${a.split('=')[0]} needs a non-negative integer\n${USAGE}`);
      return n;
    };
    if (a === '--latency-ms' || a.startsWith('--latency-ms=')) latencyMs = value();
    else if (a === '--port' || a.startsWith('--port=')) port = value();
    else if (a === '--quiet' || a === '-q') quiet = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (!a.startsWith('-') && !scenario) scenario = a;
    else throw new Error(`unexpected argument ${a}\n${USAGE}`);
  }
  if (!scenario) throw new Error(USAGE);
  return {
    scenario,
    quiet,
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(port !== undefined ? { port } : {}),
  };
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  // npm runs scripts from the package root; resolve the path the user typed from where they were
  const path = resolve(process.env['INIT_CWD'] ?? process.cwd(), args.scenario);
  const scenario = loadScenarioFile(path);
  const log = args.quiet
    ? undefined
    : (line: string): void => void process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const fc = new FakeCluster(scenario, {
    ...(args.latencyMs !== undefined ? { latencyMs: args.latencyMs } : {}),
    ...(args.port !== undefined ? { port: args.port } : {}),
    ...(log ? { log } : {}),
  });
  await fc.listen();
  process.stdout.write(`${fc.kubeconfigPath}\n`);
  const users = scenario.cluster.users
    .map((u) => `${u.name} (${u.auth.join('+')}${u.groups.length ? `, groups ${u.groups.join(',')}` : ''})`)
    .join('; ');
  process.stderr.write(
    `fake-cluster: scenario "${scenario.name}" (${scenario.cluster.distribution} ${scenario.cluster.version}) at ${fc.url}\n` +
      `fake-cluster: users: ${users}; contexts <user> = client cert, <user>-token = bearer token\n` +
      `fake-cluster: try  KUBECONFIG=${fc.kubeconfigPath} kubectl get nodes\n` +
      `fake-cluster: counters at ${fc.url}/__fake/stats; Ctrl-C to stop\n`,
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`fake-cluster: counters ${JSON.stringify(fc.stats())}\n`);
    void fc.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`fake-cluster: ${(e as Error).message}\n`);
  process.exit(2);
});
