import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { locate, isUnrendered } from '../../model/cni-config.js';
import { nadRouteView, servicesOutsideFlannel } from '../flannel/lib/routing.js';

/**
 * A NAD that installs a default route gives the pod two: eth0's and this one. In the lab
 * (healthy-dhcp-mac) dhcp IPAM put `default via 192.168.77.1 dev net1` ahead of eth0's, so
 * everything not covered by a more specific route — the service CIDR included when flannel's
 * Network does not contain it — leaves through net1. Chaining sbr/vrf keeps the route out of the
 * main table. When flannel's route is known to cover services, the route is only worth knowing.
 */
export const nadDefaultRoute = defineCheck(
  {
    id: 'nad-default-route',
    title: 'NAD installs a default route that competes with eth0',
    severity: 'warning',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'A NAD whose IPAM routes 0.0.0.0/0 (or ::/0), a dhcp IPAM whose server hands out a router, or a bridge with isDefaultGateway adds a second default route in the pod. Traffic that no specific route covers, including cluster DNS and ClusterIP services on flannel clusters, then leaves through the secondary interface.',
  },
  (a) => {
    const out: Finding[] = [];
    const meta = nadDefaultRoute.meta;
    const outside = a.offline ? undefined : servicesOutsideFlannel(a);
    const covered = outside !== undefined && outside.length === 0;
    for (const nad of a.nads) {
      const cfg = nad.config;
      if (!cfg?.ok) continue;
      const v = nadRouteView(a, nad);
      for (const r of v.effective) {
        if (isUnrendered(r.value)) continue;
        const ev = [nad.at(locate(cfg.parsed, r.path), r.value)];
        const dhcp = r.source === 'dhcp-router';
        const what =
          r.source === 'ipam-route'
            ? `routes ${r.value} through its interface`
            : r.source === 'bridge-default-gateway'
              ? 'sets isDefaultGateway on its bridge, which adds a default route via the bridge'
              : v.dhcpRouterSeen
                ? "uses dhcp IPAM and the DHCP server hands out a router (seen in a pod's network-status), so the pod gets a default route via it"
                : 'uses dhcp IPAM: when the DHCP server hands out a router (most LAN servers do) the pod gets a default route via it';
        const consequence = covered
          ? `flannel's Network covers the service CIDR, so cluster DNS and services still go through eth0; everything else leaves through this network.`
          : 'DNS and ClusterIP services are then reached through this network unless a more specific route via eth0 covers the service CIDR (on flannel: its Network must contain it).';
        out.push(
          finding(
            meta,
            nad.subject,
            `NAD ${nad.key} ${what}, competing with eth0's default route: ${consequence}`,
            ev,
            [
              r.source === 'ipam-route'
                ? "If the pod only needs this network's subnets, replace the 0.0.0.0/0 entry with routes to those subnets, or"
                : dhcp
                  ? 'If the pod only needs the LAN itself, keep the default route on eth0 —'
                  : 'Drop isDefaultGateway unless the pod should send all traffic through the bridge, or',
              `chain {"type": "sbr"} after ${cfg.main?.type ?? 'the main plugin'} (a conflist: "plugins": [ {...}, {"type": "sbr"} ]): it keeps ${dhcp ? 'the DHCP default route' : 'the route'}, but only for traffic from this interface's address.`,
              covered
                ? ''
                : "If the default route should really move, widen flannel's Network to a supernet of pod and service CIDR first (`kubectl multus explain flannel-network-excludes-service-cidr`).",
            ]
              .filter(Boolean)
              .join('\n'),
            covered ? 'info' : 'warning',
          ),
        );
      }
    }
    return out;
  },
);
