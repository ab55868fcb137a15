/** `kubectl multus check`: every check on a saved snapshot (--snapshot) or on the live cluster. */
import { InputTooLarge, readFileBounded } from '../manifests/read.js';
import { parseSnapshotText, SnapshotError } from '../snapshot/validate.js';
import { runChecks, type FailOn } from '../engine.js';
import { emitFindings, type OutputFormat } from './output.js';
import { loadToolConfig } from './config-file.js';
import { validateIgnoreIds } from './common.js';
import { EXIT_INCOMPLETE, InputError, UsageError } from './exit.js';
import { escapeTerminal } from '../report/escape.js';
import type { Io } from './io.js';
import type { Snapshot } from '../snapshot/types.js';
import type { ClusterFlags } from '../cluster/kubeconfig.js';
import type { InspectionArgs } from './inspection-args.js';

export interface CheckArgs {
  snapshot?: string;
  output: 'table' | 'json' | 'yaml' | 'sarif';
  ignore: string[];
  failOn?: FailOn;
  color?: boolean;
  config?: string;
  printImages?: boolean;
  image?: string;
  /** Live collection (absent with --snapshot). */
  live?: {
    flags: ClusterFlags;
    inspection: InspectionArgs;
    allNamespaces: boolean;
    verbose: boolean;
    probe?: { image: string; timeoutMs: number };
  };
}

async function readSnapshotFile(path: string, io: Io): Promise<Snapshot> {
  let text: string;
  try {
    text = path === '-' ? await io.readStdin() : readFileBounded(path).toString('utf8');
  } catch (e) {
    if (e instanceof InputTooLarge)
      throw new InputError(`cannot read snapshot ${path === '-' ? 'from standard input' : path}: ${e.message}`);
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `cannot read snapshot ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? (e as Error).message)}`,
    );
  }
  if (text.trim() === '')
    throw new InputError(`cannot read snapshot ${path === '-' ? 'from standard input' : path}: no input`);
  try {
    return parseSnapshotText(text);
  } catch (e) {
    if (e instanceof SnapshotError) throw new InputError(`snapshot ${path} is not valid: ${e.message}`);
    throw e;
  }
}

function checkSnapshot(io: Io, snapshot: Snapshot, a: CheckArgs): number {
  const cfg = loadToolConfig(a.config, io.cwd);
  const ignore = validateIgnoreIds([...cfg.ignore, ...a.ignore]);
  const scopes: Array<'objects' | 'cluster'> | undefined = snapshot.source === 'manifests' ? ['objects'] : undefined;
  const result = runChecks(snapshot, { ignore, objectIgnores: cfg.objects, scopes });
  const nodes = snapshot.nodes?.length ?? 0;
  const note = `${nodes} node${nodes === 1 ? '' : 's'}, ${snapshot.nads.length} NADs, ${snapshot.workloads.length} workloads (${result.analysis.paths.label})`;
  return emitFindings(io, result.findings, result.errors, result.analysis, {
    output: a.output as OutputFormat,
    color: a.color,
    failOn: a.failOn ?? cfg.failOn ?? 'error',
    chain: true,
    scopeNote: note,
  });
}

export async function runCheck(io: Io, a: CheckArgs): Promise<number> {
  if (a.printImages) {
    io.out(`${a.image}\tnode-inspector (a read-only pod per node when the multus pod cannot be exec'd into)\n`);
    return 0;
  }
  if (a.snapshot) return checkSnapshot(io, await readSnapshotFile(a.snapshot, io), a);
  if (!a.live) throw new InputError('nothing to check: give --snapshot FILE or a cluster');
  // Validate ignores and the config before spending time on the cluster.
  const cfg = loadToolConfig(a.config, io.cwd);
  validateIgnoreIds([...cfg.ignore, ...a.ignore]);
  const live = a.live;
  if (live.probe && live.probe.timeoutMs <= 0) throw new UsageError('--probe-timeout must be greater than 0');
  const collected = await collectForCommand(
    io,
    live.flags,
    live.verbose,
    (flags, hooks, { collectLive }) =>
      collectLive(flags, hooks, {
        // check looks at the whole cluster unless -n narrows the pods/workloads it judges.
        namespace: live.allNamespaces ? undefined : live.flags.namespace,
        inspectNodes: live.inspection.inspectNodes,
        inspectorImage: live.inspection.image,
        inspectorNamespace: live.inspection.inspectorNamespace,
        concurrency: live.inspection.concurrency,
        execTimeoutMs: live.inspection.execTimeoutMs,
        allLogs: false,
        logLines: 30,
        timeoutMs: live.inspection.timeoutMs,
      }),
    undefined,
    // -o json/yaml/sarif promise one report on stdout, also when the cluster could not be read.
    a.output === 'table'
      ? undefined
      : (f) => {
          const err: import('../snapshot/types.js').CollectionError = { collector: 'cluster', message: f.message };
          if (f.code !== undefined) err.code = f.code;
          emitFindings(io, [], [err], undefined, {
            output: a.output as OutputFormat,
            color: a.color,
            failOn: a.failOn ?? cfg.failOn ?? 'error',
          });
        },
  );
  if (typeof collected === 'number') return collected;
  if (live.probe) {
    const { addProbes } = await import('./probe-for-check.js');
    const stop = await addProbes(io, live.flags, collected.snapshot, { ...live.probe, verbose: live.verbose });
    if (stop !== undefined) return stop;
  }
  return checkSnapshot(io, collected.snapshot, a);
}

type LiveModule = typeof import('../collect/live.js');

/**
 * Run a live collection for a command: progress on stderr (TTY or -v), and the failures that end
 * a run (no kubeconfig, unreachable server, TLS, 401, Ctrl-C) turned into one line and an exit
 * code. Returns the work's result, or the exit code to return.
 */
export async function collectForCommand<T>(
  io: Io,
  flags: ClusterFlags,
  verbose: boolean,
  work: (flags: ClusterFlags, hooks: import('../collect/live.js').LiveHooks, live: LiveModule) => Promise<T>,
  /** What an interruption left clean, for its one line (default: the node-inspector pods). */
  interruptedNote = 'node-inspector pods, if any, were deleted',
  /** Called with the one-line failure that ended the run (after it is printed on stderr). */
  onFailure?: (e: { message: string; code?: string | number }) => void,
): Promise<T | number> {
  const live = await import('../collect/live.js');
  const { KubeconfigError } = await import('../cluster/kubeconfig.js');
  const { ClusterError } = await import('../cluster/errors.js');
  const stderrTTY = !!process.stderr.isTTY;
  const hooks = { env: io.env, err: io.err, progress: verbose || stderrTTY, tty: stderrTTY && !verbose, verbose };
  try {
    return await work(flags, hooks, live);
  } catch (e) {
    if (e instanceof live.Interrupted) {
      io.err(`${live.interruptedMessage(e, interruptedNote)}\n`);
      return 130;
    }
    if (e instanceof KubeconfigError || e instanceof ClusterError) {
      io.err(`error: ${escapeTerminal(e.message)}\n`);
      onFailure?.({ message: e.message, code: e instanceof ClusterError ? e.code : undefined });
      return EXIT_INCOMPLETE;
    }
    throw e;
  }
}
