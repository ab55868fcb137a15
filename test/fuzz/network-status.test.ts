import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseNetworkStatus, podNetworkStatus, statusNameMatches } from '../../src/model/network-status.js';
import { RUNS, anyText, jsonish, dnsLabel, dnsSubdomain, ifName } from './arbitraries.js';

const octet = fc.integer({ min: 0, max: 255 });
const entry = fc.record(
  {
    name: fc.oneof(
      dnsSubdomain,
      fc.tuple(dnsLabel, dnsSubdomain).map(([ns, n]) => `${ns}/${n}`),
    ),
    interface: ifName,
    ips: fc.array(fc.oneof(fc.ipV4(), fc.ipV6()), { maxLength: 3 }),
    mac: fc
      .tuple(octet, octet, octet, octet, octet, octet)
      .map((o) => o.map((x) => x.toString(16).padStart(2, '0')).join(':')),
    mtu: fc.integer({ min: 68, max: 65535 }),
    default: fc.boolean(),
    gateway: fc.array(fc.ipV4(), { maxLength: 2 }),
    dns: fc.constant({}),
  },
  { requiredKeys: ['name'] },
);

describe('network-status (property-based)', () => {
  it('never throws on arbitrary text or JSON-ish values; a non-list is an error with no entries', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          jsonish,
          fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
        ),
        (t) => {
          const r = parseNetworkStatus(t);
          expect(Array.isArray(r.entries)).toBe(true);
          if (r.error) expect(r.entries).toEqual([]);
          for (const e of r.entries)
            expect(typeof e.name === 'string' && Array.isArray(e.ips) && typeof e.default === 'boolean').toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('entries written as multus writes them parse back field by field', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 4 }), fc.constantFrom(undefined, 4), (es, indent) => {
        const r = parseNetworkStatus(JSON.stringify(es, null, indent));
        expect(r.error).toBeUndefined();
        expect(r.entries).toEqual(
          es.map((e) => ({
            name: e.name,
            interface: e.interface,
            ips: e.ips ?? [],
            mac: e.mac,
            mtu: e.mtu,
            default: e.default === true,
            gateway: e.gateway,
          })),
        );
      }),
      RUNS,
    );
  });

  it('prefers the current annotation key over the legacy one, and matches ns/name entries', () => {
    fc.assert(
      fc.property(dnsLabel, dnsSubdomain, (ns, name) => {
        const cur = JSON.stringify([{ name: `${ns}/${name}` }]);
        const old = JSON.stringify([{ name: 'legacy' }]);
        const r = podNetworkStatus({
          'k8s.v1.cni.cncf.io/network-status': cur,
          'k8s.v1.cni.cncf.io/networks-status': old,
        })!;
        expect(r.entries.map((e) => e.name)).toEqual([`${ns}/${name}`]);
        expect(statusNameMatches(r.entries[0]!.name, ns, name)).toBe(true);
        expect(statusNameMatches(r.entries[0]!.name, ns + 'x', name)).toBe(false);
      }),
      RUNS,
    );
  });
});
