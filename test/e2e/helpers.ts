/**
 * End-to-end helpers: start the fake cluster in this process, run the BUILT CLI as a child
 * process (asynchronously, so the fake keeps answering), and read its JSON report.
 */
import { spawn, type ChildProcessByStdio, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Readable } from 'node:stream';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, cliCommand, type CliResult } from '../helpers/cli.js';
import { startFakeCluster, type FakeCluster } from '../fake-cluster/index.js';

const SCENARIO_DIR = join(ROOT, 'test', 'fake-cluster', 'scenarios');

export function scenarioPath(name: string): string {
  return join(SCENARIO_DIR, name.endsWith('.yaml') ? name : `${name}.yaml`);
}

/** The CLI must be built (`node scripts/build.mjs`); fail with a clear message when it is not. */
export function assertBuilt(): void {
  if (!process.env['KUBECTL_MULTUS_BIN'] && !existsSync(join(ROOT, 'dist', 'cli', 'kubectl-multus.mjs'))) {
    throw new Error(`the CLI is not built: run \`node scripts/build.mjs\` first (${BIN})`);
  }
}

export function runCliAsync(
  args: string[],
  o: { env?: Record<string, string>; timeoutMs?: number; onSpawn?: (pid: number) => void } = {},
): Promise<CliResult> {
  const cmd = cliCommand(args);
  const child = spawn(cmd.file, cmd.args, {
    cwd: ROOT,
    // No HOME kubeconfig and no KUBECONFIG leak from the machine running the tests.
    env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-kubectl-multus-home', ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid) o.onSpawn?.(child.pid);
  return settle(child, `CLI timed out after ${o.timeoutMs ?? 60_000} ms: ${args.join(' ')}`, o.timeoutMs ?? 60_000);
}

/** Collects a child's stdout and stderr until it closes; kills it and rejects after `timeoutMs`. */
export function settle(
  child: ChildProcessWithoutNullStreams | ChildProcessByStdio<null, Readable, Readable>,
  what: string,
  timeoutMs: number,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr });
    });
  });
}

export interface Report {
  apiVersion: string;
  findings: Array<{
    id: string;
    severity: string;
    subject: { kind: string; name: string; namespace?: string; node?: string };
    message: string;
    evidence: Array<Record<string, unknown>>;
    fix: string;
  }>;
  summary: { errors: number; warnings: number; infos: number };
  errors: Array<{
    collector: string;
    message: string;
    node?: string;
    resource?: string;
    namespace?: string;
    code?: string | number;
  }>;
}

export function parseReport(stdout: string): Report {
  try {
    return JSON.parse(stdout) as Report;
  } catch {
    throw new Error(`stdout is not a JSON report:\n${stdout.slice(0, 2000)}`);
  }
}

/** `check -o json` against a fake cluster started from a scenario file. */
export async function checkScenario(
  name: string,
  extra: string[] = [],
  o: { env?: Record<string, string> } = {},
): Promise<{ r: CliResult; report: Report; fc: FakeCluster }> {
  const fc = await startFakeCluster(scenarioPath(name));
  try {
    const r = await runCliAsync(['check', '--kubeconfig', fc.kubeconfigPath, '-o', 'json', ...extra], o);
    return { r, report: parseReport(r.stdout), fc };
  } finally {
    await fc.close();
  }
}

export const ids = (rep: Report, severity?: string) =>
  [...new Set(rep.findings.filter((f) => !severity || f.severity === severity).map((f) => f.id))].sort();

export { startFakeCluster, type FakeCluster };
