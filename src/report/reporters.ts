/**
 * The one output path: one `Reporter` per `-o` format, for findings (check, lint, probe), for
 * lists (status, nads, cleanup) and for the Kubernetes object attach/detach wrote. Commands hand over
 * what they found; nothing outside src/report/ switches on the format.
 */
import type { CollectionError } from '../snapshot/types.js';
import type { Check, Finding } from '../checks/types.js';
import type { Analysis } from '../checks/analysis.js';
import { toListReport, toReport } from './contract.js';
import { renderJson } from './json.js';
import { renderYaml } from './yaml.js';
import { renderSarif } from './sarif.js';
import { renderHuman } from './human.js';
import { renderColumns } from './columns.js';
import { paint, type Paint } from './paint.js';
import { renderObjectJson, renderObjectYaml } from './object.js';
import type { ListFormat, ObjectFormat, OutputFormat } from './formats.js';

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

/** One column of a list: its header and the cell of an item (escaped by the command, as it may paint parts). */
export interface ListColumn<T> {
  head: string;
  cell: (item: T, c: Paint, wide: boolean) => string;
  /** Shown only with `-o wide`. */
  wide?: boolean;
}

export interface ListOutput<T> {
  /** The `kind` of the list envelope (`toListReport`) in json/yaml. */
  kind: string;
  items: T[];
  errors: CollectionError[];
  columns: ListColumn<T>[];
  color: boolean;
  tty: boolean;
  /** Said to a person (stderr) instead of an empty table. */
  none?: string;
  /** Said to a person (stderr) after the table. */
  note?: string;
}

/** What a list renders to: the document (stdout) and what the table format tells a person (stderr). */
export interface ListRendered {
  out: string;
  err: string;
}

export interface Reporter {
  render(o: FindingsOutput): string;
  /** The list-shaped outputs; absent in a format that has no list form (sarif). */
  renderList?<T>(o: ListOutput<T>, wide: boolean): ListRendered;
  /** A Kubernetes object as `kubectl get -o` prints it; absent in a format kubectl has not (table, sarif). */
  renderObject?(obj: unknown): string;
}

function tableList<T>(o: ListOutput<T>, wide: boolean): ListRendered {
  if (o.items.length === 0) return { out: '', err: o.none ?? '' };
  const c = paint(o.color);
  const cols = o.columns.filter((col) => wide || !col.wide);
  const rows = o.items.map((item) => cols.map((col) => col.cell(item, c, wide)));
  return {
    out: renderColumns(
      cols.map((col) => col.head),
      rows,
      o.tty,
    ),
    err: o.note ?? '',
  };
}

export const REPORTERS: Record<OutputFormat, Reporter> = {
  json: {
    render: (o) => renderJson({ ...toReport(o.findings, o.errors), ...o.extra }),
    renderList: (o) => ({ out: renderJson(toListReport(o.kind, o.items, o.errors)), err: '' }),
    renderObject: renderObjectJson,
  },
  yaml: {
    render: (o) => renderYaml({ ...toReport(o.findings, o.errors), ...o.extra }),
    renderList: (o) => ({ out: renderYaml(toListReport(o.kind, o.items, o.errors)), err: '' }),
    renderObject: renderObjectYaml,
  },
  sarif: { render: (o) => renderSarif(o.findings, o.errors, o.checks, o.version, o.cwd) },
  table: {
    render: (o) =>
      (o.preamble ?? '') +
      renderHuman(o.findings, o.errors, o.analysis, {
        color: o.color,
        tty: o.tty,
        chain: o.chain,
        scopeNote: o.scopeNote,
      }),
    renderList: tableList,
  },
};

/** The reporter of a format; an unknown one renders as the table, as `-o` defaults. */
export function reporterFor(format: OutputFormat | string): Reporter {
  return (REPORTERS as Record<string, Reporter>)[format] ?? REPORTERS.table;
}

/** A list in a list format; `wide` is the table with the wide columns. */
export function renderList<T>(format: ListFormat, o: ListOutput<T>): ListRendered {
  const wide = format === 'wide';
  const r = REPORTERS[wide ? 'table' : format];
  return (r.renderList ?? tableList)(o, wide);
}

/** The object attach/detach wrote, in an object format. */
export function renderObject(format: ObjectFormat, obj: unknown): string {
  return (REPORTERS[format].renderObject ?? renderObjectYaml)(obj);
}
