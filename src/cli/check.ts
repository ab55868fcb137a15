/** `kubectl multus check`: every check on a saved snapshot (--snapshot) or on the live cluster. */
import { readFileSync } from 'node:fs';
import { parseSnapshotText, SnapshotError } from '../snapshot/validate.js';
import { runChecks, type FailOn } from '../engine.js';
import { emitFindings, type OutputFormat } from './output.js';
import { loadToolConfig } from './config-file.js';
import { validateIgnoreIds } from './common.js';
import { InputError } from './exit.js';
import type { Io } from './io.js';
import type { Snapshot } from '../snapshot/types.js';

export interface CheckArgs {
  snapshot?: string;
  output: 'table' | 'json' | 'yaml' | 'sarif';
  ignore: string[];
  failOn?: FailOn;
  color?: boolean;
  config?: string;
}

export function readSnapshotFile(path: string, io: Io): Snapshot {
  let text: string;
  try {
    text = path === '-' ? io.readStdin() : readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read snapshot ${path}: ${code === 'ENOENT' ? 'no such file' : code ?? (e as Error).message}`);
  }
  try {
    return parseSnapshotText(text);
  } catch (e) {
    if (e instanceof SnapshotError) throw new InputError(`snapshot ${path} is not valid: ${e.message}`);
    throw e;
  }
}

export function checkSnapshot(io: Io, snapshot: Snapshot, a: CheckArgs): number {
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
  if (a.snapshot) return checkSnapshot(io, readSnapshotFile(a.snapshot, io), a);
  throw new InputError('live cluster collection is not available in this build yet; use --snapshot FILE');
}
