/** Shared by commands that report findings: pick the reporter, compute the exit code. */
import type { CollectionError } from '../snapshot/types.js';
import type { Finding } from '../checks/types.js';
import type { Analysis } from '../checks/analysis.js';
import { ALL_CHECKS } from '../checks/index.js';
import { exitCodeFor, type FailOn } from '../engine.js';
import { reporterFor } from '../report/reporters.js';
import { VERSION } from '../version.js';
import { useColor, type Io } from './io.js';

import type { OutputFormat } from './formats.js';
export { type OutputFormat } from './formats.js';

export interface EmitOptions {
  output: OutputFormat;
  color?: boolean;
  failOn: FailOn;
  chain?: boolean;
  scopeNote?: string;
  /** Input errors (files that could not be processed) count toward exit 2. */
  inputErrors?: CollectionError[];
}

export function emitFindings(
  io: Io,
  findings: Finding[],
  errors: CollectionError[],
  analysis: Analysis | undefined,
  o: EmitOptions,
): number {
  const allErrors = [...(o.inputErrors ?? []), ...errors];
  io.out(
    reporterFor(o.output).render({
      findings,
      errors: allErrors,
      analysis,
      checks: ALL_CHECKS,
      version: VERSION,
      cwd: io.cwd,
      color: useColor(io, o.color),
      tty: io.stdoutIsTTY,
      chain: o.chain,
      scopeNote: o.scopeNote,
    }),
  );
  return exitCodeFor(findings, allErrors, o.failOn);
}
