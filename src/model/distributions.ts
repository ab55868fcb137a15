/**
 * Where each distribution's container runtime looks for CNI configs and plugins (host paths),
 * and how to recognise the distribution. Sources: research/failure-modes.md §B.1 (K3s, RKE2,
 * kubeadm, kind, microk8s and OpenShift docs and source).
 */
import type { Distribution, NodeInfo } from '../snapshot/types.js';

export interface DistroPaths {
  /** Human name used in messages. */
  label: string;
  /** The CNI conf dir the runtime reads. */
  confDir: string;
  /** Bin dirs where the runtime/kubelet look for plugins, in search order. */
  binDirs: string[];
  /** The bin dir we recommend pointing multus at. */
  recommendedBinDir: string;
  /** The runtime config file that names conf/bin dirs. */
  runtimeConfig?: string;
  /** multus.kubeconfig host path for this distribution. */
  multusKubeconfig: string;
  /** Where the flannel net-conf lives when flannel is built in. */
  flannelNetConf?: string;
}

export const DISTRO_PATHS: Record<Distribution, DistroPaths> = {
  k3s: {
    label: 'K3s',
    confDir: '/var/lib/rancher/k3s/agent/etc/cni/net.d',
    binDirs: ['/var/lib/rancher/k3s/data/cni', '/var/lib/rancher/k3s/data/current/bin', '/opt/cni/bin'],
    recommendedBinDir: '/var/lib/rancher/k3s/data/cni',
    runtimeConfig: '/var/lib/rancher/k3s/agent/etc/containerd/config.toml',
    multusKubeconfig: '/var/lib/rancher/k3s/agent/etc/cni/net.d/multus.d/multus.kubeconfig',
    flannelNetConf: '/var/lib/rancher/k3s/agent/etc/flannel/net-conf.json',
  },
  rke2: {
    label: 'RKE2',
    confDir: '/etc/cni/net.d',
    binDirs: ['/opt/cni/bin'],
    recommendedBinDir: '/opt/cni/bin',
    runtimeConfig: '/var/lib/rancher/rke2/agent/etc/containerd/config.toml',
    multusKubeconfig: '/etc/cni/net.d/multus.d/multus.kubeconfig',
  },
  kubeadm: {
    label: 'kubeadm/vanilla Kubernetes',
    confDir: '/etc/cni/net.d',
    binDirs: ['/opt/cni/bin'],
    recommendedBinDir: '/opt/cni/bin',
    runtimeConfig: '/etc/containerd/config.toml',
    multusKubeconfig: '/etc/cni/net.d/multus.d/multus.kubeconfig',
  },
  kind: {
    label: 'kind',
    confDir: '/etc/cni/net.d',
    binDirs: ['/opt/cni/bin'],
    recommendedBinDir: '/opt/cni/bin',
    runtimeConfig: '/etc/containerd/config.toml',
    multusKubeconfig: '/etc/cni/net.d/multus.d/multus.kubeconfig',
  },
  microk8s: {
    label: 'MicroK8s',
    confDir: '/var/snap/microk8s/current/args/cni-network',
    binDirs: ['/var/snap/microk8s/current/opt/cni/bin'],
    recommendedBinDir: '/var/snap/microk8s/current/opt/cni/bin',
    runtimeConfig: '/var/snap/microk8s/current/args/containerd-template.toml',
    multusKubeconfig: '/var/snap/microk8s/current/args/cni-network/multus.d/multus.kubeconfig',
  },
  openshift: {
    label: 'OpenShift',
    confDir: '/etc/kubernetes/cni/net.d',
    binDirs: ['/var/lib/cni/bin'],
    recommendedBinDir: '/var/lib/cni/bin',
    multusKubeconfig: '/etc/kubernetes/cni/net.d/multus.d/multus.kubeconfig',
  },
  unknown: {
    label: 'this cluster',
    confDir: '/etc/cni/net.d',
    binDirs: ['/opt/cni/bin'],
    recommendedBinDir: '/opt/cni/bin',
    multusKubeconfig: '/etc/cni/net.d/multus.d/multus.kubeconfig',
  },
};

/** Every conf dir any distribution uses: candidates a node inspection lists. */
export const CANDIDATE_CONF_DIRS = [
  '/etc/cni/net.d',
  '/var/lib/rancher/k3s/agent/etc/cni/net.d',
  '/var/snap/microk8s/current/args/cni-network',
  '/etc/kubernetes/cni/net.d',
  '/run/multus/cni/net.d',
];

export const CANDIDATE_BIN_DIRS = [
  '/opt/cni/bin',
  '/var/lib/rancher/k3s/data/cni',
  '/var/lib/rancher/k3s/data/current/bin',
  '/var/snap/microk8s/current/opt/cni/bin',
  '/var/lib/cni/bin',
  '/usr/libexec/cni',
];

/** The K3s versioned bin dir that changes on every upgrade. */
const K3S_VERSIONED_BIN = /\/var\/lib\/rancher\/k3s\/data\/(?!current\/|cni(\/|$))[0-9a-f]{16,}\/bin/;

export function isK3sVersionedBinDir(p: string): boolean {
  return K3S_VERSIONED_BIN.test(p);
}

/** Recognise the distribution from node facts. Returns the distribution and what gave it away. */
export function detectDistribution(
  nodes: NodeInfo[],
  namespaces?: string[],
): { distribution: Distribution; evidence: string } {
  for (const n of nodes) {
    const v = n.kubeletVersion ?? '';
    if (/\+k3s\d*/.test(v)) return { distribution: 'k3s', evidence: `node ${n.name} kubelet ${v}` };
    if (/\+rke2r?\d*/.test(v)) return { distribution: 'rke2', evidence: `node ${n.name} kubelet ${v}` };
  }
  for (const n of nodes) {
    const l = n.labels ?? {};
    if (l['node.kubernetes.io/instance-type'] === 'k3s')
      return { distribution: 'k3s', evidence: `node ${n.name} label node.kubernetes.io/instance-type=k3s` };
    if (l['node.kubernetes.io/instance-type'] === 'rke2')
      return { distribution: 'rke2', evidence: `node ${n.name} label node.kubernetes.io/instance-type=rke2` };
    if (
      Object.keys(l).some(
        (k) =>
          k.startsWith('node.openshift.io/') ||
          (k === 'node-role.kubernetes.io/worker' && l['node.openshift.io/os_id'] !== undefined),
      )
    ) {
      return { distribution: 'openshift', evidence: `node ${n.name} has OpenShift labels` };
    }
    if (l['microk8s.io/cluster'] !== undefined || Object.keys(l).some((k) => k.startsWith('microk8s.io/'))) {
      return { distribution: 'microk8s', evidence: `node ${n.name} label microk8s.io/cluster` };
    }
    if ((n.providerID ?? '').startsWith('kind://'))
      return { distribution: 'kind', evidence: `node ${n.name} providerID ${n.providerID}` };
    if ((n.osImage ?? '').toLowerCase().includes('red hat enterprise linux coreos')) {
      return { distribution: 'openshift', evidence: `node ${n.name} runs ${n.osImage}` };
    }
  }
  if (namespaces?.includes('openshift-multus') || namespaces?.includes('openshift-apiserver')) {
    return { distribution: 'openshift', evidence: 'namespace openshift-multus exists' };
  }
  if (nodes.length > 0) return { distribution: 'kubeadm', evidence: 'no distribution-specific marker on the nodes' };
  return { distribution: 'unknown', evidence: 'no node data' };
}

export function distroLabel(d: Distribution): string {
  return DISTRO_PATHS[d].label;
}
