/** Run the built CLI (dist/) as a user would: a child process with args, stdin and env. */
import { spawnSync } from 'node:child_process';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
/** The real-world corpus (see helpers/corpus.ts): $KUBECTL_MULTUS_CORPUS, else shared/corpus beside the clone. */
export const CORPUS_DIR = resolve(ROOT, process.env['KUBECTL_MULTUS_CORPUS'] ?? join('..', 'shared', 'corpus'));
/** The folder holding `corpus/`; only corpus-suite tests read it. */
export const SHARED = dirname(CORPUS_DIR);
export const BIN = join(ROOT, 'bin', 'kubectl-multus');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * What to spawn for `kubectl-multus ARGS`: the bundle under this Node by default, or the file named
 * by KUBECTL_MULTUS_BIN (e.g. the release's single executable, dist/release/linux_amd64/kubectl-multus),
 * so the same suites can run against either. A relative path is taken from the repository root.
 */
export function cliCommand(args: string[]): { file: string; args: string[] } {
  const bin = process.env['KUBECTL_MULTUS_BIN'];
  if (bin) return { file: isAbsolute(bin) ? bin : join(ROOT, bin), args };
  return { file: process.execPath, args: [BIN, ...args] };
}

export function runCli(
  args: string[],
  o: { input?: string; env?: Record<string, string>; cwd?: string } = {},
): CliResult {
  const cmd = cliCommand(args);
  const r = spawnSync(cmd.file, cmd.args, {
    input: o.input ?? '',
    cwd: o.cwd ?? ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...o.env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
