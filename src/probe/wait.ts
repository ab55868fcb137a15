/**
 * Wait until the test pods run, or until it is clear they will not: a sandbox failure that
 * repeats (the kubelet retries with backoff, so the second one is not a hiccup), an image that
 * cannot be pulled, a pod that ended, or the timeout. One list per poll for all pods of the run;
 * events only for pods still pending.
 */
import type { KubeClient, KubeObject } from '../cluster/client.js';
import type { EventRecord } from '../snapshot/types.js';
import { limiter, sleep } from '../cluster/limit.js';
import { toEventRecord } from '../collect/events.js';
import { isSandboxFailureEvent } from '../model/events.js';
import { RUN_ID_LABEL } from './pod-spec.js';

export interface ProbePodObject extends KubeObject {
  spec?: { nodeName?: string };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    containerStatuses?: Array<{
      name: string;
      state?: {
        running?: object;
        waiting?: { reason?: string; message?: string };
        terminated?: { reason?: string; exitCode?: number };
      };
    }>;
  };
}

export interface PodWaitResult {
  pod?: ProbePodObject;
  started: boolean;
  /** Why the wait for this pod ended early (not started). */
  gaveUp?: string;
}

/** Waiting reasons that do not go away by waiting longer. */
const FATAL_WAIT =
  /^(ErrImagePull|ImagePullBackOff|InvalidImageName|ErrImageNeverPull|CreateContainerError|CreateContainerConfigError|CrashLoopBackOff|RunContainerError)$/;
/** Sandbox failures after which a pod is taken as not starting (the kubelet backs off between attempts). */
const PERSISTENT_SANDBOX_FAILURES = 2;
const EVENTS_EVERY_MS = 1500;

function isRunning(p: ProbePodObject | undefined): boolean {
  return (
    p?.status?.phase === 'Running' &&
    !!p.status.containerStatuses?.length &&
    p.status.containerStatuses.every((c) => !!c.state?.running)
  );
}

function waitingReason(p: ProbePodObject | undefined): string | undefined {
  return p?.status?.containerStatuses
    ?.map((c) => c.state?.waiting?.reason ?? c.state?.terminated?.reason)
    .find((r) => r);
}

export async function podEvents(
  client: KubeClient,
  namespace: string,
  uid: string,
  signal: AbortSignal,
): Promise<EventRecord[]> {
  const items = await client.list<KubeObject>(
    { version: 'v1', resource: 'events', namespace },
    { fieldSelector: `involvedObject.uid=${uid}`, signal },
  );
  // Filter here too: a server may ignore the field selector.
  return items
    .filter((e) => (e as { involvedObject?: { uid?: string } }).involvedObject?.uid === uid)
    .map((e) => toEventRecord(e as Parameters<typeof toEventRecord>[0]));
}

function sandboxFailures(events: EventRecord[]): number {
  return events.filter(isSandboxFailureEvent).reduce((n, e) => n + Math.max(1, e.count ?? 1), 0);
}

export async function waitForPods(
  client: KubeClient,
  namespace: string,
  runId: string,
  names: string[],
  o: { timeoutMs: number; signal: AbortSignal; progress: (s: string) => void; pollMs?: number },
): Promise<Map<string, PodWaitResult>> {
  const out = new Map<string, PodWaitResult>(names.map((n) => [n, { started: false }]));
  const until = Date.now() + o.timeoutMs;
  let delay = Math.min(o.pollMs ?? 250, 1000);
  let eventsReadAt = 0;
  const limit = limiter(10);
  for (;;) {
    const pods = await client.list<ProbePodObject>(
      { version: 'v1', resource: 'pods', namespace },
      { labelSelector: `${RUN_ID_LABEL}=${runId}`, signal: o.signal },
    );
    const byName = new Map(pods.map((p) => [p.metadata?.name ?? '', p]));
    const pending: string[] = [];
    for (const name of names) {
      const r = out.get(name)!;
      if (r.started || r.gaveUp) continue;
      const p = byName.get(name);
      r.pod = p ?? r.pod;
      if (!p) {
        r.gaveUp = 'the pod disappeared (deleted by someone else, or evicted)';
        continue;
      }
      if (isRunning(p)) {
        r.started = true;
        continue;
      }
      const phase = p.status?.phase;
      const reason = waitingReason(p);
      if (phase === 'Failed' || phase === 'Succeeded')
        r.gaveUp = `the pod ended (${phase}${p.status?.reason ? `, ${p.status.reason}` : ''})`;
      else if (reason && FATAL_WAIT.test(reason)) r.gaveUp = `container ${reason}`;
      else pending.push(name);
    }
    // Events change at the kubelet's pace (seconds): reading them on every poll would only add load.
    if (pending.length && Date.now() - eventsReadAt >= EVENTS_EVERY_MS) {
      eventsReadAt = Date.now();
      await Promise.all(
        pending.map((name) =>
          limit(async () => {
            const uid = out.get(name)!.pod?.metadata?.uid;
            if (!uid) return;
            const events = await podEvents(client, namespace, uid, o.signal);
            if (sandboxFailures(events) >= PERSISTENT_SANDBOX_FAILURES)
              out.get(name)!.gaveUp = 'the pod sandbox keeps failing';
          }),
        ),
      );
    }
    const running = names.filter((n) => out.get(n)!.started).length;
    const waiting = names.filter((n) => !out.get(n)!.started && !out.get(n)!.gaveUp).length;
    o.progress(`test pods: ${running}/${names.length} running${waiting ? `, waiting for ${waiting}` : ''}`);
    if (waiting === 0) return out;
    const left = until - Date.now();
    if (left <= 0) {
      for (const n of names) {
        const r = out.get(n)!;
        if (!r.started && !r.gaveUp) r.gaveUp = `not Running after --timeout ${Math.round(o.timeoutMs / 1000)}s`;
      }
      return out;
    }
    await sleep(Math.min(delay, left), o.signal);
    delay = Math.min(delay * 2, 1000);
  }
}
