/**
 * `kubectl multus sysdump -o FILE [--logs]`: everything `check` collects, as a redacted snapshot
 * that `check --snapshot FILE` reads back (and that can be attached to a bug report).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, lstatSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ClusterFlags } from '../cluster/kubeconfig.js';
import type { InspectionArgs } from './inspection-args.js';
import { collectForCommand } from './check.js';
import { InputError, UsageError } from './exit.js';
import type { Io } from './io.js';
import { escapeTerminal } from '../report/escape.js';
import { describeRedactions } from '../collect/redact.js';

export interface SysdumpArgs {
  file: string;
  logs: boolean;
  logLines: number;
  flags: ClusterFlags;
  inspection: InspectionArgs;
  verbose: boolean;
  /** Replace FILE when it exists. */
  force?: boolean;
}

/**
 * Write the snapshot as sysdump promises: never over an existing file unless --force (it could be
 * the kubeconfig in use), readable by the owner only (0600: it describes the cluster), and
 * atomically (a temp file in the same directory, renamed over the target), so an interrupted
 * write never leaves half a file under the name.
 */
function writeSnapshotFile(file: string, text: string, force: boolean): void {
  let exists = false;
  try {
    lstatSync(file);
    exists = true;
  } catch {
    /* absent */
  }
  if (exists && !force)
    throw new UsageError(`${file} already exists: choose another name, or add --force to replace it`);
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o600);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    if (existsSync(tmp)) unlinkSync(tmp);
    throw new InputError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export async function runSysdump(io: Io, a: SysdumpArgs): Promise<number> {
  if (a.inspection.printImages) {
    io.out(
      `${a.inspection.image}\tnode-inspector (a read-only pod per node when the multus pod cannot be exec'd into)\n`,
    );
    return 0;
  }
  // Refuse before spending minutes on the cluster (checked again when writing).
  if (a.file !== '-' && !a.force && existsSync(a.file))
    throw new UsageError(`${a.file} already exists: choose another name, or add --force to replace it`);
  const collected = await collectForCommand(io, a.flags, a.verbose, (flags, hooks, live) =>
    live.collectLive(flags, hooks, {
      namespace: undefined,
      inspectNodes: a.inspection.inspectNodes,
      inspectorImage: a.inspection.image,
      inspectorNamespace: a.inspection.inspectorNamespace,
      concurrency: a.inspection.concurrency,
      execTimeoutMs: a.inspection.execTimeoutMs,
      allLogs: a.logs,
      logLines: a.logs ? Math.max(1, a.logLines) : 30,
      timeoutMs: a.inspection.timeoutMs,
    }),
  );
  if (typeof collected === 'number') return collected;
  const s = collected.snapshot;
  const text = JSON.stringify(s, null, 2) + '\n';
  if (a.file === '-') io.out(text);
  else writeSnapshotFile(a.file, text, !!a.force);
  const nodes = s.nodes?.length ?? 0;
  const inspected = s.nodes?.filter((n) => n.inspection && !n.inspection.error).length ?? 0;
  const where = a.file === '-' ? 'snapshot written to stdout' : `wrote ${a.file}`;
  io.err(
    `${where}: ${nodes} node${nodes === 1 ? '' : 's'} (${inspected} inspected), ${s.nads.length} NADs, ${s.workloads.length} workloads, ${s.errors.length} collection error${s.errors.length === 1 ? '' : 's'}; secrets redacted: ${describeRedactions(s.redactions ?? {})}\n`,
  );
  for (const e of s.errors) io.err(`  ${e.collector}: ${escapeTerminal(e.message)}\n`);
  return s.errors.length ? 2 : 0;
}
