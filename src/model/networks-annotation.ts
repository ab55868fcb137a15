/**
 * The `k8s.v1.cni.cncf.io/networks` pod annotation, in both accepted forms:
 *  - short: `name`, `ns/name`, `ns/name@ifname`, comma separated;
 *  - JSON: an array of network selection elements (objects).
 * Multus picks JSON parsing when the value contains `[`, `{` or `"`; we do the same so that we
 * judge the annotation exactly as multus would read it.
 */
import { parseJsonText, isObject, type JsonObject, type JsonProblem } from './cni-config.js';

export const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';
export const NETWORK_STATUS_ANNOTATION = 'k8s.v1.cni.cncf.io/network-status';
export const LEGACY_NETWORKS_STATUS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks-status';
export const DEFAULT_NETWORK_ANNOTATION = 'v1.multus-cni.io/default-network';
export const RESOURCE_NAME_ANNOTATION = 'k8s.v1.cni.cncf.io/resourceName';
export const IGNORE_ANNOTATION = 'kubectl-multus.io/ignore';

/** Keys of a network selection element defined by the NPWG spec (v1.3) or read by multus. */
const SELECTION_KEYS = new Set([
  'name',
  'namespace',
  'interface',
  'interfaceRequest',
  'ips',
  'mac',
  'infiniband-guid',
  'default-route',
  'portMappings',
  'bandwidth',
  'cni-args',
  'ipam-claim-reference',
  'deviceID',
]);

export interface NetworkSelection {
  /** 0-based position in the annotation. */
  index: number;
  name: string;
  /** Namespace as written; undefined means "the pod's namespace". */
  namespace?: string;
  interface?: string;
  mac?: string;
  ips?: string[];
  defaultRoute?: string[];
  /** Keys that are not part of the spec (vendor keys with a dot are allowed and not listed). */
  unknownKeys: string[];
  /** The raw element (JSON form) for checks that want more. */
  raw?: JsonObject;
}

export interface NetworksParseResult {
  form: 'short' | 'json' | 'empty';
  selections: NetworkSelection[];
  /** Problems that make the annotation unusable (multus refuses the pod). */
  errors: Array<{ message: string; index?: number; offset?: number; line?: number; column?: number }>;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isDns1123Label(s: string): boolean {
  return s.length > 0 && s.length <= 63 && DNS1123_LABEL.test(s);
}
export function isDns1123Subdomain(s: string): boolean {
  return s.length > 0 && s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
}

/** Interface names: at most 15 bytes, no '/', ':' or whitespace, not '.' or '..'. */
export function interfaceNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (Buffer.byteLength(name) > 15) return 'is longer than 15 characters';
  if (name === '.' || name === '..') return 'is not a valid interface name';
  if (/[\s/:]/.test(name)) return "contains '/', ':' or whitespace";
  return undefined;
}

function parseShort(value: string): NetworksParseResult {
  const out: NetworksParseResult = { form: 'short', selections: [], errors: [] };
  const items = value.split(',');
  items.forEach((rawItem, index) => {
    const item = rawItem.trim();
    if (item === '') {
      out.errors.push({ index, message: `element ${index + 1} is empty (stray comma)` });
      return;
    }
    let ns: string | undefined;
    let rest = item;
    const slashes = item.split('/').length - 1;
    if (slashes > 1) {
      out.errors.push({ index, message: `"${item}": expected at most one '/' (namespace/name)` });
      return;
    }
    if (slashes === 1) {
      [ns, rest] = item.split('/') as [string, string];
    }
    let name = rest;
    let iface: string | undefined;
    const ats = rest.split('@').length - 1;
    if (ats > 1) {
      out.errors.push({ index, message: `"${item}": expected at most one '@' (name@interface)` });
      return;
    }
    if (ats === 1) [name, iface] = rest.split('@') as [string, string];
    if (ns !== undefined && !isDns1123Label(ns)) {
      out.errors.push({ index, message: `"${item}": namespace "${ns}" is not a valid DNS-1123 label` });
      return;
    }
    if (!isDns1123Subdomain(name)) {
      out.errors.push({ index, message: `"${item}": network name "${name}" is not a valid DNS-1123 name` });
      return;
    }
    if (iface !== undefined) {
      const p = interfaceNameProblem(iface);
      if (p) {
        out.errors.push({ index, message: `"${item}": interface name "${iface}" ${p}` });
        return;
      }
    }
    out.selections.push({ index, name, namespace: ns, interface: iface, unknownKeys: [] });
  });
  return out;
}

function stringArray(v: unknown): string[] | undefined | null {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return null;
  return v as string[];
}

function parseJsonForm(value: string): NetworksParseResult {
  const out: NetworksParseResult = { form: 'json', selections: [], errors: [] };
  const p = parseJsonText(value);
  const syntax = p.problems.filter((x: JsonProblem) => x.kind === 'syntax');
  // Multus uses Go's strict decoder: any problem, strict or not, makes the whole annotation unusable.
  const first = syntax[0] ?? p.problems[0];
  if (first) {
    out.errors.push({
      message: `not valid JSON: ${first.message}`,
      offset: first.offset,
      line: first.line,
      column: first.column,
    });
    return out;
  }
  if (!Array.isArray(p.value)) {
    out.errors.push({ message: 'the JSON form must be a list of network selection elements ([{"name": ...}])' });
    return out;
  }
  p.value.forEach((el, index) => {
    if (!isObject(el)) {
      out.errors.push({ index, message: `element ${index + 1} is not an object` });
      return;
    }
    const name = el['name'];
    if (typeof name !== 'string' || name === '') {
      out.errors.push({ index, message: `element ${index + 1} has no "name"` });
      return;
    }
    const sel: NetworkSelection = { index, name, unknownKeys: [], raw: el };
    if (el['namespace'] !== undefined) {
      if (typeof el['namespace'] !== 'string') {
        out.errors.push({ index, message: `element ${index + 1}: "namespace" must be a string` });
        return;
      }
      sel.namespace = el['namespace'];
    }
    const iface = el['interface'] ?? el['interfaceRequest'];
    if (iface !== undefined) {
      if (typeof iface !== 'string') {
        out.errors.push({ index, message: `element ${index + 1}: "interface" must be a string` });
        return;
      }
      const prob = interfaceNameProblem(iface);
      if (prob) {
        out.errors.push({ index, message: `element ${index + 1}: interface name "${iface}" ${prob}` });
        return;
      }
      sel.interface = iface;
    }
    if (el['mac'] !== undefined) {
      if (typeof el['mac'] !== 'string') {
        out.errors.push({ index, message: `element ${index + 1}: "mac" must be a string` });
        return;
      }
      sel.mac = el['mac'];
    }
    const ips = stringArray(el['ips']);
    if (ips === null) {
      out.errors.push({ index, message: `element ${index + 1}: "ips" must be a list of strings` });
      return;
    }
    if (ips) sel.ips = ips;
    const dr = stringArray(el['default-route']);
    if (dr === null) {
      out.errors.push({ index, message: `element ${index + 1}: "default-route" must be a list of gateway addresses` });
      return;
    }
    if (dr) sel.defaultRoute = dr;
    for (const k of Object.keys(el)) {
      if (!SELECTION_KEYS.has(k) && !k.includes('.')) sel.unknownKeys.push(k);
    }
    out.selections.push(sel);
  });
  return out;
}

/** Parse a networks annotation value. Never throws. */
export function parseNetworksAnnotation(value: string): NetworksParseResult {
  if (value.trim() === '') return { form: 'empty', selections: [], errors: [] };
  if (/[[{"]/.test(value)) return parseJsonForm(value);
  return parseShort(value);
}

export function macProblem(mac: string): string | undefined {
  const m =
    /^([0-9a-fA-F]{2})([:-])([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})$/.exec(
      mac,
    );
  if (!m) return 'is not a MAC address of six hex octets (aa:bb:cc:dd:ee:ff)';
  const first = parseInt(m[1]!, 16);
  const all = [m[1], m[3], m[4], m[5], m[6], m[7]].map((x) => parseInt(x!, 16));
  if (all.every((x) => x === 0)) return 'is all zeros';
  if (all.every((x) => x === 255)) return 'is the broadcast address';
  if (first & 1) return 'has the multicast bit set (first octet is odd): the kernel refuses it as an interface address';
  return undefined;
}
