/** Shared generators for the property tests. Every property runs 10,000 times. */
import fc from 'fast-check';

export const RUNS = { numRuns: 10_000 } as const;

/** Any text, including lone surrogates, control characters and long runs. */
export const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: fc.constantFrom(...'{}[]",:\\/ \n\t@.-0123456789abcdefx'.split('')), maxLength: 120 }),
);

/** Text that looks like JSON somewhere inside: values, then cut or spliced with noise. */
export const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .tuple(
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v, null, 2)),
      fc.nat(),
      fc.string({ maxLength: 6 }),
    )
    .map(([t, at, noise]) => {
      const i = t.length === 0 ? 0 : at % (t.length + 1);
      return t.slice(0, i) + noise + t.slice(i);
    }),
  fc
    .tuple(
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.nat(),
    )
    .map(([t, n]) => t.slice(0, t.length === 0 ? 0 : n % t.length)),
);

/** DNS-1123 label (namespace) and subdomain (NAD name). */
export const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
export const dnsSubdomain = fc
  .array(dnsLabel, { minLength: 1, maxLength: 3 })
  .map((ls) => ls.join('.'))
  .filter((s) => s.length <= 253);

/** Interface names that survive the short annotation form (no ',', '@', '/', ':' or whitespace). */
export const ifName = fc.stringMatching(/^[a-z][a-z0-9_-]{0,14}$/);

export const v4 = fc.bigInt({ min: 0n, max: (1n << 32n) - 1n });
/** IPv6 values, biased towards the special blocks where formatting has corner cases. */
export const v6 = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
  v4.map((x) => (0xffffn << 32n) | x), // ::ffff:a.b.c.d (IPv4-mapped)
  v4.map((x) => x), // ::a.b.c.d (IPv4-compatible, deprecated)
  fc.bigInt({ min: 0n, max: (1n << 16n) - 1n }).map((x) => (0xfe80n << 112n) | x),
  fc.constantFrom(0n, 1n, (1n << 128n) - 1n, 0x20010db8n << 96n),
);
