/**
 * Pod status as the kubelet would report it for a given state (Running, CrashLoopBackOff, …),
 * and pod names/UIDs generated the way controllers do, deterministically.
 */
import { createHash } from 'node:crypto';
import type { KObj, PodState } from './scenario.js';

export function uidFor(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// the alphabet of k8s.io/apimachinery rand.String (no vowels, no confusable digits)
const ALPHA = 'bcdfghjklmnpqrstvwxz2456789';

export function suffixFor(seed: string, n = 5): string {
  const h = createHash('sha1').update(seed).digest();
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHA[h[i]! % ALPHA.length];
  return s;
}

const containerId = (seed: string): string => `containerd://${createHash('sha256').update(seed).digest('hex')}`;

export interface StatusOpts {
  state: PodState;
  restartCount?: number;
  lastTerminated?: { exitCode: number; reason: string };
  podIP?: string;
  hostIP?: string;
  startTime: string;
}

/** Fills `status` for a pod from its spec and the requested state. */
export function podStatus(pod: KObj, o: StatusOpts): KObj {
  const spec = pod['spec'] ?? {};
  const containers: KObj[] = spec.containers ?? [];
  const inits: KObj[] = spec.initContainers ?? [];
  const t = o.startTime;
  const uid = pod['metadata']?.uid ?? '';
  const running = o.state === 'Running';
  const phase =
    o.state === 'Completed'
      ? 'Succeeded'
      : o.state === 'Error'
        ? 'Failed'
        : o.state === 'ContainerCreating' || o.state === 'Pending' || o.state === 'Init:CrashLoopBackOff'
          ? 'Pending'
          : 'Running';
  const restarts = o.restartCount ?? (o.state === 'CrashLoopBackOff' || o.state === 'Init:CrashLoopBackOff' ? 3 : 0);
  const last = o.lastTerminated ?? { exitCode: 1, reason: 'Error' };
  const initDone = o.state !== 'Init:CrashLoopBackOff';

  const initStatuses = inits.map((c, i) => {
    const base: KObj = { name: c.name, image: c.image, imageID: '', ready: initDone, restartCount: 0 };
    if (initDone) {
      base['containerID'] = containerId(`${uid}/${c.name}`);
      base['state'] = {
        terminated: { exitCode: 0, reason: 'Completed', startedAt: t, finishedAt: t, containerID: base['containerID'] },
      };
      base['lastState'] = {};
    } else if (o.state === 'Init:CrashLoopBackOff' && i === 0) {
      base['restartCount'] = restarts;
      base['state'] = {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off 40s restarting failed container=${c.name} pod=${pod['metadata']?.name}_${pod['metadata']?.namespace}(${uid})`,
        },
      };
      base['lastState'] = { terminated: { exitCode: last.exitCode, reason: last.reason, startedAt: t, finishedAt: t } };
    } else {
      base['state'] = { waiting: { reason: 'PodInitializing' } };
      base['lastState'] = {};
    }
    return base;
  });

  const statuses = containers.map((c) => {
    const id = containerId(`${uid}/${c.name}/${restarts}`);
    const base: KObj = {
      name: c.name,
      image: c.image,
      imageID: '',
      restartCount: 0,
      ready: false,
      started: false,
      lastState: {},
    };
    switch (o.state) {
      case 'Running':
        Object.assign(base, {
          containerID: id,
          ready: true,
          started: true,
          restartCount: restarts,
          state: { running: { startedAt: t } },
        });
        if (o.lastTerminated)
          base['lastState'] = {
            terminated: { exitCode: last.exitCode, reason: last.reason, startedAt: t, finishedAt: t },
          };
        break;
      case 'CrashLoopBackOff':
        Object.assign(base, {
          containerID: id,
          restartCount: restarts,
          state: {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: `back-off 40s restarting failed container=${c.name} pod=${pod['metadata']?.name}_${pod['metadata']?.namespace}(${uid})`,
            },
          },
          lastState: {
            terminated: { containerID: id, exitCode: last.exitCode, reason: last.reason, startedAt: t, finishedAt: t },
          },
        });
        break;
      case 'Completed':
        Object.assign(base, {
          containerID: id,
          state: { terminated: { containerID: id, exitCode: 0, reason: 'Completed', startedAt: t, finishedAt: t } },
        });
        break;
      case 'Error':
        Object.assign(base, {
          containerID: id,
          state: {
            terminated: { containerID: id, exitCode: last.exitCode || 1, reason: 'Error', startedAt: t, finishedAt: t },
          },
        });
        break;
      default:
        base['state'] = { waiting: { reason: initDone ? 'ContainerCreating' : 'PodInitializing' } };
    }
    return base;
  });

  const notReady = containers.filter((_, i) => !statuses[i]!['ready']).map((c) => c.name);
  const cond = (type: string, ok: boolean, extra: KObj = {}): KObj => ({
    type,
    status: ok ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: t,
    ...extra,
  });
  const unready = notReady.length
    ? { reason: 'ContainersNotReady', message: `containers with unready status: [${notReady.join(' ')}]` }
    : {};
  const status: KObj = {
    phase,
    conditions: [
      cond(
        'Initialized',
        initDone,
        initDone
          ? {}
          : {
              reason: 'ContainersNotInitialized',
              message: `containers with incomplete status: [${inits.map((c) => c.name).join(' ')}]`,
            },
      ),
      cond('Ready', running, running ? {} : unready),
      cond('ContainersReady', running, running ? {} : unready),
      cond('PodScheduled', true),
    ],
    containerStatuses: statuses,
    qosClass: qosClass([...containers, ...inits]),
    startTime: t,
  };
  if (inits.length) status['initContainerStatuses'] = initStatuses;
  if (o.hostIP) {
    status['hostIP'] = o.hostIP;
    status['hostIPs'] = [{ ip: o.hostIP }];
  }
  if (o.podIP) {
    status['podIP'] = o.podIP;
    status['podIPs'] = [{ ip: o.podIP }];
  }
  return status;
}

/** Guaranteed when every container sets equal cpu and memory requests and limits. */
function qosClass(cs: KObj[]): string {
  const any = cs.some(
    (c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length,
  );
  if (!any) return 'BestEffort';
  const guaranteed = cs.every((c) =>
    ['cpu', 'memory'].every(
      (r) =>
        c.resources?.limits?.[r] !== undefined &&
        (c.resources?.requests?.[r] ?? c.resources.limits[r]) === c.resources.limits[r],
    ),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Is this container running (exec-able) according to the pod's status? */
export function containerRunning(pod: KObj, container: string): boolean {
  if (pod['status']?.phase !== 'Running') return false;
  const cs: KObj[] = pod['status']?.containerStatuses ?? [];
  return !!cs.find((c) => c.name === container)?.state?.running;
}
