/** The versioned machine-readable output (`-o json|yaml`), as CHECKS.md defines it. */
import type { CollectionError } from '../snapshot/types.js';
import type { Finding } from '../checks/types.js';

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
    summary: {
      errors: norm.filter((f) => f.severity === 'error').length,
      warnings: norm.filter((f) => f.severity === 'warning').length,
      infos: norm.filter((f) => f.severity === 'info').length,
    },
    errors: errors.map((e) => ({ ...e })),
  };
}
