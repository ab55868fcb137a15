/**
 * `kubectl multus cleanup [--dry-run]`: find every pod this tool created (test pods and
 * node-inspector pods, by the managed-by label) that is still there, because a run was killed
 * hard, lost the connection, or used --keep, and delete it.
 */
import type { KubeObject } from '../cluster/client.js';
import type { ClusterFlags } from '../cluster/kubeconfig.js';
import { ClusterError } from '../cluster/errors.js';
import { escapeTerminal as esc } from '../report/escape.js';
import type { Io } from './io.js';
import { renderList, type ListColumn } from '../report/reporters.js';
import { withSession } from '../collect/live.js';
import { COMPONENT_LABEL, MANAGED_SELECTOR, NAD_ANNOTATION, RUN_ID_LABEL } from '../probe/pod-spec.js';
import { endOfRun, liveHooks } from './live-session.js';

export interface CleanupArgs {
  flags: ClusterFlags;
  allNamespaces: boolean;
  dryRun: boolean;
  verbose: boolean;
}

interface Leftover {
  namespace: string;
  name: string;
  component: string;
  runId: string;
  node: string;
  age: string;
  what: string;
}

function age(created: string | undefined, now: number): string {
  const t = created ? Date.parse(created) : NaN;
  if (Number.isNaN(t)) return '-';
  const s = Math.max(0, Math.round((now - t) / 1000));
  return s < 120
    ? `${s}s`
    : s < 7200
      ? `${Math.round(s / 60)}m`
      : s < 172800
        ? `${Math.round(s / 3600)}h`
        : `${Math.round(s / 86400)}d`;
}

function leftover(p: KubeObject, now: number): Leftover {
  const md = p.metadata ?? {};
  const labels = md.labels ?? {};
  const spec = p['spec'] as { nodeName?: string } | undefined;
  return {
    namespace: md.namespace ?? '',
    name: md.name ?? '',
    component: labels[COMPONENT_LABEL] ?? '-',
    runId: labels[RUN_ID_LABEL] ?? '-',
    node: spec?.nodeName ?? '-',
    age: age(md.creationTimestamp, now),
    what: md.annotations?.[NAD_ANNOTATION] ?? md.annotations?.['kubectl-multus.io/node'] ?? '-',
  };
}

export async function runCleanup(io: Io, a: CleanupArgs): Promise<number> {
  let found: Leftover[];
  let failed: string[] = [];
  try {
    const r = await withSession(a.flags, liveHooks(io, a.verbose), 0, async (session, signal, progress) => {
      // Across all namespaces unless -n was given: leftovers are wherever their run put them.
      const namespace = a.flags.namespace && !a.allNamespaces ? a.flags.namespace : undefined;
      progress('listing pods created by kubectl-multus');
      const pods = await session.client.list(
        { version: 'v1', resource: 'pods', ...(namespace ? { namespace } : {}) },
        { labelSelector: MANAGED_SELECTOR, signal },
      );
      const now = Date.now();
      const list = pods
        .map((p) => leftover(p, now))
        .sort((x, y) => `${x.namespace}/${x.name}`.localeCompare(`${y.namespace}/${y.name}`));
      const notDeleted: string[] = [];
      if (!a.dryRun) {
        await Promise.all(
          list.map(async (p) => {
            try {
              // Not tied to the run's signal: a Ctrl-C here should not leave half the work undone silently.
              await session.client.delete(
                { version: 'v1', resource: 'pods', namespace: p.namespace, name: p.name },
                { query: { gracePeriodSeconds: 0 }, signal: new AbortController().signal },
              );
            } catch (e) {
              if (!(e instanceof ClusterError && e.kind === 'not-found'))
                notDeleted.push(`${p.namespace}/${p.name}: ${(e as Error).message}`);
            }
          }),
        );
      }
      return { list, notDeleted, namespace };
    });
    found = r.list;
    failed = r.notDeleted;
    if (found.length === 0) {
      io.err(
        `No pods created by kubectl-multus ${r.namespace ? `in namespace ${r.namespace}` : 'in any namespace'}.\n`,
      );
      return 0;
    }
  } catch (e) {
    return endOfRun(io, e, 'some pods may not have been deleted; run cleanup again');
  }
  const e = esc;
  const columns: ListColumn<Leftover>[] = [
    { head: 'NAMESPACE', cell: (p) => e(p.namespace) },
    { head: 'POD', cell: (p) => e(p.name) },
    { head: 'KIND', cell: (p) => e(p.component) },
    { head: 'FOR', cell: (p) => e(p.what) },
    { head: 'NODE', cell: (p) => e(p.node) },
    { head: 'RUN', cell: (p) => e(p.runId) },
    { head: 'AGE', cell: (p) => p.age },
  ];
  // cleanup has no -o: its list is the table.
  io.out(
    renderList('table', {
      kind: 'LeftoverPodList',
      items: found,
      errors: [],
      columns,
      color: false,
      tty: io.stdoutIsTTY,
    }).out,
  );
  if (a.dryRun) {
    io.err(`${found.length} pod${found.length === 1 ? '' : 's'} would be deleted (--dry-run: nothing was deleted).\n`);
    return 0;
  }
  for (const f of failed) io.err(`error: could not delete ${e(f)}\n`);
  io.err(`${found.length - failed.length} of ${found.length} pod${found.length === 1 ? '' : 's'} deleted.\n`);
  return failed.length ? 2 : 0;
}
