/**
 * The one output path for findings: one `Reporter` per `-o` format. Commands hand over what they
 * found; nothing outside src/report/ switches on the format.
 */
import type { CollectionError } from '../snapshot/types.js';
import type { Check, Finding } from '../checks/types.js';
import type { Analysis } from '../checks/analysis.js';
import { toReport } from './contract.js';
import { renderJson } from './json.js';
import { renderYaml } from './yaml.js';
import { renderSarif } from './sarif.js';
import { renderHuman } from './human.js';
import type { OutputFormat } from './formats.js';

export interface FindingsOutput {
  findings: Finding[];
  errors: CollectionError[];
  analysis: Analysis | undefined;
  /** Sections after the findings envelope in json/yaml (probe: its pods and pings). */
  extra?: Record<string, unknown>;
  /** Printed before the findings in table output (probe: its per-pod tables). */
  preamble?: string;
  /** The registry, for SARIF rules. */
  checks: Check[];
  version: string;
  cwd: string;
  color: boolean;
  tty: boolean;
  chain?: boolean;
  scopeNote?: string;
}

export interface Reporter {
  render(o: FindingsOutput): string;
}

const REPORTERS: Record<OutputFormat, Reporter> = {
  json: { render: (o) => renderJson({ ...toReport(o.findings, o.errors), ...o.extra }) },
  yaml: { render: (o) => renderYaml({ ...toReport(o.findings, o.errors), ...o.extra }) },
  sarif: { render: (o) => renderSarif(o.findings, o.errors, o.checks, o.version, o.cwd) },
  table: {
    render: (o) =>
      (o.preamble ?? '') +
      renderHuman(o.findings, o.errors, o.analysis, { color: o.color, tty: o.tty, chain: o.chain, scopeNote: o.scopeNote }),
  },
};

/** The reporter of a format; an unknown one renders as the table, as `-o` defaults. */
export function reporterFor(format: OutputFormat | string): Reporter {
  return (REPORTERS as Record<string, Reporter>)[format] ?? REPORTERS.table;
}
