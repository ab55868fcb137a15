/**
 * Does an attachment install a default route in the pod, next to (and competing with) eth0's?
 *
 * Three ways a NAD does it: an IPAM `routes` entry for 0.0.0.0/0 or ::/0; the dhcp IPAM, which
 * turns the server's router option into a default route (lab capture healthy-dhcp-mac: `default
 * via 192.168.77.1 dev net1` listed before eth0's); and bridge `isDefaultGateway`. A pod moves it
 * explicitly with the selection element's `default-route`. Chaining `sbr` or `vrf` moves the
 * interface's routes out of the main table, and route-override can drop them, so those chains
 * do not compete.
 */
import { isObject, str, type CniConfig, type JsonValue } from './cni-config.js';
import { parseCidr, parseIp, type Family } from './cidr.js';
import type { NetworkSelection } from './networks-annotation.js';

interface DefaultRoute {
  source: 'ipam-route' | 'dhcp-router' | 'bridge-default-gateway';
  family?: Family;
  /** JSON path of the key inside the NAD config, for evidence. */
  path: Array<string | number>;
  /** What to show as evidence (`0.0.0.0/0 via 192.168.1.1`, `ipam.type: dhcp`). */
  value: string;
  gw?: string;
  /** True when it depends on something we cannot see (a DHCP server handing out a router). */
  conditional: boolean;
}

export interface NadRoutes {
  routes: DefaultRoute[];
  /** A chained plugin that keeps those routes out of the main table (sbr, vrf, route-override). */
  neutralizedBy?: { type: string; index: number };
}

/** Is this route destination a default route (0.0.0.0/0 or ::/0)? */
export function isDefaultDestination(dst: string): Family | undefined {
  const c = parseCidr(dst);
  return c && c.prefix === 0 ? c.family : undefined;
}

function neutralizer(cfg: CniConfig): NadRoutes['neutralizedBy'] {
  for (const p of cfg.plugins) {
    if (p.type === 'sbr' || p.type === 'vrf') return { type: p.type, index: p.index };
    if (p.type === 'route-override') {
      const r = p.raw;
      const dels = Array.isArray(r['delroutes']) ? (r['delroutes'] as JsonValue[]) : [];
      const delsDefault = dels.some(
        (d) => isObject(d) && typeof d['dst'] === 'string' && isDefaultDestination(d['dst']) !== undefined,
      );
      if (r['flushroutes'] === true || r['flushgateway'] === true || delsDefault)
        return { type: p.type, index: p.index };
    }
  }
  return undefined;
}

/** Default routes a NAD config installs in the pod's main routing table. */
export function nadDefaultRoutes(cfg: CniConfig | undefined): NadRoutes {
  const out: NadRoutes = { routes: [] };
  if (!cfg?.ok) return out;
  for (const p of cfg.plugins) {
    if (p.type === 'bridge' && p.raw['isDefaultGateway'] === true) {
      out.routes.push({
        source: 'bridge-default-gateway',
        path: [...p.path, 'isDefaultGateway'],
        value: 'isDefaultGateway: true',
        conditional: false,
      });
    }
    const ipam = p.ipam;
    if (!ipam) continue;
    if (p.ipamType === 'dhcp') {
      out.routes.push({
        source: 'dhcp-router',
        path: [...p.path, 'ipam', 'type'],
        value: 'ipam.type: dhcp',
        conditional: true,
      });
    }
    const routes = Array.isArray(ipam['routes']) ? (ipam['routes'] as JsonValue[]) : [];
    routes.forEach((r, i) => {
      if (!isObject(r)) return;
      const dst = str(r['dst']);
      if (dst === undefined) return;
      const family = isDefaultDestination(dst);
      if (family === undefined) return;
      // A route with its own table (CNI spec 1.1) does not touch the main table.
      if (r['table'] !== undefined && r['table'] !== 254 && r['table'] !== 0) return;
      const gw = str(r['gw']);
      out.routes.push({
        source: 'ipam-route',
        family,
        path: [...p.path, 'ipam', 'routes', i, 'dst'],
        value: gw ? `${dst} via ${gw}` : dst,
        gw,
        conditional: false,
      });
    });
  }
  if (out.routes.length) out.neutralizedBy = neutralizer(cfg);
  return out;
}

/** Gateways a selection element asks multus to make the pod's default route, with their family. */
export function selectionDefaultRoutes(sel: NetworkSelection): Array<{ gw: string; family?: Family }> {
  return (sel.defaultRoute ?? []).map((gw) => ({ gw, family: parseIp(gw)?.family }));
}

/** A gateway string from network-status that is a real address (multus writes "<nil>" for none). */
export function isRealGateway(gw: string): boolean {
  return parseIp(gw) !== undefined;
}
