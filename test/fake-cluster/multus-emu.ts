/**
 * What multus (thin plugin, v4) does for a pod, as far as the fake kubelet needs it: read the
 * pod's networks annotation, fetch each NAD, turn its config into the delegate's plugin configs
 * (runtimeConfig for declared capabilities, CNI_ARGS MAC=/IP= as multus also passes them), and
 * word failures, the network-status annotation and the AddedInterface events as multus and
 * containerd do (../shared/corpus/lab: master-missing, nad-not-found, healthy-hostlocal).
 */
import {
  parseNetworksAnnotation,
  NETWORKS_ANNOTATION,
  type NetworkSelection,
} from '../../src/model/networks-annotation.js';
import type { KObj } from './scenario.js';
import type { Store } from './store.js';

const NAD_GR = 'network-attachment-definitions.k8s.cni.cncf.io';

export interface Delegate {
  selection: NetworkSelection;
  /** `namespace/name` of the NAD. */
  key: string;
  nadName: string;
  /** The config's own "name" (what multus quotes in `error adding container to network "…"`). */
  netName: string;
  ifname: string;
  /** Plugin configs in chain order, as libcni passes them (before prevResult/runtimeConfig). */
  plugins: Array<Record<string, unknown>>;
}

export type Resolved = { delegates: Delegate[] } | { error: string; noNetworkFound?: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function resolveDelegates(pod: KObj, store: Store): Resolved {
  const md = pod['metadata'];
  const prefix = `Multus: [${md.namespace}/${md.name}/${md.uid}]`;
  const value: string | undefined = md.annotations?.[NETWORKS_ANNOTATION];
  if (value === undefined) return { delegates: [] };
  const parsed = parseNetworksAnnotation(value);
  if (parsed.errors.length)
    return {
      error: `${prefix}: error loading k8s delegates k8s args: TryLoadPodDelegates: error in getting k8s network for pod: GetNetworkDelegates: failed getting the delegate: parsePodNetworkAnnotation: ${parsed.errors[0]!.message}`,
    };
  const delegates: Delegate[] = [];
  for (const sel of parsed.selections) {
    const ns = sel.namespace ?? md.namespace;
    const nad = store.peek(NAD_GR, ns, sel.name);
    if (!nad) {
      const nf = `cannot find a network-attachment-definition (${sel.name}) in namespace (${ns}): network-attachment-definitions.k8s.cni.cncf.io "${sel.name}" not found`;
      return {
        error: `${prefix}: error loading k8s delegates k8s args: TryLoadPodDelegates: error in getting k8s network for pod: GetNetworkDelegates: failed getting the delegate: getKubernetesDelegate: ${nf}`,
        noNetworkFound: nf,
      };
    }
    let conf: unknown;
    try {
      conf = JSON.parse(String(nad['spec']?.config ?? ''));
    } catch (e) {
      return {
        error: `${prefix}: error loading k8s delegates k8s args: TryLoadPodDelegates: error in getting k8s network for pod: GetNetworkDelegates: failed getting the delegate: GetKubernetesDelegate: failed to load CNI configuration: ${(e as Error).message}`,
      };
    }
    if (!isObj(conf))
      return { error: `${prefix}: GetKubernetesDelegate: spec.config of ${ns}/${sel.name} is not a JSON object` };
    const netName = String(conf['name'] ?? sel.name);
    const plugins = Array.isArray(conf['plugins'])
      ? (conf['plugins'] as unknown[])
          .filter(isObj)
          .map((p) => ({ cniVersion: conf['cniVersion'], name: netName, ...p }))
      : [{ ...conf }];
    delegates.push({
      selection: sel,
      key: `${ns}/${sel.name}`,
      nadName: sel.name,
      netName,
      ifname: sel.interface ?? `net${delegates.length + 1}`,
      plugins,
    });
  }
  return { delegates };
}

/** The config one plugin gets on stdin: capabilities → runtimeConfig, prevResult in a chain. */
export function pluginConfig(
  base: Record<string, unknown>,
  sel: NetworkSelection,
  o: { prevResult?: unknown; hostLocalDir?: string },
): Record<string, unknown> {
  const c: Record<string, unknown> = structuredClone(base);
  const caps = isObj(c['capabilities']) ? c['capabilities'] : {};
  const rc: Record<string, unknown> = {};
  if (caps['mac'] === true && sel.mac) rc['mac'] = sel.mac;
  if (caps['ips'] === true && sel.ips?.length) rc['ips'] = sel.ips;
  if (Object.keys(rc).length) c['runtimeConfig'] = rc;
  if (o.prevResult !== undefined) c['prevResult'] = o.prevResult;
  // Each fake node keeps its own host-local store, as /var/lib/cni/networks is per host.
  const ipam = c['ipam'];
  if (o.hostLocalDir && isObj(ipam) && ipam['type'] === 'host-local' && ipam['dataDir'] === undefined)
    c['ipam'] = { ...ipam, dataDir: o.hostLocalDir };
  return c;
}

/** CNI_ARGS as multus builds them, including the legacy MAC=/IP= that some plugins read. */
export function cniArgs(pod: KObj, sandboxId: string, sel?: NetworkSelection): string {
  const md = pod['metadata'];
  const parts = [
    'IgnoreUnknown=true',
    `K8S_POD_NAMESPACE=${md.namespace}`,
    `K8S_POD_NAME=${md.name}`,
    `K8S_POD_INFRA_CONTAINER_ID=${sandboxId}`,
    `K8S_POD_UID=${md.uid}`,
  ];
  if (sel?.mac) parts.push(`MAC=${sel.mac}`);
  if (sel?.ips?.length) parts.push(`IP=${sel.ips.join(',')}`);
  return parts.join(';');
}

/** containerd's event text for a failed sandbox (lab: master-missing__events.json). */
export function sandboxFailedMessage(sandboxId: string, multusError: string): string {
  return `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${sandboxId}": plugin type="multus" failed (add): ${multusError}`;
}

/** multus's wording of a delegate failure. */
export function delegateError(pod: KObj, d: Delegate, err: string): string {
  const md = pod['metadata'];
  return `[${md.namespace}/${md.name}/${md.uid}:${d.nadName}]: error adding container to network "${d.netName}": ${err}`;
}

export interface Attachment {
  name: string;
  interface: string;
  /** `address/prefix` as the plugin returned them. */
  cidrs: string[];
  mac?: string;
  default?: boolean;
  gateway?: string[];
}

/** Addresses and MAC of the sandbox interface in a CNI result (0.3.0+ format). */
export function fromResult(
  result: Record<string, unknown>,
  ifname: string,
): { cidrs: string[]; mac?: string; gateway: string[] } {
  const ifaces = Array.isArray(result['interfaces']) ? (result['interfaces'] as Array<Record<string, unknown>>) : [];
  const idx = ifaces.findIndex((i) => i['name'] === ifname && i['sandbox']);
  const ips = Array.isArray(result['ips']) ? (result['ips'] as Array<Record<string, unknown>>) : [];
  const mine = ips.filter((x) => x['interface'] === undefined || x['interface'] === idx);
  return {
    cidrs: mine.map((x) => String(x['address'])),
    ...(idx >= 0 && typeof ifaces[idx]!['mac'] === 'string' ? { mac: String(ifaces[idx]!['mac']) } : {}),
    gateway: mine.map((x) => x['gateway']).filter((g): g is string => typeof g === 'string'),
  };
}

/** The k8s.v1.cni.cncf.io/network-status value multus writes (indented JSON, IPs without prefix). */
export function networkStatus(list: Attachment[]): string {
  return JSON.stringify(
    list.map((a) => ({
      name: a.name,
      interface: a.interface,
      ips: a.cidrs.map((c) => c.split('/')[0]),
      ...(a.mac ? { mac: a.mac } : {}),
      ...(a.default ? { default: true } : {}),
      dns: {},
      ...(a.default && a.gateway?.length ? { gateway: a.gateway } : {}),
    })),
    null,
    4,
  );
}

export function addedInterfaceMessage(a: Attachment): string {
  return `Add ${a.interface} [${a.cidrs.join(',')}] from ${a.name}`;
}
