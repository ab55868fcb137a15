/**
 * The Snapshot: everything the checks know about a cluster's Multus setup, as plain JSON.
 *
 * Collectors (live cluster) and the manifest loader (`lint`) fill it; checks only read it.
 * Conventions that every producer and every check relies on:
 *  - A field that is `undefined`/absent means "not collected" (unknown), never "empty".
 *    An empty array means "collected, and there were none".
 *  - Paths in node inspections are HOST paths, already translated from the pod's mounts.
 *  - Secrets (tokens, certificates, keys) are redacted before data enters a snapshot.
 *  - A collector that failed records why in `errors` (and, for a node, in `inspection.error`),
 *    so checks can say "could not verify" instead of guessing.
 * The format is documented in docs/snapshot.md and versioned by `apiVersion`.
 */

export const SNAPSHOT_API_VERSION = 'kubectl-multus.io/v1alpha1';
export const SNAPSHOT_KIND = 'Snapshot';

export type Distribution = 'k3s' | 'rke2' | 'kubeadm' | 'kind' | 'microk8s' | 'openshift' | 'unknown';
export const DISTRIBUTIONS: readonly Distribution[] = [
  'k3s',
  'rke2',
  'kubeadm',
  'kind',
  'microk8s',
  'openshift',
  'unknown',
];

/** Where an object came from when it was read from a file (lint): used for line:column evidence. */
interface SourceRef {
  file: string;
  /** 1-based line of the object's start in the file. */
  line?: number;
  column?: number;
  /** 0-based index of the YAML document in a multi-document file. */
  document?: number;
}

/** Source position of one string value inside a file, with a table to map offsets inside it. */
export interface ValueOrigin {
  file: string;
  /** For each character offset of the parsed string value: 1-based [line, column] in the file. */
  positions?: Array<[number, number]>;
  /** Fallback when no per-character table exists: where the value starts. */
  line: number;
  column: number;
}

export interface Snapshot {
  apiVersion: typeof SNAPSHOT_API_VERSION;
  kind: typeof SNAPSHOT_KIND;
  /** `cluster`: collected live (or a saved sysdump); `manifests`: built by `lint` from files (partial world). */
  source: 'cluster' | 'manifests';
  collectedAt?: string;
  /** Tool version that produced it. */
  producer?: string;
  cluster: ClusterInfo;
  /** Every Multus install found (normally one). `undefined` = not collected. */
  multus?: MultusInstall[];
  /** Other CNI-related DaemonSets (flannel, calico, cilium, whereabouts, dhcp daemon, ...). */
  daemonSets?: DaemonSetSummary[];
  nodes?: NodeInfo[];
  nads: NadObject[];
  workloads: WorkloadObject[];
  events?: EventRecord[];
  flannel?: FlannelInfo;
  cilium?: CiliumInfo;
  whereabouts?: WhereaboutsInfo;
  /** Results of `probe` runs (ephemeral test pods), when the snapshot carries them. */
  probes?: ProbeResult[];
  /** Collection errors: what could not be read, and why. Always present. */
  errors: CollectionError[];
  /** What redaction replaced before the snapshot was stored or printed: kind → count (never the values). */
  redactions?: Record<string, number>;
}

export interface CollectionError {
  /** Which collector: `nodes`, `nads`, `pods`, `inspect/<node>`, `service-cidr`, ... */
  collector: string;
  message: string;
  /** The node, object or path it concerns, when it concerns one. */
  node?: string;
  resource?: string;
  namespace?: string;
  /** HTTP status or errno-ish code when there was one (403, 'ETIMEDOUT'). */
  code?: string | number;
}

export interface ClusterInfo {
  distribution: Distribution;
  /** How the distribution was recognised (a node label, the kubelet version suffix, ...). */
  distributionEvidence?: string;
  /** Kubernetes server version, e.g. `v1.31.4+k3s1`. */
  version?: string;
  /** Cluster-wide pod CIDRs when known (from controller-manager, flannel, or node podCIDRs). */
  podCIDRs?: string[];
  serviceCIDRs?: string[];
  /** Which method found the service CIDR. */
  serviceCIDRSource?:
    | 'ServiceCIDR'
    | 'apiserver-flag'
    | 'dry-run'
    | 'kubeadm-config'
    | 'static-pod-manifest'
    | 'k3s-config'
    | 'rke2-config'
    | 'kubernetes-service'
    | 'manual';
  /**
   * With `kubernetes-service` and single addresses (/32, /128) in `serviceCIDRs`: the `kubernetes`
   * Service's ClusterIP, the first address of the range, not the range itself.
   * Where the range was read, for evidence (`/etc/kubernetes/manifests/kube-apiserver.yaml on cp-1`).
   */
  serviceCIDRWhere?: string;
  /** Names of CustomResourceDefinitions that exist (only the ones we look for). `undefined` = not collected. */
  crds?: string[];
  /** Namespaces that exist, when listed (used for OpenShift detection). */
  namespaces?: string[];
}

// ---------------------------------------------------------------- nodes

export interface NodeInfo {
  name: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  taints: Array<{ key: string; value?: string; effect: string }>;
  unschedulable?: boolean;
  ready?: boolean;
  podCIDRs: string[];
  addresses: Array<{ type: string; address: string }>;
  kubeletVersion?: string;
  containerRuntime?: string;
  providerID?: string;
  osImage?: string;
  /** What one exec into the node's multus pod (or the node-inspector pod) saw. Absent = not inspected. */
  inspection?: NodeInspection;
}

export interface NodeInspection {
  /** Which tier answered: the multus pod itself, or the read-only node-inspector pod. */
  source: 'multus-pod' | 'node-inspector' | 'manual';
  /** Set when the inspection failed as a whole; the other fields are then partial or empty. */
  error?: string;
  /** Container runtime CNI settings read from its config file (containerd config.toml, CRI-O). */
  runtime?: RuntimeCniConfig;
  /** Directory listings, keyed by host path. A key that is absent was not looked at. */
  dirs: Record<string, DirListing>;
  /** File contents (already redacted), keyed by host path. */
  files: Record<string, FileRead>;
  /** Host network interfaces (multus pods are hostNetwork). Absent = not collected. */
  interfaces?: HostInterface[];
  /** Sockets and marker paths: host path → present. */
  paths?: Record<string, boolean>;
  /**
   * Container runtime processes seen through the host PID namespace (node-inspector pod, hostPID):
   * their command lines say which config file the runtime really reads. Absent = not looked at
   * (the multus pod does not share the host's PID namespace).
   */
  processes?: RuntimeProcess[];
}

export interface RuntimeProcess {
  pid: number;
  /** `/proc/<pid>/comm`: containerd, crio, ... */
  comm: string;
  /** `/proc/<pid>/cmdline`, split at NULs. */
  args: string[];
}

export interface RuntimeCniConfig {
  kind: 'containerd' | 'crio' | 'unknown';
  /** Host path of the runtime config file that was read. */
  configFile?: string;
  /**
   * Why this file: `cmdline` — the running runtime's command line names it (or names no file, so
   * the runtime's built-in default applies); `default-path` — the runtime's command line was not
   * read (no host PID view), so the distribution's usual path was assumed.
   */
  configFrom?: 'cmdline' | 'default-path';
  /** One sentence for the evidence: which process and flag, or why the file is only assumed. */
  configReason?: string;
  confDir?: string;
  binDirs?: string[];
}

export interface DirListing {
  exists: boolean;
  /** Set when the directory exists but could not be read. */
  error?: string;
  entries: FileEntry[];
}

export interface FileEntry {
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  size?: number;
  /** Any execute bit set (files) — for symlinks, of the target when it resolves. */
  executable?: boolean;
  /** Symlink target as read by readlink. */
  target?: string;
  /** Whether the symlink target resolves where it was listed from. */
  targetExists?: boolean;
}

export interface FileRead {
  /** Content after redaction; absent when the file does not exist or could not be read. */
  content?: string;
  exists: boolean;
  error?: string;
  /** True when secrets were removed from `content`. */
  redacted?: boolean;
  /**
   * Unix time (seconds) of the `exp` claim of a JWT found in the file (e.g. the token in
   * multus.d/multus.kubeconfig), read before redaction: only the expiry enters the snapshot.
   */
  jwtExp?: number;
}

export interface HostInterface {
  name: string;
  /** Link kind: ether, bridge, vlan, bond, macvlan, veth, vxlan, wireguard, loopback, ... */
  type?: string;
  mtu?: number;
  up?: boolean;
  wireless?: boolean;
  mac?: string;
  addresses?: string[];
}

// ---------------------------------------------------------------- multus install

export type MultusMode = 'thin' | 'thick' | 'unknown';
export type MultusFlavor = 'upstream' | 'rke2-chart' | 'openshift' | 'microk8s' | 'other';

export interface VolumeMountMap {
  volume: string;
  hostPath: string;
  mountPath: string;
  container: string;
  readOnly?: boolean;
}

export interface MultusInstall {
  namespace: string;
  name: string;
  mode: MultusMode;
  flavor: MultusFlavor;
  image: string;
  /** Multus version from the image tag, e.g. `v4.1.4`, when it can be read. */
  version?: string;
  containerName: string;
  command: string[];
  args: string[];
  /** hostPath volumes as mounted into each container (main and init). */
  mounts: VolumeMountMap[];
  /**
   * The pod template's `spec.volumes` in order (name, and hostPath when it is one), so that fixes
   * can give JSON-patch paths (`/spec/template/spec/volumes/<i>/hostPath/path`) that fit this DaemonSet.
   */
  volumes?: Array<{ name: string; hostPath?: string }>;
  /** Index of the main container in `spec.template.spec.containers` (for JSON-patch paths). */
  containerIndex?: number;
  nodeSelector?: Record<string, string>;
  tolerations?: Array<{ key?: string; operator?: string; value?: string; effect?: string }>;
  /** Memory limit of the main container, as written (`50Mi`). */
  memoryLimit?: string;
  serviceAccount?: string;
  /** Thick mode: the daemon config, from its ConfigMap. */
  daemonConfig?: { source: string; content: string };
  /** Thin mode: a ConfigMap-provided multus config (`--multus-conf-file=/tmp/...`). */
  confFileConfig?: { source: string; content: string };
  status?: { desired: number; ready: number; available?: number; misscheduled?: number };
  pods?: MultusPod[];
  /** Result of SubjectAccessReviews for the multus service account. */
  rbac?: Array<{ verb: string; resource: string; group?: string; allowed: boolean }>;
}

export interface MultusPod {
  name: string;
  node?: string;
  phase?: string;
  ready?: boolean;
  /** When the running (main) container last started (RFC 3339): pods created after it met this multus. */
  startedAt?: string;
  containers: ContainerState[];
  /** Last lines of the main container's log (current), redacted. */
  logs?: string[];
  /** Last lines of the previous instance's log, when it restarted. */
  previousLogs?: string[];
  /** Latest Warning events of a pod that is not running/ready (newest first). Absent = not collected. */
  events?: EventRecord[];
}

export interface ContainerState {
  name: string;
  init?: boolean;
  ready?: boolean;
  restartCount?: number;
  /** running | waiting | terminated */
  state?: string;
  /** Reason of the current waiting/terminated state: CrashLoopBackOff, Error, ... */
  reason?: string;
  lastTerminationReason?: string;
  lastExitCode?: number;
  message?: string;
}

export interface DaemonSetSummary {
  namespace: string;
  name: string;
  images: string[];
  /** Commands+args of the containers, joined, for recognising e.g. the CNI dhcp daemon. */
  commands: string[];
  labels?: Record<string, string>;
  desired?: number;
  ready?: number;
}

// ---------------------------------------------------------------- objects

interface ObjectMeta {
  namespace?: string;
  name: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
}

export interface NadObject extends ObjectMeta {
  /** Raw `spec.config` string. Absent when there is no spec.config. */
  config?: string;
  /** Set when spec.config exists but is not a string (e.g. a YAML map): its JSON type. */
  configNotString?: string;
  /** Keys present under `spec` (to spot `Config` written for `config`). */
  specKeys?: string[];
  /** Where the object and its config string are in a file (lint). */
  source?: SourceRef;
  configOrigin?: ValueOrigin;
}

/** The kinds `lint` and the collectors read as workloads: a Pod, or an object with a pod template. */
export const WORKLOAD_KINDS = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'ReplicationController',
] as const;

export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** A Pod, or a workload with a pod template. Pod fields are filled for pods only. */
export interface WorkloadObject extends ObjectMeta {
  kind: WorkloadKind;
  /** Annotations of the pod (Pod) or of the pod template (workloads). */
  podAnnotations: Record<string, string>;
  hostNetwork: boolean;
  /** Workloads: spec.replicas (default 1); DaemonSet: undefined (one per node). */
  replicas?: number;
  /** Pods: the owning workload (ReplicaSet resolved to its Deployment when known). */
  owner?: { kind: string; name: string };
  nodeName?: string;
  phase?: string;
  /** Pods: waiting reason of any container, e.g. ContainerCreating. */
  waitingReason?: string;
  createdAt?: string;
  source?: SourceRef;
  /** Position of the networks annotation value in the file (lint). */
  networksOrigin?: ValueOrigin;
}

export interface EventRecord {
  namespace?: string;
  involvedObject: { kind: string; name: string; namespace?: string; uid?: string };
  reason: string;
  message: string;
  type?: string;
  count?: number;
  lastTimestamp?: string;
  component?: string;
}

// ---------------------------------------------------------------- other CNI actors

export interface FlannelInfo {
  /** Where net-conf.json came from: `configmap kube-flannel/kube-flannel-cfg`, a host file path, ... */
  source: string;
  /** Raw net-conf.json text. */
  netConf?: string;
  /** kube-subnet-mgr (node podCIDRs from the controller-manager) or etcd (flannel leases subnets). */
  mode: 'kube-subnet-mgr' | 'etcd' | 'unknown';
  /** K3s embedded flannel (not a DaemonSet). */
  embedded?: boolean;
}

export interface CiliumInfo {
  /** `cilium-config` ConfigMap data. */
  config: Record<string, string>;
  namespace?: string;
}

export interface WhereaboutsInfo {
  installed: boolean;
  ippools?: Array<{ namespace?: string; name: string; range: string; allocations?: number }>;
}

// ---------------------------------------------------------------- probes

export interface ProbeResult {
  nad: { namespace: string; name: string };
  runId?: string;
  pods: ProbePod[];
  pings: ProbePing[];
}

export interface ProbePod {
  name: string;
  namespace: string;
  node?: string;
  /** Interface requested (default net1). */
  interface: string;
  requestedMac?: string;
  requestedIps?: string[];
  /** Did the pod reach Running before the timeout. */
  started: boolean;
  phase?: string;
  events?: EventRecord[];
  /** Raw output of `ip -j addr` or `ip addr`/`ip -o addr` inside the pod. */
  ipOutput?: string;
  /**
   * Raw network-status annotation. `''` (empty): the pod was read and has no such annotation
   * (multus never ran for it); absent: not collected.
   */
  networkStatus?: string;
  error?: string;
}

export interface ProbePing {
  from: string;
  to: string;
  address: string;
  sameNode: boolean;
  ok: boolean;
  output?: string;
}
