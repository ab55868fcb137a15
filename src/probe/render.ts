/**
 * What each test pod saw, as rows (for `-o json`) and as kubectl-style tables: node, interface,
 * addresses, MAC, result; then the pings with same/different node.
 */
import type { ProbeResult } from '../snapshot/types.js';
import type { Finding, Severity } from '../checks/types.js';
import { SEVERITY_RANK } from '../checks/types.js';
import { parseIpOutput, findInterface, assignedAddresses } from '../model/ip-output.js';
import { escapeTerminal as e } from '../report/escape.js';

export interface ProbePodRow {
  nad: string;
  namespace: string;
  pod: string;
  node?: string;
  interface: string;
  addresses: string[];
  mac?: string;
  /** `ok`, or the worst finding's severity about this pod, or `not started`. */
  result: string;
  findings: string[];
}

export interface ProbePingRow {
  nad: string;
  from: string;
  to: string;
  address: string;
  sameNode: boolean;
  ok: boolean;
}

export function podRows(results: ProbeResult[], findings: Finding[]): ProbePodRow[] {
  const rows: ProbePodRow[] = [];
  for (const r of results) {
    for (const p of r.pods) {
      const iface = p.ipOutput !== undefined ? findInterface(parseIpOutput(p.ipOutput), p.interface) : undefined;
      const mine = findings.filter(
        (f) => f.subject.kind === 'Pod' && f.subject.name === p.name && f.subject.namespace === p.namespace,
      );
      let worst: Severity | undefined;
      for (const f of mine) if (!worst || SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst]) worst = f.severity;
      const result = !p.started
        ? 'not started'
        : worst === 'error' || worst === 'warning'
          ? worst
          : p.error
            ? 'unverified'
            : 'ok';
      rows.push({
        nad: `${r.nad.namespace}/${r.nad.name}`,
        namespace: p.namespace,
        pod: p.name,
        ...(p.node ? { node: p.node } : {}),
        interface: p.interface,
        addresses: iface ? assignedAddresses(iface).map((x) => x.cidr) : [],
        ...(iface?.mac ? { mac: iface.mac } : {}),
        result,
        findings: [...new Set(mine.map((f) => f.id))],
      });
    }
  }
  return rows;
}

export function pingRows(results: ProbeResult[]): ProbePingRow[] {
  return results.flatMap((r) =>
    r.pings.map((p) => ({
      nad: `${r.nad.namespace}/${r.nad.name}`,
      from: p.from,
      to: p.to,
      address: p.address,
      sameNode: p.sameNode,
      ok: p.ok,
    })),
  );
}

type Columns = (head: string[], rows: string[][], tty: boolean) => string;

export function renderTables(
  pods: ProbePodRow[],
  pings: ProbePingRow[],
  o: { tty: boolean; columns: Columns; multiNad: boolean },
): string {
  const nadCol = (nad: string) => (o.multiNad ? [e(nad)] : []);
  let out = o.columns(
    [...(o.multiNad ? ['NAD'] : []), 'TEST POD', 'NODE', 'IF', 'ADDRESSES', 'MAC', 'RESULT'],
    pods.map((r) => [
      ...nadCol(r.nad),
      e(r.pod),
      e(r.node ?? '-'),
      e(r.interface),
      e(r.addresses.join(',') || '-'),
      e(r.mac ?? '-'),
      e(r.findings.length ? `${r.result} (${r.findings.join(', ')})` : r.result),
    ]),
    o.tty,
  );
  if (pings.length) {
    out +=
      '\n' +
      o.columns(
        [...(o.multiNad ? ['NAD'] : []), 'PING FROM', 'TO', 'ADDRESS', 'NODES', 'RESULT'],
        pings.map((p) => [
          ...nadCol(p.nad),
          e(p.from),
          e(p.to),
          e(p.address),
          p.sameNode ? 'same node' : 'different nodes',
          p.ok ? 'ok' : 'FAILED',
        ]),
        o.tty,
      );
  }
  return out;
}
