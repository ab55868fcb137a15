/**
 * Snapshots for the install checks, built from the real lab captures in ../shared/corpus/lab
 * (`ls -la` listings, DaemonSet and pod JSON, logs, config files) and from small hand-written
 * node inspections for the distributions the lab does not cover (OpenShift, thick).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED } from '../helpers/cli.js';
import { dir, file, inspection, multus, node, snapshot } from '../helpers/snapshot.js';
import { describeMultus, type DaemonSetObject } from '../../src/collect/install-fingerprint.js';
import { toMultusPod, type PodObject } from '../../src/collect/multus-install.js';
import type {
  DirListing,
  FileEntry,
  MultusInstall,
  NodeInfo,
  NodeInspection,
  Snapshot,
} from '../../src/snapshot/types.js';

const LAB = join(SHARED, 'corpus', 'lab');
export const lab = (name: string): string => readFileSync(join(LAB, name), 'utf8');
export const labJson = (name: string): any => JSON.parse(lab(name));

export const K3S_CONF = '/var/lib/rancher/k3s/agent/etc/cni/net.d';
export const K3S_BIN = '/var/lib/rancher/k3s/data/cni';
export const K3S_CURRENT = '/var/lib/rancher/k3s/data/current/bin';
export const K3S_TOML = '/var/lib/rancher/k3s/agent/etc/containerd/config.toml';

/** Parse `ls -la` output (one directory, or several as `dir:` blocks) into listings keyed by path. */
export function parseLs(text: string, onlyDir?: string): Record<string, DirListing> {
  const out: Record<string, DirListing> = {};
  let current = onlyDir;
  for (const line of text.split('\n')) {
    const head = /^(\/\S*):$/.exec(line);
    if (head) {
      current = head[1]!;
      out[current] = { exists: true, entries: [] };
      continue;
    }
    const m = /^([dl-])([rwxs-]{9})\s+\d+\s+\S+\s+\S+\s+(\d+)\s+\S+\s+\d+\s+[\d:]+\s+(.+)$/.exec(line);
    if (!m || !current) continue;
    out[current] ??= { exists: true, entries: [] };
    const [, t, perms, size, rest] = m;
    const [name, target] = rest!.split(' -> ');
    if (name === '.' || name === '..') continue;
    const e: FileEntry = { name: name!, type: t === 'd' ? 'dir' : t === 'l' ? 'symlink' : 'file', size: Number(size) };
    if (t === '-') e.executable = /x/.test(perms!);
    if (target) e.target = target;
    out[current]!.entries.push(e);
  }
  return out;
}

/** The lab's multus DaemonSet of a scenario, described by the collector's own code. */
export function labInstall(scenario: string, pod?: { json?: string; logs?: string; previous?: string }): MultusInstall {
  const ds = labJson(`${scenario}__ds-kube-multus-ds.json`) as DaemonSetObject;
  const m = describeMultus(ds)!;
  // The lab renamed the upstream image; the version and packaging are the upstream ones.
  m.flavor = 'upstream';
  if (pod?.json) {
    const p = toMultusPod(labJson(pod.json) as PodObject);
    if (pod.logs) p.logs = lab(pod.logs).trim().split('\n');
    if (pod.previous) p.previousLogs = lab(pod.previous).trim().split('\n');
    m.pods = [p];
  } else {
    m.pods = [
      {
        name: 'kube-multus-ds-lab',
        node: 'lab-node',
        phase: 'Running',
        ready: true,
        containers: [{ name: 'kube-multus', ready: true, state: 'running' }],
      },
    ];
  }
  return m;
}

export function labNads(): Snapshot['nads'] {
  return labJson('healthy__network-attachment-definitions.json').items.map((n: any) => ({
    name: n.metadata.name,
    namespace: n.metadata.namespace,
    config: n.spec.config,
  }));
}

/** A K3s runtime config as the collector reports it. */
export function k3sRuntime(binDirs = [K3S_BIN]): NodeInspection['runtime'] {
  return { kind: 'containerd', configFile: K3S_TOML, confDir: K3S_CONF, binDirs };
}

export function labNode(name: string, ins: Partial<NodeInspection>, p: Partial<NodeInfo> = {}): NodeInfo {
  return node(name, { inspection: inspection({ source: 'node-inspector', ...ins }), ...p });
}

/** Reference plugins as a bin dir listing (what the lab's Debian package installs). */
export const REF_PLUGINS = [
  'bandwidth',
  'bridge',
  'dhcp',
  'firewall',
  'host-device',
  'host-local',
  'ipvlan',
  'loopback',
  'macvlan',
  'portmap',
  'ptp',
  'sbr',
  'static',
  'tuning',
  'vlan',
  'vrf',
];

export function k3sDistroSnapshot(p: Partial<Snapshot>): Snapshot {
  return snapshot({
    cluster: { distribution: 'k3s', version: 'v1.31.4+k3s1' },
    collectedAt: '2026-11-23T17:20:00Z',
    ...p,
  });
}

// ---------------------------------------------------------------- OpenShift (thick, CNO-managed)

const OCP_DAEMON = JSON.stringify({
  cniVersion: '1.1.0',
  chrootDir: '/hostroot',
  logToStderr: true,
  logLevel: 'verbose',
  binDir: '/var/lib/cni/bin',
  cniConfigDir: '/host/etc/cni/net.d',
  multusConfigFile: 'auto',
  multusAutoconfigDir: '/host/run/multus/cni/net.d',
  namespaceIsolation: true,
  globalNamespaces: 'default,openshift-multus,openshift-sriov-network-operator,openshift-cnv',
  readinessindicatorfile: '/host/run/multus/cni/net.d/10-ovn-kubernetes.conf',
  daemonSocketDir: '/run/multus/socket',
  socketDir: '/host/run/multus/socket',
});

export function openshiftInstall(): MultusInstall {
  const c = 'kube-multus';
  return multus({
    namespace: 'openshift-multus',
    name: 'multus',
    mode: 'thick',
    flavor: 'openshift',
    image: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:abc',
    version: undefined,
    containerName: c,
    command: ['/bin/bash', '-c', 'exec /usr/src/multus-cni/bin/multus-daemon'],
    args: [],
    mounts: [
      {
        volume: 'system-cni-dir',
        hostPath: '/etc/kubernetes/cni/net.d',
        mountPath: '/host/etc/cni/net.d',
        container: c,
      },
      {
        volume: 'multus-cni-dir',
        hostPath: '/var/run/multus/cni/net.d',
        mountPath: '/host/run/multus/cni/net.d',
        container: c,
      },
      { volume: 'cnibin', hostPath: '/var/lib/cni/bin', mountPath: '/host/opt/cni/bin', container: c },
      { volume: 'host-run-multus', hostPath: '/run/multus', mountPath: '/host/run/multus', container: c },
      { volume: 'hostroot', hostPath: '/', mountPath: '/hostroot', container: c },
    ],
    daemonConfig: {
      source: 'configmap openshift-multus/multus-daemon-config key daemon-config.json',
      content: OCP_DAEMON,
    },
    serviceAccount: 'multus',
    status: { desired: 1, ready: 1 },
    pods: [
      {
        name: 'multus-abcde',
        node: 'ocp-worker-0',
        phase: 'Running',
        ready: true,
        containers: [{ name: c, ready: true, state: 'running' }],
      },
    ],
    rbac: [
      { verb: 'get', resource: 'network-attachment-definitions', group: 'k8s.cni.cncf.io', allowed: true },
      { verb: 'update', resource: 'pods/status', allowed: true },
    ],
  });
}

const OVN_CONF =
  '{"cniVersion":"0.4.0","name":"ovn-kubernetes","type":"ovn-k8s-cni-overlay","ipam":{},"dns":{},"logFile":"/var/log/ovn-kubernetes/ovn-k8s-cni-overlay.log","logLevel":"4","logfile-maxsize":100,"logfile-maxbackups":5,"logfile-maxage":5}';
const OCP_SHIM =
  '{"cniVersion":"1.1.0","name":"multus-cni-network","type":"multus-shim","clusterNetwork":"/host/run/multus/cni/net.d/10-ovn-kubernetes.conf","daemonSocketDir":"/run/multus/socket","globalNamespaces":"default,openshift-multus","logLevel":"verbose","logToStderr":true,"namespaceIsolation":true}';

export function openshiftNode(): NodeInfo {
  return labNode(
    'ocp-worker-0',
    {
      runtime: {
        kind: 'crio',
        configFile: '/etc/crio/crio.conf.d/00-default',
        confDir: '/etc/kubernetes/cni/net.d',
        binDirs: ['/var/lib/cni/bin'],
      },
      dirs: {
        '/etc/kubernetes/cni/net.d': dir([
          '00-multus.conf',
          file('multus.d', { type: 'dir' }),
          file('whereabouts.d', { type: 'dir' }),
        ]),
        '/run/multus/cni/net.d': dir(['10-ovn-kubernetes.conf']),
        '/var/lib/cni/bin': dir([
          'multus-shim',
          'ovn-k8s-cni-overlay',
          ...REF_PLUGINS,
          'whereabouts',
          'route-override',
          'egress-router',
        ]),
      },
      files: {
        '/etc/kubernetes/cni/net.d/00-multus.conf': { exists: true, content: OCP_SHIM },
        '/run/multus/cni/net.d/10-ovn-kubernetes.conf': { exists: true, content: OVN_CONF },
      },
      paths: { '/run/multus/socket/multus.sock': true, '/run/multus/multus.sock': false, '/run/cni/dhcp.sock': false },
    },
    {
      labels: { 'node.openshift.io/os_id': 'rhcos', 'kubernetes.io/hostname': 'ocp-worker-0' },
      kubeletVersion: 'v1.30.4',
    },
  );
}

export function openshiftSnapshot(p: Partial<Snapshot> = {}): Snapshot {
  return snapshot({
    cluster: {
      distribution: 'openshift',
      crds: [
        'network-attachment-definitions.k8s.cni.cncf.io',
        'ippools.whereabouts.cni.cncf.io',
        'overlappingrangeipreservations.whereabouts.cni.cncf.io',
      ],
    },
    multus: [openshiftInstall()],
    nodes: [openshiftNode()],
    ...p,
  });
}

// ---------------------------------------------------------------- upstream thick on kubeadm

export const UPSTREAM_DAEMON = JSON.stringify({
  chrootDir: '/hostroot',
  cniVersion: '0.3.1',
  logLevel: 'verbose',
  logToStderr: true,
  cniConfigDir: '/host/etc/cni/net.d',
  multusAutoconfigDir: '/host/etc/cni/net.d',
  multusConfigFile: 'auto',
  socketDir: '/host/run/multus/',
});

export function thickInstall(p: Partial<MultusInstall> = {}): MultusInstall {
  const c = 'kube-multus';
  return multus({
    mode: 'thick',
    image: 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.4-thick',
    command: ['/usr/src/multus-cni/bin/multus-daemon'],
    args: [],
    mounts: [
      {
        volume: 'cnibin',
        hostPath: '/opt/cni/bin',
        mountPath: '/host/opt/cni/bin',
        container: 'install-multus-binary',
      },
      { volume: 'cni', hostPath: '/etc/cni/net.d', mountPath: '/host/etc/cni/net.d', container: c },
      { volume: 'cnibin', hostPath: '/opt/cni/bin', mountPath: '/opt/cni/bin', container: c },
      { volume: 'host-run', hostPath: '/run', mountPath: '/host/run', container: c },
      { volume: 'hostroot', hostPath: '/', mountPath: '/hostroot', container: c },
    ],
    volumes: [
      { name: 'cni', hostPath: '/etc/cni/net.d' },
      { name: 'cnibin', hostPath: '/opt/cni/bin' },
      { name: 'hostroot', hostPath: '/' },
      { name: 'multus-daemon-config' },
      { name: 'host-run', hostPath: '/run' },
    ],
    containerIndex: 0,
    daemonConfig: {
      source: 'configmap kube-system/multus-daemon-config key daemon-config.json',
      content: UPSTREAM_DAEMON,
    },
    pods: [
      {
        name: 'kube-multus-ds-x1',
        node: 'n1',
        phase: 'Running',
        ready: true,
        containers: [{ name: c, ready: true, state: 'running' }],
      },
    ],
    ...p,
  });
}

export const FLANNEL_CONFLIST =
  '{"name":"cbr0","cniVersion":"0.3.1","plugins":[{"type":"flannel","delegate":{"hairpinMode":true,"isDefaultGateway":true}},{"type":"portmap","capabilities":{"portMappings":true}}]}';
export const THICK_SHIM =
  '{"cniVersion":"0.3.1","name":"multus-cni-network","type":"multus-shim","clusterNetwork":"/host/etc/cni/net.d/10-flannel.conflist","capabilities":{"portMappings":true},"logLevel":"verbose","logToStderr":true}';

export function thickNode(p: { socket?: boolean; bin?: string[] } = {}): NodeInfo {
  return labNode('n1', {
    runtime: {
      kind: 'containerd',
      configFile: '/etc/containerd/config.toml',
      confDir: '/etc/cni/net.d',
      binDirs: ['/opt/cni/bin'],
    },
    dirs: {
      '/etc/cni/net.d': dir(['00-multus.conf', '10-flannel.conflist', file('multus.d', { type: 'dir' })]),
      '/opt/cni/bin': dir(p.bin ?? ['multus-shim', 'passthru', 'flannel', ...REF_PLUGINS]),
    },
    files: {
      '/etc/cni/net.d/00-multus.conf': { exists: true, content: THICK_SHIM },
      '/etc/cni/net.d/10-flannel.conflist': { exists: true, content: FLANNEL_CONFLIST },
    },
    paths: { '/run/multus/multus.sock': p.socket ?? true },
  });
}
