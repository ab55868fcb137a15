import { defineCheck, type Evidence, type Finding } from '../types.js';
import { couldNotVerify, finding } from '../helpers.js';
import {
  defaultRouteMovers,
  flannelNetworksText,
  flannelState,
  netConfEvidence,
  serviceCidrs,
  servicesOutsideFlannel,
  type FlannelState,
} from './lib/routing.js';
import { netConfFix, rebuiltNetConf } from './lib/fix.js';
import { formatCidr, formatIp, supernet, type Cidr, type Family } from '../../model/cidr.js';
import { effectiveSubnetLen, flannelNetwork } from '../../model/flannel.js';

/** New net-conf keys: Network ⊇ pod + service CIDR; in etcd mode leases confined to the old Network. */
function widened(
  fl: FlannelState,
  outside: Cidr[],
): { changes: Record<string, string | number | undefined>; wide: Cidr[]; notes: string[] } {
  const changes: Record<string, string | number | undefined> = {};
  const wide: Cidr[] = [];
  const notes: string[] = [];
  for (const family of [4, 6] as Family[]) {
    const net = flannelNetwork(fl.conf, family);
    const svc = outside.filter((c) => c.family === family);
    if (!net || svc.length === 0) continue;
    const s = supernet([net, ...svc]);
    if (!s) continue;
    wide.push(s);
    const six = family === 6 ? 'IPv6' : '';
    changes[family === 4 ? 'Network' : 'IPv6Network'] = formatCidr(s);
    if (s.prefix < Math.min(net.prefix, ...svc.map((c) => c.prefix)) - 3) {
      notes.push(
        `${formatCidr(s)} is much larger than the two ranges together: every address in it is routed via eth0, so make sure no network the pod reaches through a secondary interface falls inside it.`,
      );
    }
    if (fl.mode === 'etcd') {
      // Leases must stay in the old pod range, out of the service part of the wider Network.
      const len = effectiveSubnetLen(fl.conf, family)!;
      const width = family === 4 ? 32 : 128;
      const size = 1n << BigInt(width - len);
      // Pin the length: its default depends on the size of Network, which is changing.
      changes[`${six}SubnetLen`] = len;
      changes[`${six}SubnetMin`] = formatIp(family, net.first === s.first ? net.first + size : net.first);
      changes[`${six}SubnetMax`] = formatIp(family, net.last + 1n - size);
    }
  }
  return { changes, wide, notes };
}

/**
 * Flannel's CNI plugin routes only its Network via eth0; the service CIDR is reached through the
 * default route. While that stays on eth0 all is well; once a NAD or a selection element moves
 * it to net1, DNS and ClusterIPs leave through the LAN (research #77, seed 001).
 */
export const flannelNetworkExcludesServiceCidr = defineCheck(
  {
    id: 'flannel-network-excludes-service-cidr',
    title: 'flannel Network does not cover the service CIDR',
    severity: 'warning',
    category: 'flannel',
    scope: 'cluster',
    distributions: 'all',
    doc: 'Inside a pod, flannel routes only its Network (the pod CIDR) via eth0; the service CIDR is reached through the default route. When a secondary network takes the default route (default-route in the annotation, a 0.0.0.0/0 IPAM route, DHCP with a router), cluster DNS and ClusterIP services leave through that network and stop working.',
  },
  (a) => {
    const meta = flannelNetworkExcludesServiceCidr.meta;
    const fl = flannelState(a);
    if (!fl) {
      // Flannel seen but its net-conf.json not read: only worth saying when something moves the default route.
      const f = a.snapshot.flannel;
      const err = a.errorsFor('flannel')[0];
      if (!f || (!err && defaultRouteMovers(a).length === 0)) return [];
      return [
        couldNotVerify(
          meta,
          { kind: 'FlannelConfig', name: f.source },
          err
            ? err.message
            : `flannel's net-conf.json was not read (${f.source}), so whether its route covers the service CIDR is unknown.`,
        ),
      ];
    }
    if (fl.conf.problems.length) return [];
    if (serviceCidrs(a) === undefined) {
      const err = a.errorsFor('service-cidr')[0];
      if (!err) return [];
      // Without anything taking the default route the verdict is info at most: the gap does not
      // make the run incomplete. With a mover it would be a warning or an error: it does.
      const movers = defaultRouteMovers(a);
      const f = couldNotVerify(
        meta,
        fl.subject,
        `the service CIDR is unknown (${err.message})${movers.length ? `, and ${movers[0]!.what}` : ''}.`,
        "Find the range with `kubectl cluster-info dump | grep -m1 service-cluster-ip-range` (or `kubectl get svc kubernetes -o jsonpath={.spec.clusterIP}`, its first address) and compare it with flannel's Network.",
      );
      if (movers.length) f.needs = ['service-cidr'];
      return [f];
    }
    const outside = servicesOutsideFlannel(a, fl) ?? [];
    if (outside.length === 0) return [];
    const movers = defaultRouteMovers(a);
    const certain = movers.filter((m) => m.certain);
    const maybe = movers.filter((m) => !m.certain);
    // Only the kubernetes Service's ClusterIP is known: the first address of the range, not the range.
    // (Older snapshots used this source name with a whole range: only host prefixes mean "first address".)
    const partial =
      a.snapshot.cluster.serviceCIDRSource === 'kubernetes-service' &&
      (a.snapshot.cluster.serviceCIDRs ?? []).every((c) => /\/(32|128)$/.test(c));
    const svcText = partial
      ? `${outside.map((c) => c.text.replace(/\/(32|128)$/, '')).join(', ')} (the kubernetes Service's ClusterIP, the first address of the service range; the range itself could not be read)`
      : outside.map((c) => c.text).join(', ');
    const netText = flannelNetworksText(fl);
    let message = `Flannel's Network ${netText} does not contain ${partial ? 'the service network: not even' : 'the service CIDR'} ${svcText}, so pods reach services through their default route, not through flannel's route via eth0`;
    if (certain.length)
      message += `; ${certain
        .slice(0, 3)
        .map((m) => m.what)
        .join(
          '; ',
        )}${certain.length > 3 ? ` (and ${certain.length - 3} more)` : ''}: in those pods cluster DNS and ClusterIP services leave through the secondary interface.`;
    else if (maybe.length)
      message += `; ${maybe[0]!.what}${maybe.length > 1 ? ` (and ${maybe.length - 1} more)` : ''}, which would send DNS and services out of the secondary interface.`;
    else
      message +=
        ': any attachment that takes the default route (default-route, a 0.0.0.0/0 route, DHCP with a router) breaks cluster DNS and services in that pod.';
    const { changes, wide, notes } = widened(fl, outside);
    const ev: Evidence[] = [
      netConfEvidence(fl, 'Network', `Network: ${netText}`),
      {
        label: `service CIDR${a.snapshot.cluster.serviceCIDRSource ? ` (from ${a.snapshot.cluster.serviceCIDRSource}${a.snapshot.cluster.serviceCIDRWhere ? `: ${a.snapshot.cluster.serviceCIDRWhere}` : ''})` : ''}`,
        value: svcText,
      },
      ...[...certain, ...maybe].slice(0, 3).map((m) => m.evidence),
    ];
    const k3sNote = fl.embedded ? ` (K3s defaults: 10.42.0.0/16 + 10.43.0.0/16 → 10.42.0.0/15)` : '';
    const modeNote =
      fl.mode === 'etcd'
        ? 'In etcd mode flannel leases node subnets from the whole Network, so SubnetMin/SubnetMax keep them in the old pod range.'
        : "With --kube-subnet-mgr node subnets still come from the controller-manager's --cluster-cidr, so widening Network does not hand out service addresses (SubnetMin/SubnetMax are not needed and are ignored).";
    const fix = partial
      ? `Find the service range (\`kubectl cluster-info dump | grep -m1 service-cluster-ip-range\`, or the kube-apiserver's --service-cluster-ip-range), then widen Network to a supernet of pod and service CIDR${k3sNote}. ${modeNote}\nOr keep the default route on eth0: drop default-route / 0.0.0.0/0 routes and route only the LAN subnets through the secondary interface (or chain the sbr plugin).`
      : wide.length
        ? [
            `Widen Network to ${wide.map(formatCidr).join(' / ')}, a supernet of pod and service CIDR${k3sNote}. ${modeNote}`,
            netConfFix(a, fl, rebuiltNetConf(fl, changes)),
            ...notes,
            'Or keep the default route on eth0: drop default-route / 0.0.0.0/0 routes and route only the LAN subnets through the secondary interface (or chain the sbr plugin).',
          ].join('\n')
        : 'Widen Network to a supernet of pod and service CIDR, or keep the default route on eth0.';
    // Latent until something takes the default route: info then (K3s and kube-flannel defaults
    // all look like this, and they work), a warning when a DHCP attachment may, an error when one does.
    const severity = certain.length ? 'error' : maybe.length ? 'warning' : 'info';
    const out: Finding[] = [finding(meta, fl.subject, message, ev, fix, severity)];
    return out;
  },
);
