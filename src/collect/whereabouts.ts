/** Whereabouts: installed (CRDs or its DaemonSet) and its IPPools with allocation counts. */
import type { DaemonSetSummary, WhereaboutsInfo } from '../snapshot/types.js';
import type { KubeObject } from '../cluster/client.js';
import type { CollectContext } from './context.js';
import { WHEREABOUTS_CRDS } from './crds.js';

interface IpPool extends KubeObject {
  spec?: { range?: string; allocations?: Record<string, unknown> };
}

export async function collectWhereabouts(
  ctx: CollectContext,
  crds: string[] | undefined,
  daemonSets: DaemonSetSummary[],
): Promise<WhereaboutsInfo | undefined> {
  const ds = daemonSets.some((d) => /whereabouts/.test(`${d.name} ${d.images.join(' ')}`));
  if (crds === undefined && !ds) return undefined;
  const info: WhereaboutsInfo = { installed: ds || !!crds?.some((c) => WHEREABOUTS_CRDS.includes(c)) };
  if (crds?.includes(WHEREABOUTS_CRDS[0]!)) {
    const pools = await ctx.attempt(
      'whereabouts',
      async () => {
        const out: NonNullable<WhereaboutsInfo['ippools']> = [];
        await ctx.client.listPages<IpPool>(
          { group: 'whereabouts.cni.cncf.io', version: 'v1alpha1', resource: 'ippools' },
          (items) => {
            for (const p of items) {
              out.push({
                ...(p.metadata?.namespace ? { namespace: p.metadata.namespace } : {}),
                name: p.metadata?.name ?? '',
                range: p.spec?.range ?? '',
                allocations: Object.keys(p.spec?.allocations ?? {}).length,
              });
            }
          },
        );
        return out;
      },
      { resource: 'ippools.whereabouts.cni.cncf.io' },
    );
    if (pools) info.ippools = pools;
  }
  return info;
}
