/**
 * Runs checks over a snapshot: analysis → every applicable check → suppression → sorted findings.
 * Pure: no I/O. The CLI decides what to print and which exit code follows.
 */
import type { CollectionError, Snapshot } from './snapshot/types.js';
import { analyze, type Analysis } from './checks/analysis.js';
import { ALL_CHECKS } from './checks/index.js';
import { SEVERITY_RANK, runsOn, summarize, type Check, type Finding, type Severity } from './checks/types.js';
import { IGNORE_ANNOTATION } from './model/networks-annotation.js';
import { blockingErrors } from './checks/gaps.js';

export interface RunOptions {
  /** Check ids to drop entirely. */
  ignore?: string[];
  /** Per-object ignores from the config file: `kind/namespace/name` or `namespace/name` → ids. */
  objectIgnores?: Array<{ kind?: string; namespace?: string; name: string; ids: string[] }>;
  /** Restrict to checks of these scopes (lint runs only `objects`). */
  scopes?: Array<'objects' | 'cluster'>;
  /** Use this check list instead of the registry (tests). */
  checks?: Check[];
}

export interface RunResult {
  findings: Finding[];
  /** Collection errors from the snapshot plus checks that crashed. */
  errors: CollectionError[];
  analysis: Analysis;
  summary: { errors: number; warnings: number; infos: number };
}

function annotationIgnores(a: Analysis): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  const add = (kind: string, ns: string | undefined, name: string, v: string | undefined) => {
    if (!v) return;
    m.set(
      `${kind}/${ns ?? ''}/${name}`,
      new Set(
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    );
  };
  for (const n of a.nads) add(n.subject.kind, n.namespace, n.name, n.obj.annotations?.[IGNORE_ANNOTATION]);
  for (const w of a.workloads) {
    add(
      w.obj.kind,
      w.namespace,
      w.obj.name,
      w.obj.annotations?.[IGNORE_ANNOTATION] ?? w.obj.podAnnotations?.[IGNORE_ANNOTATION],
    );
  }
  return m;
}

function compareFindings(x: Finding, y: Finding): number {
  return (
    SEVERITY_RANK[y.severity] - SEVERITY_RANK[x.severity] ||
    (x.subject.namespace ?? '').localeCompare(y.subject.namespace ?? '') ||
    x.subject.kind.localeCompare(y.subject.kind) ||
    x.subject.name.localeCompare(y.subject.name) ||
    x.id.localeCompare(y.id) ||
    x.message.localeCompare(y.message)
  );
}

export function runChecks(snapshot: Snapshot, opts: RunOptions = {}): RunResult {
  const analysis = analyze(snapshot);
  const ignore = new Set(opts.ignore ?? []);
  const byAnnotation = annotationIgnores(analysis);
  const checks = (opts.checks ?? ALL_CHECKS).filter(
    (c) =>
      !ignore.has(c.meta.id) &&
      (!opts.scopes || opts.scopes.includes(c.meta.scope)) &&
      runsOn(c.meta, analysis.distribution),
  );
  const errors: CollectionError[] = [...snapshot.errors];
  const findings: Finding[] = [];
  for (const check of checks) {
    try {
      for (const f of check.run(analysis)) {
        const key = `${f.subject.kind}/${f.subject.namespace ?? ''}/${f.subject.name}`;
        if (byAnnotation.get(key)?.has(f.id)) continue;
        const objIgnored = opts.objectIgnores?.some(
          (o) =>
            o.name === f.subject.name &&
            (o.kind === undefined || o.kind === f.subject.kind) &&
            (o.namespace === undefined || o.namespace === f.subject.namespace) &&
            (o.ids.includes(f.id) || o.ids.includes('*')),
        );
        if (objIgnored) continue;
        findings.push(f);
      }
    } catch (e) {
      errors.push({ collector: `check/${check.meta.id}`, message: `internal error in check: ${(e as Error).message}` });
    }
  }
  findings.sort(compareFindings);
  return { findings, errors, analysis, summary: summarize(findings) };
}

export type FailOn = Severity | 'never';

/** ShellCheck-style exit codes: 2 incomplete beats 1 findings beats 0. */
export function exitCodeFor(findings: Finding[], errors: CollectionError[], failOn: FailOn, inputErrors = 0): number {
  if (blockingErrors(findings, errors).length > 0 || inputErrors > 0) return 2;
  if (failOn === 'never') return 0;
  const threshold = SEVERITY_RANK[failOn];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}
