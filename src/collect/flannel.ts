/**
 * Flannel: its net-conf.json and whether node subnets come from the controller-manager
 * (`--kube-subnet-mgr`, kube-flannel and canal) or from flannel's own leases (etcd). K3s's
 * embedded flannel has no DaemonSet: its net-conf is a host file the node inspection reads.
 */
import type { FlannelInfo, NodeInfo } from '../snapshot/types.js';
import type { KubeObject } from '../cluster/client.js';
import type { CollectContext } from './context.js';
import type { DaemonSetObject, K8sContainer } from './install-fingerprint.js';
import { K3S_FLANNEL_NETCONF } from './node-plan.js';

function flannelContainer(ds: DaemonSetObject): K8sContainer | undefined {
  return (ds.spec?.template?.spec?.containers ?? []).find(
    (c) => /flannel/.test(`${c.name} ${c.image ?? ''}`) && !/install-cni/.test(c.name),
  );
}

function flannelMode(c: K8sContainer): FlannelInfo['mode'] {
  const argv = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
  if (/--kube-subnet-mgr(?!=false)/.test(argv)) return 'kube-subnet-mgr';
  if (/flanneld|--etcd-endpoints|\/opt\/bin\/flanneld/.test(argv)) return 'etcd';
  return 'unknown';
}

export async function collectFlannelDaemonSet(
  ctx: CollectContext,
  daemonSets: DaemonSetObject[],
): Promise<FlannelInfo | undefined> {
  for (const ds of daemonSets) {
    const c = flannelContainer(ds);
    if (!c) continue;
    const ns = ds.metadata?.namespace ?? 'kube-system';
    const mode = flannelMode(c);
    const info = await ctx.attempt(
      'flannel',
      async (): Promise<FlannelInfo> => {
        for (const v of ds.spec?.template?.spec?.volumes ?? []) {
          if (!v.configMap) continue;
          const cm = await ctx.client.getOptional<KubeObject & { data?: Record<string, string> }>({
            version: 'v1',
            resource: 'configmaps',
            namespace: ns,
            name: v.configMap.name,
          });
          const netConf = cm?.data?.['net-conf.json'];
          if (netConf !== undefined) return { source: `configmap ${ns}/${v.configMap.name}`, netConf, mode };
        }
        return { source: `daemonset ${ns}/${ds.metadata?.name ?? ''}`, mode };
      },
      { namespace: ns, resource: 'configmaps' },
    );
    if (info) return info;
  }
  return undefined;
}

/** K3s embedded flannel, from the net-conf file on the first node that has it (or the node annotations). */
export function embeddedFlannel(nodes: NodeInfo[]): FlannelInfo | undefined {
  for (const n of nodes) {
    const f = n.inspection?.files[K3S_FLANNEL_NETCONF];
    if (f?.content !== undefined)
      return {
        source: `${K3S_FLANNEL_NETCONF} on node ${n.name}`,
        netConf: f.content,
        mode: 'kube-subnet-mgr',
        embedded: true,
      };
  }
  if (nodes.some((n) => n.annotations?.['flannel.alpha.coreos.com/backend-type'] !== undefined)) {
    return {
      source: 'K3s embedded flannel (node annotations; net-conf.json not read)',
      mode: 'kube-subnet-mgr',
      embedded: true,
    };
  }
  return undefined;
}
