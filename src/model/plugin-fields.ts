/**
 * What we know about CNI plugin types and the fields they read. Field lists come from the plugins'
 * Go config structs (containernetworking/plugins `plugins/main|meta|ipam/*`, whereabouts
 * `pkg/types`), summarised in research/failure-modes.md §C.7. Only the plugins listed in
 * PLUGIN_FIELDS / IPAM_FIELDS have their fields judged; third-party plugins are known by name only.
 */
import { closest, normalizeKey } from './suggest.js';

/** Keys any plugin configuration may carry (CNI spec and what runtimes/multus inject). */
export const COMMON_PLUGIN_KEYS: readonly string[] = [
  'cniVersion',
  'cniVersions',
  'name',
  'type',
  'ipam',
  'dns',
  'capabilities',
  'args',
  'runtimeConfig',
  'prevResult',
];

/** Keys of a conflist document itself (libcni `NetworkConfigList`). */
export const CONFLIST_KEYS: readonly string[] = [
  'cniVersion',
  'cniVersions',
  'name',
  'plugins',
  'disableCheck',
  'disableGC',
];

/** Reference plugins (containernetworking/plugins) and their plugin-specific fields. */
export const PLUGIN_FIELDS: Readonly<Record<string, readonly string[]>> = {
  macvlan: ['master', 'mode', 'mtu', 'mac', 'linkInContainer', 'bcqueuelen'],
  ipvlan: ['master', 'mode', 'mtu', 'linkInContainer'],
  bridge: [
    'bridge',
    'isGateway',
    'isDefaultGateway',
    'forceAddress',
    'ipMasq',
    'ipMasqBackend',
    'mtu',
    'hairpinMode',
    'promiscMode',
    'vlan',
    'vlanTrunk',
    'preserveDefaultVlan',
    'macspoofchk',
    'enabledad',
    'disableContainerInterface',
    'portIsolation',
    'mac',
  ],
  vlan: ['master', 'vlanId', 'mtu', 'linkInContainer'],
  'host-device': ['device', 'hwaddr', 'kernelpath', 'pciBusID', 'DPDKMode'],
  ptp: ['ipMasq', 'ipMasqBackend', 'mtu'],
  tap: ['multiQueue', 'mtu', 'mac', 'owner', 'group', 'selinuxContext', 'bridge'],
  dummy: [],
  loopback: [],
  tuning: ['mac', 'mtu', 'promisc', 'allmulti', 'sysctl', 'txQLen', 'dataDir'],
  sbr: ['table'],
  portmap: ['backend', 'snat', 'conditionsV4', 'conditionsV6', 'masqAll', 'markMasqBit', 'externalSetMarkChain'],
  bandwidth: ['ingressRate', 'ingressBurst', 'egressRate', 'egressBurst', 'unshapedSubnets', 'shapedSubnets'],
  firewall: ['backend', 'iptablesAdminChainName', 'firewalldZone', 'ingressPolicy'],
  vrf: ['vrfname', 'table'],
};

/**
 * IPAM plugins and the fields they read under `ipam`. `stable` lists are judged strictly (an
 * unknown key is a warning); the others grow between releases, so only near-misses warn.
 */
export const IPAM_FIELDS: Readonly<Record<string, { fields: readonly string[]; stable: boolean }>> = {
  'host-local': {
    fields: [
      'type',
      'name',
      'routes',
      'dataDir',
      'resolvConf',
      'ranges',
      'subnet',
      'rangeStart',
      'rangeEnd',
      'gateway',
    ],
    stable: true,
  },
  static: { fields: ['type', 'name', 'routes', 'addresses', 'dns'], stable: true },
  dhcp: {
    fields: ['type', 'daemonSocketPath', 'request', 'provide', 'timeout', 'resendMax', 'resendTimeout'],
    stable: false,
  },
  whereabouts: {
    fields: [
      'type',
      'name',
      'routes',
      'datastore',
      'ipRanges',
      'node_slice_size',
      'addresses',
      'exclude',
      'exclude_gateway',
      'dns',
      'range',
      'range_start',
      'range_end',
      'gateway',
      'leader_lease_duration',
      'leader_renew_deadline',
      'leader_retry_period',
      'log_file',
      'log_level',
      'reconciler_cron_expression',
      'enable_overlapping_ranges',
      'sleep_for_race',
      'kubernetes',
      'configuration_path',
      'network_name',
      'etcd_host',
      'etcd_username',
      'etcd_password',
      'etcd_key_file',
      'etcd_cert_file',
      'etcd_ca_cert_file',
      'PodName',
      'PodNamespace',
    ],
    stable: false,
  },
};

/** Keys of one host-local range (`ranges[i][j]` or the legacy top level). */
export const HOST_LOCAL_RANGE_KEYS: readonly string[] = ['subnet', 'rangeStart', 'rangeEnd', 'gateway'];
/** Keys of one static address. */
export const STATIC_ADDRESS_KEYS: readonly string[] = ['address', 'gateway'];

export const REFERENCE_IPAM_TYPES: readonly string[] = ['host-local', 'static', 'dhcp', 'whereabouts'];

/** Plugin types from other projects that people put in NADs; known by name, fields not judged. */
const THIRD_PARTY_PLUGIN_TYPES: readonly string[] = [
  'sriov',
  'ib-sriov',
  'ovs',
  'ovs-mirror-producer',
  'ovs-mirror-consumer',
  'antrea',
  'kube-ovn',
  'ovn-k8s-cni-overlay',
  'ovn4nfvk8s-cni',
  'cnv-bridge',
  'cnv-tuning',
  'bond',
  'rdma',
  'accelerated-bridge',
  'userspace',
  'afxdp',
  'macvtap',
  'route-override',
  'flannel',
  'calico',
  'cilium-cni',
  'weave-net',
  'multus',
  'multus-shim',
  'istio-cni',
  'linkerd-cni',
  'aws-cni',
  'egress-cni',
  'azure-vnet',
  'terway',
  'spiderpool',
  'coordinator',
  'ifacer',
  'veth',
  'kuryr-cni',
  'ipoib',
  'dpdk',
  'vhostuser',
  'openshift-sdn',
  'kube-router',
  'nsx',
];

/** IPAM types from other projects (same rule: known by name only). */
const THIRD_PARTY_IPAM_TYPES: readonly string[] = [
  'antrea',
  'kube-ovn',
  'spiderpool',
  'calico-ipam',
  'azure-vnet-ipam',
  'nv-ipam',
  'ovn4nfvk8s-cni',
  'aws-ipam',
  'infoblox',
];

/** Which field names the host interface a plugin attaches to. */
export const MASTER_FIELD: Readonly<Record<string, string>> = {
  macvlan: 'master',
  ipvlan: 'master',
  vlan: 'master',
  'host-device': 'device',
};

export function isReferencePlugin(type: string): boolean {
  return Object.hasOwn(PLUGIN_FIELDS, type);
}

export function isKnownPluginType(type: string): boolean {
  return isReferencePlugin(type) || THIRD_PARTY_PLUGIN_TYPES.includes(type);
}

export function isKnownIpamType(type: string): boolean {
  return REFERENCE_IPAM_TYPES.includes(type) || THIRD_PARTY_IPAM_TYPES.includes(type);
}

type KeyVerdict =
  | { kind: 'known' }
  /** Same key up to letter case: Go's JSON decoder accepts it. */
  | { kind: 'case'; canonical: string }
  /** A different spelling of a known key (separator or typo): the plugin ignores it. */
  | { kind: 'near'; suggestion: string }
  | { kind: 'unknown' };

/** Judge one key against the keys a plugin reads, the way Go's decoder would. */
export function judgeKey(key: string, known: readonly string[]): KeyVerdict {
  if (known.includes(key)) return { kind: 'known' };
  const lower = key.toLowerCase();
  const caseMatch = known.find((k) => k.toLowerCase() === lower);
  if (caseMatch) return { kind: 'case', canonical: caseMatch };
  const near = closest(key, known);
  if (near) return { kind: 'near', suggestion: near };
  return { kind: 'unknown' };
}

/**
 * The known plugin (or IPAM) type a misspelled one most likely meant. `referenceOnly` limits the
 * candidates to reference plugins/IPAMs, whose names are certain enough to call a near-miss wrong.
 */
export function suggestType(type: string, ipam: boolean, referenceOnly = false): string | undefined {
  const reference = ipam ? REFERENCE_IPAM_TYPES : Object.keys(PLUGIN_FIELDS);
  const pool = referenceOnly
    ? [...reference]
    : [...reference, ...(ipam ? THIRD_PARTY_IPAM_TYPES : THIRD_PARTY_PLUGIN_TYPES)];
  if (pool.includes(type)) return undefined;
  const n = normalizeKey(type);
  return pool.find((p) => normalizeKey(p) === n) ?? closest(type, pool);
}
