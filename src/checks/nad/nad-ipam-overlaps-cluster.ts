import { defineCheck, type Finding, type Evidence } from '../types.js';
import { finding } from '../helpers.js';
import type { Analysis } from '../analysis.js';
import { parseCidr, parseIp, cidrsOverlap, formatCidr, type Cidr, type Family } from '../../model/cidr.js';
import { readIpam } from '../../model/ipam.js';
import { isObject, parseJsonText } from '../../model/cni-config.js';
import { DEFAULT_NETWORK_ANNOTATION, parseNetworksAnnotation } from '../../model/networks-annotation.js';
import { judgeableNads, ipamEvidence, interfacesOf } from './lib/common.js';

interface Net {
  cidr: Cidr;
  what: string;
}

/** Pod and service networks as far as the snapshot knows them. */
function clusterNets(a: Analysis): Net[] {
  const out: Net[] = [];
  const seen = new Set<string>();
  const add = (text: string, what: string) => {
    const c = parseCidr(text);
    if (!c) return;
    const k = `${what}:${formatCidr(c)}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ cidr: parseCidr(formatCidr(c))!, what });
  };
  for (const c of a.snapshot.cluster.podCIDRs ?? []) add(c, 'the pod network');
  for (const c of a.snapshot.cluster.serviceCIDRs ?? []) add(c, 'the service network');
  for (const n of a.nodes) for (const c of n.node.podCIDRs ?? []) add(c, `the pod CIDR of node ${n.name}`);
  const nc = a.snapshot.flannel?.netConf;
  if (nc) {
    const v = parseJsonText(nc).value;
    if (isObject(v) && typeof v['Network'] === 'string') add(v['Network'], "flannel's Network");
  }
  return out;
}

/** NADs some pod uses as its default network (`v1.multus-cni.io/default-network`): they *are* the pod network. */
function defaultNetworkNads(a: Analysis): Set<string> {
  const out = new Set<string>();
  for (const w of a.workloads) {
    const v = w.obj.podAnnotations?.[DEFAULT_NETWORK_ANNOTATION];
    if (!v) continue;
    for (const sel of parseNetworksAnnotation(v).selections) out.add(`${sel.namespace ?? w.namespace}/${sel.name}`);
  }
  return out;
}

/** Every address a node is known to own: status addresses and inspected interface addresses. */
function nodeAddresses(a: Analysis): Array<{ node: string; ip: { family: Family; value: bigint }; text: string }> {
  const out: Array<{ node: string; ip: { family: Family; value: bigint }; text: string }> = [];
  for (const n of a.nodes) {
    for (const ad of n.node.addresses ?? []) {
      const ip = parseIp(ad.address);
      if (ip) out.push({ node: n.name, ip, text: ad.address });
    }
    for (const i of interfacesOf(n) ?? []) {
      for (const ad of i.addresses ?? []) {
        const c = parseCidr(ad) ?? undefined;
        const ip = c ? { family: c.family, value: c.address } : parseIp(ad);
        if (ip) out.push({ node: n.name, ip, text: `${ad.split('/')[0]} (${i.name})` });
      }
    }
  }
  return out;
}

/**
 * A secondary network must not reuse the cluster's own address space: the connected route for
 * the NAD's subnet on net1 captures traffic meant for pods or services, and a pool that contains
 * a node's address will hand that address to a pod. Pool/route facts come from the NAD; cluster
 * facts only from a cluster snapshot (silent offline). Sharing the node LAN's subnet is normal for
 * macvlan and is not judged; only a pool that contains a node's own address is.
 */
export const nadIpamOverlapsCluster = defineCheck(
  {
    id: 'nad-ipam-overlaps-cluster',
    title: 'NAD range overlaps cluster networks',
    severity: 'error',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: "When a NAD's subnet overlaps the pod CIDR, the service CIDR or flannel's Network, the pod gets a connected route for it on net1 and traffic to other pods, ClusterIPs or DNS leaves through the wrong interface. When its pool contains a node's address, a pod can be given the node's IP. Pick a subnet outside the cluster's ranges and pool ranges that exclude the nodes and routers.",
  },
  (a) => {
    const meta = nadIpamOverlapsCluster.meta;
    const out: Finding[] = [];
    const nets = clusterNets(a);
    const addrs = nodeAddresses(a);
    if (nets.length === 0 && addrs.length === 0) return out;
    const primaries = defaultNetworkNads(a);
    for (const { nad, cfg } of judgeableNads(a)) {
      if (primaries.has(nad.key)) continue;
      for (const plugin of cfg.plugins) {
        if (!plugin.ipam) continue;
        const pools = readIpam(plugin.ipam, { cniVersion: cfg.cniVersion }).pools;
        for (const pool of pools) {
          const ev = ipamEvidence(nad, cfg, plugin, pool.path, pool.text);
          const hits = nets.filter((n) => cidrsOverlap(n.cidr, pool.subnet));
          if (hits.length) {
            const h = hits[0]!;
            out.push(
              finding(
                meta,
                nad.subject,
                `${pool.ipamType} ${pool.text} (${formatCidr(pool.subnet)}) overlaps ${h.what} ${formatCidr(h.cidr)}${hits.length > 1 ? ` and ${hits.length - 1} more cluster range${hits.length > 2 ? 's' : ''}` : ''}: pods get a route for it on the secondary interface and lose traffic meant for ${h.what.includes('service') ? 'services and DNS' : 'other pods'}.`,
                [ev, ...hits.slice(0, 3).map((x): Evidence => ({ label: x.what, value: formatCidr(x.cidr) }))],
                `Use a subnet outside ${hits.map((x) => formatCidr(x.cidr)).join(', ')}${a.distribution === 'k3s' ? ' (K3s defaults: pods 10.42.0.0/16, services 10.43.0.0/16)' : ''}, e.g. the LAN the master interface is on.`,
              ),
            );
            continue;
          }
          const taken = addrs.filter((x) =>
            pool.ranges.some((r) => r.family === x.ip.family && x.ip.value >= r.first && x.ip.value <= r.last),
          );
          if (taken.length) {
            out.push(
              finding(
                meta,
                nad.subject,
                `${pool.ipamType} ${pool.text} can hand out ${taken[0]!.text}, an address of node ${taken[0]!.node}${taken.length > 1 ? ` (and ${taken.length - 1} more node address${taken.length > 2 ? 'es' : ''})` : ''}: a pod given it breaks the node's connectivity.`,
                [
                  ev,
                  ...taken.slice(0, 5).map((t): Evidence => ({ node: t.node, label: 'node address', value: t.text })),
                ],
                pool.ipamType === 'whereabouts'
                  ? `Exclude the node addresses: \`"exclude": [${taken
                      .slice(0, 3)
                      .map((t) => `"${t.text.split(' ')[0]}/${t.ip.family === 4 ? 32 : 128}"`)
                      .join(', ')}]\`, or narrow range_start/range_end.`
                  : pool.ipamType === 'static'
                    ? 'Pick an address no node uses.'
                    : 'Narrow rangeStart/rangeEnd to a block your DHCP server and nodes do not use.',
              ),
            );
          }
        }
      }
    }
    return out;
  },
);
