import { defineCheck } from '../types.js';
import { finding } from '../helpers.js';
import { flannelState, netConfEvidence } from './lib/routing.js';

/**
 * With --kube-subnet-mgr, flannel takes node subnets from spec.podCIDR and never applies
 * SubnetMin/SubnetMax/SubnetLen (CheckNetworkConfig runs only in the etcd subnet manager). People
 * copy the etcd-mode "SubnetMax trick" into kube-flannel and believe it protects the service range.
 */
export const flannelSubnetLimitsIgnored = defineCheck(
  {
    id: 'flannel-subnet-limits-ignored',
    title: 'SubnetMin/SubnetMax are set but ignored (kube-subnet-mgr mode)',
    severity: 'info',
    category: 'flannel',
    scope: 'cluster',
    distributions: 'all',
    doc: "In kube-subnet-mgr mode (the kube-flannel DaemonSet, K3s embedded flannel) node subnets are the nodes' spec.podCIDR from the controller-manager's --cluster-cidr; SubnetMin, SubnetMax and SubnetLen in net-conf.json have no effect. Keeping node subnets out of the service range is the cluster CIDR's job.",
  },
  (a) => {
    const fl = flannelState(a);
    if (!fl || fl.mode !== 'kube-subnet-mgr' || fl.conf.problems.length) return [];
    const c = fl.conf;
    const set: Array<[string, string | number]> = [];
    for (const [k, v] of [
      ['SubnetMin', c.subnetMin],
      ['SubnetMax', c.subnetMax],
      ['SubnetLen', c.subnetLen],
      ['IPv6SubnetMin', c.ipv6SubnetMin],
      ['IPv6SubnetMax', c.ipv6SubnetMax],
      ['IPv6SubnetLen', c.ipv6SubnetLen],
    ] as Array<[string, string | number | undefined]>) {
      if (v !== undefined) set.push([k, v]);
    }
    if (set.length === 0) return [];
    const cidr = a.snapshot.cluster.podCIDRs?.join(', ');
    return [
      finding(
        flannelSubnetLimitsIgnored.meta,
        fl.subject,
        `${set.map(([k]) => k).join(', ')} ${set.length === 1 ? 'is' : 'are'} set in net-conf.json, but flannel runs with --kube-subnet-mgr and ignores ${set.length === 1 ? 'it' : 'them'}: node subnets come from each node's spec.podCIDR${cidr ? ` (cluster CIDR ${cidr})` : ''}.`,
        set.map(([k, v]) => netConfEvidence(fl, k, `${k}: ${v}`)),
        `Nothing to do for pod addressing: the controller-manager's --cluster-cidr${fl.embedded ? ' (K3s: --cluster-cidr, default 10.42.0.0/16)' : ''} keeps node subnets out of the service range even when Network is a wider supernet. You may remove the keys to avoid confusion.`,
      ),
    ];
  },
);
