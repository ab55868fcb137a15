/**
 * The little address arithmetic the fake needs (service IP allocation, pod CIDR slices, pod IPs).
 * Kept separate from src/model/cidr.ts on purpose: the fake must not share code with the tool
 * it tests.
 */
import ipaddr from 'ipaddr.js';

interface Block {
  v6: boolean;
  first: bigint;
  last: bigint;
  prefix: number;
}

function big(a: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return a.toByteArray().reduce((n, b) => (n << 8n) | BigInt(b), 0n);
}

function unbig(n: bigint, v6: boolean): string {
  const len = v6 ? 16 : 4;
  const bytes: number[] = [];
  for (let i = 0; i < len; i++) bytes.unshift(Number((n >> BigInt(8 * i)) & 255n));
  return ipaddr.fromByteArray(bytes).toString();
}

const blocks = new Map<string, Block>();

function block(cidr: string): Block {
  const hit = blocks.get(cidr);
  if (hit) return hit;
  const b = parseBlock(cidr);
  if (blocks.size > 10_000) blocks.clear();
  blocks.set(cidr, b);
  return b;
}

function parseBlock(cidr: string): Block {
  const [addr, prefix] = ipaddr.parseCIDR(cidr.trim());
  const v6 = addr.kind() === 'ipv6';
  const bits = v6 ? 128 : 32;
  const size = 1n << BigInt(bits - prefix);
  const first = (big(addr) / size) * size;
  return { v6, first, last: first + size - 1n, prefix };
}

export function isIp(s: string): boolean {
  return ipaddr.isValid(s) && (s.includes(':') || /^\d{1,3}(\.\d{1,3}){3}$/.test(s));
}

export function contains(cidr: string, ip: string): boolean {
  const b = block(cidr);
  const a = ipaddr.parse(ip);
  if ((a.kind() === 'ipv6') !== b.v6) return false;
  const n = big(a);
  return n >= b.first && n <= b.last;
}

/** The n-th address of a block (n = 1: first usable). */
export function nth(cidr: string, n: number): string {
  const b = block(cidr);
  return unbig(b.first + BigInt(n), b.v6);
}

/** The i-th /24 (IPv4) or /64 (IPv6) slice of a cluster CIDR, as node podCIDRs are cut. */
export function slice(cidr: string, i: number): string {
  const b = block(cidr);
  const sub = b.v6 ? 64 : 24;
  const size = 1n << BigInt((b.v6 ? 128 : 32) - sub);
  return `${unbig(b.first + BigInt(i) * size, b.v6)}/${sub}`;
}

export function size(cidr: string): bigint {
  const b = block(cidr);
  return b.last - b.first + 1n;
}
