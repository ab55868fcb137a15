/**
 * Who moves a pod's default route off eth0, and whether flannel's eth0 route still covers the
 * service CIDR. Shared by nad-default-route and the flannel checks.
 */
import type { Analysis, NadView } from '../../analysis.js';
import type { Evidence, Subject } from '../../types.js';
import { locate } from '../../../model/cni-config.js';
import { cidrContains, parseCidr, type Cidr } from '../../../model/cidr.js';
import { parseFlannelNetConf, flannelNetwork, type FlannelNetConf } from '../../../model/flannel.js';
import { isRealGateway, nadDefaultRoutes, selectionDefaultRoutes, type NadRoutes } from '../../../model/routes.js';
import { judgedWorkloads, resolveSelections } from '../../pod/lib/common.js';
import { podNetworkStatus, statusNameMatches } from '../../../model/network-status.js';

interface NadRouteView extends NadRoutes {
  /**
   * For dhcp: did a running pod's network-status show a router (true), show attachments without
   * one (false), or is there no such pod (undefined)?
   */
  dhcpRouterSeen?: boolean;
  /** Routes that really land in the pod's main table (neutralized chains excluded). */
  effective: NadRoutes['routes'];
}

export function nadRouteView(a: Analysis, nad: NadView): NadRouteView {
  const r = nadDefaultRoutes(nad.config);
  const view: NadRouteView = { ...r, effective: r.neutralizedBy ? [] : r.routes };
  if (!r.routes.some((x) => x.source === 'dhcp-router')) return view;
  let seen: boolean | undefined;
  for (const w of a.workloads) {
    if (w.obj.kind !== 'Pod' || w.obj.phase !== 'Running') continue;
    const st = podNetworkStatus({ ...(w.obj.annotations ?? {}), ...w.obj.podAnnotations });
    for (const e of st?.entries ?? []) {
      if (e.default || !statusNameMatches(e.name, nad.namespace, nad.name)) continue;
      if ((e.gateway ?? []).some(isRealGateway)) seen = true;
      else if (seen === undefined) seen = false;
    }
  }
  view.dhcpRouterSeen = seen;
  if (seen === false) view.effective = view.effective.filter((x) => x.source !== 'dhcp-router');
  return view;
}

interface DefaultRouteMover {
  subject: Subject;
  evidence: Evidence;
  /** One phrase: `NAD default/lan routes 0.0.0.0/0 via 192.168.1.1`. */
  what: string;
  /** False when it depends on a DHCP server handing out a router that we did not observe. */
  certain: boolean;
}

/** Attachments in use that put a default route on a secondary interface. */
export function defaultRouteMovers(a: Analysis): DefaultRouteMover[] {
  const out: DefaultRouteMover[] = [];
  const views = new Map<string, NadRouteView>();
  const seenNad = new Set<string>();
  for (const w of judgedWorkloads(a)) {
    for (const r of resolveSelections(a, w)) {
      const gws = selectionDefaultRoutes(r.sel);
      if (gws.length) {
        out.push({
          subject: w.subject,
          evidence: w.annotationEvidence(),
          what: `${w.subject.kind} ${w.namespace}/${w.subject.name} sets default-route ${gws.map((g) => g.gw).join(', ')} on "${r.sel.name}"`,
          certain: true,
        });
      }
      if (!r.nad || seenNad.has(r.key)) continue;
      seenNad.add(r.key);
      const v = views.get(r.key) ?? nadRouteView(a, r.nad);
      views.set(r.key, v);
      for (const x of v.effective) {
        const certain = x.source !== 'dhcp-router' || v.dhcpRouterSeen === true;
        out.push({
          subject: r.nad.subject,
          evidence: r.nad.at(r.nad.config ? locate(r.nad.config.parsed, x.path) : undefined, x.value),
          what:
            x.source === 'dhcp-router'
              ? `NAD ${r.key} uses dhcp IPAM${v.dhcpRouterSeen ? ' and its server hands out a router' : ' (a default route whenever the DHCP server hands out a router)'}`
              : `NAD ${r.key} installs ${x.value}`,
          certain,
        });
      }
    }
  }
  return out;
}

export interface FlannelState {
  conf: FlannelNetConf;
  /** Subject for findings about flannel's configuration. */
  subject: Subject;
  /** Where net-conf.json came from, for evidence. */
  source: string;
  mode: 'kube-subnet-mgr' | 'etcd' | 'unknown';
  embedded: boolean;
  configMap?: { namespace: string; name: string };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The flannel configuration in the snapshot, parsed; undefined when flannel was not seen. */
export function flannelState(a: Analysis): FlannelState | undefined {
  const f = a.snapshot.flannel;
  if (!f?.netConf) return undefined;
  const conf = parseFlannelNetConf(f.netConf);
  const m = /configmap\s+([^/\s]+)\/(\S+)/i.exec(f.source);
  const configMap = m && DNS_LABEL.test(m[1]!) && DNS_LABEL.test(m[2]!) ? { namespace: m[1]!, name: m[2]! } : undefined;
  const embedded = f.embedded ?? (a.distribution === 'k3s' && !configMap);
  const subject: Subject = configMap
    ? { kind: 'ConfigMap', name: configMap.name, namespace: configMap.namespace }
    : { kind: 'FlannelConfig', name: f.source };
  return { conf, subject, source: f.source, mode: f.mode, embedded, configMap };
}

export function serviceCidrs(a: Analysis): Cidr[] | undefined {
  const s = a.snapshot.cluster.serviceCIDRs;
  return s?.map(parseCidr).filter((c): c is Cidr => c !== undefined);
}

/** Service CIDRs that flannel's Network (eth0 route) does not cover; undefined when unknown. */
export function servicesOutsideFlannel(
  a: Analysis,
  fl: FlannelState | undefined = flannelState(a),
): Cidr[] | undefined {
  const svc = serviceCidrs(a);
  if (!fl || !svc || svc.length === 0) return undefined;
  return svc.filter((c) => {
    const net = flannelNetwork(fl.conf, c.family);
    return net !== undefined && !cidrContains(net, c);
  });
}

/** Evidence pointing at a key of net-conf.json (line:column inside the file or ConfigMap value). */
export function netConfEvidence(fl: FlannelState, key: string, value: string): Evidence {
  const p = locate(fl.conf.parsed, [key]);
  return { path: fl.source, ...(p ? { line: p.line, column: p.column } : {}), value, label: 'net-conf.json' };
}

/** `10.42.0.0/16` or `10.42.0.0/16 + fd00::/56` for messages. */
export function flannelNetworksText(fl: FlannelState): string {
  return [flannelNetwork(fl.conf, 4), flannelNetwork(fl.conf, 6)]
    .filter((c): c is Cidr => c !== undefined)
    .map((c) => c.text)
    .join(' + ');
}
