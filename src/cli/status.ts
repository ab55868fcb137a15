/**
 * `kubectl multus status [-n ns|-A] [-o wide|json]`: each pod's interfaces as multus reported
 * them in `network-status` (POD, IF, NETWORK, ADDRESSES, MAC), and a MISSING row for every
 * network a running pod asked for but did not get. Exit 1 when some running pod misses one.
 */
import type { CollectionError, WorkloadObject } from '../snapshot/types.js';
import type { ClusterFlags } from '../cluster/kubeconfig.js';
import { parseNetworksAnnotation, NETWORKS_ANNOTATION } from '../model/networks-annotation.js';
import { podNetworkStatus, statusNameMatches } from '../model/network-status.js';
import { escapeTerminal } from '../report/escape.js';
import { renderList, type ListColumn } from '../report/reporters.js';
import type { ListFormat } from '../report/formats.js';
import { collectForCommand } from './check.js';
import { useColor, type Io } from './io.js';

export interface ListArgs {
  flags: ClusterFlags;
  allNamespaces: boolean;
  output: ListFormat;
  color?: boolean;
  verbose: boolean;
}

export interface PodStatusRow {
  namespace: string;
  pod: string;
  node?: string;
  phase?: string;
  interface?: string;
  network: string;
  ips: string[];
  mac?: string;
  default: boolean;
  /** attached | default | missing | pending | invalid-annotation | no-status */
  state: string;
  detail?: string;
}

/** Rows for one pod: its status entries, then the requested networks it lacks. */
function podRows(w: WorkloadObject): PodStatusRow[] {
  const ns = w.namespace ?? 'default';
  const base = { namespace: ns, pod: w.name, node: w.nodeName, phase: w.phase };
  const rows: PodStatusRow[] = [];
  const status = podNetworkStatus(w.podAnnotations);
  const value = w.podAnnotations[NETWORKS_ANNOTATION];
  const requested = value !== undefined ? parseNetworksAnnotation(value) : undefined;
  for (const e of status?.entries ?? []) {
    rows.push({
      ...base,
      interface: e.interface,
      network: e.name,
      ips: e.ips,
      mac: e.mac,
      default: e.default,
      state: e.default ? 'default' : 'attached',
    });
  }
  if (status?.error)
    rows.push({ ...base, network: '-', ips: [], default: false, state: 'invalid-status', detail: status.error });
  if (requested?.errors.length) {
    rows.push({
      ...base,
      network: '-',
      ips: [],
      default: false,
      state: 'invalid-annotation',
      detail: requested.errors[0]!.message,
    });
    return rows;
  }
  const running = w.phase === 'Running';
  for (const sel of requested?.selections ?? []) {
    const sns = sel.namespace ?? ns;
    const found = (status?.entries ?? []).some(
      (e) =>
        !e.default &&
        statusNameMatches(e.name, sns, sel.name) &&
        (!sel.interface || !e.interface || e.interface === sel.interface),
    );
    if (found) continue;
    rows.push({
      ...base,
      interface: sel.interface,
      network: `${sns}/${sel.name}`,
      ips: [],
      default: false,
      state: running ? 'missing' : 'pending',
    });
  }
  return rows;
}

function printErrors(io: Io, errors: CollectionError[]): void {
  for (const e of errors) io.err(`warning: ${e.collector}: ${escapeTerminal(e.message)}\n`);
}

export async function runStatus(io: Io, a: ListArgs): Promise<number> {
  const result = await collectForCommand(io, a.flags, a.verbose, (flags, hooks, live) =>
    live.withSession(flags, hooks, 0, async (session, signal, progress, _timedOut, onFatal) => {
      const { CollectContext } = await import('../collect/context.js');
      const { collectWorkloads } = await import('../collect/workloads.js');
      const ctx = CollectContext.listOnly(session.client, session.exec, {
        namespace: a.allNamespaces ? undefined : session.spec.namespace,
        signal,
        progress,
        onFatal,
      });
      progress('listing pods');
      const pods = await collectWorkloads(ctx, { namespace: ctx.o.namespace, podsOnly: true });
      return { pods: (pods ?? []).filter((w) => w.kind === 'Pod'), errors: ctx.errors, namespace: ctx.o.namespace };
    }),
  );
  if (typeof result === 'number') return result;
  const rows = result.pods
    .filter(
      (w) => w.podAnnotations[NETWORKS_ANNOTATION] !== undefined || podNetworkStatus(w.podAnnotations) !== undefined,
    )
    .sort((x, y) => `${x.namespace}/${x.name}`.localeCompare(`${y.namespace}/${y.name}`))
    .flatMap(podRows);
  const missing = rows.filter((r) => r.state === 'missing' || r.state === 'invalid-annotation');
  const lacking = new Set(missing.map((r) => `${r.namespace}/${r.pod}`)).size;
  const e = escapeTerminal;
  const columns: ListColumn<PodStatusRow>[] = [
    ...(result.namespace ? [] : [{ head: 'NAMESPACE', cell: (r: PodStatusRow) => e(r.namespace) }]),
    { head: 'POD', cell: (r) => e(r.pod) },
    { head: 'IF', cell: (r) => e(r.interface ?? '-') },
    { head: 'NETWORK', cell: (r) => e(r.network) },
    { head: 'ADDRESSES', cell: (r) => e(r.ips.length ? r.ips.join(',') : '-') },
    { head: 'MAC', cell: (r) => e(r.mac ?? '-') },
    { head: 'NODE', wide: true, cell: (r) => e(r.node ?? '-') },
    { head: 'PHASE', wide: true, cell: (r) => e(r.phase ?? '-') },
    {
      head: 'STATE',
      cell: (r, c, wide) =>
        r.state === 'missing' || r.state === 'invalid-annotation'
          ? c.red.bold(r.state.toUpperCase()) + (r.detail && wide ? ` ${e(r.detail)}` : '')
          : r.state,
    },
  ];
  const where = result.namespace ? `namespace ${result.namespace}` : 'any namespace';
  const shown = renderList(a.output, {
    kind: 'PodNetworkStatus',
    items: rows,
    errors: result.errors,
    columns,
    color: useColor(io, a.color),
    tty: io.stdoutIsTTY,
    none: `No pods with multus networks in ${where}.\n`,
    note: lacking
      ? `${lacking} running pod${lacking === 1 ? '' : 's'} lack requested networks; run \`kubectl multus check\` to see why.\n`
      : undefined,
  });
  if (shown.out) io.out(shown.out);
  if (shown.err) io.err(shown.err);
  printErrors(io, result.errors);
  if (result.errors.length) return 2;
  return missing.length ? 1 : 0;
}
