/**
 * Names from the live cluster for completion: NADs, workloads, namespaces. One short deadline for
 * the whole lookup (kubeconfig load, credential plugin, TLS, request); any failure is an empty
 * list: completion must stay silent, the user is typing.
 */
import type { ClusterKind, KubeFlags } from './engine.js';
import { connect, contextNames as readContexts } from './kube.js';

const DEFAULT_TIMEOUT_MS = 1500;

interface List {
  items?: { metadata?: { name?: string; namespace?: string; ownerReferences?: unknown[] } }[];
}

const names = (l: List): string[] => (l.items ?? []).map((i) => i.metadata?.name ?? '').filter(Boolean);

async function lookup(kind: ClusterKind, flags: KubeFlags, timeoutMs: number): Promise<string[]> {
  const kube = await connect(flags);
  const ns = encodeURIComponent(kube.namespace);
  const get = (path: string) => kube.get<List>(path, timeoutMs);
  if (kind === 'namespace') return names(await get('/api/v1/namespaces'));
  if (kind === 'nad') {
    if (flags.allNamespaces) {
      const l = await get('/apis/k8s.cni.cncf.io/v1/network-attachment-definitions');
      // Other namespaces' NADs are referenced as ns/name, as in the networks annotation.
      return (l.items ?? []).map((i) => `${i.metadata?.namespace}/${i.metadata?.name}`);
    }
    return names(await get(`/apis/k8s.cni.cncf.io/v1/namespaces/${ns}/network-attachment-definitions`));
  }
  // Workloads in kubectl's kind/name form; bare pods only when no controller owns them.
  const [deploy, sts, ds, pods] = await Promise.all([
    get(`/apis/apps/v1/namespaces/${ns}/deployments`).catch(() => ({}) as List),
    get(`/apis/apps/v1/namespaces/${ns}/statefulsets`).catch(() => ({}) as List),
    get(`/apis/apps/v1/namespaces/${ns}/daemonsets`).catch(() => ({}) as List),
    get(`/api/v1/namespaces/${ns}/pods`).catch(() => ({}) as List),
  ]);
  return [
    ...names(deploy).map((n) => `deployment/${n}`),
    ...names(sts).map((n) => `statefulset/${n}`),
    ...names(ds).map((n) => `daemonset/${n}`),
    ...(pods.items ?? []).filter((p) => !p.metadata?.ownerReferences?.length).map((p) => `pod/${p.metadata?.name}`),
  ];
}

export async function clusterNames(
  kind: ClusterKind,
  flags: KubeFlags,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), timeoutMs);
  });
  try {
    return await Promise.race([lookup(kind, flags, timeoutMs).catch(() => [] as string[]), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export async function contextNames(flags: KubeFlags): Promise<string[]> {
  return readContexts(flags).catch(() => []);
}
