/**
 * Drive one live collection for a command: open the session, install the Ctrl-C and --timeout
 * handlers (both cancel in-flight work; node-inspector pods are deleted before we return),
 * report progress on stderr, and hand back the snapshot with run statistics.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Snapshot } from '../snapshot/types.js';
import type { ClusterFlags } from '../cluster/kubeconfig.js';
import { openSession, type Session } from '../cluster/session.js';
import type { ClusterError } from '../cluster/errors.js';
import { CollectContext, type CollectOptions } from './context.js';
import { collectSnapshot } from './snapshot.js';
import { leftovers } from './leftovers.js';
import { redactDeep, type RedactionCounts } from './redact.js';

export interface LiveHooks {
  env: NodeJS.ProcessEnv;
  /** Write to stderr. */
  err: (s: string) => void;
  /** Print progress (stderr is a TTY, or -v). */
  progress: boolean;
  /** Progress lines overwrite each other (TTY). */
  tty: boolean;
  verbose: boolean;
}

interface RunStats {
  ms: number;
  requests: Record<string, number>;
  execs: number;
  maxRssMb: number;
}

/** Ctrl-C/SIGTERM ended the run; `leftovers` are the pods (`namespace/name`) its cleanup could not delete. */
export class Interrupted extends Error {
  constructor(
    message: string,
    readonly leftovers: string[] = [],
  ) {
    super(message);
  }
}

/** The one line an interrupted run ends with: what was cleaned up, or exactly what was not. */
export function interruptedMessage(e: Interrupted, what: string): string {
  if (e.leftovers.length === 0) return `interrupted: ${what}`;
  return `interrupted: could not delete pod${e.leftovers.length === 1 ? '' : 's'} ${e.leftovers.join(', ')}; they stop by themselves (activeDeadlineSeconds). Remove them with: kubectl multus cleanup`;
}

export function newRunId(): string {
  return randomBytes(3).toString('hex');
}

function progressPrinter(h: LiveHooks): { line: (s: string) => void; done: () => void } {
  if (!h.progress) return { line: () => undefined, done: () => undefined };
  let shown = false;
  return {
    line: (s) => {
      if (h.tty) {
        h.err(`\r\x1b[K${s}`);
        shown = true;
      } else h.err(`${s}\n`);
    },
    done: () => {
      if (shown) h.err('\r\x1b[K');
    },
  };
}

/** Abort on Ctrl-C (once; a second Ctrl-C exits at once) and after `timeoutMs`. */
function cancellation(
  timeoutMs: number,
  onTimeout: () => void,
): { signal: AbortSignal; abort: () => void; interrupted: () => boolean; dispose: () => void } {
  const ac = new AbortController();
  // Every in-flight request listens on this one signal.
  setMaxListeners(0, ac.signal);
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    ac.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const timer =
    timeoutMs > 0
      ? setTimeout(() => {
          onTimeout();
          ac.abort();
        }, timeoutMs)
      : undefined;
  timer?.unref();
  return {
    signal: ac.signal,
    abort: () => ac.abort(),
    interrupted: () => interrupted,
    dispose: () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
      if (timer) clearTimeout(timer);
    },
  };
}

function formatStats(s: RunStats): string {
  const total = Object.values(s.requests).reduce((a, b) => a + b, 0);
  const by = Object.entries(s.requests)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `collected in ${(s.ms / 1000).toFixed(2)}s: ${total} API requests (${by}), ${s.execs} exec${s.execs === 1 ? '' : 's'}, peak RSS ${s.maxRssMb} MB`;
}

function runStats(session: Session, started: number, execs: number): RunStats {
  return {
    ms: Date.now() - started,
    requests: { ...session.client.counts, ...(execs ? { exec: execs } : {}) },
    execs,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

/**
 * Run `work` against a live session with cancellation in place. Throws Interrupted after Ctrl-C
 * (cleanup already done).
 */
export async function withSession<T>(
  flags: ClusterFlags,
  h: LiveHooks,
  timeoutMs: number,
  work: (
    s: Session,
    signal: AbortSignal,
    progress: (msg: string) => void,
    timedOut: () => boolean,
    onFatal: (e: ClusterError) => void,
  ) => Promise<T>,
): Promise<T> {
  let timedOut = false;
  let fatal: ClusterError | undefined;
  const c = cancellation(timeoutMs, () => {
    timedOut = true;
  });
  // Credentials rejected or the server gone mid-run: stop everything and report that one cause.
  const onFatal = (e: ClusterError) => {
    if (!fatal) fatal = e;
    c.abort();
  };
  const pp = progressPrinter(h);
  try {
    const session = await openSession(flags, h.env, c.signal, { timeoutMs });
    const result = await work(session, c.signal, pp.line, () => timedOut, onFatal);
    if (c.interrupted()) throw new Interrupted('interrupted', leftovers());
    if (fatal) throw fatal;
    return result;
  } catch (e) {
    if (c.interrupted() && !(e instanceof Interrupted)) throw new Interrupted('interrupted', leftovers());
    throw e;
  } finally {
    pp.done();
    c.dispose();
  }
}

interface LiveCollectOptions extends Omit<CollectOptions, 'signal' | 'progress' | 'runId'> {
  timeoutMs: number;
}

/**
 * Collect a full snapshot (check, sysdump).
 * @public reached through the lazily imported module object, which knip cannot follow.
 */
export async function collectLive(
  flags: ClusterFlags,
  h: LiveHooks,
  o: LiveCollectOptions,
): Promise<{ snapshot: Snapshot; stats: RunStats }> {
  const started = Date.now();
  return withSession(flags, h, o.timeoutMs, async (session, signal, progress, timedOut, onFatal) => {
    const ctx = new CollectContext(session.client, session.exec, {
      ...o,
      signal,
      progress,
      onFatal,
      runId: newRunId(),
    });
    const collected = await collectSnapshot(ctx, session.serverVersion);
    const stats = collected.stats;
    // Every string (NAD configs, annotations, files, logs, events) goes through redaction before
    // anything is stored or printed; what was replaced is counted for sysdump's summary.
    const redactions: RedactionCounts = {};
    const snapshot = redactDeep(collected.snapshot, redactions);
    snapshot.redactions = redactions;
    if (timedOut()) {
      snapshot.errors.push({
        collector: 'timeout',
        message: `collection stopped after --timeout ${Math.round(o.timeoutMs / 1000)}s: the snapshot is incomplete`,
        code: 'ETIMEDOUT',
      });
    }
    const rs = runStats(session, started, stats.execs);
    if (h.verbose) h.err(`${formatStats(rs)}\n`);
    return { snapshot, stats: rs };
  });
}
