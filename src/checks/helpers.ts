/** Small helpers shared by check modules. */
import type { CheckMeta, Evidence, Finding, Severity, Subject } from './types.js';

/** Build a finding for a check; severity defaults to the check's own. */
export function finding(
  meta: CheckMeta,
  subject: Subject,
  message: string,
  evidence: Evidence[],
  fix: string,
  severity: Severity = meta.severity,
): Finding {
  return { id: meta.id, severity, subject, message, evidence, fix };
}

/**
 * "Could not verify": the data this check needs was not collected (RBAC, exec failure, offline).
 * Reported as info so a person knows the check did not run, without crying wolf.
 */
export function couldNotVerify(meta: CheckMeta, subject: Subject, reason: string, fix = ''): Finding {
  return {
    id: meta.id,
    severity: 'info',
    subject,
    message: `Could not verify (${meta.title.toLowerCase()}): ${reason}`,
    evidence: [],
    fix: fix || 'Re-run with permissions/collection that can read this data (see `kubectl multus check --help`).',
  };
}

export function nodeSubject(node: string): Subject {
  return { kind: 'Node', name: node, node };
}

/** "a, b and 3 more" for listing nodes/objects in one sentence. */
export function listNames(names: string[], max = 5): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
