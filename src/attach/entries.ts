/**
 * The networks annotation as a list of selection elements in JSON form, whichever form it was
 * written in, and the comparisons `attach`/`detach` need: which element names a given NAD, which
 * interface name multus gives it, and whether two lists mean the same thing (so that re-running
 * writes nothing and a working short-form annotation is not rewritten for nothing).
 */
import { parseNetworksAnnotation } from '../model/networks-annotation.js';
import type { JsonObject, JsonValue } from '../model/cni-config.js';
import { normaliseMac } from './mac.js';

export interface NetworkRef {
  namespace: string;
  name: string;
}

interface AnnotationEntries {
  form: 'absent' | 'empty' | 'short' | 'json';
  entries: JsonObject[];
  /** Each element as written (short-form item, or compact JSON), for the before/after diff. */
  shown: string[];
  /** Set when the value cannot be parsed (multus would refuse every pod of the workload). */
  error?: string;
}

export function readEntries(value: string | undefined): AnnotationEntries {
  if (value === undefined) return { form: 'absent', entries: [], shown: [] };
  const p = parseNetworksAnnotation(value);
  if (p.errors.length) return { form: p.form, entries: [], shown: [value], error: p.errors[0]!.message };
  if (p.form === 'empty') return { form: 'empty', entries: [], shown: [] };
  if (p.form === 'json')
    return {
      form: 'json',
      entries: p.selections.map((s) => s.raw!),
      shown: p.selections.map((s) => JSON.stringify(s.raw)),
    };
  const items = value.split(',').map((s) => s.trim());
  const entries = p.selections.map((s) => {
    const e: JsonObject = { name: s.name };
    if (s.namespace !== undefined) e['namespace'] = s.namespace;
    if (s.interface !== undefined) e['interface'] = s.interface;
    return e;
  });
  return { form: 'short', entries, shown: items };
}

export function entryNetwork(e: JsonObject, podNamespace: string): NetworkRef {
  const ns = typeof e['namespace'] === 'string' && e['namespace'] !== '' ? e['namespace'] : podNamespace;
  return { namespace: ns, name: String(e['name']) };
}

/** The interface name asked for (multus reads `interface`; `interfaceRequest` is the older key). */
export function entryInterface(e: JsonObject): string | undefined {
  const v = e['interface'] ?? e['interfaceRequest'];
  return typeof v === 'string' ? v : undefined;
}

/** The name multus gives the interface: the one asked for, else net<position>. */
export function effectiveInterface(e: JsonObject, index: number): string {
  return entryInterface(e) ?? `net${index + 1}`;
}

export function entryMac(e: JsonObject): string | undefined {
  return typeof e['mac'] === 'string' ? e['mac'] : undefined;
}

export function entryIps(e: JsonObject): string[] | undefined {
  const v = e['ips'];
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

export function isNetwork(e: JsonObject, podNamespace: string, nad: NetworkRef): boolean {
  const r = entryNetwork(e, podNamespace);
  return r.namespace === nad.namespace && r.name === nad.name;
}

function sortKeys(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: JsonObject = {};
    for (const key of Object.keys(v).sort()) out[key] = sortKeys(v[key]!);
    return out;
  }
  return v;
}

/** One element in a form where equal meaning gives equal text. */
function canonicalEntry(e: JsonObject, podNamespace: string): string {
  const c: JsonObject = { ...e };
  c['namespace'] = entryNetwork(e, podNamespace).namespace;
  const iface = entryInterface(e);
  delete c['interfaceRequest'];
  if (iface !== undefined) c['interface'] = iface;
  const mac = entryMac(e);
  if (mac !== undefined) c['mac'] = normaliseMac(mac);
  return JSON.stringify(sortKeys(c));
}

export function sameEntries(a: JsonObject[], b: JsonObject[], podNamespace: string): boolean {
  return (
    a.length === b.length && a.every((e, i) => canonicalEntry(e, podNamespace) === canonicalEntry(b[i]!, podNamespace))
  );
}

/** Line diff of two short lists (longest common subsequence): ' ' kept, '-' removed, '+' added. */
export function diffLines(before: string[], after: string[]): Array<{ op: ' ' | '-' | '+'; text: string }> {
  const n = before.length;
  const m = after.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: Array<{ op: ' ' | '-' | '+'; text: string }> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      out.push({ op: ' ', text: before[i]! });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      out.push({ op: '-', text: before[i++]! });
    } else {
      out.push({ op: '+', text: after[j++]! });
    }
  }
  return out;
}
