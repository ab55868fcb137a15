/**
 * Server-side printing (meta.k8s.io/v1 Table), which `kubectl get` asks for: without it kubectl
 * shows only NAME and AGE. Columns follow kube-apiserver's printers for the kinds a multus user
 * looks at; everything else gets the generic NAME/AGE table, as custom resources do.
 */
import type { ResourceType } from './resources.js';
import type { KObj } from './scenario.js';

interface Col {
  name: string;
  type?: string;
  format?: string;
  priority?: number;
  cell: (o: KObj, now: number) => unknown;
}

/** Age as kubectl prints it (e.g. 91s, 5m30s, 3h10m, 2d4h, 45d, 2y30d). */
function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(s / 3600);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 192) return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  const y = Math.floor(h / 24 / 365);
  const d = Math.floor(h / 24) % 365;
  return h < 24 * 365 * 8 && d ? `${y}y${d}d` : `${y}y`;
}

const age = (ts: string | undefined, now: number): string => (ts ? humanDuration(now - Date.parse(ts)) : '<unknown>');
const NAME: Col = { name: 'Name', format: 'name', cell: (o) => o['metadata']?.name };
const AGE: Col = { name: 'Age', cell: (o, now) => age(o['metadata']?.creationTimestamp, now) };
const none = (s: string | undefined): string => (s ? s : '<none>');

function podStatusText(p: KObj): string {
  const st = p['status'] ?? {};
  let reason: string = st.reason ?? st.phase ?? 'Unknown';
  const inits: KObj[] = st.initContainerStatuses ?? [];
  let initializing = false;
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i]!;
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) continue;
    initializing = true;
    if (t) reason = t.reason ? `Init:${t.reason}` : `Init:ExitCode:${t.exitCode}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing')
      reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${inits.length}`;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    for (const c of [...(st.containerStatuses ?? [])].reverse() as KObj[]) {
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated)
        reason =
          c.state.terminated.reason ??
          (c.state.terminated.signal
            ? `Signal:${c.state.terminated.signal}`
            : `ExitCode:${c.state.terminated.exitCode}`);
      else if (c.state?.running && c.ready) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  }
  if (p['metadata']?.deletionTimestamp) reason = 'Terminating';
  return reason;
}

function restarts(p: KObj, now: number): string {
  let n = 0;
  let last = 0;
  for (const c of (p['status']?.containerStatuses ?? []) as KObj[]) {
    n += c.restartCount ?? 0;
    const f = c.lastState?.terminated?.finishedAt;
    if (f) last = Math.max(last, Date.parse(f));
  }
  return last && n ? `${n} (${humanDuration(now - last)} ago)` : String(n);
}

function nodeRoles(n: KObj): string {
  const roles: string[] = [];
  for (const [k, v] of Object.entries((n['metadata']?.labels ?? {}) as Record<string, string>)) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.push(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role') roles.push(v);
  }
  return roles.length ? roles.sort().join(',') : '<none>';
}

function nodeStatus(n: KObj): string {
  const ready = (n['status']?.conditions ?? []).find((c: KObj) => c.type === 'Ready');
  let s = ready?.status === 'True' ? 'Ready' : 'NotReady';
  if (n['spec']?.unschedulable) s += ',SchedulingDisabled';
  return s;
}

const addr = (n: KObj, type: string): string =>
  none((n['status']?.addresses ?? []).find((a: KObj) => a.type === type)?.address);
const containers = (tpl: KObj | undefined): KObj[] => tpl?.['spec']?.containers ?? [];
const selector = (o: KObj): string =>
  none(
    Object.entries((o['spec']?.selector?.matchLabels ?? {}) as Record<string, string>)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
  );

const COLUMNS: Record<string, Col[]> = {
  pods: [
    NAME,
    {
      name: 'Ready',
      cell: (p) =>
        `${(p['status']?.containerStatuses ?? []).filter((c: KObj) => c.ready).length}/${(p['spec']?.containers ?? []).length}`,
    },
    { name: 'Status', cell: podStatusText },
    { name: 'Restarts', cell: restarts },
    AGE,
    { name: 'IP', priority: 1, cell: (p) => none(p['status']?.podIP) },
    { name: 'Node', priority: 1, cell: (p) => none(p['spec']?.nodeName) },
    { name: 'Nominated Node', priority: 1, cell: (p) => none(p['status']?.nominatedNodeName) },
    {
      name: 'Readiness Gates',
      priority: 1,
      cell: (p) => (p['spec']?.readinessGates?.length ? String(p['spec'].readinessGates.length) : '<none>'),
    },
  ],
  nodes: [
    NAME,
    { name: 'Status', cell: nodeStatus },
    { name: 'Roles', cell: nodeRoles },
    AGE,
    { name: 'Version', cell: (n) => n['status']?.nodeInfo?.kubeletVersion ?? '' },
    { name: 'Internal-IP', priority: 1, cell: (n) => addr(n, 'InternalIP') },
    { name: 'External-IP', priority: 1, cell: (n) => addr(n, 'ExternalIP') },
    { name: 'OS-Image', priority: 1, cell: (n) => n['status']?.nodeInfo?.osImage ?? '' },
    { name: 'Kernel-Version', priority: 1, cell: (n) => n['status']?.nodeInfo?.kernelVersion ?? '' },
    { name: 'Container-Runtime', priority: 1, cell: (n) => n['status']?.nodeInfo?.containerRuntimeVersion ?? '' },
  ],
  namespaces: [NAME, { name: 'Status', cell: (n) => n['status']?.phase ?? 'Active' }, AGE],
  configmaps: [
    NAME,
    {
      name: 'Data',
      type: 'integer',
      cell: (c) => Object.keys(c['data'] ?? {}).length + Object.keys(c['binaryData'] ?? {}).length,
    },
    AGE,
  ],
  services: [
    NAME,
    { name: 'Type', cell: (s) => s['spec']?.type ?? 'ClusterIP' },
    { name: 'Cluster-IP', cell: (s) => s['spec']?.clusterIP ?? '' },
    { name: 'External-IP', cell: (s) => (s['spec']?.externalIPs?.length ? s['spec'].externalIPs.join(',') : '<none>') },
    {
      name: 'Port(s)',
      cell: (s) =>
        none(
          (s['spec']?.ports ?? [])
            .map((p: KObj) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`)
            .join(','),
        ),
    },
    AGE,
    {
      name: 'Selector',
      priority: 1,
      cell: (s) =>
        none(
          Object.entries(s['spec']?.selector ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
        ),
    },
  ],
  'daemonsets.apps': [
    NAME,
    { name: 'Desired', type: 'integer', cell: (d) => d['status']?.desiredNumberScheduled ?? 0 },
    { name: 'Current', type: 'integer', cell: (d) => d['status']?.currentNumberScheduled ?? 0 },
    { name: 'Ready', type: 'integer', cell: (d) => d['status']?.numberReady ?? 0 },
    { name: 'Up-to-date', type: 'integer', cell: (d) => d['status']?.updatedNumberScheduled ?? 0 },
    { name: 'Available', type: 'integer', cell: (d) => d['status']?.numberAvailable ?? 0 },
    {
      name: 'Node Selector',
      cell: (d) =>
        none(
          Object.entries(d['spec']?.template?.spec?.nodeSelector ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
        ),
    },
    AGE,
    {
      name: 'Containers',
      priority: 1,
      cell: (d) =>
        containers(d['spec']?.template)
          .map((c) => c.name)
          .join(','),
    },
    {
      name: 'Images',
      priority: 1,
      cell: (d) =>
        containers(d['spec']?.template)
          .map((c) => c.image)
          .join(','),
    },
    { name: 'Selector', priority: 1, cell: selector },
  ],
  'deployments.apps': [
    NAME,
    { name: 'Ready', cell: (d) => `${d['status']?.readyReplicas ?? 0}/${d['spec']?.replicas ?? 1}` },
    { name: 'Up-to-date', type: 'integer', cell: (d) => d['status']?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', cell: (d) => d['status']?.availableReplicas ?? 0 },
    AGE,
    {
      name: 'Containers',
      priority: 1,
      cell: (d) =>
        containers(d['spec']?.template)
          .map((c) => c.name)
          .join(','),
    },
    {
      name: 'Images',
      priority: 1,
      cell: (d) =>
        containers(d['spec']?.template)
          .map((c) => c.image)
          .join(','),
    },
    { name: 'Selector', priority: 1, cell: selector },
  ],
  events: [
    {
      name: 'Last Seen',
      cell: (e, now) => age(e['lastTimestamp'] ?? e['eventTime'] ?? e['metadata']?.creationTimestamp, now),
    },
    { name: 'Type', cell: (e) => e['type'] ?? '' },
    { name: 'Reason', cell: (e) => e['reason'] ?? '' },
    {
      name: 'Object',
      cell: (e) => `${String(e['involvedObject']?.kind ?? '').toLowerCase()}/${e['involvedObject']?.name ?? ''}`,
    },
    { name: 'Message', cell: (e) => String(e['message'] ?? '').trim() },
  ],
  'customresourcedefinitions.apiextensions.k8s.io': [
    NAME,
    { name: 'Created At', type: 'date', cell: (c) => c['metadata']?.creationTimestamp ?? '' },
  ],
};

function partial(o: KObj): KObj {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o['metadata'] };
}

/** Does this Accept header ask for a Table? */
export const wantsTable = (accept: string | undefined): boolean => !!accept && /as=Table/.test(accept);

export function toTable(
  rt: ResourceType,
  gr: string,
  items: KObj[],
  listMeta: KObj,
  includeObject: string | undefined,
): KObj {
  const cols = COLUMNS[gr] ?? [NAME, AGE];
  const now = Date.now();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: cols.map((c) => ({
      name: c.name,
      type: c.type ?? 'string',
      format: c.format ?? '',
      description: c === NAME ? `Name must be unique within a namespace.` : `${rt.kind} ${c.name}`,
      priority: c.priority ?? 0,
    })),
    rows: items.map((o) => {
      const row: KObj = { cells: cols.map((c) => c.cell(o, now)) };
      if (includeObject !== 'None') row['object'] = includeObject === 'Object' ? o : partial(o);
      return row;
    }),
  };
}
