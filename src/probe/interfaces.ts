/**
 * What the test pod itself sees: `ip -j addr` (iproute2), falling back to `ip addr` for images
 * whose `ip` has no JSON output (BusyBox). argv only, never a shell string.
 */
import type { PodExec, ExecResult } from '../cluster/exec.js';
import { IP_EXEC_TIMEOUT_MS } from './request.js';
import { PROBE_CONTAINER } from './pod-spec.js';

export interface IpRead {
  output?: string;
  /** Which command produced `output`. */
  command?: string;
  error?: string;
}

function why(r: ExecResult): string {
  const text = (r.stderr || r.stdout || r.failure || '').trim().split(/\r?\n/)[0] ?? '';
  return `${text || 'no output'}${r.exitCode !== undefined && r.exitCode !== 0 ? ` (exit code ${r.exitCode})` : ''}`;
}

export async function readInterfaces(
  exec: PodExec,
  namespace: string,
  pod: string,
  signal: AbortSignal,
): Promise<IpRead> {
  const run = (argv: string[]) =>
    exec.run(namespace, pod, PROBE_CONTAINER, argv, {
      timeoutMs: IP_EXEC_TIMEOUT_MS,
      signal,
      maxBytes: 4 * 1024 * 1024,
    });
  const json = await run(['ip', '-j', 'addr']);
  if (json.exitCode === 0 && /^\s*\[/.test(json.stdout)) return { output: json.stdout, command: 'ip -j addr' };
  const plain = await run(['ip', 'addr']);
  if (plain.exitCode === 0 && plain.stdout.trim() !== '') return { output: plain.stdout, command: 'ip addr' };
  return {
    error: `\`ip addr\` failed in the test pod: ${why(plain)}; the probe image needs \`ip\` (iproute2 or BusyBox): pass one with --image`,
  };
}
