/**
 * Multus installs: every multus DaemonSet in any namespace, with its pods (readiness, restarts,
 * termination reasons, last log lines of the ones in trouble), its daemon config or ConfigMap
 * provided multus config, and what its service account may do (SubjectAccessReview).
 */
import type { ContainerState, DaemonSetSummary, MultusInstall, MultusPod } from '../snapshot/types.js';
import type { KubeObject } from '../cluster/client.js';
import { ClusterError } from '../cluster/errors.js';
import type { CollectContext } from './context.js';
import {
  configMapFileSource,
  daemonConfigPath,
  describeMultus,
  isMultusDaemonSet,
  mainContainer,
  selectorString,
  summarizeDaemonSet,
  type DaemonSetObject,
} from './install-fingerprint.js';
import { argValue } from './node-plan.js';
import { redactText } from './redact.js';
import { toEventRecord } from './events.js';

export interface PodObject extends KubeObject {
  spec?: {
    nodeName?: string;
    hostNetwork?: boolean;
    containers?: Array<{ name: string; image?: string }>;
    initContainers?: Array<{ name: string; image?: string }>;
  };
  status?: {
    phase?: string;
    conditions?: Array<{ type: string; status: string }>;
    containerStatuses?: K8sContainerStatus[];
    initContainerStatuses?: K8sContainerStatus[];
  };
}

interface K8sContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: {
    running?: { startedAt?: string };
    waiting?: { reason?: string; message?: string };
    terminated?: { reason?: string; exitCode?: number; message?: string };
  };
  lastState?: { terminated?: { reason?: string; exitCode?: number } };
}

/** A multus install plus what node inspection needs and the snapshot does not carry. */
export interface InstallHandle {
  install: MultusInstall;
  hostNetwork: boolean;
  /** Running multus pods by node name. */
  podByNode: Map<string, { name: string; running: boolean }>;
}

const CNI_DS =
  /flannel|calico|canal|cilium|whereabouts|dhcp|multus|kube-ovn|ovn|antrea|weave|kindnet|sriov|cni|kube-router|macvtap/i;

function containerState(s: K8sContainerStatus, init: boolean): ContainerState {
  const c: ContainerState = { name: s.name };
  if (init) c.init = true;
  if (s.ready !== undefined) c.ready = s.ready;
  if (s.restartCount !== undefined) c.restartCount = s.restartCount;
  const st = s.state;
  if (st?.running) c.state = 'running';
  else if (st?.waiting) {
    c.state = 'waiting';
    if (st.waiting.reason) c.reason = st.waiting.reason;
    if (st.waiting.message) c.message = st.waiting.message.slice(0, 500);
  } else if (st?.terminated) {
    c.state = 'terminated';
    if (st.terminated.reason) c.reason = st.terminated.reason;
    if (st.terminated.message) c.message = st.terminated.message.slice(0, 500);
  }
  const last = s.lastState?.terminated;
  if (last?.reason) c.lastTerminationReason = last.reason;
  if (last?.exitCode !== undefined) c.lastExitCode = last.exitCode;
  return c;
}

export function toMultusPod(p: PodObject): MultusPod {
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
  const pod: MultusPod = {
    name: p.metadata?.name ?? '',
    containers: [
      ...(p.status?.initContainerStatuses ?? []).map((s) => containerState(s, true)),
      ...(p.status?.containerStatuses ?? []).map((s) => containerState(s, false)),
    ],
  };
  if (p.spec?.nodeName) pod.node = p.spec.nodeName;
  if (p.status?.phase) pod.phase = p.status.phase;
  if (ready) pod.ready = ready.status === 'True';
  // The latest start of a running container: a restarted multus is the one pods met after it.
  const starts = (p.status?.containerStatuses ?? [])
    .map((s) => s.state?.running?.startedAt)
    .filter((t): t is string => !!t)
    .sort();
  if (starts.length) pod.startedAt = starts[starts.length - 1];
  return pod;
}

/** A pod whose logs are evidence: restarting, not ready, or stuck (the thin entrypoint exits 0 and says why). */
function troubled(pod: MultusPod, main: string): boolean {
  if (pod.ready === false) return true;
  return pod.containers.some(
    (c) =>
      (c.restartCount ?? 0) > 0 ||
      (c.state !== undefined &&
        c.state !== 'running' &&
        !(c.init && c.state === 'terminated' && c.reason === 'Completed')) ||
      (c.name === main && c.reason !== undefined),
  );
}

/** Warning events kept per troubled pod (newest first). */
const EVENTS_PER_POD = 5;

/**
 * The latest Warning events of the troubled multus pods: one list of the namespace's Pod Warning
 * events (only when some pod is troubled), matched by pod name. A pod stuck in Init or
 * ContainerCreating says why only here (FailedCreatePodSandBox, FailedMount, image pulls).
 */
async function podEvents(ctx: CollectContext, install: MultusInstall, pods: MultusPod[]): Promise<void> {
  if (pods.length === 0) return;
  try {
    const items = await ctx.client.list<Parameters<typeof toEventRecord>[0]>(
      { version: 'v1', resource: 'events', namespace: install.namespace },
      { fieldSelector: 'involvedObject.kind=Pod,type=Warning' },
    );
    const byName = new Map(pods.map((p) => [p.name, p]));
    for (const e of items) {
      // Filter here too: a server may ignore the field selector.
      if (e.type !== 'Warning' || e.involvedObject?.kind !== 'Pod') continue;
      const pod = byName.get(e.involvedObject?.name ?? '');
      if (!pod) continue;
      (pod.events ??= []).push(toEventRecord(e));
    }
    for (const p of pods) {
      if (!p.events) continue;
      p.events.sort((x, y) => (y.lastTimestamp ?? '').localeCompare(x.lastTimestamp ?? ''));
      p.events = p.events.slice(0, EVENTS_PER_POD);
    }
  } catch (e) {
    ctx.record('multus/events', e, { namespace: install.namespace, resource: 'events' });
  }
}

function logLines(text: string, max: number): string[] {
  const lines = redactText(text).text.split('\n');
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.slice(-max);
}

async function podLogs(ctx: CollectContext, install: MultusInstall, pod: MultusPod): Promise<void> {
  const main = pod.containers.find((c) => c.name === install.containerName && !c.init);
  const n = ctx.o.logLines;
  const ns = install.namespace;
  try {
    // A crash-looping container still serves its last run's log; one that never started has none.
    const started =
      main && (main.state !== 'waiting' || (main.restartCount ?? 0) > 0 || main.reason === 'CrashLoopBackOff');
    if (started) pod.logs = logLines(await ctx.client.logs(ns, pod.name, install.containerName, { tailLines: n }), n);
    else {
      // The main container never started: the failing init container's log says why.
      const init = pod.containers.find(
        (c) => c.init && c.state !== 'running' && !(c.state === 'terminated' && c.reason === 'Completed'),
      );
      if (init)
        pod.logs = logLines(await ctx.client.logs(ns, pod.name, init.name, { tailLines: n }), n).map(
          (l) => `[init ${init.name}] ${l}`,
        );
    }
  } catch (e) {
    if (!(e instanceof ClusterError) || e.kind !== 'invalid')
      ctx.record('multus/logs', e, { namespace: ns, resource: `pods/log ${pod.name}` });
  }
  if ((main?.restartCount ?? 0) > 0) {
    try {
      pod.previousLogs = logLines(
        await ctx.client.logs(ns, pod.name, install.containerName, { tailLines: n, previous: true }),
        n,
      );
    } catch (e) {
      // 400: no previous container (garbage collected); not worth an error.
      if (!(e instanceof ClusterError) || (e.kind !== 'invalid' && e.kind !== 'not-found'))
        ctx.record('multus/logs', e, { namespace: ns, resource: `pods/log ${pod.name}` });
    }
  }
}

async function configMapKey(
  ctx: CollectContext,
  namespace: string,
  src: { name: string; key: string },
): Promise<{ source: string; content: string } | undefined> {
  const cm = await ctx.client.getOptional<KubeObject & { data?: Record<string, string> }>({
    version: 'v1',
    resource: 'configmaps',
    namespace,
    name: src.name,
  });
  const content = cm?.data?.[src.key];
  return content === undefined ? undefined : { source: `configmap ${namespace}/${src.name} key ${src.key}`, content };
}

/** The thick daemon config, or the thin ConfigMap-provided multus config. */
async function configs(ctx: CollectContext, ds: DaemonSetObject, install: MultusInstall): Promise<void> {
  const spec = ds.spec?.template?.spec;
  const main = mainContainer(ds)?.container;
  if (!main) return;
  const ns = install.namespace;
  await ctx.attempt(
    'multus/config',
    async () => {
      if (install.mode === 'thick') {
        const src = configMapFileSource(spec, main, daemonConfigPath(main));
        if (!src) {
          // Not mounted where we expect: look for the usual key in the pod's ConfigMap volumes.
          for (const v of spec?.volumes ?? []) {
            if (!v.configMap) continue;
            const got = await configMapKey(ctx, ns, { name: v.configMap.name, key: 'daemon-config.json' });
            if (got) {
              install.daemonConfig = got;
              return;
            }
          }
          return;
        }
        const got = await configMapKey(ctx, ns, src);
        if (got) install.daemonConfig = got;
      } else {
        const file = argValue(install.args, 'multus-conf-file');
        if (!file || file === 'auto') return;
        const src = configMapFileSource(spec, main, file);
        if (!src) return;
        const got = await configMapKey(ctx, ns, src);
        if (got) install.confFileConfig = got;
      }
    },
    { namespace: ns },
  );
}

/** What the multus ClusterRole grants (upstream manifests), asked for the install's service account. */
const SAR_CHECKS: Array<{ verb: string; resource: string; group?: string; subresource?: string }> = [
  { verb: 'get', resource: 'network-attachment-definitions', group: 'k8s.cni.cncf.io' },
  { verb: 'list', resource: 'network-attachment-definitions', group: 'k8s.cni.cncf.io' },
  { verb: 'get', resource: 'pods' },
  { verb: 'update', resource: 'pods', subresource: 'status' },
  { verb: 'create', resource: 'events' },
];

async function rbac(ctx: CollectContext, install: MultusInstall): Promise<void> {
  const sa = install.serviceAccount ?? 'default';
  const ns = install.namespace;
  const user = `system:serviceaccount:${ns}:${sa}`;
  await ctx.attempt(
    'multus/rbac',
    async () => {
      const results = await Promise.all(
        SAR_CHECKS.map(async (c) => {
          const body = {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SubjectAccessReview',
            spec: {
              user,
              groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
              resourceAttributes: {
                verb: c.verb,
                group: c.group ?? '',
                resource: c.resource,
                ...(c.subresource ? { subresource: c.subresource } : {}),
              },
            },
          };
          const r = await ctx.client.create<{ status?: { allowed?: boolean } }>(
            { group: 'authorization.k8s.io', version: 'v1', resource: 'subjectaccessreviews' },
            body,
          );
          const res = c.subresource ? `${c.resource}/${c.subresource}` : c.resource;
          return {
            verb: c.verb,
            resource: res,
            ...(c.group ? { group: c.group } : {}),
            allowed: r.status?.allowed === true,
          };
        }),
      );
      install.rbac = results;
    },
    { namespace: ns },
  );
}

interface DaemonSetsResult {
  installs: InstallHandle[];
  /** Other CNI-related DaemonSets. */
  others: DaemonSetSummary[];
  /** Raw DaemonSet objects of other CNI actors (flannel/cilium collectors read their args and volumes). */
  raw: DaemonSetObject[];
}

export async function listDaemonSets(ctx: CollectContext): Promise<DaemonSetObject[] | undefined> {
  return ctx.attempt('daemonsets', async () => {
    const out: DaemonSetObject[] = [];
    await ctx.client.listPages<DaemonSetObject>({ group: 'apps', version: 'v1', resource: 'daemonsets' }, (items) =>
      out.push(...items),
    );
    return out;
  });
}

/** Describe every multus DaemonSet; pods, configs and RBAC fetched in parallel. */
export async function collectMultus(ctx: CollectContext, dss: DaemonSetObject[]): Promise<DaemonSetsResult> {
  const installs: InstallHandle[] = [];
  const others: DaemonSetSummary[] = [];
  const raw: DaemonSetObject[] = [];
  const jobs: Promise<unknown>[] = [];
  for (const ds of dss) {
    if (!isMultusDaemonSet(ds)) {
      const s = summarizeDaemonSet(ds);
      if (CNI_DS.test(`${s.name} ${s.images.join(' ')}`)) {
        others.push(s);
        raw.push(ds);
      }
      continue;
    }
    const install = describeMultus(ds);
    if (!install) continue;
    const handle: InstallHandle = {
      install,
      hostNetwork: ds.spec?.template?.spec?.hostNetwork === true,
      podByNode: new Map(),
    };
    installs.push(handle);
    jobs.push(configs(ctx, ds, install));
    jobs.push(rbac(ctx, install));
    jobs.push(
      ctx.attempt(
        'multus/pods',
        async () => {
          const sel = selectorString(ds.spec?.selector);
          const pods = await ctx.client.list<PodObject>(
            { version: 'v1', resource: 'pods', namespace: install.namespace },
            sel ? { labelSelector: sel } : {},
          );
          const uid = ds.metadata?.uid;
          // The rke2 DHCP DaemonSet shares the selector label: keep only this DaemonSet's pods.
          const mine = pods.filter((p) => {
            const owner = p.metadata?.ownerReferences?.find((o) => o.kind === 'DaemonSet');
            if (owner) return uid && owner.uid ? owner.uid === uid : owner.name === install.name;
            return true;
          });
          install.pods = mine.map(toMultusPod).sort((a, b) => (a.node ?? '').localeCompare(b.node ?? ''));
          for (const p of install.pods) {
            const main = p.containers.find((c) => c.name === install.containerName && !c.init);
            if (p.node)
              handle.podByNode.set(p.node, {
                name: p.name,
                running: p.phase === 'Running' && main?.state === 'running',
              });
          }
          const trouble = install.pods.filter((p) => troubled(p, install.containerName));
          await Promise.all([
            ...install.pods.filter((p) => ctx.o.allLogs || trouble.includes(p)).map((p) => podLogs(ctx, install, p)),
            podEvents(ctx, install, trouble),
          ]);
        },
        { namespace: install.namespace, resource: 'pods' },
      ),
    );
  }
  await Promise.all(jobs);
  return { installs, others, raw };
}
