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

/**
 * One "could not verify" for all the nodes whose data a check needed but did not get (not
 * inspected, or the inspection failed), instead of one per node. Returns [] when there are none.
 */
export function nodesNotVerified(
  meta: CheckMeta,
  nodes: Array<{ name: string; inspectionError?: string; node: { inspection?: unknown } }>,
  what: string,
): Finding[] {
  if (nodes.length === 0) return [];
  const failed = nodes.filter((n) => n.node.inspection && n.inspectionError);
  const absent = nodes.filter((n) => !n.node.inspection);
  const other = nodes.filter((n) => n.node.inspection && !n.inspectionError);
  const parts: string[] = [];
  if (absent.length)
    parts.push(`node${absent.length > 1 ? 's' : ''} ${listNames(absent.map((n) => n.name))} not inspected`);
  if (failed.length)
    parts.push(
      `inspection failed on ${listNames(
        failed.map((n) => `${n.name} (${n.inspectionError})`),
        3,
      )}`,
    );
  if (other.length) parts.push(`${listNames(other.map((n) => n.name))}: the needed paths were not collected`);
  const f = couldNotVerify(
    meta,
    { kind: 'Cluster', name: 'nodes' },
    `${what}: ${parts.join('; ')}.`,
    'Re-run with node inspection (`--inspect-nodes always`), or check the node by hand.',
  );
  return [f];
}

/**
 * Positive evidence outranks inferred configuration: for nodes where multus demonstrably runs
 * (`NodeView.multusRuns`), a finding that would say "the runtime cannot find/execute multus" is
 * at most this info, with no fix: the file that says so is evidently not what the runtime reads.
 * `claim` says what the inferred config says ("the runtime config at /etc/containerd/config.toml says bin_dir /usr/lib/cni").
 */
export function runsAnyway(
  meta: CheckMeta,
  subject: Subject,
  nodes: Array<{ name: string; multusRuns?: { summary: string; evidence: Evidence[] } }>,
  claim: string,
  notFile?: string,
  evidence: Evidence[] = [],
): Finding {
  const names = listNames(nodes.map((n) => n.name));
  const ev = [...evidence, ...nodes.slice(0, 3).flatMap((n) => n.multusRuns?.evidence.slice(0, 2) ?? [])];
  const first = nodes[0]?.multusRuns?.summary;
  return {
    id: meta.id,
    severity: 'info',
    subject,
    message: `${claim}, yet multus runs on ${names}${first ? ` (${first})` : ''}: ${notFile ? `${notFile} is probably not the file the runtime reads` : 'the inferred configuration is probably not what the runtime uses'}. Nothing to fix; check the runtime's real config if this surprises you.`,
    evidence: ev,
    fix: '',
  };
}

/** How to look at a node by hand, for "could not verify" findings about host paths. */
export function byHand(paths: string[]): string {
  const ls = paths.map((p) => `ls -la ${p}`).join('; ');
  return `On the node (ssh, or \`kubectl debug node/<node> -it --image=busybox -- chroot /host sh\`): ${ls}; and see which config the runtime really uses: \`ps -o args= -C containerd,crio\` (its --config) and \`crictl info | grep -iE 'confDir|binDir'\`.`;
}
