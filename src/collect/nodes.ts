/** Nodes, namespaces and the server version: what the distribution is recognised from. */
import type { ClusterInfo, NodeInfo } from '../snapshot/types.js';
import { detectDistribution } from '../model/distributions.js';
import type { KubeObject } from '../cluster/client.js';
import type { CollectContext } from './context.js';

interface NodeObject extends KubeObject {
  spec?: {
    podCIDR?: string;
    podCIDRs?: string[];
    taints?: Array<{ key: string; value?: string; effect: string }>;
    unschedulable?: boolean;
    providerID?: string;
  };
  status?: {
    conditions?: Array<{ type: string; status: string }>;
    addresses?: Array<{ type: string; address: string }>;
    nodeInfo?: { kubeletVersion?: string; containerRuntimeVersion?: string; osImage?: string };
  };
}

/** Node annotations worth keeping (flannel's, K3s/RKE2 node args); the rest is noise. */
const KEEP_NODE_ANNOTATION =
  /^(flannel\.alpha\.coreos\.com\/|k3s\.io\/|rke2\.io\/|projectcalico\.org\/IPv4Address|alpha\.kubernetes\.io\/provided-node-ip)/;

export function toNodeInfo(n: NodeObject): NodeInfo {
  const info: NodeInfo = {
    name: n.metadata?.name ?? '',
    labels: n.metadata?.labels ?? {},
    taints: (n.spec?.taints ?? []).map((t) => ({
      key: t.key,
      ...(t.value !== undefined ? { value: t.value } : {}),
      effect: t.effect,
    })),
    podCIDRs: n.spec?.podCIDRs?.length ? n.spec.podCIDRs : n.spec?.podCIDR ? [n.spec.podCIDR] : [],
    addresses: (n.status?.addresses ?? []).map((a) => ({ type: a.type, address: a.address })),
  };
  const ann = Object.fromEntries(
    Object.entries(n.metadata?.annotations ?? {}).filter(([k]) => KEEP_NODE_ANNOTATION.test(k)),
  );
  if (Object.keys(ann).length) info.annotations = ann;
  if (n.spec?.unschedulable) info.unschedulable = true;
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready) info.ready = ready.status === 'True';
  const ni = n.status?.nodeInfo;
  if (ni?.kubeletVersion) info.kubeletVersion = ni.kubeletVersion;
  if (ni?.containerRuntimeVersion) info.containerRuntime = ni.containerRuntimeVersion;
  if (ni?.osImage) info.osImage = ni.osImage;
  if (n.spec?.providerID) info.providerID = n.spec.providerID;
  return info;
}

export async function collectNodes(ctx: CollectContext): Promise<NodeInfo[] | undefined> {
  return ctx.attempt('nodes', async () => {
    const out: NodeInfo[] = [];
    await ctx.client.listPages<NodeObject>({ version: 'v1', resource: 'nodes' }, (items) => {
      for (const n of items) out.push(toNodeInfo(n));
    });
    return out.sort((a, b) => a.name.localeCompare(b.name));
  });
}

export async function collectNamespaces(ctx: CollectContext): Promise<string[] | undefined> {
  return ctx.attempt('namespaces', async () => {
    const out: string[] = [];
    await ctx.client.listPages({ version: 'v1', resource: 'namespaces' }, (items) => {
      for (const n of items) if (n.metadata?.name) out.push(n.metadata.name);
    });
    return out.sort();
  });
}

/** Distribution from node facts and namespaces; the K3s `--cluster-cidr` node arg when present. */
export function clusterFacts(
  nodes: NodeInfo[] | undefined,
  namespaces: string[] | undefined,
  version: string | undefined,
): ClusterInfo {
  const d = detectDistribution(nodes ?? [], namespaces);
  const info: ClusterInfo = {
    distribution: nodes || namespaces ? d.distribution : 'unknown',
    distributionEvidence: d.evidence,
  };
  if (version) info.version = version;
  // K3s/RKE2 only: the server's --cluster-cidr, recorded by K3s in a node annotation.
  for (const n of nodes ?? []) {
    const args = n.annotations?.['k3s.io/node-args'] ?? n.annotations?.['rke2.io/node-args'];
    if (!args) continue;
    try {
      const list = JSON.parse(args) as unknown;
      if (!Array.isArray(list)) continue;
      for (let i = 0; i < list.length; i++) {
        const a = String(list[i]);
        const v = a.startsWith('--cluster-cidr=')
          ? a.slice('--cluster-cidr='.length)
          : a === '--cluster-cidr'
            ? String(list[i + 1] ?? '')
            : undefined;
        if (v)
          info.podCIDRs = v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
      }
    } catch {
      /* not JSON: ignore */
    }
    if (info.podCIDRs) break;
  }
  if (namespaces) info.namespaces = namespaces;
  return info;
}
