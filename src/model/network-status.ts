/**
 * The `k8s.v1.cni.cncf.io/network-status` annotation multus writes on a pod after setting up its
 * networks (older releases also wrote `networks-status`; we read both and prefer the singular).
 */
import { parseJsonText, isObject } from './cni-config.js';
import { NETWORK_STATUS_ANNOTATION, LEGACY_NETWORKS_STATUS_ANNOTATION } from './networks-annotation.js';

export interface NetworkStatusEntry {
  name: string;
  interface?: string;
  ips: string[];
  mac?: string;
  mtu?: number;
  default: boolean;
  gateway?: string[];
}

export interface NetworkStatusResult {
  entries: NetworkStatusEntry[];
  error?: string;
}

export function parseNetworkStatus(value: string): NetworkStatusResult {
  const p = parseJsonText(value);
  if (p.problems.some((x) => x.kind === 'syntax')) {
    return { entries: [], error: `network-status is not valid JSON: ${p.problems[0]!.message}` };
  }
  if (!Array.isArray(p.value)) return { entries: [], error: 'network-status is not a JSON list' };
  const entries: NetworkStatusEntry[] = [];
  for (const el of p.value) {
    if (!isObject(el) || typeof el['name'] !== 'string') continue;
    entries.push({
      name: el['name'],
      interface: typeof el['interface'] === 'string' ? el['interface'] : undefined,
      ips: Array.isArray(el['ips']) ? el['ips'].filter((x): x is string => typeof x === 'string') : [],
      mac: typeof el['mac'] === 'string' ? el['mac'] : undefined,
      mtu: typeof el['mtu'] === 'number' ? el['mtu'] : undefined,
      default: el['default'] === true,
      gateway: Array.isArray(el['gateway'])
        ? el['gateway'].filter((x): x is string => typeof x === 'string')
        : undefined,
    });
  }
  return { entries };
}

/** The network-status of a pod from its annotations, preferring the current key over the legacy one. */
export function podNetworkStatus(annotations: Record<string, string> | undefined): NetworkStatusResult | undefined {
  const v = annotations?.[NETWORK_STATUS_ANNOTATION] ?? annotations?.[LEGACY_NETWORKS_STATUS_ANNOTATION];
  return v === undefined ? undefined : parseNetworkStatus(v);
}

/** Does a status entry name refer to NAD ns/name (multus writes `ns/name`; very old releases just `name`)? */
export function statusNameMatches(entryName: string, namespace: string, name: string): boolean {
  return entryName === `${namespace}/${name}` || entryName === name;
}
