import type { Distribution } from '../snapshot/types.js';
import type { Analysis } from './analysis.js';

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** Findings counted by severity: the `summary` of a run and of the output contract. */
export function summarize(findings: Array<{ severity: Severity }>): {
  errors: number;
  warnings: number;
  infos: number;
} {
  return {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    infos: findings.filter((f) => f.severity === 'info').length,
  };
}

export type { Subject, Evidence } from '../model/subject.js';
import type { Subject, Evidence } from '../model/subject.js';

export interface Finding {
  id: string;
  severity: Severity;
  subject: Subject;
  message: string;
  evidence: Evidence[];
  fix: string;
  /**
   * Internal (not in the output contract): collectors whose missing data this verdict needed. A
   * collection error of an auxiliary collector (engine.ts AUXILIARY_COLLECTORS) makes the run
   * incomplete (exit 2) only when some finding names it here.
   */
  needs?: string[];
}

type CheckCategory = 'install' | 'nad' | 'pod' | 'flannel' | 'probe';

export interface CheckMeta {
  /** Stable id from CHECKS.md. Never changes once shipped. */
  id: string;
  title: string;
  /** Default severity; a check may emit a different one where CHECKS.md says E/W. */
  severity: Severity;
  category: CheckCategory;
  /**
   * `objects`: judges NADs/pods/workloads and works offline on manifests (`lint`).
   * `cluster`: needs cluster or node data and only runs on cluster snapshots.
   */
  scope: 'objects' | 'cluster';
  /** Distributions the check runs on (the engine skips it elsewhere); `all` for every one. */
  distributions: Distribution[] | 'all';
  /** One paragraph: why this matters. The full page is docs/checks/<id>.md. */
  doc: string;
  /**
   * Where `--fix` can apply this check's fix: `files` (`lint --fix` rewrites manifests), `cluster`
   * (`check --fix` patches Kubernetes objects). Absent: the fix is printed only (node files, binaries).
   */
  fixable?: readonly FixTarget[];
}

export type FixTarget = 'files' | 'cluster';

export interface Check {
  meta: CheckMeta;
  /** Pure: reads the analysis (which is derived from the snapshot), returns findings. */
  run(a: Analysis): Finding[];
}

/** Whether the engine runs a check on a snapshot of this distribution. */
export function runsOn(meta: CheckMeta, distribution: Distribution): boolean {
  return meta.distributions === 'all' || meta.distributions.includes(distribution);
}

export function defineCheck(meta: CheckMeta, run: (a: Analysis) => Finding[]): Check {
  return { meta, run };
}
