/** Shared by commands that report findings: pick the reporter, compute the exit code. */
import type { CollectionError } from '../snapshot/types.js';
import type { Finding } from '../checks/types.js';
import type { Analysis } from '../checks/analysis.js';
import { ALL_CHECKS } from '../checks/index.js';
import { exitCodeFor, type FailOn } from '../engine.js';
import { toReport } from '../report/contract.js';
import { renderJson } from '../report/json.js';
import { renderYaml } from '../report/yaml.js';
import { renderSarif } from '../report/sarif.js';
import { renderHuman } from '../report/human.js';
import { VERSION } from '../version.js';
import { useColor, type Io } from './io.js';

import type { OutputFormat } from './formats.js';
export { OUTPUT_FORMATS, type OutputFormat } from './formats.js';

export interface EmitOptions {
  output: OutputFormat;
  color?: boolean;
  failOn: FailOn;
  chain?: boolean;
  scopeNote?: string;
  /** Input errors (files that could not be processed) count toward exit 2. */
  inputErrors?: CollectionError[];
}

export function emitFindings(io: Io, findings: Finding[], errors: CollectionError[], analysis: Analysis | undefined, o: EmitOptions): number {
  const allErrors = [...(o.inputErrors ?? []), ...errors];
  switch (o.output) {
    case 'json':
      io.out(renderJson(toReport(findings, allErrors)));
      break;
    case 'yaml':
      io.out(renderYaml(toReport(findings, allErrors)));
      break;
    case 'sarif':
      io.out(renderSarif(findings, allErrors, ALL_CHECKS, VERSION, io.cwd));
      break;
    default: {
      const color = useColor(io, o.color);
      io.out(renderHuman(findings, allErrors, analysis, { color, tty: io.stdoutIsTTY, chain: o.chain, scopeNote: o.scopeNote }));
    }
  }
  return exitCodeFor(findings, allErrors, o.failOn);
}
