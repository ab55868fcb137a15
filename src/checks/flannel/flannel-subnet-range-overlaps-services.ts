import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { flannelState, netConfEvidence, serviceCidrs } from './lib/routing.js';
import { netConfFix, rebuiltNetConf } from './lib/fix.js';
import { formatIp, rangesOverlap } from '../../model/cidr.js';
import { flannelNetwork, leaseRange } from '../../model/flannel.js';

/**
 * etcd mode: flannel leases node subnets itself from SubnetMin..SubnetMax of Network. After
 * widening Network over the service CIDR (the supernet recipe), those bounds must keep leases out
 * of it, or a node's pods get addresses that are also ClusterIPs.
 */
export const flannelSubnetRangeOverlapsServices = defineCheck(
  {
    id: 'flannel-subnet-range-overlaps-services',
    title: 'flannel (etcd mode) can lease node subnets inside the service CIDR',
    severity: 'error',
    category: 'flannel',
    scope: 'cluster',
    distributions: 'all',
    doc: 'When flannel runs with its own subnet leases (etcd mode) and Network was widened to include the service CIDR, SubnetMin and SubnetMax decide which part of Network node subnets come from. If that range reaches into the service CIDR, a node gets pod addresses that collide with ClusterIPs.',
  },
  (a) => {
    const fl = flannelState(a);
    if (!fl || fl.mode !== 'etcd' || fl.conf.problems.length) return [];
    const out: Finding[] = [];
    for (const svc of serviceCidrs(a) ?? []) {
      const net = flannelNetwork(fl.conf, svc.family);
      const lease = leaseRange(fl.conf, svc.family);
      if (!net || !lease || !rangesOverlap(lease, svc)) continue;
      const six = svc.family === 6 ? 'IPv6' : '';
      const size = 1n << BigInt((svc.family === 4 ? 32 : 128) - lease.subnetLen);
      // Keep the larger side of Network that does not touch the service CIDR.
      const below = svc.first - net.first;
      const above = net.last - svc.last;
      const changes: Record<string, string | number> =
        below >= above
          ? {
              [`${six}SubnetMin`]: formatIp(svc.family, lease.first < svc.first ? lease.first : net.first + size),
              [`${six}SubnetMax`]: formatIp(svc.family, ((svc.first - size) / size) * size),
            }
          : {
              [`${six}SubnetMin`]: formatIp(svc.family, ((svc.last + size) / size) * size),
              [`${six}SubnetMax`]: formatIp(svc.family, net.last + 1n - size),
            };
      const shown = `${formatIp(svc.family, lease.first)} – ${formatIp(svc.family, lease.last)}`;
      out.push(
        finding(
          flannelSubnetRangeOverlapsServices.meta,
          fl.subject,
          `Flannel runs in etcd mode and may lease node subnets from ${shown}, which overlaps the service CIDR ${svc.text}: pods on such a node would get ClusterIP addresses.`,
          [
            netConfEvidence(
              fl,
              `${six}SubnetMin`,
              `${six}SubnetMin: ${(svc.family === 4 ? fl.conf.subnetMin : fl.conf.ipv6SubnetMin) ?? '(default: second subnet of Network)'}`,
            ),
            netConfEvidence(
              fl,
              `${six}SubnetMax`,
              `${six}SubnetMax: ${(svc.family === 4 ? fl.conf.subnetMax : fl.conf.ipv6SubnetMax) ?? '(default: last subnet of Network)'}`,
            ),
            { label: 'service CIDR', value: svc.text },
          ],
          `Bound the leases to the pod part of Network (${Object.entries(changes)
            .map(([k, v]) => `${k} ${v}`)
            .join(
              ', ',
            )}):\n${netConfFix(a, fl, rebuiltNetConf(fl, changes))}\nNodes that already hold a lease inside ${svc.text} keep it until it expires: check \`ip -4 addr show flannel.1\` on each node.`,
        ),
      );
    }
    return out;
  },
);
