/** The CustomResourceDefinitions the checks look for (got by name: a 404 means absent). */
import type { CollectContext } from './context.js';

const NAD_CRD = 'network-attachment-definitions.k8s.cni.cncf.io';
export const WHEREABOUTS_CRDS = [
  'ippools.whereabouts.cni.cncf.io',
  'overlappingrangeipreservations.whereabouts.cni.cncf.io',
  'nodeslicepools.whereabouts.cni.cncf.io',
];
const WANTED_CRDS = [NAD_CRD, ...WHEREABOUTS_CRDS];

export async function collectCrds(ctx: CollectContext): Promise<string[] | undefined> {
  return ctx.attempt(
    'crds',
    async () => {
      const found = await Promise.all(
        WANTED_CRDS.map(async (name) =>
          (await ctx.client.getOptional({
            group: 'apiextensions.k8s.io',
            version: 'v1',
            resource: 'customresourcedefinitions',
            name,
          }))
            ? name
            : undefined,
        ),
      );
      return found.filter((x): x is string => !!x);
    },
    { resource: 'customresourcedefinitions.apiextensions.k8s.io' },
  );
}
