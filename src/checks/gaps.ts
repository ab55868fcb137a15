/** Which collection gaps make a result incomplete (exit 2): docs/output.md. Pure, no dependencies. */
import type { CollectionError } from '../snapshot/types.js';
import type { Finding } from './types.js';

/**
 * Collectors whose data only some verdicts use. Their errors are always reported in `errors`, but
 * make the run incomplete (exit 2) only when a finding says its verdict needed that data
 * (`Finding.needs`): the service CIDR matters to the flannel check only when something moves a
 * pod's default route off eth0 (and is otherwise an info at most).
 */
const AUXILIARY_COLLECTORS = ['service-cidr'];

const auxiliary = (e: CollectionError) =>
  AUXILIARY_COLLECTORS.some((c) => e.collector === c || e.collector.startsWith(`${c}/`));

/** The collection errors that make this result incomplete: every error, except auxiliary ones no verdict needed. */
export function blockingErrors(findings: Finding[], errors: CollectionError[]): CollectionError[] {
  const needed = new Set(findings.flatMap((f) => f.needs ?? []));
  return errors.filter((e) => !auxiliary(e) || needed.has(e.collector.split('/')[0]!));
}
