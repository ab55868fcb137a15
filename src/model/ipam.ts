/**
 * Reads the address pools out of a CNI `ipam` section the way each IPAM plugin does, and reports
 * what the plugin would reject (with the plugin's own words where they are known):
 *  - host-local: `ranges` (a list of range sets) and/or the legacy top-level `subnet`,
 *    `rangeStart`, `rangeEnd`, `gateway` (plugins/ipam/host-local/backend/allocator);
 *  - static: `addresses[].address` (CIDR) and `gateway`;
 *  - whereabouts: `range` (CIDR or `start-end/len`), `range_start`, `range_end`, `exclude`,
 *    `ipRanges[]` (whereabouts pkg/config, pkg/allocate).
 * Keys are read as Go does (case-insensitively, see go-json.ts). Values with `${VAR}` are skipped.
 * Paths in the result are relative to the `ipam` object, for `locate()`.
 */
import { isObject, isUnrendered, compareVersions, type JsonObject, type JsonValue } from './cni-config.js';
import { parseCidr, parseIp, formatCidr, formatIp, type Cidr, type Family } from './cidr.js';
import { goGet, goKey } from './go-json.js';

type JsonPath = Array<string | number>;

export interface IpRange {
  family: Family;
  first: bigint;
  last: bigint;
}

export interface IpamPool {
  ipamType: 'host-local' | 'static' | 'whereabouts';
  /** Where the pool is defined, relative to `ipam`. */
  path: JsonPath;
  /** The defining value as written (subnet, address or range). */
  text: string;
  /** The network the addresses live in (the connected route the interface gets). */
  subnet: Cidr;
  /** Addresses the plugin can hand out, inclusive, after exclusions. Empty = none. */
  ranges: IpRange[];
}

export interface IpamIssue {
  /** `gateway-outside` is decided by the caller: it only breaks when a route uses that gateway. */
  severity: 'error' | 'warning' | 'gateway-outside';
  path: JsonPath;
  value: string;
  message: string;
}

interface IpamView {
  type?: string;
  pools: IpamPool[];
  issues: IpamIssue[];
  /** `routes` entries without their own `gw`: those are installed via the range/address gateway. */
  routesUsingGateway: number;
}

interface IpamOptions {
  cniVersion?: string;
  /** The plugin declares `capabilities.ipRanges` (the runtime may supply host-local ranges). */
  ipRangesCapability?: boolean;
  /**
   * Some plugins fill the IPAM section in before calling it (antrea, flannel and other primary CNIs
   * inject the node's pod CIDR into `{"type": "host-local"}`): then missing ranges are not an error.
   */
  rangesMayBeInjected?: boolean;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

/** Whereabouts parses with k8s `ParseIPSloppy`, which accepts leading zeros in IPv4 octets. */
function sloppy(text: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(\/\d+)?$/.exec(text.trim());
  if (!m) return text.trim();
  return `${[m[1], m[2], m[3], m[4]].map((o) => String(parseInt(o!, 10))).join('.')}${m[5] ?? ''}`;
}

function show(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : JSON.stringify(v ?? null);
}

/** Remove the excluded blocks from a list of ranges. */
function subtractRanges(ranges: IpRange[], excl: Array<{ family: Family; first: bigint; last: bigint }>): IpRange[] {
  let out = ranges;
  for (const e of excl) {
    const next: IpRange[] = [];
    for (const r of out) {
      if (r.family !== e.family || e.last < r.first || e.first > r.last) {
        next.push(r);
        continue;
      }
      if (e.first > r.first) next.push({ family: r.family, first: r.first, last: e.first - 1n });
      if (e.last < r.last) next.push({ family: r.family, first: e.last + 1n, last: r.last });
    }
    out = next;
  }
  return out;
}

/** The overlapping part of two range lists (same family), or [] when they do not meet. */
export function intersectRanges(a: IpRange[], b: IpRange[]): IpRange[] {
  const out: IpRange[] = [];
  for (const x of a) {
    for (const y of b) {
      if (x.family !== y.family) continue;
      const first = x.first > y.first ? x.first : y.first;
      const last = x.last < y.last ? x.last : y.last;
      if (first <= last) out.push({ family: x.family, first, last });
    }
  }
  return out;
}

export function formatRange(r: IpRange): string {
  return r.first === r.last
    ? formatIp(r.family, r.first)
    : `${formatIp(r.family, r.first)}-${formatIp(r.family, r.last)}`;
}

function singleVersionPerFamily(cniVersion: string | undefined): boolean {
  return (
    typeof cniVersion === 'string' && /^\d+\.\d+\.\d+$/.test(cniVersion) && compareVersions(cniVersion, '0.3.0') < 0
  );
}

class Reader {
  readonly view: IpamView;
  constructor(
    readonly ipam: JsonObject,
    readonly opts: IpamOptions,
  ) {
    this.view = {
      type: typeof ipam['type'] === 'string' ? ipam['type'] : undefined,
      pools: [],
      issues: [],
      routesUsingGateway: 0,
    };
  }

  issue(severity: IpamIssue['severity'], path: JsonPath, value: JsonValue | undefined, message: string): void {
    this.view.issues.push({ severity, path, value: show(value), message });
  }

  /** A CIDR-typed field; undefined when absent, unrendered, or invalid (then an issue is recorded). */
  cidr(
    obj: JsonObject,
    field: string,
    base: JsonPath,
    o: { sloppy?: boolean; what: string },
  ): { cidr: Cidr; path: JsonPath } | undefined {
    const key = goKey(obj, field);
    if (key === undefined) return undefined;
    const v = obj[key];
    const path = [...base, key];
    if (isUnrendered(v)) return undefined;
    const c = typeof v === 'string' ? parseCidr(o.sloppy ? sloppy(v) : v) : undefined;
    if (!c) {
      this.issue('error', path, v, `${o.what} ${show(v)} is not a valid CIDR (address/prefix, e.g. 192.168.1.0/24)`);
      return undefined;
    }
    return { cidr: c, path };
  }

  /** An IP-typed field (Go net.IP): invalid text makes the whole config fail to decode. */
  ip(
    obj: JsonObject,
    field: string,
    base: JsonPath,
    o: { sloppy?: boolean; what: string },
  ): { ip: { family: Family; value: bigint }; text: string; path: JsonPath } | undefined {
    const key = goKey(obj, field);
    if (key === undefined) return undefined;
    const v = obj[key];
    const path = [...base, key];
    if (isUnrendered(v) || v === '' || v === null) return undefined;
    const ip = typeof v === 'string' ? parseIp(o.sloppy ? sloppy(v) : v) : undefined;
    if (!ip) {
      this.issue('error', path, v, `${o.what} ${show(v)} is not a valid IP address`);
      return undefined;
    }
    return { ip, text: v as string, path };
  }

  routes(): void {
    const key = goKey(this.ipam, 'routes');
    if (key === undefined) return;
    const routes = this.ipam[key];
    if (routes === null) return;
    if (!Array.isArray(routes)) {
      this.issue('error', [key], routes, '`routes` must be a list of {"dst": CIDR, "gw": IP} objects');
      return;
    }
    routes.forEach((r, i) => {
      const base = [key, i];
      if (!isObject(r)) {
        this.issue('error', base, r, `routes[${i}] must be an object {"dst": CIDR, "gw": IP}`);
        return;
      }
      const dst = goGet(r, 'dst');
      if (dst === undefined) this.issue('error', base, r, `routes[${i}] has no "dst"`);
      else this.cidr(r, 'dst', base, { what: `routes[${i}].dst` });
      const gw = this.ip(r, 'gw', base, { what: `routes[${i}].gw` });
      if (!gw && goGet(r, 'gw') === undefined) this.view.routesUsingGateway++;
    });
  }

  /** Gateway inside the network? Outside, a route through it cannot be installed. */
  gatewayIn(
    net: Cidr,
    gw: { ip: { family: Family; value: bigint }; text: string; path: JsonPath } | undefined,
    where: string,
  ): void {
    // 0.0.0.0 / :: is written as "no gateway" (e.g. DPDK host-device NADs): nothing to judge.
    if (!gw || gw.ip.value === 0n) return;
    if (gw.ip.family !== net.family || gw.ip.value < net.first || gw.ip.value > net.last) {
      this.issue('gateway-outside', gw.path, gw.text, `gateway ${gw.text} is outside ${where}`);
    }
  }

  hostLocal(): void {
    const sets: Array<{ ranges: Array<{ obj: JsonObject; path: JsonPath }>; path: JsonPath }> = [];
    const subnetKey = goKey(this.ipam, 'subnet');
    const legacy = subnetKey !== undefined && this.ipam[subnetKey] !== '' && this.ipam[subnetKey] !== null;
    if (legacy) sets.push({ ranges: [{ obj: this.ipam, path: [] }], path: [subnetKey] });
    const rangesKey = goKey(this.ipam, 'ranges');
    const raw = rangesKey !== undefined ? this.ipam[rangesKey] : undefined;
    let badShape = false;
    if (rangesKey !== undefined && raw !== null && raw !== undefined) {
      if (!Array.isArray(raw)) {
        badShape = true;
        this.issue(
          'error',
          [rangesKey],
          raw,
          '`ranges` must be a list of range sets, each a list of {"subnet": …} objects: [[{"subnet": "…"}]]',
        );
      } else {
        raw.forEach((set, i) => {
          const spath = [rangesKey, i];
          if (!Array.isArray(set)) {
            badShape = true;
            this.issue(
              'error',
              spath,
              set,
              `ranges[${i}] is ${isObject(set) ? 'an object' : 'not a list'}: host-local's "ranges" is a list of range sets, so one range is written [[{"subnet": "…"}]]`,
            );
            return;
          }
          if (set.length === 0) {
            badShape = true;
            this.issue('error', spath, set, `ranges[${i}] is an empty range set`);
            return;
          }
          const rs: Array<{ obj: JsonObject; path: JsonPath }> = [];
          set.forEach((r, j) => {
            if (isObject(r)) rs.push({ obj: r, path: [...spath, j] });
            else this.issue('error', [...spath, j], r, `ranges[${i}][${j}] must be an object {"subnet": …}`);
          });
          sets.push({ ranges: rs, path: spath });
        });
      }
    }
    if (sets.length === 0) {
      if (!this.opts.ipRangesCapability && !this.opts.rangesMayBeInjected && !badShape) {
        this.issue('error', [], undefined, 'has no "subnet" and no "ranges": it fails with "no IP ranges specified"');
      }
      return;
    }
    const perFamily: Record<Family, number> = { 4: 0, 6: 0 };
    const all: Array<{ pool: IpamPool; set: number }> = [];
    sets.forEach((set, si) => {
      const families = new Set<Family>();
      for (const r of set.ranges) {
        const pool = this.hostLocalRange(r.obj, r.path);
        if (!pool) continue;
        families.add(pool.subnet.family);
        // host-local compares allocation ranges, not subnets: two ranges may share a subnet.
        for (const prev of all) {
          if (intersectRanges(prev.pool.ranges, pool.ranges).length === 0) continue;
          this.issue(
            'error',
            pool.path,
            pool.text,
            prev.set === si
              ? `ranges ${prev.pool.text} and ${pool.text} in range set ${si} overlap (host-local: "subnets … overlap")`
              : `range set ${si} overlaps with range set ${prev.set} (${pool.text} and ${prev.pool.text})`,
          );
        }
        all.push({ pool, set: si });
        this.view.pools.push(pool);
      }
      if (families.size > 1)
        this.issue(
          'error',
          set.path,
          undefined,
          `range set ${si} mixes IPv4 and IPv6 subnets: each set must be one address family`,
        );
      for (const f of families) perFamily[f]++;
    });
    if ((perFamily[4] > 1 || perFamily[6] > 1) && singleVersionPerFamily(this.opts.cniVersion)) {
      this.issue(
        'error',
        [rangesKey ?? 'ranges'],
        this.opts.cniVersion,
        `CNI version ${this.opts.cniVersion} does not support more than 1 address per family (use cniVersion 0.3.1 or later)`,
      );
    }
  }

  hostLocalRange(obj: JsonObject, base: JsonPath): IpamPool | undefined {
    const where = base.length ? `ranges[${base[1]}][${base[2]}]` : 'ipam';
    const sKey = goKey(obj, 'subnet');
    if (sKey === undefined || obj[sKey] === '' || obj[sKey] === null) {
      this.issue('error', base, undefined, `${where} has no "subnet"`);
      return undefined;
    }
    const s = this.cidr(obj, 'subnet', base, { what: 'subnet' });
    if (!s) return undefined;
    const net = s.cidr;
    const width = BITS[net.family];
    if (net.hostBitsSet) {
      this.issue(
        'error',
        s.path,
        net.text,
        `subnet ${net.text} has host bits set: for a /${net.prefix} the network address is ${formatIp(net.family, net.network)} (host-local refuses it)`,
      );
      return undefined;
    }
    if (net.prefix > width - 2) {
      this.issue(
        'error',
        s.path,
        net.text,
        `subnet ${net.text} is too small to allocate from (host-local needs at least a /${width - 2})`,
      );
      return undefined;
    }
    const start = this.ip(obj, 'rangeStart', base, { what: 'rangeStart' });
    const end = this.ip(obj, 'rangeEnd', base, { what: 'rangeEnd' });
    const gw = this.ip(obj, 'gateway', base, { what: 'gateway' });
    let ok = true;
    for (const [p, label] of [
      [start, 'rangeStart'],
      [end, 'rangeEnd'],
    ] as const) {
      if (p && (p.ip.family !== net.family || p.ip.value < net.first || p.ip.value > net.last)) {
        this.issue(
          'error',
          p.path,
          p.text,
          `${label} ${p.text} is not in network ${net.text} (host-local: "${label === 'rangeStart' ? 'RangeStart' : 'RangeEnd'} ${p.text} not in network ${net.text}")`,
        );
        ok = false;
      }
    }
    const first = start && ok ? start.ip.value : net.first + 1n;
    const last = end && ok ? end.ip.value : net.family === 4 ? net.last - 1n : net.last;
    if (ok && first > last) {
      this.issue(
        'error',
        start?.path ?? end!.path,
        start?.text ?? end!.text,
        `rangeStart ${formatIp(net.family, first)} is after rangeEnd ${formatIp(net.family, last)}: no address can be allocated`,
      );
      ok = false;
    }
    this.gatewayIn(net, gw, `subnet ${net.text}`);
    return {
      ipamType: 'host-local',
      path: s.path,
      text: net.text,
      subnet: net,
      ranges: ok ? [{ family: net.family, first, last }] : [],
    };
  }

  static(): void {
    const key = goKey(this.ipam, 'addresses');
    if (key === undefined) return;
    const list = this.ipam[key];
    if (list === null) return;
    if (!Array.isArray(list)) {
      this.issue(
        'error',
        [key],
        list,
        '`addresses` must be a list of {"address": "10.1.1.5/24", "gateway": "10.1.1.1"} objects',
      );
      return;
    }
    const perFamily: Record<Family, number> = { 4: 0, 6: 0 };
    list.forEach((a, i) => {
      const base = [key, i];
      if (!isObject(a)) {
        this.issue('error', base, a, `addresses[${i}] must be an object {"address": "<ip>/<prefix>"}`);
        return;
      }
      const aKey = goKey(a, 'address');
      if (aKey === undefined) {
        this.issue('error', base, a, `addresses[${i}] has no "address"`);
        return;
      }
      const v = a[aKey];
      if (isUnrendered(v)) return;
      const c = typeof v === 'string' ? parseCidr(v) : undefined;
      const gw = this.ip(a, 'gateway', base, { what: `addresses[${i}].gateway` });
      if (!c) {
        const bare = typeof v === 'string' && parseIp(v);
        this.issue(
          'error',
          [...base, aKey],
          v,
          bare
            ? `address ${v} has no prefix length: static IPAM needs CIDR notation (e.g. ${v}/24)`
            : `address ${show(v)} is not a valid CIDR address (e.g. 10.1.1.5/24)`,
        );
        return;
      }
      perFamily[c.family]++;
      const net = parseCidr(formatCidr(c))!;
      this.gatewayIn(net, gw, `${formatCidr(net)}, the network of address ${c.text}`);
      this.view.pools.push({
        ipamType: 'static',
        path: [...base, aKey],
        text: c.text,
        subnet: net,
        ranges: [{ family: c.family, first: c.address, last: c.address }],
      });
    });
    if ((perFamily[4] > 1 || perFamily[6] > 1) && singleVersionPerFamily(this.opts.cniVersion)) {
      this.issue(
        'error',
        [key],
        this.opts.cniVersion,
        `CNI version ${this.opts.cniVersion} does not support more than 1 address per family (use cniVersion 0.3.1 or later)`,
      );
    }
  }

  whereabouts(): void {
    const entries: Array<{ obj: JsonObject; path: JsonPath; label: string }> = [];
    const rKey = goKey(this.ipam, 'range');
    if (rKey !== undefined && this.ipam[rKey] !== '' && this.ipam[rKey] !== null)
      entries.push({ obj: this.ipam, path: [], label: 'range' });
    const iKey = goKey(this.ipam, 'ipRanges');
    const ir = iKey !== undefined ? this.ipam[iKey] : undefined;
    if (iKey !== undefined && ir !== null && ir !== undefined) {
      if (!Array.isArray(ir)) this.issue('error', [iKey], ir, '`ipRanges` must be a list of {"range": …} objects');
      else
        ir.forEach((r, i) => {
          if (isObject(r)) entries.push({ obj: r, path: [iKey, i], label: `ipRanges[${i}].range` });
          else this.issue('error', [iKey, i], r, `ipRanges[${i}] must be an object {"range": …}`);
        });
    }
    if (entries.length === 0) {
      // A flat file (configuration_path / whereabouts.conf) may still supply the range.
      this.issue(
        'warning',
        [],
        undefined,
        'has no "range" and no "ipRanges": unless its flat-file configuration supplies one, it cannot allocate',
      );
    }
    for (const e of entries) this.whereaboutsRange(e.obj, e.path, e.label);
    const gw = this.ip(this.ipam, 'gateway', [], { what: 'gateway', sloppy: true });
    if (gw && gw.ip.value !== 0n) {
      const nets = this.view.pools.filter((p) => p.ipamType === 'whereabouts' && p.subnet.family === gw.ip.family);
      if (nets.length && !nets.some((p) => gw.ip.value >= p.subnet.first && gw.ip.value <= p.subnet.last)) {
        this.issue(
          'gateway-outside',
          gw.path,
          gw.text,
          `gateway ${gw.text} is outside range ${nets.map((p) => formatCidr(p.subnet)).join(', ')}`,
        );
      }
    }
  }

  whereaboutsRange(obj: JsonObject, base: JsonPath, label: string): void {
    const key = goKey(obj, 'range');
    if (key === undefined) {
      this.issue('error', base, undefined, `${label} is missing`);
      return;
    }
    const v = obj[key];
    const path = [...base, key];
    if (isUnrendered(v)) return;
    if (typeof v !== 'string') {
      this.issue('error', path, v, `${label} must be a string (CIDR)`);
      return;
    }
    let net: Cidr | undefined;
    let start: bigint | undefined;
    let end: bigint | undefined;
    const dash = v.indexOf('-');
    if (dash >= 0) {
      const s = parseIp(sloppy(v.slice(0, dash)));
      const c = parseCidr(sloppy(v.slice(dash + 1)));
      if (!s) return this.issue('error', path, v, `${label} ${v}: invalid range start IP ${v.slice(0, dash)}`);
      if (!c) return this.issue('error', path, v, `${label} ${v}: ${v.slice(dash + 1)} is not a valid CIDR`);
      net = parseCidr(formatCidr(c))!;
      if (s.family !== net.family || s.value < net.first || s.value > net.last) {
        return this.issue(
          'error',
          path,
          v,
          `${label} ${v}: invalid range start for CIDR ${formatCidr(net)}: ${v.slice(0, dash)}`,
        );
      }
      start = s.value;
      end = c.address;
    } else {
      const c = parseCidr(sloppy(v));
      if (!c) return this.issue('error', path, v, `${label} ${v} is not a valid CIDR (whereabouts: "invalid CIDR")`);
      // Host bits are fine: whereabouts masks the range to its network.
      net = parseCidr(formatCidr(c))!;
    }
    const fam = net.family;
    // L2 mode never hands out the network and broadcast addresses.
    let first = net.prefix >= BITS[fam] - 1 ? net.first : net.first + 1n;
    let last = net.prefix >= BITS[fam] - 1 ? net.last : net.last - 1n;
    const outside = (x: { family: Family; value: bigint }) =>
      x.family !== fam || x.value < net.first || x.value > net.last;
    const rs = this.ip(obj, 'range_start', base, { what: 'range_start', sloppy: true });
    const re = this.ip(obj, 'range_end', base, { what: 'range_end', sloppy: true });
    // Current whereabouts ignores a range_start/range_end outside the range (older releases allocated outside it).
    if (rs && outside(rs.ip))
      this.issue(
        'warning',
        rs.path,
        rs.text,
        `range_start ${rs.text} is outside ${label} ${formatCidr(net)}: whereabouts ignores it`,
      );
    else if (rs && rs.ip.value > first) first = rs.ip.value;
    if (re && outside(re.ip))
      this.issue(
        'warning',
        re.path,
        re.text,
        `range_end ${re.text} is outside ${label} ${formatCidr(net)}: whereabouts ignores it`,
      );
    else if (re && re.ip.value < last) last = re.ip.value;
    if (start !== undefined && start > first) first = start;
    if (end !== undefined && end < last) last = end;
    let ranges: IpRange[] = first <= last ? [{ family: fam, first, last }] : [];
    if (first > last && (rs || re)) {
      this.issue(
        'warning',
        (rs ?? re)!.path,
        (rs ?? re)!.text,
        `range_start is after range_end in ${label}: no address can be allocated from ${formatCidr(net)}`,
      );
    }
    const exKey = goKey(obj, 'exclude');
    const ex = exKey !== undefined ? obj[exKey] : undefined;
    if (exKey !== undefined && ex !== null && ex !== undefined) {
      if (!Array.isArray(ex)) this.issue('error', [...base, exKey], ex, '`exclude` must be a list of CIDRs');
      else {
        const blocks: Cidr[] = [];
        ex.forEach((x, i) => {
          const xp = [...base, exKey, i];
          if (isUnrendered(x)) return;
          const c = typeof x === 'string' ? parseCidr(sloppy(x)) : undefined;
          if (!c)
            return this.issue(
              'error',
              xp,
              x,
              `exclude[${i}] ${show(x)} is not a valid CIDR (whereabouts: "invalid CIDR in exclude list")`,
            );
          if (c.family !== fam || c.last < net!.first || c.first > net!.last) {
            this.issue(
              'warning',
              xp,
              x as string,
              `exclude[${i}] ${x as string} is outside ${label} ${formatCidr(net!)}: it excludes nothing`,
            );
          }
          blocks.push(c);
        });
        ranges = subtractRanges(ranges, blocks);
      }
    }
    this.view.pools.push({ ipamType: 'whereabouts', path, text: v, subnet: net, ranges });
  }
}

/** Read an `ipam` object. `type` decides the reading; unknown types yield no pools and no issues. */
export function readIpam(ipam: JsonObject, opts: IpamOptions = {}): IpamView {
  const r = new Reader(ipam, opts);
  const type = r.view.type;
  if (type === 'host-local' || type === 'static' || type === 'whereabouts') r.routes();
  if (type === 'host-local') r.hostLocal();
  else if (type === 'static') r.static();
  else if (type === 'whereabouts') r.whereabouts();
  return r.view;
}
