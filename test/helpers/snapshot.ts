/**
 * Builders for hand-written snapshots in tests. Each builder fills the required fields with
 * neutral values so that a test states only what matters to it.
 */
import {
  type DirListing,
  type FileEntry,
  type MultusInstall,
  type NadObject,
  type NodeInfo,
  type NodeInspection,
  type Snapshot,
  type WorkloadObject,
} from '../../src/snapshot/types.js';
import { analyze } from '../../src/checks/analysis.js';
import { runsOn, type Check, type Finding } from '../../src/checks/types.js';

// The snapshot builders are the ones the code uses.
export { snapshot, manifests } from '../../src/snapshot/build.js';

export function nad(name: string, config: string | object | undefined, p: Partial<NadObject> = {}): NadObject {
  return {
    name,
    namespace: 'default',
    ...(config === undefined ? {} : { config: typeof config === 'string' ? config : JSON.stringify(config, null, 2) }),
    ...p,
  };
}

export function pod(
  name: string,
  networks: string | object[] | undefined,
  p: Partial<WorkloadObject> = {},
): WorkloadObject {
  const podAnnotations: Record<string, string> = {};
  if (networks !== undefined)
    podAnnotations['k8s.v1.cni.cncf.io/networks'] = typeof networks === 'string' ? networks : JSON.stringify(networks);
  return { kind: 'Pod', name, namespace: 'default', podAnnotations, hostNetwork: false, ...p };
}

export function workload(
  kind: WorkloadObject['kind'],
  name: string,
  networks: string | object[] | undefined,
  p: Partial<WorkloadObject> = {},
): WorkloadObject {
  return { ...pod(name, networks), kind, replicas: kind === 'DaemonSet' ? undefined : 1, ...p };
}

export function node(name: string, p: Partial<NodeInfo> = {}): NodeInfo {
  return {
    name,
    labels: { 'kubernetes.io/hostname': name },
    taints: [],
    podCIDRs: [],
    addresses: [],
    ready: true,
    ...p,
  };
}

export function file(name: string, p: Partial<FileEntry> = {}): FileEntry {
  return { name, type: 'file', executable: true, ...p };
}

export function dir(entries: Array<string | FileEntry>, exists = true): DirListing {
  return { exists, entries: entries.map((e) => (typeof e === 'string' ? file(e) : e)) };
}

export function inspection(p: Partial<NodeInspection> = {}): NodeInspection {
  return { source: 'manual', dirs: {}, files: {}, ...p };
}

export function multus(p: Partial<MultusInstall> = {}): MultusInstall {
  return {
    namespace: 'kube-system',
    name: 'kube-multus-ds',
    mode: 'thin',
    flavor: 'upstream',
    image: 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.4',
    version: 'v4.1.4',
    containerName: 'kube-multus',
    command: ['/thin_entrypoint'],
    args: [
      '--multus-conf-file=auto',
      '--multus-autoconfig-dir=/host/etc/cni/net.d',
      '--cni-conf-dir=/host/etc/cni/net.d',
    ],
    mounts: [
      { volume: 'cni', hostPath: '/etc/cni/net.d', mountPath: '/host/etc/cni/net.d', container: 'kube-multus' },
      { volume: 'cnibin', hostPath: '/opt/cni/bin', mountPath: '/host/opt/cni/bin', container: 'kube-multus' },
    ],
    status: { desired: 1, ready: 1 },
    pods: [],
    ...p,
  };
}

/** Run one check over a snapshot. */
export function run(check: Check, s: Snapshot): Finding[] {
  const a = analyze(s);
  // As the engine does: a check runs only on the distributions its metadata names.
  return runsOn(check.meta, a.distribution) ? check.run(a) : [];
}
