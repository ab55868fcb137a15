/**
 * `--wait`: follow the rollout the patch started (the way `kubectl rollout status` judges it),
 * then check that a new pod, one created from the patched template, has the interface (and MAC
 * and addresses) in its network-status. Kinds whose pods do not roll (ReplicaSet, CronJob,
 * OnDelete, a suspended Job) are not waited for: we say why and stop.
 */
import type { KubeClient, KubeObject } from '../cluster/client.js';
import type { EventRecord } from '../snapshot/types.js';
import type { Finding } from '../checks/types.js';
import { NETWORKS_ANNOTATION } from '../model/networks-annotation.js';
import { resolveOwner } from '../collect/workloads.js';
import { toEventRecord } from '../collect/events.js';
import type { PodObject } from '../collect/multus-install.js';
import { isSandboxFailureEvent } from '../model/events.js';
import type { Plan } from './types.js';
import { workloadRef } from './apply.js';
import type { Target } from './kinds.js';
import { notStartedFindings, verifyRunningPod, type PodCheck } from './verify.js';

interface WaitOptions {
  timeoutMs: number;
  pollMs: number;
  signal?: AbortSignal;
  progress: (msg: string) => void;
  /** Injectable clock and sleep (tests). */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface WaitResult {
  /** Set when there is nothing to wait for, with the reason. */
  skipped?: string;
  timedOut: boolean;
  checks: PodCheck[];
  findings: Finding[];
}

type Obj = Record<string, unknown>;
const num = (o: unknown, ...path: string[]): number | undefined => {
  let cur = o;
  for (const p of path) cur = typeof cur === 'object' && cur !== null ? (cur as Obj)[p] : undefined;
  return typeof cur === 'number' ? cur : undefined;
};
const str = (o: unknown, ...path: string[]): string | undefined => {
  let cur = o;
  for (const p of path) cur = typeof cur === 'object' && cur !== null ? (cur as Obj)[p] : undefined;
  return typeof cur === 'string' ? cur : undefined;
};

/** Has the controller finished replacing pods for `generation`? (kubectl rollout status's rules) */
export function rolloutDone(kind: string, o: KubeObject, generation: number): boolean {
  const observed = (num(o, 'status', 'observedGeneration') ?? 0) >= generation;
  if (!observed) return false;
  const want = num(o, 'spec', 'replicas') ?? 1;
  switch (kind) {
    case 'Deployment': {
      const updated = num(o, 'status', 'updatedReplicas') ?? 0;
      return (
        updated >= want &&
        (num(o, 'status', 'replicas') ?? 0) <= updated &&
        (num(o, 'status', 'availableReplicas') ?? 0) >= updated
      );
    }
    case 'StatefulSet': {
      const partition = num(o, 'spec', 'updateStrategy', 'rollingUpdate', 'partition') ?? 0;
      if ((num(o, 'status', 'readyReplicas') ?? 0) < want) return false;
      if (partition > 0) return (num(o, 'status', 'updatedReplicas') ?? 0) >= want - partition;
      return str(o, 'status', 'updateRevision') === str(o, 'status', 'currentRevision');
    }
    case 'DaemonSet': {
      const desired = num(o, 'status', 'desiredNumberScheduled') ?? 0;
      return (
        (num(o, 'status', 'updatedNumberScheduled') ?? 0) >= desired &&
        (num(o, 'status', 'numberAvailable') ?? 0) >= desired
      );
    }
    default:
      return true;
  }
}

function skipReason(plan: Plan): string | undefined {
  switch (plan.rollout) {
    case 'none':
      return plan.noop ? 'nothing changed' : `a ${plan.subject.kind} does not replace its running pods`;
    case 'on-delete':
      return 'the update strategy is OnDelete: pods change only when deleted';
    case 'paused':
      return 'the Deployment is paused';
    case 'next-run':
      return 'a CronJob changes only the Jobs it starts next';
    case 'on-resume':
      return 'the Job is suspended';
    case 'recreate-pod':
      return 'a bare pod does not roll';
    default:
      return undefined;
  }
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

function selectorOf(o: KubeObject): string | undefined {
  const ml = (o as { spec?: { selector?: { matchLabels?: Record<string, string> } } }).spec?.selector?.matchLabels;
  return ml && Object.keys(ml).length
    ? Object.entries(ml)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')
    : undefined;
}

/** Sandbox failures repeat while the kubelet retries; three of them is no longer a hiccup. */
const PERSISTENT_FAILURES = 3;

export async function waitAndVerify(
  client: KubeClient,
  target: Target,
  namespace: string,
  plan: Plan,
  written: KubeObject,
  o: WaitOptions,
): Promise<WaitResult> {
  const skipped = skipReason(plan);
  if (skipped) return { skipped, timedOut: false, checks: [], findings: [] };
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? defaultSleep;
  const deadline = now() + o.timeoutMs;
  const generation =
    written.metadata && 'generation' in written.metadata ? Number((written.metadata as Obj)['generation']) : 1;
  const ref = workloadRef(target, namespace);
  const owner = `${plan.subject.kind} ${plan.subject.name}`;
  const selector = selectorOf(written);
  let lastNew: PodObject[] = [];
  let events: EventRecord[] = [];
  for (;;) {
    const cur = await client.get(ref, { signal: o.signal });
    const done = rolloutDone(plan.subject.kind, cur, generation);
    const pods = await client.list<PodObject>(
      { version: 'v1', resource: 'pods', namespace },
      { labelSelector: selector, signal: o.signal },
    );
    // Pods copy the template's annotations verbatim: the new ones carry the value we wrote.
    const fresh = pods.filter((p) => {
      const ow = resolveOwner(p, undefined);
      return (
        ow?.kind === plan.subject.kind &&
        ow.name === plan.subject.name &&
        !(p.metadata as Obj | undefined)?.['deletionTimestamp'] &&
        p.metadata?.annotations?.[NETWORKS_ANNOTATION] === plan.after
      );
    });
    lastNew = fresh;
    const running = fresh.filter((p) => p.status?.phase === 'Running');
    const pending = fresh.filter((p) => p.status?.phase !== 'Running' && p.status?.phase !== 'Succeeded');
    o.progress(
      `${owner}: ${done ? 'rolled out' : 'rolling out'}, ${running.length} new pod${running.length === 1 ? '' : 's'} running${pending.length ? `, ${pending.length} pending` : ''}`,
    );
    if (pending.length) {
      const all = await client
        .list<KubeObject>(
          { version: 'v1', resource: 'events', namespace },
          { fieldSelector: 'involvedObject.kind=Pod', signal: o.signal },
        )
        .catch(() => [] as KubeObject[]);
      const names = new Set(pending.map((p) => p.metadata?.name));
      events = all
        .map((e) => toEventRecord(e as Parameters<typeof toEventRecord>[0]))
        .filter((e) => names.has(e.involvedObject.name));
      const stuck = events.some((e) => isSandboxFailureEvent(e) && (e.count ?? 1) >= PERSISTENT_FAILURES);
      if (stuck)
        return {
          timedOut: false,
          checks: [],
          findings: plan.expected ? notStartedFindings(pending, events, plan.expected) : [],
        };
    }
    if (done && (running.length > 0 || plan.action === 'detach' || fresh.length === 0)) {
      if (plan.action === 'detach' || !plan.expected) return { timedOut: false, checks: [], findings: [] };
      if (running.length === 0) {
        return {
          timedOut: false,
          checks: [],
          findings: [
            {
              id: 'probe-pod-not-started',
              severity: 'info',
              subject: { kind: plan.subject.kind, name: plan.subject.name, namespace },
              message: `The rollout of ${owner} finished but no running pod from the new template was found to verify.`,
              evidence: [],
              fix: `Check with \`kubectl multus status -n ${namespace}\` once its pods run.`,
            },
          ],
        };
      }
      const results = running.map((p) => verifyRunningPod(p, plan.expected!, owner));
      return { timedOut: false, checks: results.map((r) => r.check), findings: results.flatMap((r) => r.findings) };
    }
    if (o.signal?.aborted || now() >= deadline) break;
    await sleep(Math.min(o.pollMs, Math.max(0, deadline - now())), o.signal);
  }
  // Timed out: explain the new pods that did not start, or that none appeared.
  const pending = lastNew.filter((p) => p.status?.phase !== 'Running');
  const findings = plan.expected ? notStartedFindings(pending, events, plan.expected) : [];
  if (findings.length === 0) {
    findings.push({
      id: 'probe-pod-not-started',
      severity: 'error',
      subject: { kind: plan.subject.kind, name: plan.subject.name, namespace },
      message: `The rollout of ${owner} did not finish within the wait${lastNew.length ? '' : ', and no pod from the new template appeared'}.`,
      evidence: [],
      fix: `See \`kubectl rollout status ${plan.ref} -n ${namespace}\` and \`kubectl describe ${plan.ref} -n ${namespace}\`; \`kubectl multus check\` explains pods stuck in ContainerCreating.`,
    });
  }
  return { timedOut: true, checks: [], findings };
}
