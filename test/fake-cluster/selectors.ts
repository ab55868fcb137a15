/**
 * Label selectors (the full string syntax: =, ==, !=, in, notin, exists, !exists, gt/lt) and
 * field selectors (=, ==, != on the field labels the apiserver supports for each resource).
 */
import type { KObj } from './scenario.js';
import { badRequest } from './status.js';

export type Pred = (o: KObj) => boolean;

function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x !== '');
}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(k: string): string {
  if (!KEY.test(k))
    throw badRequest(
      `unable to parse requirement: <nil>: Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.'`,
    );
  return k;
}
function checkValue(v: string): string {
  if (!VALUE.test(v) || v.length > 63)
    throw badRequest(
      `unable to parse requirement: values[0]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`,
    );
  return v;
}

export function labelSelector(sel: string | undefined): Pred {
  if (!sel || !sel.trim()) return () => true;
  const reqs: Array<(l: Record<string, string>) => boolean> = [];
  for (const part of splitTop(sel)) {
    let m: RegExpExecArray | null;
    if ((m = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part))) {
      const key = checkKey(m[1]!);
      const vals = new Set(m[3]!.split(',').map((v) => checkValue(v.trim())));
      const isIn = m[2] === 'in';
      reqs.push((l) => (isIn ? key in l && vals.has(l[key]!) : !(key in l) || !vals.has(l[key]!)));
    } else if ((m = /^(\S+?)\s*(==|!=|=)\s*(\S*)$/.exec(part))) {
      const key = checkKey(m[1]!);
      const val = checkValue(m[3]!);
      const neg = m[2] === '!=';
      reqs.push((l) => (neg ? l[key] !== val : l[key] === val));
    } else if ((m = /^(\S+?)\s*(>|<)\s*(-?\d+)$/.exec(part))) {
      const key = checkKey(m[1]!);
      const n = Number(m[3]);
      const gt = m[2] === '>';
      reqs.push((l) => key in l && /^-?\d+$/.test(l[key]!) && (gt ? Number(l[key]) > n : Number(l[key]) < n));
    } else if ((m = /^!\s*(\S+)$/.exec(part))) {
      const key = checkKey(m[1]!);
      reqs.push((l) => !(key in l));
    } else {
      const key = checkKey(part);
      reqs.push((l) => key in l);
    }
  }
  return (o) => {
    const l = (o['metadata']?.['labels'] ?? {}) as Record<string, string>;
    return reqs.every((r) => r(l));
  };
}

/** Field labels per group/resource beyond metadata.name and metadata.namespace. */
const FIELDS: Record<string, Record<string, (o: KObj) => unknown>> = {
  pods: {
    'spec.nodeName': (o) => o['spec']?.nodeName ?? '',
    'spec.restartPolicy': (o) => o['spec']?.restartPolicy ?? '',
    'spec.schedulerName': (o) => o['spec']?.schedulerName ?? '',
    'spec.serviceAccountName': (o) => o['spec']?.serviceAccountName ?? '',
    'spec.hostNetwork': (o) => String(!!o['spec']?.hostNetwork),
    'status.phase': (o) => o['status']?.phase ?? '',
    'status.podIP': (o) => o['status']?.podIP ?? '',
    'status.nominatedNodeName': (o) => o['status']?.nominatedNodeName ?? '',
  },
  events: {
    'involvedObject.kind': (o) => o['involvedObject']?.kind ?? '',
    'involvedObject.namespace': (o) => o['involvedObject']?.namespace ?? '',
    'involvedObject.name': (o) => o['involvedObject']?.name ?? '',
    'involvedObject.uid': (o) => o['involvedObject']?.uid ?? '',
    'involvedObject.apiVersion': (o) => o['involvedObject']?.apiVersion ?? '',
    'involvedObject.resourceVersion': (o) => o['involvedObject']?.resourceVersion ?? '',
    'involvedObject.fieldPath': (o) => o['involvedObject']?.fieldPath ?? '',
    reason: (o) => o['reason'] ?? '',
    reportingComponent: (o) => o['reportingComponent'] ?? '',
    source: (o) => o['source']?.component ?? '',
    type: (o) => o['type'] ?? '',
  },
  nodes: { 'spec.unschedulable': (o) => String(!!o['spec']?.unschedulable) },
  namespaces: { 'status.phase': (o) => o['status']?.phase ?? '' },
  secrets: { type: (o) => o['type'] ?? '' },
  'jobs.batch': { 'status.successful': (o) => String(o['status']?.succeeded ?? 0) },
  'replicasets.apps': { 'status.replicas': (o) => String(o['status']?.replicas ?? 0) },
};

function unescapeField(v: string): string {
  return v.replace(/\\(.)/g, '$1');
}

/** `gr` is "pods" or "daemonsets.apps"; `crd` picks the CRD wording for unsupported fields. */
export function fieldSelector(sel: string | undefined, gr: string, crd: boolean): Pred {
  if (!sel || !sel.trim()) return () => true;
  const table: Record<string, (o: KObj) => unknown> = {
    'metadata.name': (o) => o['metadata']?.name ?? '',
    'metadata.namespace': (o) => o['metadata']?.namespace ?? '',
    ...(FIELDS[gr] ?? {}),
  };
  const reqs: Pred[] = [];
  for (const part of sel.split(/(?<!\\),/)) {
    const m = /^([^=!]+?)\s*(==|!=|=)\s*(.*)$/.exec(part.trim());
    if (!m) throw badRequest(`invalid selector: '${sel}'; can't understand '${part}'`);
    const field = m[1]!.trim();
    const get = table[field];
    if (!get) {
      throw badRequest(
        crd
          ? `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`
          : `field label not supported: ${field}`,
      );
    }
    const want = unescapeField(m[3]!);
    const neg = m[2] === '!=';
    reqs.push((o) => (String(get(o)) === want) !== neg);
  }
  return (o) => reqs.every((r) => r(o));
}
