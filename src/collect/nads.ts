/** NetworkAttachmentDefinitions, as the NAD checks read them (spec.config kept verbatim). */
import type { NadObject } from '../snapshot/types.js';
import type { KubeObject } from '../cluster/client.js';
import type { CollectContext } from './context.js';

interface NadK8s extends KubeObject {
  spec?: Record<string, unknown>;
}

/** Dropped: kubectl's copy of the whole object (it repeats the config and can be large). */
const DROP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

export function toNadObject(o: NadK8s): NadObject {
  const nad: NadObject = { name: o.metadata?.name ?? '', namespace: o.metadata?.namespace ?? 'default' };
  const ann = Object.fromEntries(
    Object.entries(o.metadata?.annotations ?? {}).filter(([k]) => !DROP_ANNOTATIONS.has(k)),
  );
  if (Object.keys(ann).length) nad.annotations = ann;
  if (o.metadata?.labels && Object.keys(o.metadata.labels).length) nad.labels = o.metadata.labels;
  const spec = o.spec;
  if (spec && typeof spec === 'object') {
    nad.specKeys = Object.keys(spec);
    const c = spec['config'];
    if (typeof c === 'string') nad.config = c;
    else if (c !== undefined && c !== null) nad.configNotString = Array.isArray(c) ? 'array' : typeof c;
  }
  return nad;
}

export const NAD_REF = { group: 'k8s.cni.cncf.io', version: 'v1', resource: 'network-attachment-definitions' } as const;

/** NADs in every namespace (references cross namespaces), or in one when asked. */
export async function collectNads(ctx: CollectContext, namespace?: string): Promise<NadObject[] | undefined> {
  return ctx.attempt(
    'nads',
    async () => {
      const out: NadObject[] = [];
      await ctx.client.listPages<NadK8s>({ ...NAD_REF, namespace }, (items) => {
        for (const o of items) out.push(toNadObject(o));
      });
      return out.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
    },
    { namespace, resource: 'network-attachment-definitions.k8s.cni.cncf.io' },
  );
}
