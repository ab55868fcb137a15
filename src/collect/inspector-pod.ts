/**
 * The node-inspector pod: the fallback when the multus pod cannot be exec'd into (no shell,
 * distroless image) or cannot see the runtime's directories. Read-only hostPath `/` at /host,
 * hostNetwork (host interfaces), hostPID (the runtime's command line names its real config),
 * pinned to the node with nodeName, tolerating every taint,
 * labelled with the run id, an activeDeadlineSeconds so it dies even if we do not, and deleted
 * on every exit path (the registry below is swept on Ctrl-C).
 */
import { createHash } from 'node:crypto';
import type { KubeClient, KubeObject } from '../cluster/client.js';
import { ClusterError } from '../cluster/errors.js';
import { sleep } from '../cluster/limit.js';

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'kubectl-multus' };
export const RUN_ID_LABEL = 'kubectl-multus.io/run-id';
const CONTAINER = 'inspect';
/** The pod kills itself after this long even if this process dies before deleting it. */
const DEADLINE_SECONDS = 600;

function inspectorPodName(runId: string, node: string): string {
  const h = createHash('sha256').update(node).digest('hex').slice(0, 10);
  return `kubectl-multus-inspect-${runId}-${h}`;
}

export function inspectorPodSpec(o: {
  name: string;
  namespace: string;
  node: string;
  image: string;
  runId: string;
}): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name,
      namespace: o.namespace,
      labels: { ...MANAGED_BY, 'app.kubernetes.io/component': 'node-inspector', [RUN_ID_LABEL]: o.runId },
      annotations: { 'kubectl-multus.io/node': o.node },
    },
    spec: {
      nodeName: o.node,
      hostNetwork: true,
      // Read-only look at the runtime's /proc/<pid>/cmdline: which config file it was started with.
      hostPID: true,
      restartPolicy: 'Never',
      activeDeadlineSeconds: DEADLINE_SECONDS,
      terminationGracePeriodSeconds: 0,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      tolerations: [{ operator: 'Exists' }],
      containers: [
        {
          name: CONTAINER,
          image: o.image,
          command: ['sleep', String(DEADLINE_SECONDS)],
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
          volumeMounts: [{ name: 'host', mountPath: '/host', readOnly: true }],
        },
      ],
      volumes: [{ name: 'host', hostPath: { path: '/', type: 'Directory' } }],
    },
  };
}

interface PodStatusObj extends KubeObject {
  status?: {
    phase?: string;
    containerStatuses?: Array<{
      state?: { running?: object; waiting?: { reason?: string; message?: string }; terminated?: { reason?: string } };
    }>;
  };
}

const FATAL_WAIT =
  /ErrImagePull|ImagePullBackOff|InvalidImageName|CreateContainerError|CreateContainerConfigError|CrashLoopBackOff/;

interface PodEvent extends KubeObject {
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  lastTimestamp?: string;
}

/**
 * A warning event that says the pod will never start, so waiting out the timeout is pointless:
 * the sandbox failed more than once (the kubelet retries, and a runtime that cannot start one
 * sandbox fails them all), the image cannot be pulled, the pod cannot be placed, or its volume
 * cannot be mounted. Returns "Reason (xN): message", cut to one readable line.
 */
export function terminalEventCause(events: PodEvent[]): string | undefined {
  const warn = events.filter((e) => e.type !== 'Normal');
  const pick = (e: PodEvent) => {
    const n = e.count ?? 1;
    const msg = (e.message ?? '').replace(/\s+/g, ' ').trim();
    return `${e.reason}${n > 1 ? ` (x${n})` : ''}: ${msg.length > 300 ? `${msg.slice(0, 297)}…` : msg}`;
  };
  const sandbox = warn.filter((e) => e.reason === 'FailedCreatePodSandBox');
  const sandboxCount = sandbox.reduce((a, e) => a + (e.count ?? 1), 0);
  if (sandboxCount >= 2) return pick(sandbox[sandbox.length - 1]!);
  for (const e of warn) {
    if (
      e.reason === 'FailedMount' ||
      e.reason === 'FailedScheduling' ||
      e.reason === 'OutOfcpu' ||
      e.reason === 'OutOfmemory' ||
      e.reason === 'NodeAffinity'
    )
      return pick(e);
    if (
      (e.reason === 'Failed' || e.reason === 'BackOff') &&
      /ErrImagePull|ImagePullBackOff|InvalidImageName|pull access denied|manifest unknown/.test(e.message ?? '')
    )
      return pick(e);
  }
  return undefined;
}

/** Tracks inspector pods this run created, so Ctrl-C and errors can delete them all. */
export class InspectorPods {
  private readonly live = new Map<string, string>(); // name → namespace
  constructor(private readonly client: KubeClient) {}

  get outstanding(): number {
    return this.live.size;
  }

  async create(o: {
    namespace: string;
    node: string;
    image: string;
    runId: string;
    signal?: AbortSignal;
  }): Promise<string> {
    const name = inspectorPodName(o.runId, o.node);
    this.live.set(name, o.namespace);
    try {
      await this.client.create(
        { version: 'v1', resource: 'pods', namespace: o.namespace },
        inspectorPodSpec({ ...o, name }),
        { signal: o.signal },
      );
    } catch (e) {
      // Not created (or unknown): still try to delete on cleanup unless the API refused outright.
      if (e instanceof ClusterError && (e.kind === 'forbidden' || e.kind === 'invalid')) this.live.delete(name);
      throw e;
    }
    return name;
  }

  /** Wait until the container runs; a pull failure or a deadline ends the wait with a reason. */
  async waitRunning(
    namespace: string,
    name: string,
    timeoutMs: number,
    image: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const until = Date.now() + timeoutMs;
    let delay = 150;
    for (;;) {
      const p = await this.client.get<PodStatusObj>({ version: 'v1', resource: 'pods', namespace, name }, { signal });
      const phase = p.status?.phase;
      const st = p.status?.containerStatuses?.[0]?.state;
      if (phase === 'Running' && st?.running) return;
      if (phase === 'Failed' || phase === 'Succeeded')
        throw new ClusterError(
          `node-inspector pod ${namespace}/${name} ended (${phase}) before it could be used`,
          'other',
        );
      const reason = st?.waiting?.reason;
      // Its events often say why long before the timeout (a runtime that cannot start sandboxes).
      const cause = await this.eventCause(namespace, name, signal);
      if (cause) {
        const hint = /Pull|image/i.test(cause) ? `; mirror the image and pass --image (see --print-images)` : '';
        throw new ClusterError(
          `node-inspector pod ${namespace}/${name} cannot start: ${cause}${hint}`,
          'other',
          cause.split(/[ :]/)[0],
        );
      }
      if (reason && FATAL_WAIT.test(reason)) {
        const hint = /Image|Pull/.test(reason) ? `; mirror it and pass --image (see --print-images)` : '';
        throw new ClusterError(
          `node-inspector pod ${namespace}/${name} cannot start: ${reason} for image ${image}${hint}`,
          'other',
          reason,
        );
      }
      if (Date.now() + delay > until)
        throw new ClusterError(
          `node-inspector pod ${namespace}/${name} did not start within ${Math.round(timeoutMs / 1000)}s (phase ${phase ?? 'unknown'}${reason ? `, ${reason}` : ''})`,
          'timeout',
          'ETIMEDOUT',
        );
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 1000);
    }
  }

  /** The terminal cause among the pod's events, if any; events that cannot be read just say nothing. */
  private async eventCause(namespace: string, name: string, signal?: AbortSignal): Promise<string | undefined> {
    try {
      const events = await this.client.list<PodEvent>(
        { version: 'v1', resource: 'events', namespace },
        { fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${name}`, signal },
      );
      return terminalEventCause(events);
    } catch (e) {
      if (e instanceof ClusterError && e.kind === 'aborted') throw e;
      return undefined;
    }
  }

  async delete(name: string): Promise<void> {
    const namespace = this.live.get(name);
    if (namespace === undefined) return;
    try {
      // Not tied to the run's abort signal: cleanup must happen after Ctrl-C too.
      await this.client.delete(
        { version: 'v1', resource: 'pods', namespace, name },
        { query: { gracePeriodSeconds: 0 }, signal: new AbortController().signal, timeoutMs: 15_000 },
      );
      this.live.delete(name);
    } catch (e) {
      if (e instanceof ClusterError && e.kind === 'not-found') this.live.delete(name);
      else throw e;
    }
  }

  /** Delete every pod still alive; returns the names that could not be deleted. */
  async deleteAll(): Promise<string[]> {
    const names = [...this.live.keys()];
    const failed: string[] = [];
    await Promise.all(
      names.map(async (n) => {
        try {
          await this.delete(n);
        } catch {
          failed.push(`${this.live.get(n)}/${n}`);
        }
      }),
    );
    return failed;
  }
}
