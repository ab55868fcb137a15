/** Sandbox failure events (kubelet FailedCreatePodSandBox, multus NoNetworkFound) and multus AddedInterface events, newest kept. */
import type { EventRecord } from '../snapshot/types.js';
import type { KubeObject } from '../cluster/client.js';
import type { CollectContext } from './context.js';
import { redactText } from './redact.js';

interface EventK8s extends KubeObject {
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
  source?: { component?: string };
  reportingComponent?: string;
}

// AddedInterface: multus's own event when it set up a pod's interface, positive evidence that it runs on that node.
const EVENT_REASONS = ['FailedCreatePodSandBox', 'NoNetworkFound', 'AddedInterface'];
/** Per reason: a node with a broken chain produces one event per pod per retry. */
const MAX_PER_REASON = 500;

export function toEventRecord(e: EventK8s): EventRecord {
  const r: EventRecord = {
    involvedObject: { kind: e.involvedObject?.kind ?? '', name: e.involvedObject?.name ?? '' },
    reason: e.reason ?? '',
    message: redactText(e.message ?? '').text,
  };
  if (e.metadata?.namespace) r.namespace = e.metadata.namespace;
  if (e.involvedObject?.namespace) r.involvedObject.namespace = e.involvedObject.namespace;
  if (e.involvedObject?.uid) r.involvedObject.uid = e.involvedObject.uid;
  if (e.type) r.type = e.type;
  const count = e.series?.count ?? e.count;
  if (count !== undefined) r.count = count;
  const last = e.lastTimestamp ?? e.series?.lastObservedTime ?? e.eventTime;
  if (last) r.lastTimestamp = last;
  const comp = e.source?.component ?? e.reportingComponent;
  if (comp) r.component = comp;
  return r;
}

export async function collectEvents(ctx: CollectContext, namespace?: string): Promise<EventRecord[] | undefined> {
  return ctx.attempt(
    'events',
    async () => {
      const per = await Promise.all(
        EVENT_REASONS.map(async (reason) => {
          const kept: EventRecord[] = [];
          await ctx.client.listPages<EventK8s>(
            { version: 'v1', resource: 'events', namespace },
            (items) => {
              // Filter here too: a server may ignore the field selector.
              for (const e of items) if (e.reason === reason) kept.push(toEventRecord(e));
              if (kept.length > MAX_PER_REASON * 2) {
                kept.sort((a, b) => (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''));
                kept.length = MAX_PER_REASON;
              }
            },
            { fieldSelector: `reason=${reason}` },
          );
          kept.sort((a, b) => (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''));
          return kept.slice(0, MAX_PER_REASON);
        }),
      );
      return per.flat();
    },
    { namespace, resource: 'events' },
  );
}
