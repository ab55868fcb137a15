/**
 * IPv4/IPv6 address and CIDR arithmetic on top of ipaddr.js. Every function is total: bad input
 * yields `undefined`/false rather than an exception, because cluster data is untrusted.
 */
import ipaddr from 'ipaddr.js';

export type Family = 4 | 6;

export interface Cidr {
  /** The text as given. */
  text: string;
  family: Family;
  /** Network address as a bigint and prefix length. */
  network: bigint;
  prefix: number;
  /** First and last address of the block. */
  first: bigint;
  last: bigint;
  /** True when the address part had host bits set (e.g. 10.0.0.5/24): fine for an interface address. */
  hostBitsSet: boolean;
  /** The address as written (for interface-style CIDRs). */
  address: bigint;
}

function bits(f: Family): number {
  return f === 4 ? 32 : 128;
}

function toBig(addr: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  const bytes = addr.toByteArray();
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

export function parseIp(text: string): { family: Family; value: bigint } | undefined {
  if (typeof text !== 'string') return undefined;
  const t = text.trim();
  // ipaddr.js accepts shorthand like "10.1" and octal/hex forms; CNI (Go net.ParseIP) does not.
  if (t.includes('.') && !t.includes(':') && !/^\d{1,3}(\.\d{1,3}){3}$/.test(t)) return undefined;
  if (t.includes('%')) return undefined;
  // ipaddr.js reads an IPv6 address ending in a dotted quad (`::1.2.3.4`) as if it were the
  // mapped `::ffff:1.2.3.4`; write the quad as two hex groups so the value is the one Go reads.
  let t6 = t;
  const quad = t.includes(':') ? /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(t) : null;
  if (quad) {
    const o = quad.slice(2, 6).map((x) => parseInt(x, 10));
    if (o.some((x) => x > 255)) return undefined;
    t6 = `${quad[1]}${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  try {
    if (!ipaddr.isValid(t6)) return undefined;
    let a = ipaddr.parse(t6);
    if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress() && quad) {
      a = (a as ipaddr.IPv6).toIPv4Address();
    }
    return { family: a.kind() === 'ipv4' ? 4 : 6, value: toBig(a) };
  } catch {
    return undefined;
  }
}

export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const t = text.trim();
  const slash = t.indexOf('/');
  if (slash < 0 || t.indexOf('/', slash + 1) >= 0) return undefined;
  const ip = parseIp(t.slice(0, slash));
  const ptext = t.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(ptext)) return undefined;
  const prefix = parseInt(ptext, 10);
  const width = bits(ip.family);
  if (prefix > width) return undefined;
  const hostMask = (1n << BigInt(width - prefix)) - 1n;
  const network = ip.value & ~hostMask & ((1n << BigInt(width)) - 1n);
  return {
    text: t,
    family: ip.family,
    network,
    prefix,
    first: network,
    last: network | hostMask,
    hostBitsSet: (ip.value & hostMask) !== 0n,
    address: ip.value,
  };
}

export function cidrContainsIp(c: Cidr, ip: { family: Family; value: bigint }): boolean {
  return c.family === ip.family && ip.value >= c.first && ip.value <= c.last;
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return outer.family === inner.family && inner.first >= outer.first && inner.last <= outer.last;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** Do two address ranges [first,last] of the same family overlap? */
export function rangesOverlap(
  a: { family: Family; first: bigint; last: bigint },
  b: { family: Family; first: bigint; last: bigint },
): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

export function formatIp(family: Family, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => ((value >> s) & 255n).toString()).join('.');
  }
  const parts: number[] = [];
  for (let i = 7; i >= 0; i--) parts.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  return ipaddr.fromByteArray(parts.flatMap((p) => [p >> 8, p & 255])).toString();
}

export function formatCidr(c: Pick<Cidr, 'family' | 'network' | 'prefix'>): string {
  return `${formatIp(c.family, c.network)}/${c.prefix}`;
}

/** The smallest CIDR that contains all the given ones (same family), e.g. 10.42/16 + 10.43/16 → 10.42.0.0/15. */
export function supernet(cidrs: Cidr[]): Cidr | undefined {
  if (cidrs.length === 0) return undefined;
  const fam = cidrs[0]!.family;
  if (cidrs.some((c) => c.family !== fam)) return undefined;
  const first = cidrs.reduce((m, c) => (c.first < m ? c.first : m), cidrs[0]!.first);
  const last = cidrs.reduce((m, c) => (c.last > m ? c.last : m), cidrs[0]!.last);
  const width = bits(fam);
  for (let p = Math.min(...cidrs.map((c) => c.prefix)); p >= 0; p--) {
    const hostMask = (1n << BigInt(width - p)) - 1n;
    const net = first & ~hostMask & ((1n << BigInt(width)) - 1n);
    if ((net | hostMask) >= last) {
      return parseCidr(`${formatIp(fam, net)}/${p}`);
    }
  }
  return undefined;
}
