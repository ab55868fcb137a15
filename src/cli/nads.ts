/**
 * `kubectl multus nads [-n ns|-A]`: NetworkAttachmentDefinitions with their plugin chain, master,
 * IPAM and range, and the workloads whose pods ask for each (pods are grouped under their owner).
 */
import type { NadObject, WorkloadObject } from '../snapshot/types.js';
import { parseCniConfig, isObject, str, type CniConfig, type JsonObject } from '../model/cni-config.js';
import { parseNetworksAnnotation, NETWORKS_ANNOTATION } from '../model/networks-annotation.js';
import { escapeTerminal } from '../report/escape.js';
import { collectForCommand } from './check.js';
import type { ListArgs } from './status.js';
import { renderList, type ListColumn } from '../report/reporters.js';
import type { Io } from './io.js';

export interface NadRow {
  namespace: string;
  name: string;
  plugins: string[];
  master?: string;
  ipam?: string;
  range?: string;
  cniVersion?: string;
  /** `Kind/name` (`Kind/ns/name` across namespaces), owners for pods that have one. */
  usedBy: string[];
  problem?: string;
}

function first(v: unknown): JsonObject | undefined {
  return Array.isArray(v) ? (v.find(isObject) as JsonObject | undefined) : isObject(v) ? v : undefined;
}

/** A short human description of an IPAM's address range. */
function ipamRange(ipam: JsonObject | undefined): string | undefined {
  if (!ipam) return undefined;
  const type = str(ipam['type']);
  if (type === 'host-local') {
    const r = first(first(ipam['ranges'])) ?? ipam;
    const subnet = str(r['subnet']);
    if (!subnet) return undefined;
    const start = str(r['rangeStart']);
    const end = str(r['rangeEnd']);
    return start || end ? `${subnet} (${start ?? '…'}-${end ?? '…'})` : subnet;
  }
  if (type === 'whereabouts') {
    const r = first(ipam['ipRanges']) ?? ipam;
    const range = str(r['range']);
    if (!range) return undefined;
    const start = str(r['range_start']);
    const end = str(r['range_end']);
    return start || end ? `${range} (${start ?? '…'}-${end ?? '…'})` : range;
  }
  if (type === 'static') {
    const addrs = Array.isArray(ipam['addresses'])
      ? ipam['addresses']
          .filter(isObject)
          .map((a) => str(a['address']))
          .filter(Boolean)
      : [];
    return addrs.length ? addrs.join(',') : undefined;
  }
  return undefined;
}

function master(c: CniConfig): string | undefined {
  const m = c.main?.raw;
  if (!m) return undefined;
  return str(m['master']) ?? str(m['device']) ?? (c.main?.type === 'bridge' ? (str(m['bridge']) ?? 'cni0') : undefined);
}

function nadRow(n: NadObject, usedBy: string[]): NadRow {
  const row: NadRow = { namespace: n.namespace ?? 'default', name: n.name, plugins: [], usedBy };
  if (n.config === undefined) {
    row.problem = n.configNotString ? `spec.config is a ${n.configNotString}, not a string` : 'no spec.config';
    return row;
  }
  const c = parseCniConfig(n.config);
  if (!c.ok) {
    row.problem = 'spec.config is not valid JSON';
    return row;
  }
  row.plugins = c.plugins.map((p) => p.type ?? '?');
  row.master = master(c);
  const withIpam = c.plugins.find((p) => p.ipamType);
  row.ipam = withIpam?.ipamType;
  row.range = ipamRange(withIpam?.ipam);
  row.cniVersion = c.cniVersion;
  return row;
}

/** NAD key → the workloads that reference it; a pod counts under its owner. */
function usage(workloads: WorkloadObject[], crossNamespace: boolean): Map<string, string[]> {
  const m = new Map<string, Set<string>>();
  for (const w of workloads) {
    const v = w.podAnnotations[NETWORKS_ANNOTATION];
    if (v === undefined) continue;
    const ns = w.namespace ?? 'default';
    const who = w.kind === 'Pod' && w.owner ? `${w.owner.kind}/${w.owner.name}` : `${w.kind}/${w.name}`;
    for (const s of parseNetworksAnnotation(v).selections) {
      const key = `${s.namespace ?? ns}/${s.name}`;
      const label =
        crossNamespace && (s.namespace ?? ns) !== ns
          ? `${who.split('/')[0]}/${ns}/${who.split('/').slice(1).join('/')}`
          : who;
      if (!m.has(key)) m.set(key, new Set());
      m.get(key)!.add(label);
    }
  }
  return new Map([...m].map(([k, v]) => [k, [...v].sort()]));
}

function summarizeUsers(users: string[], wide: boolean): string {
  if (!users.length) return '<none>';
  if (wide || users.length <= 3) return users.join(', ');
  return `${users.slice(0, 3).join(', ')} +${users.length - 3} more`;
}

export async function runNads(io: Io, a: ListArgs): Promise<number> {
  const result = await collectForCommand(io, a.flags, a.verbose, (flags, hooks, live) =>
    live.withSession(flags, hooks, 0, async (session, signal, progress, _timedOut, onFatal) => {
      const { CollectContext } = await import('../collect/context.js');
      const { collectWorkloads } = await import('../collect/workloads.js');
      const { collectNads } = await import('../collect/nads.js');
      const namespace = a.allNamespaces ? undefined : session.spec.namespace;
      const ctx = CollectContext.listOnly(session.client, session.exec, { namespace, signal, progress, onFatal });
      progress('listing NADs, pods and workloads');
      const [nads, workloads] = await Promise.all([collectNads(ctx, namespace), collectWorkloads(ctx, { namespace })]);
      return { nads: nads ?? [], workloads: workloads ?? [], errors: ctx.errors, namespace };
    }),
  );
  if (typeof result === 'number') return result;
  const used = usage(result.workloads, true);
  const rows = result.nads.map((n) => nadRow(n, used.get(`${n.namespace ?? 'default'}/${n.name}`) ?? []));
  const e = escapeTerminal;
  const columns: ListColumn<NadRow>[] = [
    ...(result.namespace ? [] : [{ head: 'NAMESPACE', cell: (r: NadRow) => e(r.namespace) }]),
    { head: 'NAME', cell: (r) => e(r.name) },
    { head: 'PLUGIN', cell: (r) => e(r.problem ? `(${r.problem})` : r.plugins.join('+') || '-') },
    { head: 'MASTER', cell: (r) => e(r.master ?? '-') },
    { head: 'IPAM', cell: (r) => e(r.ipam ?? '-') },
    { head: 'RANGE', cell: (r) => e(r.range ?? '-') },
    { head: 'CNIVERSION', wide: true, cell: (r) => e(r.cniVersion ?? '-') },
    { head: 'USED BY', cell: (r, _c, wide) => e(summarizeUsers(r.usedBy, wide)) },
  ];
  const shown = renderList(a.output, {
    kind: 'NetworkAttachmentDefinitionList',
    items: rows,
    errors: result.errors,
    columns,
    color: false,
    tty: io.stdoutIsTTY,
    none: `No NetworkAttachmentDefinitions in ${result.namespace ? `namespace ${result.namespace}` : 'any namespace'}.\n`,
  });
  if (shown.out) io.out(shown.out);
  if (shown.err) io.err(shown.err);
  for (const err of result.errors) io.err(`warning: ${err.collector}: ${escapeTerminal(err.message)}\n`);
  return result.errors.length ? 2 : 0;
}
