/**
 * Which project or DaemonSet puts a CNI plugin binary on a node, so that "plugin X is missing"
 * comes with "install it with Y". Sources: containernetworking/plugins releases (reference
 * plugins), k3s-io/k3s #9224 (K3s multicall `cni`), rke2-charts values (`cni-plugins` init
 * container, skips flannel), OpenShift CNO (`multus-additional-cni-plugins`).
 */
import { own } from './own.js';

/** containernetworking/plugins: main, IPAM and meta plugins. */
export const REFERENCE_PLUGINS = new Set([
  'bridge',
  'ipvlan',
  'macvlan',
  'vlan',
  'host-device',
  'ptp',
  'loopback',
  'tap',
  'dummy',
  'host-local',
  'static',
  'dhcp',
  'bandwidth',
  'firewall',
  'portmap',
  'sbr',
  'tuning',
  'vrf',
]);

const OTHER: Record<string, string> = {
  whereabouts:
    'the whereabouts DaemonSet (k8snetworkplumbingwg/whereabouts, or rke2-multus `rke2-whereabouts.enabled: true`)',
  flannel: "flannel's CNI plugin (the kube-flannel DaemonSet's install-cni-plugin init container; built into K3s)",
  calico: "Calico (calico-node's install-cni init container)",
  'calico-ipam': "Calico (calico-node's install-cni init container)",
  'cilium-cni': 'the Cilium agent DaemonSet',
  sriov: 'sriov-cni (SR-IOV Network Operator or the sriov-cni DaemonSet)',
  'ib-sriov': 'ib-sriov-cni (SR-IOV Network Operator)',
  ovs: 'ovs-cni (KubeVirt cluster-network-addons-operator or the ovs-cni DaemonSet)',
  'kube-ovn': 'Kube-OVN',
  macvtap: 'macvtap-cni (KubeVirt)',
  'route-override': 'route-override-cni',
  bond: 'bond-cni (k8snetworkplumbingwg/bond-cni)',
  userspace: 'userspace-cni-network-plugin',
  'ovn-k8s-cni-overlay': 'OVN-Kubernetes',
  'nv-ipam': 'NVIDIA nv-ipam (Network Operator)',
};

/** Types that are not separate binaries a NAD should name. */
export const NOT_A_BINARY = new Set(['multus', 'multus-shim']);

export function pluginSource(type: string): string {
  if (REFERENCE_PLUGINS.has(type)) return 'containernetworking/plugins (the reference plugins)';
  return own(OTHER, type) ?? `the project that provides the "${type}" plugin`;
}
