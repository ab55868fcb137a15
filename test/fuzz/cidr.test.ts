import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  parseIp,
  parseCidr,
  formatIp,
  formatCidr,
  cidrContains,
  cidrContainsIp,
  cidrsOverlap,
  rangesOverlap,
  supernet,
  type Cidr,
  type Family,
} from '../../src/model/cidr.js';
import { RUNS, anyText, v4, v6 } from './arbitraries.js';

const width = (f: Family) => (f === 4 ? 32 : 128);
const mask = (f: Family, p: number) => ((1n << BigInt(width(f))) - 1n) ^ ((1n << BigInt(width(f) - p)) - 1n);

/** An interface-style CIDR (host bits allowed) of either family, as text. */
const anyCidr = fc.oneof(
  fc.tuple(v4, fc.integer({ min: 0, max: 32 })).map(([v, p]) => ({ family: 4 as Family, value: v, prefix: p })),
  fc.tuple(v6, fc.integer({ min: 0, max: 128 })).map(([v, p]) => ({ family: 6 as Family, value: v, prefix: p })),
);
/** Two CIDRs of one family, often nested (same value, different prefixes) so that containment is exercised. */
const cidrPair = fc.oneof(
  fc
    .tuple(v4, v4, fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 32 }))
    .map(([a, b, p, q]) => [4 as Family, a, b, p, q] as const),
  fc
    .tuple(v4, fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 32 }))
    .map(([a, p, q]) => [4 as Family, a, a, p, q] as const),
  fc
    .tuple(v6, v6, fc.integer({ min: 0, max: 128 }), fc.integer({ min: 0, max: 128 }))
    .map(([a, b, p, q]) => [6 as Family, a, b, p, q] as const),
  fc
    .tuple(v6, fc.integer({ min: 0, max: 128 }), fc.integer({ min: 0, max: 128 }))
    .map(([a, p, q]) => [6 as Family, a, a, p, q] as const),
);

function cidrOf(f: Family, v: bigint, p: number): Cidr {
  const c = parseCidr(`${formatIp(f, v)}/${p}`);
  if (!c) throw new Error(`generated CIDR did not parse: ${formatIp(f, v)}/${p}`);
  return c;
}

describe('cidr (property-based)', () => {
  it('parseIp and parseCidr never throw on arbitrary text', () => {
    fc.assert(
      fc.property(anyText, (t) => {
        const ip = parseIp(t);
        const c = parseCidr(t);
        if (ip) expect(ip.value >= 0n && ip.value < 1n << BigInt(width(ip.family))).toBe(true);
        if (c) expect(c.first <= c.address && c.address <= c.last).toBe(true);
      }),
      RUNS,
    );
  });

  it('formatIp then parseIp gives the same address back', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          v4.map((v) => [4 as Family, v] as const),
          v6.map((v) => [6 as Family, v] as const),
        ),
        ([f, v]) => {
          expect(parseIp(formatIp(f, v))).toEqual({ family: f, value: v });
        },
      ),
      RUNS,
    );
  });

  it('a CIDR contains its own network address, its last address and the address written; it has 2^(width-prefix) addresses', () => {
    fc.assert(
      fc.property(anyCidr, ({ family, value, prefix }) => {
        const c = cidrOf(family, value, prefix);
        expect(c.network).toBe(value & mask(family, prefix));
        for (const x of [c.network, c.last, value]) expect(cidrContainsIp(c, { family, value: x })).toBe(true);
        expect(c.last - c.first + 1n).toBe(1n << BigInt(width(family) - prefix));
        expect(c.hostBitsSet).toBe(value !== c.network);
        // One past either end is outside (when it exists).
        if (c.first > 0n) expect(cidrContainsIp(c, { family, value: c.first - 1n })).toBe(false);
        if (c.last < (1n << BigInt(width(family))) - 1n)
          expect(cidrContainsIp(c, { family, value: c.last + 1n })).toBe(false);
        // Never across families.
        expect(cidrContainsIp(c, { family: family === 4 ? 6 : 4, value: c.first })).toBe(false);
      }),
      RUNS,
    );
  });

  it('formatCidr(parseCidr(x)) === x for canonical CIDRs', () => {
    fc.assert(
      fc.property(anyCidr, ({ family, value, prefix }) => {
        const canonical = formatCidr({ family, network: value & mask(family, prefix), prefix });
        const c = parseCidr(canonical);
        expect(c).toBeDefined();
        expect(formatCidr(c!)).toBe(canonical);
        expect(c!.hostBitsSet).toBe(false);
      }),
      RUNS,
    );
  });

  it('two CIDR blocks either nest or do not overlap at all, and overlap is symmetric', () => {
    fc.assert(
      fc.property(cidrPair, ([f, a, b, p, q]) => {
        const x = cidrOf(f, a, p);
        const y = cidrOf(f, b, q);
        const o = cidrsOverlap(x, y);
        expect(cidrsOverlap(y, x)).toBe(o);
        expect(rangesOverlap(x, y)).toBe(o);
        expect(o).toBe(cidrContains(x, y) || cidrContains(y, x));
        if (cidrContains(x, y) && cidrContains(y, x)) expect(formatCidr(x)).toBe(formatCidr(y));
        expect(cidrContains(x, x)).toBe(true);
      }),
      RUNS,
    );
  });

  it('supernet contains every input and is the smallest such block (neither half contains them all)', () => {
    const group = fc.oneof(
      fc
        .array(fc.tuple(v4, fc.integer({ min: 0, max: 32 })), { minLength: 1, maxLength: 5 })
        .map((xs) => xs.map(([v, p]) => cidrOf(4, v, p))),
      fc
        .array(fc.tuple(v6, fc.integer({ min: 0, max: 128 })), { minLength: 1, maxLength: 5 })
        .map((xs) => xs.map(([v, p]) => cidrOf(6, v, p))),
      // Neighbours, like K3s' 10.42.0.0/16 + 10.43.0.0/16.
      fc.tuple(v4, fc.integer({ min: 1, max: 32 })).map(([v, p]) => {
        const a = cidrOf(4, v, p);
        const step = 1n << BigInt(32 - p);
        return a.last + 1n <= 0xffffffffn ? [a, cidrOf(4, a.first + step, p)] : [a];
      }),
    );
    fc.assert(
      fc.property(group, (cs) => {
        const s = supernet(cs);
        expect(s).toBeDefined();
        for (const c of cs) expect(cidrContains(s!, c)).toBe(true);
        expect(s!.prefix).toBeLessThanOrEqual(Math.min(...cs.map((c) => c.prefix)));
        const w = width(s!.family);
        if (s!.prefix < w) {
          const half = BigInt(w - s!.prefix - 1);
          const lower = { ...s!, first: s!.first, last: s!.first + (1n << half) - 1n };
          const upper = { ...s!, first: s!.first + (1n << half), last: s!.last };
          expect(cs.every((c) => cidrContains(lower, c))).toBe(false);
          expect(cs.every((c) => cidrContains(upper, c))).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('supernet refuses mixed families and an empty list', () => {
    expect(supernet([])).toBeUndefined();
    expect(supernet([parseCidr('10.0.0.0/8')!, parseCidr('fd00::/8')!])).toBeUndefined();
  });
});

describe('cidr regression found by the ip-output properties', () => {
  it('reads an IPv6 address ending in a dotted quad as IPv6 (as Go does); only ::ffff:a.b.c.d is IPv4', () => {
    expect(parseIp('::1.2.3.4')).toEqual({ family: 6, value: 0x01020304n });
    expect(parseIp('::0.0.0.0')).toEqual({ family: 6, value: 0n });
    expect(parseIp('64:ff9b::1.2.3.4')).toEqual({ family: 6, value: (0x64ff9bn << 96n) | 0x01020304n });
    expect(parseIp('::ffff:1.2.3.4')).toEqual({ family: 4, value: 0x01020304n });
    expect(parseIp('::ffff:1.2.3.256')).toBeUndefined();
  });
});
