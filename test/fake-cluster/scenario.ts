/**
 * Scenario format (documented in README.md) and its loader. A scenario file is multi-document
 * YAML: the first document describes the cluster (no `apiVersion`), every following document is
 * a plain Kubernetes manifest (a `kind: List` is flattened).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { IFNAME, type InterfaceSpec } from './ip.js';

// Manifests are free-form JSON; `any` keeps scenario and handler code readable.
export type KObj = Record<string, any>;

export interface FileSpec {
  content?: string;
  /** read the content from this file (relative to the scenario file) */
  contentFrom?: string;
  /** size in bytes of a sparse file (binaries); ignored when content is given */
  size?: number;
  /** octal, as a string ("0755"); a YAML number is read as octal digits too */
  mode?: string | number;
  mtime?: string;
}

export interface HostSpec {
  /** path → content string, or a FileSpec */
  files?: Record<string, string | FileSpec>;
  /** directories (list, or path → mode) */
  dirs?: string[] | Record<string, string | number>;
  /** link path → target (may be dangling, absolute or relative) */
  symlinks?: Record<string, string>;
  interfaces?: InterfaceSpec[];
  /** printed verbatim by `ip route` */
  routes?: string[];
}

export interface NodeSpec extends HostSpec {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  roles?: string[];
  internalIP?: string;
  podCIDR?: string;
  ready?: boolean;
  taints?: KObj[];
  arch?: string;
  osImage?: string;
  kernelVersion?: string;
  containerRuntimeVersion?: string;
  kubeletVersion?: string;
  /**
   * Processes of the node, as a pod with `hostPID: true` sees them under /proc/<pid>/{comm,cmdline}
   * (e.g. `{ pid: 812, comm: containerd, args: [/usr/bin/containerd, --config, /etc/containerd/custom.toml] }`).
   */
  processes?: ProcessSpec[];
}

export interface ProcessSpec {
  pid: number;
  /** default: the base name of args[0] (the kernel keeps at most 15 characters) */
  comm?: string;
  args: string[];
}

export interface UserSpec {
  name: string;
  groups?: string[];
  /** fixed bearer token; a random one is generated when absent */
  token?: string;
  /** which credentials the kubeconfig gets for this user (default both) */
  auth?: Array<'cert' | 'token'>;
}

export interface RbacRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  /** namespaces the rule applies to; absent = every namespace and cluster scope */
  namespaces?: string[];
  nonResourceURLs?: string[];
}

export interface PodSelect {
  namespace?: string;
  /** pod name or glob (`*`) */
  name?: string;
  /** pods owned by this DaemonSet (name) */
  daemonSet?: string;
  labels?: Record<string, string>;
}

export interface PodBehaviour {
  select: PodSelect;
  /** false = distroless image: no shell, no coreutils, no ip */
  shell?: boolean;
  /** state of a pod written without `status` (default Running) */
  state?: PodState;
  /** exec never answers (until the client gives up) */
  execHang?: boolean;
  /** the exec WebSocket upgrade itself is never answered: no 101, no error, the socket stays open */
  execUpgradeHang?: boolean;
  /** per container: current log text */
  logs?: Record<string, string>;
  /** per container: log of the previous (terminated) instance */
  previousLogs?: Record<string, string>;
  /** interfaces of the pod's own netns (hostNetwork pods see the node's) */
  interfaces?: InterfaceSpec[];
  routes?: string[];
  /** files baked into the image, visible at these paths inside the container */
  files?: HostSpec['files'];
}

export interface ImageRule {
  /** glob on the container image reference */
  image: string;
  shell: boolean;
}

export type PodState =
  'Running' | 'CrashLoopBackOff' | 'ContainerCreating' | 'Pending' | 'Completed' | 'Error' | 'Init:CrashLoopBackOff';

export interface DsPodsSpec {
  generate?: boolean;
  state?: PodState;
  restartCount?: number;
  lastTerminated?: { exitCode: number; reason: string };
  /** node → pod name (so events and tests can refer to generated pods) */
  names?: Record<string, string>;
  /** node → overrides */
  perNode?: Record<
    string,
    { state?: PodState; restartCount?: number; lastTerminated?: { exitCode: number; reason: string } }
  >;
  /** restrict to these nodes (default: every node the DaemonSet's nodeSelector/tolerations admit) */
  nodes?: string[];
}

export interface ForbidRule {
  verbs?: string[];
  resources?: string[];
  apiGroups?: string[];
  namespaces?: string[];
  users?: string[];
}

export interface ErrorRule {
  verbs?: string[];
  resources?: string[];
  namespaces?: string[];
  names?: string[];
  code: number;
  message?: string;
  /** how many matching requests fail (default: all) */
  times?: number;
}

export interface FaultSpec {
  latencyMs?: number;
  forbid?: ForbidRule[];
  /** the first update/patch of each named object answers 409 Conflict */
  conflictOnce?: Array<{ resource: string; namespace?: string; name: string }>;
  errors?: ErrorRule[];
  /** matching requests get a 200 whose body is cut off by a connection reset (`times`: default 1) */
  resets?: Array<Omit<ErrorRule, 'code' | 'message'>>;
}

export interface ScenarioInput {
  name?: string;
  description?: string;
  cluster?: {
    version?: string;
    distribution?: 'k3s' | 'rke2' | 'kubeadm' | 'kind' | 'microk8s' | 'openshift';
    serviceCIDR?: string;
    podCIDR?: string;
    users?: UserSpec[];
    /** how a missing executable fails: like cri-dockerd/CRI-O (exit code 126, default) or containerd (InternalError) */
    execFailure?: 'exit-code' | 'internal-error';
    /** default mtime for scenario files (ISO) */
    fileTime?: string;
    /** API versions served for servicecidrs (default: v1 from 1.33, none before) */
    serviceCIDRVersions?: string[];
  };
  /** defaults merged into every node (files/dirs/symlinks by path, interfaces by name) */
  nodeDefaults?: NodeSpec;
  nodes?: Record<string, NodeSpec>;
  /** CRDs to create by name (known ones: see resources.ts KNOWN_CRDS) */
  crds?: string[];
  daemonSetPods?: Record<string, DsPodsSpec>;
  pods?: PodBehaviour[];
  images?: ImageRule[];
  /** absent = every authenticated user may do everything */
  rbac?: { users?: Record<string, RbacRule[]>; groups?: Record<string, RbacRule[]> };
  faults?: FaultSpec;
  /** pods created through the API: phase after creation and delay (ms) before it is reached */
  createdPods?: { phase?: 'Running' | 'Pending'; delayMs?: number };
  /** extra manifest files (relative to the scenario file) */
  manifests?: string[];
  /** Kubernetes objects (the YAML loader appends the scenario file's other documents here) */
  objects?: KObj[];
}

export interface Scenario {
  name: string;
  description: string;
  cluster: {
    version: string;
    minor: number;
    distribution: string;
    serviceCIDR: string;
    podCIDR: string;
    users: Array<Required<Pick<UserSpec, 'name' | 'groups' | 'auth'>> & { token: string }>;
    execFailure: 'exit-code' | 'internal-error';
    fileTime: string;
    serviceCIDRVersions: string[];
  };
  nodes: Record<string, NodeSpec>;
  crds: string[];
  daemonSetPods: Record<string, DsPodsSpec>;
  pods: PodBehaviour[];
  images: ImageRule[];
  rbac: ScenarioInput['rbac'];
  faults: FaultSpec;
  createdPods: { phase: 'Running' | 'Pending'; delayMs: number };
  objects: KObj[];
  /** directory relative paths in the scenario resolve against */
  baseDir: string;
}

function fail(where: string, msg: string): never {
  throw new Error(`scenario ${where}: ${msg}`);
}

function mergeHost(base: NodeSpec | undefined, node: NodeSpec): NodeSpec {
  if (!base) return node;
  const dirsOf = (d: HostSpec['dirs']): Record<string, string | number> =>
    Array.isArray(d) ? Object.fromEntries(d.map((p) => [p, '0755'])) : { ...(d ?? {}) };
  const ifs = new Map<string, InterfaceSpec>();
  for (const i of [...(base.interfaces ?? []), ...(node.interfaces ?? [])]) ifs.set(i.name, i);
  return {
    ...base,
    ...node,
    labels: { ...base.labels, ...node.labels },
    files: { ...base.files, ...node.files },
    dirs: { ...dirsOf(base.dirs), ...dirsOf(node.dirs) },
    symlinks: { ...base.symlinks, ...node.symlinks },
    interfaces: [...ifs.values()],
    routes: node.routes ?? base.routes ?? [],
  };
}

function checkHost(where: string, h: HostSpec): void {
  const abs = (p: string, what: string): void => {
    if (!p.startsWith('/') || p.split('/').includes('..'))
      fail(where, `${what} ${JSON.stringify(p)} must be an absolute path without '..'`);
  };
  for (const p of Object.keys(h.files ?? {})) abs(p, 'file');
  for (const p of Array.isArray(h.dirs) ? h.dirs : Object.keys(h.dirs ?? {})) abs(p, 'dir');
  for (const p of Object.keys(h.symlinks ?? {})) abs(p, 'symlink');
  for (const i of h.interfaces ?? [])
    if (!IFNAME.test(i.name)) fail(where, `interface name ${JSON.stringify(i.name)} is invalid`);
}

function minorOf(version: string): number {
  const m = /^v?1\.(\d+)/.exec(version);
  return m ? Number(m[1]) : 32;
}

/** Fills defaults and validates. `baseDir` resolves `manifests` and `contentFrom`. */
export function normaliseScenario(input: ScenarioInput, baseDir = process.cwd()): Scenario {
  const c = input.cluster ?? {};
  const version = c.version ?? 'v1.32.2';
  const minor = minorOf(version);
  const distribution =
    c.distribution ?? (version.includes('k3s') ? 'k3s' : version.includes('rke2') ? 'rke2' : 'kubeadm');
  const users = (c.users?.length ? c.users : [{ name: 'admin', groups: ['system:masters'] }]).map((u) => ({
    name: u.name,
    groups: u.groups ?? [],
    auth: u.auth ?? (['cert', 'token'] as Array<'cert' | 'token'>),
    token: u.token ?? '',
  }));
  const nodes: Record<string, NodeSpec> = {};
  for (const [name, spec] of Object.entries(input.nodes ?? {})) {
    const merged = mergeHost(input.nodeDefaults, spec ?? {});
    checkHost(`node ${name}`, merged);
    nodes[name] = merged;
  }
  const objects = [...(input.objects ?? [])];
  for (const m of input.manifests ?? []) objects.push(...readManifests(resolve(baseDir, m)));
  for (const p of input.pods ?? []) {
    if (!p.select) fail('pods', 'every entry needs a select');
    checkHost('pods', { files: p.files ?? {}, interfaces: p.interfaces ?? [] });
  }
  return {
    name: input.name ?? 'unnamed',
    description: input.description ?? '',
    cluster: {
      version,
      minor,
      distribution,
      serviceCIDR:
        c.serviceCIDR ?? (distribution === 'k3s' || distribution === 'rke2' ? '10.43.0.0/16' : '10.96.0.0/12'),
      podCIDR: c.podCIDR ?? (distribution === 'k3s' || distribution === 'rke2' ? '10.42.0.0/16' : '10.244.0.0/16'),
      users,
      execFailure: c.execFailure ?? 'exit-code',
      fileTime: c.fileTime ?? '2025-01-01T00:00:00Z',
      serviceCIDRVersions: c.serviceCIDRVersions ?? (minor >= 33 ? ['v1'] : []),
    },
    nodes,
    crds: input.crds ?? [],
    daemonSetPods: input.daemonSetPods ?? {},
    pods: input.pods ?? [],
    images: input.images ?? [],
    rbac: input.rbac,
    faults: input.faults ?? {},
    createdPods: { phase: input.createdPods?.phase ?? 'Running', delayMs: input.createdPods?.delayMs ?? 0 },
    objects,
    baseDir,
  };
}

function flatten(doc: unknown): KObj[] {
  if (!doc || typeof doc !== 'object') return [];
  const o = doc as KObj;
  if (typeof o['kind'] === 'string' && o['kind'].endsWith('List') && Array.isArray(o['items']))
    return (o['items'] as unknown[]).flatMap(flatten);
  return [o];
}

/** Parses multi-document YAML (or JSON) manifests. */
function parseManifests(text: string, where: string): KObj[] {
  const docs = parseAllDocuments(text);
  const out: KObj[] = [];
  for (const d of docs) {
    if (d.errors.length) fail(where, d.errors[0]!.message);
    out.push(...flatten(d.toJS()));
  }
  return out;
}

function readManifests(path: string): KObj[] {
  return parseManifests(readFileSync(path, 'utf8'), path);
}

/** Loads a scenario YAML file. */
export function loadScenarioFile(path: string): Scenario {
  const text = readFileSync(path, 'utf8');
  const docs = parseAllDocuments(text);
  const values: unknown[] = [];
  for (const d of docs) {
    if (d.errors.length) fail(path, d.errors[0]!.message);
    values.push(d.toJS());
  }
  const first = values[0] as KObj | undefined;
  const head: ScenarioInput = first && !('apiVersion' in first) ? (first as ScenarioInput) : {};
  const rest = first && !('apiVersion' in first) ? values.slice(1) : values;
  return normaliseScenario(
    { ...head, objects: [...(head.objects ?? []), ...rest.flatMap(flatten)] },
    dirname(resolve(path)),
  );
}
