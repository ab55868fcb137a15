/** Cilium's agent config (`cilium-config`): `cni-exclusive` decides whether it removes multus's config. */
import type { CiliumInfo } from '../snapshot/types.js';
import type { KubeObject } from '../cluster/client.js';
import type { CollectContext } from './context.js';
import type { DaemonSetObject } from './install-fingerprint.js';

export async function collectCilium(
  ctx: CollectContext,
  daemonSets: DaemonSetObject[],
): Promise<CiliumInfo | undefined> {
  const agent = daemonSets.find((d) =>
    (d.spec?.template?.spec?.containers ?? []).some(
      (c) => /cilium\/cilium|cilium-agent|\/cilium:/.test(c.image ?? '') || c.name === 'cilium-agent',
    ),
  );
  if (!agent) return undefined;
  const namespaces = [...new Set([agent.metadata?.namespace ?? 'kube-system', 'kube-system'])];
  return ctx.attempt(
    'cilium',
    async () => {
      for (const ns of namespaces) {
        const cm = await ctx.client.getOptional<KubeObject & { data?: Record<string, string> }>({
          version: 'v1',
          resource: 'configmaps',
          namespace: ns,
          name: 'cilium-config',
        });
        if (cm) return { config: cm.data ?? {}, namespace: ns };
      }
      return undefined;
    },
    { resource: 'configmaps', namespace: agent.metadata?.namespace },
  );
}
