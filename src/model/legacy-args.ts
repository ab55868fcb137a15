/**
 * How a per-pod MAC or IP from the networks annotation reaches each plugin. Multus passes a
 * selection's `mac` / `ips` two ways: as runtimeConfig (only to a plugin that declares
 * `"capabilities": {"mac": true}` / `{"ips": true}`), and always as the legacy CNI_ARGS `MAC=` /
 * `IP=`. Which plugin reads which is decided by its own source (its `EnvArgs` struct for CNI_ARGS,
 * its `RuntimeConfig` struct for the capability); each entry names the file that shows it.
 * Shared by the capability checks, nad-mac-after-dhcp and `attach`, which must agree on what works.
 * The same table, for people, is docs/plugins.md.
 */

interface MacSupport {
  /** Reads CNI_ARGS `MAC=` (an `EnvArgs` struct with a MAC field). */
  legacy: boolean;
  /** Reads runtimeConfig `mac`, i.e. `"capabilities": {"mac": true}` does something. */
  capability: boolean;
  /** The source file that shows it (repository path). */
  source: string;
  /** Since which release the legacy path exists, when it was added later. */
  since?: string;
}

/**
 * Per-pod MAC, per plugin type. A type that is not listed is unknown: the checks only warn that
 * the MAC "may be ignored". ipvlan and host-device are listed with neither path on purpose.
 */
export const MAC_SUPPORT: Readonly<Record<string, MacSupport>> = {
  // containernetworking/plugins plugins/main/macvlan/macvlan.go: MacEnvArgs{MAC} and RuntimeConfig{Mac}
  macvlan: {
    legacy: true,
    capability: true,
    source: 'containernetworking/plugins plugins/main/macvlan/macvlan.go',
    since: 'v0.8.7',
  },
  // containernetworking/plugins plugins/main/bridge/bridge.go: MacEnvArgs{MAC} and RuntimeConfig{Mac}
  bridge: {
    legacy: true,
    capability: true,
    source: 'containernetworking/plugins plugins/main/bridge/bridge.go',
    since: 'v1.0.0',
  },
  // containernetworking/plugins plugins/main/tap/tap.go: MacEnvArgs{MAC} and RuntimeConfig{Mac}
  tap: { legacy: true, capability: true, source: 'containernetworking/plugins plugins/main/tap/tap.go' },
  // containernetworking/plugins plugins/meta/tuning/tuning.go: MACEnvArgs{MAC} and RuntimeConfig{Mac}
  tuning: { legacy: true, capability: true, source: 'containernetworking/plugins plugins/meta/tuning/tuning.go' },
  // containernetworking/plugins plugins/main/ipvlan/ipvlan.go: no MAC at all (children share the master's MAC)
  ipvlan: { legacy: false, capability: false, source: 'containernetworking/plugins plugins/main/ipvlan/ipvlan.go' },
  // containernetworking/plugins plugins/main/host-device/host-device.go: "hwaddr" selects the device, no per-pod MAC
  'host-device': {
    legacy: false,
    capability: false,
    source: 'containernetworking/plugins plugins/main/host-device/host-device.go',
  },
  // containernetworking/plugins plugins/main/vlan/vlan.go: NetConf has master/vlanId/mtu only, no EnvArgs
  vlan: { legacy: false, capability: false, source: 'containernetworking/plugins plugins/main/vlan/vlan.go' },
  // containernetworking/plugins plugins/main/ptp/ptp.go: no EnvArgs, no RuntimeConfig MAC
  ptp: { legacy: false, capability: false, source: 'containernetworking/plugins plugins/main/ptp/ptp.go' },
  // containernetworking/plugins plugins/main/dummy/dummy.go: no EnvArgs, no RuntimeConfig MAC
  dummy: { legacy: false, capability: false, source: 'containernetworking/plugins plugins/main/dummy/dummy.go' },
  // kubevirt/macvtap-cni pkg/cni/plugin.go: EnvArgs{MAC} only; NetConf has no runtimeConfig
  macvtap: { legacy: true, capability: false, source: 'kubevirt/macvtap-cni pkg/cni/plugin.go' },
  // k8snetworkplumbingwg/ovs-cni pkg/plugin/plugin.go + pkg/common/common.go: EnvArgs{MAC, OvnPort};
  // pkg/types/types.go has no runtimeConfig
  ovs: { legacy: true, capability: false, source: 'k8snetworkplumbingwg/ovs-cni pkg/plugin/plugin.go' },
  // k8snetworkplumbingwg/sriov-cni pkg/cnicommands/cni.go: envArgs{MAC}, then RuntimeConfig.Mac takes preference
  sriov: { legacy: true, capability: true, source: 'k8snetworkplumbingwg/sriov-cni pkg/cnicommands/cni.go' },
  // k8snetworkplumbingwg/accelerated-bridge-cni pkg/plugin/plugin.go: getMACAddressConfig reads envArgs.MAC, then RuntimeConfig.Mac
  'accelerated-bridge': {
    legacy: true,
    capability: true,
    source: 'k8snetworkplumbingwg/accelerated-bridge-cni pkg/plugin/plugin.go',
  },
  // k8snetworkplumbingwg/ib-sriov-cni cmd/ib-sriov-cni/main.go: no MAC; an InfiniBand port has a GUID
  // (args.cni "guid" / runtimeConfig infinibandGUID)
  'ib-sriov': {
    legacy: false,
    capability: false,
    source: 'k8snetworkplumbingwg/ib-sriov-cni cmd/ib-sriov-cni/main.go',
  },
  // k8snetworkplumbingwg/bond-cni bond/bond.go: bondingConfig has no MAC, no EnvArgs; the bond takes its slaves' MAC
  bond: { legacy: false, capability: false, source: 'k8snetworkplumbingwg/bond-cni bond/bond.go' },
};

interface IpSupport {
  /** Reads CNI_ARGS `IP=`. */
  legacy: boolean;
  /** Reads runtimeConfig `ips` (`"capabilities": {"ips": true}`). */
  capability: boolean;
  source: string;
}

/**
 * Per-pod IP, per IPAM type. Main plugins that delegate to an IPAM plugin (macvlan, ipvlan,
 * bridge, vlan, host-device, ptp, tap, sriov, ovs, bond, accelerated-bridge) pass CNI_ARGS and
 * the whole config through to it (`ipam.ExecAdd`), so the IPAM decides.
 */
export const IP_SUPPORT: Readonly<Record<string, IpSupport>> = {
  // containernetworking/plugins plugins/ipam/host-local/backend/allocator/config.go: IPAMEnvArgs{IP}, RuntimeConfig{IPs}
  'host-local': {
    legacy: true,
    capability: true,
    source: 'containernetworking/plugins plugins/ipam/host-local/backend/allocator/config.go',
  },
  // containernetworking/plugins plugins/ipam/static/main.go: IPAMEnvArgs{IP, GATEWAY}, RuntimeConfig{IPs}
  static: { legacy: true, capability: true, source: 'containernetworking/plugins plugins/ipam/static/main.go' },
  // k8snetworkplumbingwg/whereabouts pkg/types/types.go IPAMEnvArgs{IP, GATEWAY}, parsed into "addresses" by pkg/config/config.go
  whereabouts: { legacy: true, capability: false, source: 'k8snetworkplumbingwg/whereabouts pkg/config/config.go' },
  // containernetworking/plugins plugins/ipam/dhcp/main.go: the lease comes from the DHCP server; no IP arg
  dhcp: { legacy: false, capability: false, source: 'containernetworking/plugins plugins/ipam/dhcp/main.go' },
};

const has = <T>(table: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined;

export function macSupport(type: string): MacSupport | undefined {
  return has(MAC_SUPPORT, type);
}

/** Plugins that read multus's legacy `MAC=` argument. */
export const LEGACY_MAC_PLUGINS: ReadonlySet<string> = new Set(
  Object.keys(MAC_SUPPORT).filter((t) => MAC_SUPPORT[t]!.legacy),
);
/** Plugins whose only way to a per-pod MAC is `MAC=`: the mac capability does nothing for them. */
export const LEGACY_ONLY_MAC_PLUGINS: ReadonlySet<string> = new Set(
  Object.keys(MAC_SUPPORT).filter((t) => MAC_SUPPORT[t]!.legacy && !MAC_SUPPORT[t]!.capability),
);
/** Plugins that create the interface and take a MAC both ways (so `capabilities.mac` is the fix). */
export const MAC_AT_CREATION_PLUGINS: ReadonlySet<string> = new Set(
  Object.keys(MAC_SUPPORT).filter((t) => t !== 'tuning' && MAC_SUPPORT[t]!.legacy && MAC_SUPPORT[t]!.capability),
);
/** IPAMs that read multus's legacy `IP=` argument. */
export const LEGACY_IP_IPAMS: ReadonlySet<string> = new Set(
  Object.keys(IP_SUPPORT).filter((t) => IP_SUPPORT[t]!.legacy),
);
