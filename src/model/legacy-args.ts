/**
 * Plugins that still honour a per-pod MAC or IP when the NAD declares no capability, because
 * multus also passes it as the legacy CNI_ARGS `MAC=` / `IP=` (macvlan ≥ plugins v0.8.7, bridge
 * ≥ v1.0.0, tuning; the static, host-local and whereabouts IPAMs). Shared by the capability
 * checks and by `attach`, which must agree on what works.
 */
export const LEGACY_MAC_PLUGINS: ReadonlySet<string> = new Set(['macvlan', 'bridge', 'tuning']);
export const LEGACY_IP_IPAMS: ReadonlySet<string> = new Set(['static', 'host-local', 'whereabouts']);
