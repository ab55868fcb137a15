/**
 * Validate a snapshot document on load. A malformed snapshot yields one clear message naming the
 * first offending field (JSON path), never a stack trace from deep inside a check.
 */
import { DISTRIBUTIONS, SNAPSHOT_API_VERSION, SNAPSHOT_KIND, WORKLOAD_KINDS, type Snapshot } from './types.js';

export class SnapshotError extends Error {}

type Rule = (v: unknown, path: string) => string | undefined;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const string: Rule = (v, p) => (typeof v === 'string' ? undefined : `${p} must be a string`);
const bool: Rule = (v, p) => (typeof v === 'boolean' ? undefined : `${p} must be true or false`);
const number: Rule = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? undefined : `${p} must be a number`);
const stringMap: Rule = (v, p) => {
  if (!isObj(v)) return `${p} must be an object of strings`;
  for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') return `${p}.${k} must be a string`;
  return undefined;
};
const arrayOf =
  (item: Rule): Rule =>
  (v, p) => {
    if (!Array.isArray(v)) return `${p} must be a list`;
    for (let i = 0; i < v.length; i++) {
      const e = item(v[i], `${p}[${i}]`);
      if (e) return e;
    }
    return undefined;
  };
const object =
  (fields: Record<string, Rule>, required: string[] = []): Rule =>
  (v, p) => {
    if (!isObj(v)) return `${p} must be an object`;
    // `cluster: null` is as missing as no `cluster` (a check would crash reading it).
    for (const r of required) if (v[r] === undefined || v[r] === null) return `${p}.${r} is required`;
    for (const [k, rule] of Object.entries(fields)) {
      if (v[k] === undefined || v[k] === null) continue;
      const e = rule(v[k], `${p}.${k}`);
      if (e) return e;
    }
    return undefined;
  };
const oneOf =
  (values: readonly string[]): Rule =>
  (v, p) =>
    typeof v === 'string' && values.includes(v)
      ? undefined
      : `${p} must be one of ${values.join(', ')} (got ${JSON.stringify(v)})`;
const recordOf =
  (item: Rule): Rule =>
  (v, p) => {
    if (!isObj(v)) return `${p} must be an object`;
    for (const [k, x] of Object.entries(v)) {
      const e = item(x, `${p}[${JSON.stringify(k)}]`);
      if (e) return e;
    }
    return undefined;
  };

const fileEntry = object(
  {
    name: string,
    type: oneOf(['file', 'dir', 'symlink', 'other']),
    size: number,
    executable: bool,
    target: string,
    targetExists: bool,
  },
  ['name', 'type'],
);
const inspection = object(
  {
    source: oneOf(['multus-pod', 'node-inspector', 'manual']),
    error: string,
    runtime: object(
      {
        kind: oneOf(['containerd', 'crio', 'unknown']),
        configFile: string,
        configFrom: oneOf(['cmdline', 'default-path']),
        configReason: string,
        confDir: string,
        binDirs: arrayOf(string),
      },
      ['kind'],
    ),
    dirs: recordOf(object({ exists: bool, error: string, entries: arrayOf(fileEntry) }, ['exists', 'entries'])),
    files: recordOf(object({ content: string, exists: bool, error: string, redacted: bool }, ['exists'])),
    interfaces: arrayOf(
      object(
        { name: string, type: string, mtu: number, up: bool, wireless: bool, mac: string, addresses: arrayOf(string) },
        ['name'],
      ),
    ),
    paths: recordOf(bool),
  },
  ['source', 'dirs', 'files'],
);
const node = object(
  {
    name: string,
    labels: stringMap,
    annotations: stringMap,
    taints: arrayOf(object({ key: string, value: string, effect: string }, ['key', 'effect'])),
    unschedulable: bool,
    ready: bool,
    podCIDRs: arrayOf(string),
    addresses: arrayOf(object({ type: string, address: string }, ['type', 'address'])),
    kubeletVersion: string,
    containerRuntime: string,
    providerID: string,
    inspection,
  },
  ['name', 'labels', 'taints', 'podCIDRs', 'addresses'],
);
const mount = object({ volume: string, hostPath: string, mountPath: string, container: string, readOnly: bool }, [
  'hostPath',
  'mountPath',
  'container',
]);
const container = object(
  {
    name: string,
    init: bool,
    ready: bool,
    restartCount: number,
    state: string,
    reason: string,
    lastTerminationReason: string,
    lastExitCode: number,
    message: string,
  },
  ['name'],
);
const event = object(
  {
    involvedObject: object({ kind: string, name: string, namespace: string, uid: string }, ['kind', 'name']),
    reason: string,
    message: string,
    type: string,
    count: number,
    component: string,
  },
  ['involvedObject', 'reason', 'message'],
);
const multus = object(
  {
    namespace: string,
    name: string,
    mode: oneOf(['thin', 'thick', 'unknown']),
    flavor: oneOf(['upstream', 'rke2-chart', 'openshift', 'microk8s', 'other']),
    image: string,
    version: string,
    containerName: string,
    command: arrayOf(string),
    args: arrayOf(string),
    mounts: arrayOf(mount),
    nodeSelector: stringMap,
    memoryLimit: string,
    daemonConfig: object({ source: string, content: string }, ['content']),
    confFileConfig: object({ source: string, content: string }, ['content']),
    status: object({ desired: number, ready: number, available: number, misscheduled: number }, ['desired', 'ready']),
    pods: arrayOf(
      object(
        {
          name: string,
          node: string,
          phase: string,
          ready: bool,
          startedAt: string,
          containers: arrayOf(container),
          logs: arrayOf(string),
          previousLogs: arrayOf(string),
          events: arrayOf(event),
        },
        ['name', 'containers'],
      ),
    ),
    rbac: arrayOf(
      object({ verb: string, resource: string, group: string, allowed: bool }, ['verb', 'resource', 'allowed']),
    ),
  },
  ['namespace', 'name', 'mode', 'image', 'command', 'args', 'mounts'],
);
const nad = object(
  {
    name: string,
    namespace: string,
    annotations: stringMap,
    labels: stringMap,
    config: string,
    configNotString: string,
    specKeys: arrayOf(string),
  },
  ['name'],
);
const workload = object(
  {
    kind: oneOf([...WORKLOAD_KINDS]),
    name: string,
    namespace: string,
    annotations: stringMap,
    podAnnotations: stringMap,
    hostNetwork: bool,
    replicas: number,
    owner: object({ kind: string, name: string }, ['kind', 'name']),
    nodeName: string,
    phase: string,
    waitingReason: string,
  },
  ['kind', 'name', 'podAnnotations', 'hostNetwork'],
);
const error = object({ collector: string, message: string, node: string, resource: string, namespace: string }, [
  'collector',
  'message',
]);

const snapshotRule = object(
  {
    source: oneOf(['cluster', 'manifests']),
    cluster: object(
      {
        distribution: oneOf(DISTRIBUTIONS),
        version: string,
        podCIDRs: arrayOf(string),
        serviceCIDRs: arrayOf(string),
        serviceCIDRSource: oneOf([
          'ServiceCIDR',
          'apiserver-flag',
          'dry-run',
          'kubeadm-config',
          'static-pod-manifest',
          'k3s-config',
          'rke2-config',
          'kubernetes-service',
          'manual',
        ]),
        serviceCIDRWhere: string,
        crds: arrayOf(string),
        namespaces: arrayOf(string),
      },
      ['distribution'],
    ),
    multus: arrayOf(multus),
    daemonSets: arrayOf(
      object({ namespace: string, name: string, images: arrayOf(string), commands: arrayOf(string) }, [
        'namespace',
        'name',
        'images',
        'commands',
      ]),
    ),
    nodes: arrayOf(node),
    nads: arrayOf(nad),
    workloads: arrayOf(workload),
    events: arrayOf(event),
    flannel: object(
      { source: string, netConf: string, mode: oneOf(['kube-subnet-mgr', 'etcd', 'unknown']), embedded: bool },
      ['source', 'mode'],
    ),
    cilium: object({ config: stringMap, namespace: string }, ['config']),
    whereabouts: object({ installed: bool }, ['installed']),
    probes: arrayOf(
      object(
        {
          nad: object({ namespace: string, name: string }, ['namespace', 'name']),
          pods: arrayOf(object({ name: string, interface: string, started: bool }, ['name', 'interface', 'started'])),
          pings: arrayOf(object({ from: string, to: string, ok: bool, sameNode: bool }, ['from', 'to', 'ok'])),
        },
        ['nad', 'pods', 'pings'],
      ),
    ),
    errors: arrayOf(error),
    redactions: recordOf(number),
  },
  ['source', 'cluster', 'nads', 'workloads', 'errors'],
);

/** Validate parsed JSON as a Snapshot; throws SnapshotError with one clear message. */
function validateSnapshot(v: unknown): Snapshot {
  if (!isObj(v)) throw new SnapshotError('the snapshot must be a JSON object');
  if (v['apiVersion'] !== SNAPSHOT_API_VERSION) {
    throw new SnapshotError(
      `unsupported apiVersion ${JSON.stringify(v['apiVersion'])}: this version of kubectl-multus reads ${SNAPSHOT_API_VERSION}`,
    );
  }
  if (v['kind'] !== SNAPSHOT_KIND)
    throw new SnapshotError(`kind must be ${SNAPSHOT_KIND} (got ${JSON.stringify(v['kind'])})`);
  const e = snapshotRule(v, 'snapshot');
  if (e) throw new SnapshotError(e);
  return v as unknown as Snapshot;
}

export function parseSnapshotText(text: string): Snapshot {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new SnapshotError(`not valid JSON: ${(err as Error).message}`);
  }
  return validateSnapshot(v);
}
