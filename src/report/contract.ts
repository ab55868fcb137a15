/** The versioned machine-readable output (`-o json|yaml`), as docs/output.md defines it. */
import type { CollectionError } from '../snapshot/types.js';
import { summarize, type Finding } from '../checks/types.js';

export const OUTPUT_API_VERSION = 'kubectl-multus/v1';

export interface Report {
  apiVersion: typeof OUTPUT_API_VERSION;
  findings: Finding[];
  summary: { errors: number; warnings: number; infos: number };
  errors: CollectionError[];
}

/** Normalise findings so that every array is present and keys come in the documented order. */
export function toReport(findings: Finding[], errors: CollectionError[]): Report {
  const norm = findings.map((f) => ({
    id: f.id,
    severity: f.severity,
    subject: { ...f.subject },
    message: f.message,
    evidence: (f.evidence ?? []).map((e) => ({ ...e })),
    fix: f.fix ?? '',
  }));
  return {
    apiVersion: OUTPUT_API_VERSION,
    findings: norm,
    summary: summarize(norm),
    errors: errors.map((e) => ({ ...e })),
  };
}

/** The envelope of the list-shaped outputs (`status -o json`, `nads -o json`), beside the findings envelope. */
export interface ListReport<T> {
  apiVersion: typeof OUTPUT_API_VERSION;
  kind: string;
  items: T[];
  errors: CollectionError[];
}

export function toListReport<T>(kind: string, items: T[], errors: CollectionError[]): ListReport<T> {
  return { apiVersion: OUTPUT_API_VERSION, kind, items, errors };
}
