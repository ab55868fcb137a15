import { defineCheck, type Finding } from '../types.js';
import { couldNotVerify, finding, listNames } from '../helpers.js';
import { byOwner, describe } from './lib/common.js';
import type { WorkloadView } from '../analysis.js';
import { classifyEventMessage, isSandboxFailureEvent } from '../../model/events.js';
import type { EventRecord } from '../../snapshot/types.js';
import { classifyPodTrouble, compactEventMessage, eventLabel } from '../../model/pod-events.js';

/** The CNI classification, or — when the runtime itself cannot create sandboxes — that. */
function classify(e: EventRecord): ReturnType<typeof classifyEventMessage> {
  const c = classifyEventMessage(e.message);
  if (c.cause !== 'unknown') return c;
  const t = classifyPodTrouble({ events: [e] });
  return t?.cause === 'runtime' ? { ...c, cause: 'runtime-unavailable', summary: t.summary } : c;
}

function when(e: EventRecord): string {
  return e.lastTimestamp ?? '';
}

/**
 * Pods stuck in ContainerCreating because the sandbox's network could not be set up. The event
 * text is classified (model/events.ts) and the finding names the check that explains the cause,
 * so `kubectl multus explain <id>` gives the per-distribution fix.
 */
export const podSandboxFailed = defineCheck(
  {
    id: 'pod-sandbox-failed',
    title: 'Pod stuck in ContainerCreating: sandbox network setup fails',
    severity: 'error',
    category: 'pod',
    scope: 'cluster',
    distributions: 'all',
    doc: 'When multus or one of its delegates fails, the kubelet records FailedCreatePodSandBox (and multus NoNetworkFound) and retries forever; the pod stays in ContainerCreating. The event text says why: a missing plugin binary, a missing NAD, a missing master interface, no DHCP daemon, an unreadable kubeconfig.',
  },
  (a) => {
    const events = a.snapshot.events;
    const out: Finding[] = [];
    const meta = podSandboxFailed.meta;
    if (events === undefined) {
      const err = a.errorsFor('events')[0];
      const stuck = a.workloads.filter((w) => w.obj.kind === 'Pod' && w.obj.waitingReason === 'ContainerCreating');
      if (err && stuck.length)
        out.push(
          couldNotVerify(
            meta,
            stuck[0]!.subject,
            `events could not be read (${err.message}), so the cause of ${stuck.length} pod(s) in ContainerCreating is unknown.`,
          ),
        );
      return out;
    }
    const byPod = new Map<string, EventRecord[]>();
    for (const e of events) {
      if (!isSandboxFailureEvent(e) || e.involvedObject.kind !== 'Pod') continue;
      const ns = e.involvedObject.namespace ?? e.namespace ?? 'default';
      const k = `${ns}/${e.involvedObject.name}`;
      byPod.set(k, [...(byPod.get(k) ?? []), e]);
    }
    const stuck: Array<{ w: WorkloadView; e: EventRecord; count: number; c: ReturnType<typeof classifyEventMessage> }> =
      [];
    for (const w of a.workloads) {
      if (w.obj.kind !== 'Pod') continue;
      const waiting =
        w.obj.waitingReason === 'ContainerCreating' || (w.obj.phase === 'Pending' && w.obj.nodeName !== undefined);
      // Events outlive pods: a recreated StatefulSet pod keeps its name, so ignore events older than it.
      const born = w.obj.createdAt;
      const evs = byPod
        .get(`${w.namespace}/${w.obj.name}`)
        ?.filter((e) => !born || !e.lastTimestamp || e.lastTimestamp >= born);
      if (!waiting || !evs?.length) continue;
      // Newest first (later in the list when timestamps tie); the kubelet's sandbox error carries the whole chain, so prefer it.
      const sorted = [...evs].reverse().sort((x, y) => when(y).localeCompare(when(x)));
      const e = sorted.find((x) => x.reason === 'FailedCreatePodSandBox') ?? sorted[0]!;
      stuck.push({ w, e, count: evs.reduce((n, x) => n + (x.count ?? 1), 0), c: classify(e) });
    }
    // Pods of one workload failing for one reason are one finding.
    for (const g of byOwner(stuck.map((s) => s.w))) {
      const items = stuck.filter((s) => g.pods.includes(s.w));
      const causes = [...new Set(items.map((s) => `${s.c.cause}|${s.c.network ?? ''}`))];
      for (const cause of causes) {
        const group = items.filter((s) => `${s.c.cause}|${s.c.network ?? ''}` === cause);
        const { e, c } = group[0]!;
        const nodes = [...new Set(group.map((s) => s.w.obj.nodeName).filter((n): n is string => !!n))];
        const count = group.reduce((n, s) => n + s.count, 0);
        const see = c.checkId ? ` (see check ${c.checkId})` : '';
        // "Link not found" does not say which interface: the NAD does.
        const nad = c.network ? a.nadIndex.get(`${g.subject.namespace ?? 'default'}/${c.network}`) : undefined;
        const master = nad?.config?.main?.raw['master'] ?? nad?.config?.main?.raw['device'];
        const detail =
          c.cause === 'master-missing' && c.subject === undefined && typeof master === 'string'
            ? ` (NAD ${nad!.key} names "${master}"${nodes.length ? ` — not present on ${listNames(nodes)}` : ''})`
            : '';
        const net = c.network ? ` on network "${c.network}"` : '';
        const who = g.ownerKind
          ? `${group.length} pod${group.length > 1 ? 's' : ''} of ${describe(g.subject)} (${listNames(
              group.map((s) => s.w.obj.name),
              3,
            )}) ${group.length > 1 ? 'are' : 'is'}`
          : `${describe(g.subject)} is`;
        out.push(
          finding(
            meta,
            { ...g.subject, ...(nodes.length === 1 ? { node: nodes[0] } : {}) },
            `${who} stuck in ContainerCreating${net}: ${c.summary}${detail}${see}.`,
            [
              {
                label:
                  group.length > 1
                    ? `event ${e.reason}${count > 1 ? ` (${count} in total)` : ''}`
                    : eventLabel({ ...e, count }),
                value: compactEventMessage(e.message, 600),
                node: group[0]!.w.obj.nodeName,
              },
            ],
            c.cause === 'runtime-unavailable'
              ? `The container runtime on ${nodes.length ? listNames(nodes) : 'the node'} cannot create pod sandboxes: not a multus problem. Read the runtime's log there (containerd or CRI-O, and the kubelet's); pods retry by themselves once it works.`
              : c.checkId
                ? `Run \`kubectl multus explain ${c.checkId}\` for the fix on ${a.paths.label}; \`kubectl multus check\` reports that check with its evidence. The kubelet retries the sandbox by itself once the cause is fixed.`
                : 'Fix the cause named in the event (see the event text above); the kubelet retries the sandbox by itself.',
          ),
        );
      }
    }
    return out;
  },
);
