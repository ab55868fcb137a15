import { defineCheck, type Evidence, type Finding } from '../types.js';
import { couldNotVerify, finding, listNames } from '../helpers.js';
import { flannelNetworksText, flannelState, netConfEvidence } from './lib/routing.js';
import { netConfFix, rebuiltNetConf } from './lib/fix.js';
import { cidrContains, formatCidr, parseCidr, supernet, type Cidr } from '../../model/cidr.js';
import { flannelNetwork } from '../../model/flannel.js';

/**
 * With --kube-subnet-mgr flannel takes each node's subnet from spec.podCIDR and refuses to start
 * when Network does not contain it ("subnet … specified in the flannel net config doesn't contain
 * … PodCIDR of the … node"). In etcd mode flannel leases its own subnets, so podCIDR is not used.
 */
export const flannelNetworkExcludesPodCidr = defineCheck(
  {
    id: 'flannel-network-excludes-pod-cidr',
    title: "flannel Network does not contain a node's pod CIDR",
    severity: 'error',
    category: 'flannel',
    scope: 'cluster',
    distributions: 'all',
    doc: "In kube-subnet-mgr mode (kube-flannel DaemonSet, K3s embedded flannel) each node's subnet is its spec.podCIDR, which the controller-manager carves from --cluster-cidr. Flannel refuses to start on a node whose podCIDR is outside its Network, typically after Network was edited by hand.",
  },
  (a) => {
    const fl = flannelState(a);
    const meta = flannelNetworkExcludesPodCidr.meta;
    if (!fl) {
      const err = a.errorsFor('flannel')[0];
      return err && a.snapshot.flannel
        ? [couldNotVerify(meta, { kind: 'FlannelConfig', name: a.snapshot.flannel.source }, err.message)]
        : [];
    }
    if (fl.mode === 'etcd' || fl.conf.problems.length) return [];
    const bad = new Map<string, { cidr: Cidr; nodes: string[] }>();
    for (const n of a.snapshot.nodes ?? []) {
      for (const text of n.podCIDRs ?? []) {
        const c = parseCidr(text);
        if (!c) continue;
        const net = flannelNetwork(fl.conf, c.family);
        if (!net || cidrContains(net, c)) continue;
        const e = bad.get(c.text) ?? { cidr: c, nodes: [] };
        e.nodes.push(n.name);
        bad.set(c.text, e);
      }
    }
    if (bad.size === 0) return [];
    const out: Finding[] = [];
    const netText = flannelNetworksText(fl);
    const all = [...bad.values()];
    const v4 = all.filter((x) => x.cidr.family === 4).map((x) => x.cidr);
    const wider = v4.length && fl.conf.network ? supernet([fl.conf.network, ...v4]) : undefined;
    const clusterCidr = (a.snapshot.cluster.podCIDRs ?? []).map(parseCidr).find((c) => c?.family === 4);
    const target = clusterCidr && v4.every((c) => cidrContains(clusterCidr, c)) ? clusterCidr : wider;
    const ev: Evidence[] = [
      netConfEvidence(fl, 'Network', `Network: ${netText}`),
      ...all.map((x) => ({ label: 'node podCIDR', value: `${x.cidr.text} (${listNames(x.nodes)})` })),
    ];
    const sure = fl.mode === 'kube-subnet-mgr';
    out.push(
      finding(
        meta,
        fl.subject,
        `Flannel's Network ${netText} does not contain the pod CIDR of ${listNames(all.flatMap((x) => x.nodes))} (${all.map((x) => x.cidr.text).join(', ')})${sure ? ': flannel refuses to start there' : ': with --kube-subnet-mgr flannel refuses to start there'}.`,
        ev,
        target
          ? `Make Network contain the cluster CIDR (${formatCidr(target)}).\n${netConfFix(a, fl, rebuiltNetConf(fl, { Network: formatCidr(target) }))}`
          : "Make Network contain every node's spec.podCIDR (the controller-manager's --cluster-cidr).",
        sure ? 'error' : 'warning',
      ),
    );
    return out;
  },
);
