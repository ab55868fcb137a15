/**
 * Why a pod is not running, from its latest Warning events and container states: the common
 * causes a person would find with `kubectl describe pod`, in one sentence. Works for any pod (the
 * multus pods, probe pods, workload pods). Network setup failures inside the sandbox are left to
 * the CNI classifier in events.ts (classifyEventMessage), which this one calls.
 *
 * Message shapes are the kubelet's and the scheduler's own (kubelet pkg/kubelet/images for
 * "Failed to pull image", "Back-off pulling image", "Back-off restarting failed container";
 * pkg/kubelet/volumemanager for "MountVolume.SetUp failed", "Unable to attach or mount volumes";
 * kuberuntime for "Failed to create pod sandbox"; the scheduler's "0/N nodes are available"),
 * and containerd's "OCI runtime create failed: runc create failed: …" wrapped inside them.
 */
import type { ContainerState, EventRecord } from '../snapshot/types.js';
import { classifyEventMessage, type EventClassification } from './events.js';

type PodTroubleCause =
  'oom' | 'crashloop' | 'image-pull' | 'scheduling' | 'mount' | 'runtime' | 'sandbox-network' | 'config' | 'other';

export interface PodTrouble {
  cause: PodTroubleCause;
  /** One clause for a message: what stops the pod. */
  summary: string;
  /** The event that says so, when one does. */
  event?: EventRecord;
  /** The CNI classification when the sandbox's network setup failed. */
  network?: EventClassification;
  /** Crash loops: the last log line of the failed container, when collected. */
  lastLog?: string;
  /** Image pulls: the image named by the event. */
  image?: string;
}

const when = (e: EventRecord) => e.lastTimestamp ?? '';

/** Warning events, newest first, one per reason+message (the kubelet repeats them with a count). */
export function latestWarnings(events: EventRecord[] | undefined, max = 3): EventRecord[] {
  const seen = new Set<string>();
  const out: EventRecord[] = [];
  // Stable order for equal timestamps: later in the list is newer.
  const sorted = [...(events ?? [])]
    .map((e, i) => ({ e, i }))
    .sort((x, y) => when(y.e).localeCompare(when(x.e)) || y.i - x.i);
  for (const { e } of sorted) {
    if (e.type === 'Normal') continue;
    const k = `${e.reason}|${e.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(e);
    if (out.length >= max) break;
  }
  return out;
}

/**
 * Shorten an event message for one line of evidence. Kubelet messages are wrapped error chains
 * ("Failed to create pod sandbox: rpc error: … : <the real error>"): keep the opening words and
 * the innermost part, which is where the reason is, and cut at a ": " boundary.
 */
export function compactEventMessage(message: string, max = 320): string {
  const one = message.replace(/\s+/g, ' ').trim();
  if (one.length <= max) return one;
  const firstColon = one.indexOf(': ');
  const head = firstColon > 0 && firstColon <= 60 ? one.slice(0, firstColon) : one.slice(0, 40);
  const room = max - head.length - 5;
  let tail = one.slice(one.length - room);
  const b = tail.indexOf(': ');
  if (b >= 0 && b < room / 3) tail = tail.slice(b + 2);
  return `${head}: … ${tail}`;
}

/** `reason ×count: message` for evidence. */
export function eventLabel(e: EventRecord): string {
  return `event ${e.reason}${e.count && e.count > 1 ? ` ×${e.count}` : ''}`;
}

const RUNTIME =
  /OCI runtime (?:create|start|exec) failed|runc (?:create|run|start) failed|failed to create containerd task|failed to start sandbox container|failed to create shim|failed to reserve sandbox name|code = Unavailable desc = connection error|failed to get sandbox image|failed to pull image ".*pause/;
const IMAGE_EVENT =
  /Failed to pull image|Error: ErrImagePull|Error: ImagePullBackOff|Back-off pulling image|ErrImageNeverPull|InvalidImageName|Failed to inspect image/;
const IMAGE_REASONS = /^(ErrImagePull|ImagePullBackOff|ErrImageNeverPull|InvalidImageName)$/;

function imageOf(msg: string): string | undefined {
  return /(?:pull(?:ing)? image|inspect image) "([^"]+)"/.exec(msg)?.[1];
}

/** The innermost clause of a wrapped runtime error ("unable to start container process: …"). */
function runtimeDetail(msg: string): string {
  const one = msg.replace(/\s+/g, ' ');
  const m =
    /(OCI runtime (?:create|start) failed: .*)$/.exec(one) ??
    /(runc (?:create|run) failed: .*)$/.exec(one) ??
    /(failed to (?:create containerd task|start sandbox container|create shim).*)$/.exec(one);
  const d = (m?.[1] ?? one).replace(/: unknown$/, '');
  return d.length > 200 ? `${d.slice(0, 199)}…` : d;
}

function firstClause(msg: string, max = 200): string {
  const one = msg.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/**
 * The most likely reason a pod is not running. Current container states win over events (events
 * outlive the condition that caused them): a container that was OOMKilled or crash-loops says
 * so itself; otherwise the newest telling Warning event decides.
 */
export function classifyPodTrouble(input: {
  events?: EventRecord[];
  containers?: ContainerState[];
  logs?: string[];
  previousLogs?: string[];
}): PodTrouble | undefined {
  const cs = input.containers ?? [];
  const warnings = latestWarnings(input.events, 20);
  const lastLine = [...(input.previousLogs?.length ? input.previousLogs : (input.logs ?? []))]
    .reverse()
    .find((l) => l.trim() !== '');

  const oom = cs.find((c) => c.reason === 'OOMKilled' || c.lastTerminationReason === 'OOMKilled');
  if (oom)
    return { cause: 'oom', summary: `container ${oom.name} was OOMKilled (it needs more memory than its limit)` };

  const crash = cs.find((c) => c.reason === 'CrashLoopBackOff');
  const backoff = warnings.find((e) => e.reason === 'BackOff' && /restarting failed container/.test(e.message));
  if (crash || backoff) {
    const name = crash?.name ?? /restarting failed container (\S+)/.exec(backoff!.message)?.[1];
    const exit = crash?.lastTerminationReason
      ? ` (last exit: ${crash.lastTerminationReason}${crash.lastExitCode !== undefined ? `, code ${crash.lastExitCode}` : ''})`
      : '';
    const who = name ? `container ${name}` : 'a container';
    const out: PodTrouble = {
      cause: 'crashloop',
      summary: `${who} keeps crashing${exit}`,
      ...(backoff ? { event: backoff } : {}),
    };
    if (lastLine) {
      out.lastLog = lastLine;
      out.summary += `; its last log line: "${firstClause(lastLine, 160)}"`;
    }
    return out;
  }

  const pullState = cs.find((c) => c.reason !== undefined && IMAGE_REASONS.test(c.reason));
  const pullEvent = warnings.find(
    (e) =>
      (e.reason === 'Failed' || e.reason === 'BackOff' || e.reason === 'ErrImagePull') && IMAGE_EVENT.test(e.message),
  );

  for (const e of warnings) {
    if (e.reason === 'FailedScheduling') {
      return {
        cause: 'scheduling',
        event: e,
        summary: `the scheduler cannot place it: ${firstClause(e.message.replace(/ preemption: .*$/, ''))}`,
      };
    }
    if (e.reason === 'FailedMount' || e.reason === 'FailedAttachVolume') {
      const vol = /for volume "([^"]+)"/.exec(e.message)?.[1] ?? /unmounted volumes=\[([^\]]+)\]/.exec(e.message)?.[1];
      return {
        cause: 'mount',
        event: e,
        summary: `volume ${vol ? `"${vol}" ` : ''}cannot be mounted: ${firstClause(e.message.replace(/^MountVolume\.SetUp failed for volume "[^"]+" : /, ''), 160)}`,
      };
    }
    if (e.reason === 'FailedCreatePodSandBox' || e.reason === 'NoNetworkFound') {
      if (RUNTIME.test(e.message)) {
        return {
          cause: 'runtime',
          event: e,
          summary: `the container runtime cannot create the pod sandbox (${runtimeDetail(e.message)})`,
        };
      }
      const c = classifyEventMessage(e.message);
      if (c.cause === 'runtime-unavailable') return { cause: 'runtime', event: e, summary: c.summary };
      return {
        cause: 'sandbox-network',
        event: e,
        network: c,
        summary: `the pod sandbox's network setup fails: ${c.summary}`,
      };
    }
    if (e === pullEvent) break;
  }
  if (pullState || pullEvent) {
    const image = pullEvent ? imageOf(pullEvent.message) : undefined;
    const inner =
      pullEvent && /Failed to pull image/.test(pullEvent.message)
        ? `: ${compactEventMessage(pullEvent.message.replace(/^Failed to pull image "[^"]+": /, ''), 160)}`
        : '';
    return {
      cause: 'image-pull',
      ...(pullEvent ? { event: pullEvent } : {}),
      ...(image ? { image } : {}),
      summary: `image ${image ? `"${image}" ` : ''}cannot be pulled (${pullState?.reason ?? pullEvent!.reason})${inner}`,
    };
  }
  const cfg = cs.find(
    (c) =>
      c.reason === 'CreateContainerConfigError' ||
      c.reason === 'CreateContainerError' ||
      c.reason === 'RunContainerError',
  );
  if (cfg)
    return {
      cause: 'config',
      summary: `container ${cfg.name} cannot be created (${cfg.reason}${cfg.message ? `: ${firstClause(cfg.message, 160)}` : ''})`,
    };
  const e = warnings[0];
  if (e) return { cause: 'other', event: e, summary: `${e.reason}: ${firstClause(e.message, 160)}` };
  return undefined;
}
