/**
 * The service CIDR, the most reliable way available, recording which method answered:
 *  1. ServiceCIDR objects (networking.k8s.io v1 since 1.33, v1beta1 1.31–1.32, v1alpha1 1.29–1.30);
 *  2. the kube-apiserver static pod's `--service-cluster-ip-range` (kubeadm, kind);
 *  3. a server-side dry-run create of a Service with an impossible ClusterIP: the API server's
 *     refusal names the valid range. `dryRun=All`: nothing is persisted. (Before 1.23 a dry run
 *     skipped ClusterIP allocation and answered "created": no range.)
 *  4. kubeadm's `kube-system/kubeadm-config` ConfigMap, `networking.serviceSubnet`;
 *  then, after the node inspection (serviceCidrFromNodeFiles): the kube-apiserver static pod
 *  manifest on a control-plane node, K3s/RKE2 config files; and last the `kubernetes` Service's
 *  ClusterIP, the first address of the range: not the range, but enough to tell whether flannel's
 *  Network contains the services at all.
 * The controller-manager's `--cluster-cidr` comes along from the same static pods.
 */
import type { ClusterInfo, NodeInfo } from '../snapshot/types.js';
import { ClusterError } from '../cluster/errors.js';
import type { KubeObject } from '../cluster/client.js';
import type { CollectContext } from './context.js';

interface StaticPod extends KubeObject {
  spec?: { containers?: Array<{ name: string; command?: string[]; args?: string[] }> };
}

/** The value of `--flag=value` / `--flag value` in a container's command line. */
export function flagValue(argv: string[], flag: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `--${flag}`) return argv[i + 1];
    if (a.startsWith(`--${flag}=`)) return a.slice(flag.length + 3);
  }
  return undefined;
}

/** "... The range of valid IPs is 10.43.0.0/16" (also dual-stack: "... is 10.43.0.0/16,fd00::/108"). */
export function rangeFromDryRunError(message: string): string[] | undefined {
  const m = /range of valid IPs is ([0-9a-fA-F.:/,]+)/.exec(message);
  if (!m) return undefined;
  return m[1]!
    .split(',')
    .map((s) => s.replace(/[.,]$/, ''))
    .filter((s) => s.includes('/'));
}

const SERVICE_CIDR_VERSIONS = ['v1', 'v1beta1', 'v1alpha1'];

async function fromServiceCIDRs(ctx: CollectContext): Promise<string[] | undefined> {
  for (const version of SERVICE_CIDR_VERSIONS) {
    try {
      const items = await ctx.client.list<KubeObject & { spec?: { cidrs?: string[] } }>({
        group: 'networking.k8s.io',
        version,
        resource: 'servicecidrs',
      });
      const cidrs = [...new Set(items.flatMap((i) => i.spec?.cidrs ?? []))];
      return cidrs.length ? cidrs : undefined;
    } catch (e) {
      if (e instanceof ClusterError && e.kind === 'not-found') continue;
      throw e;
    }
  }
  return undefined;
}

async function fromDryRun(ctx: CollectContext): Promise<string[] | undefined> {
  const body = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubectl-multus-service-cidr-probe',
      namespace: 'default',
      labels: { 'app.kubernetes.io/managed-by': 'kubectl-multus' },
    },
    spec: { clusterIP: '1.1.1.1', ports: [{ port: 443, protocol: 'TCP' }] },
  };
  try {
    await ctx.client.create({ version: 'v1', resource: 'services', namespace: 'default' }, body, {
      query: { dryRun: 'All' },
    });
    return undefined; // 1.1.1.1 is inside the service range: the answer tells us nothing
  } catch (e) {
    if (e instanceof ClusterError && e.kind === 'invalid') return rangeFromDryRunError(e.serverMessage ?? e.message);
    throw e;
  }
}

type CidrFacts = Pick<ClusterInfo, 'serviceCIDRs' | 'serviceCIDRSource' | 'podCIDRs'>;

/** `networking.serviceSubnet` of kubeadm's ClusterConfiguration (YAML text in the ConfigMap). */
function serviceSubnetFromKubeadmConfig(text: string | undefined): string[] | undefined {
  if (!text) return undefined;
  const m = /^\s*serviceSubnet:\s*["']?([0-9a-fA-F.:/,]+)["']?\s*$/m.exec(text);
  return m ? m[1]!.split(',').filter((c) => c.includes('/')) : undefined;
}

async function fromKubeadmConfig(ctx: CollectContext): Promise<string[] | undefined> {
  try {
    const cm = await ctx.client.getOptional<KubeObject & { data?: Record<string, string> }>({
      version: 'v1',
      resource: 'configmaps',
      namespace: 'kube-system',
      name: 'kubeadm-config',
    });
    return serviceSubnetFromKubeadmConfig(cm?.data?.['ClusterConfiguration']);
  } catch (e) {
    if (e instanceof ClusterError && e.kind !== 'aborted') return undefined; // not allowed, or gone: other sources remain
    throw e;
  }
}

async function kubernetesServiceIp(ctx: CollectContext): Promise<string[] | undefined> {
  try {
    const svc = await ctx.client.getOptional<KubeObject & { spec?: { clusterIP?: string; clusterIPs?: string[] } }>({
      version: 'v1',
      resource: 'services',
      namespace: 'default',
      name: 'kubernetes',
    });
    const ips = svc?.spec?.clusterIPs?.length ? svc.spec.clusterIPs : svc?.spec?.clusterIP ? [svc.spec.clusterIP] : [];
    const out = ips.filter((ip) => ip && ip !== 'None').map((ip) => (ip.includes(':') ? `${ip}/128` : `${ip}/32`));
    return out.length ? out : undefined;
  } catch (e) {
    if (e instanceof ClusterError && e.kind !== 'aborted') return undefined;
    throw e;
  }
}

/** Host files that name the service range, as node inspection reads them (kept to the relevant lines). */
export const SERVICE_CIDR_FILES = [
  '/etc/kubernetes/manifests/kube-apiserver.yaml',
  '/etc/rancher/k3s/config.yaml',
  '/etc/rancher/rke2/config.yaml',
];

/** The service range from node files read by the inspection: static pod manifest, K3s/RKE2 config. */
export function serviceCidrFromNodeFiles(
  nodes: NodeInfo[] | undefined,
): { cidrs: string[]; source: NonNullable<ClusterInfo['serviceCIDRSource']>; where: string } | undefined {
  for (const n of nodes ?? []) {
    const files = n.inspection?.files ?? {};
    const api = files[SERVICE_CIDR_FILES[0]!]?.content;
    const m = api ? /--service-cluster-ip-range[= ]["']?([0-9a-fA-F.:/,]+)/.exec(api) : null;
    if (m)
      return {
        cidrs: m[1]!.split(',').filter((c) => c.includes('/')),
        source: 'static-pod-manifest',
        where: `${SERVICE_CIDR_FILES[0]} on ${n.name}`,
      };
    for (const [path, source] of [
      [SERVICE_CIDR_FILES[1]!, 'k3s-config'],
      [SERVICE_CIDR_FILES[2]!, 'rke2-config'],
    ] as const) {
      const c = files[path]?.content;
      const k = c ? /^\s*service-cidr:\s*["']?([0-9a-fA-F.:/,]+)["']?\s*$/m.exec(c) : null;
      if (k) return { cidrs: k[1]!.split(',').filter((x) => x.includes('/')), source, where: `${path} on ${n.name}` };
    }
  }
  return undefined;
}

export async function collectClusterCidrs(ctx: CollectContext): Promise<CidrFacts & { failure?: Error }> {
  const out: CidrFacts & { failure?: Error } = {};
  const failures: ClusterError[] = [];
  const tryStep = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ClusterError) {
        if (e.kind !== 'aborted') failures.push(e);
        return undefined;
      }
      throw e;
    }
  };
  const [serviceCidrs, staticPods] = await Promise.all([
    tryStep(() => fromServiceCIDRs(ctx)),
    tryStep(() =>
      ctx.client.list<StaticPod>(
        { version: 'v1', resource: 'pods', namespace: 'kube-system' },
        { labelSelector: 'component in (kube-apiserver,kube-controller-manager)' },
      ),
    ),
  ]);
  let apiserverRange: string[] | undefined;
  for (const p of staticPods ?? []) {
    for (const c of p.spec?.containers ?? []) {
      const argv = [...(c.command ?? []), ...(c.args ?? [])];
      const svc = flagValue(argv, 'service-cluster-ip-range');
      if (svc && !apiserverRange) apiserverRange = svc.split(',').filter(Boolean);
      const pod = flagValue(argv, 'cluster-cidr');
      if (pod && !out.podCIDRs) out.podCIDRs = pod.split(',').filter(Boolean);
    }
  }
  if (serviceCidrs) {
    out.serviceCIDRs = serviceCidrs;
    out.serviceCIDRSource = 'ServiceCIDR';
  } else if (apiserverRange) {
    out.serviceCIDRs = apiserverRange;
    out.serviceCIDRSource = 'apiserver-flag';
  } else {
    const r = await tryStep(() => fromDryRun(ctx));
    if (r?.length) {
      out.serviceCIDRs = r;
      out.serviceCIDRSource = 'dry-run';
    } else {
      const k = await fromKubeadmConfig(ctx);
      if (k?.length) {
        out.serviceCIDRs = k;
        out.serviceCIDRSource = 'kubeadm-config';
      } else {
        // Not the range: its first address. Node files (after the inspection) may still give the range.
        const ip = await kubernetesServiceIp(ctx);
        if (ip) {
          out.serviceCIDRs = ip;
          out.serviceCIDRSource = 'kubernetes-service';
        }
      }
    }
  }
  if (!out.serviceCIDRs) {
    const why = failures.length
      ? failures.map((f) => f.message).join('; ')
      : 'no ServiceCIDR objects, no kube-apiserver pod, no kubeadm-config, no readable kubernetes Service, and the dry-run answer named no range';
    const first = failures.find((f) => f.kind === 'forbidden') ?? failures[0];
    out.failure = first
      ? new ClusterError(`could not determine the service CIDR: ${why}`, first.kind, first.code, first.target)
      : new Error(`could not determine the service CIDR: ${why}`);
  }
  return out;
}
