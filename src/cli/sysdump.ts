/**
 * `kubectl multus sysdump -o FILE [--logs]`: everything `check` collects, as a redacted snapshot
 * that `check --snapshot FILE` reads back (and that can be attached to a bug report).
 */
import { writeFileSync } from 'node:fs';
import type { ClusterFlags } from '../cluster/kubeconfig.js';
import type { InspectionArgs } from './cluster-commands.js';
import { collectForCommand } from './check.js';
import { InputError } from './exit.js';
import type { Io } from './io.js';
import { escapeTerminal } from '../report/escape.js';

export interface SysdumpArgs {
  file: string;
  logs: boolean;
  logLines: number;
  flags: ClusterFlags;
  inspection: InspectionArgs;
  verbose: boolean;
}

export async function runSysdump(io: Io, a: SysdumpArgs): Promise<number> {
  if (a.inspection.printImages) {
    io.out(`${a.inspection.image}\tnode-inspector (a read-only pod per node when the multus pod cannot be exec'd into)\n`);
    return 0;
  }
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
  else {
    try {
      writeFileSync(a.file, text);
    } catch (e) {
      throw new InputError(`cannot write ${a.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  const nodes = s.nodes?.length ?? 0;
  const inspected = s.nodes?.filter((n) => n.inspection && !n.inspection.error).length ?? 0;
  const where = a.file === '-' ? 'snapshot written to stdout' : `wrote ${a.file}`;
  io.err(
    `${where}: ${nodes} node${nodes === 1 ? '' : 's'} (${inspected} inspected), ${s.nads.length} NADs, ${s.workloads.length} workloads, ${s.errors.length} collection error${s.errors.length === 1 ? '' : 's'}; secrets redacted\n`,
  );
  for (const e of s.errors) io.err(`  ${e.collector}: ${escapeTerminal(e.message)}\n`);
  return s.errors.length ? 2 : 0;
}
