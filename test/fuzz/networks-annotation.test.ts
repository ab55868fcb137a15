import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseNetworksAnnotation, macProblem } from '../../src/model/networks-annotation.js';
import { RUNS, anyText, jsonish, dnsLabel, dnsSubdomain, ifName } from './arbitraries.js';

/** A valid network selection element. */
const element = fc.record({ name: dnsSubdomain, namespace: dnsLabel, interface: ifName }, { requiredKeys: ['name'] });

function shortForm(e: { name: string; namespace?: string; interface?: string }): string {
  return `${e.namespace !== undefined ? e.namespace + '/' : ''}${e.name}${e.interface !== undefined ? '@' + e.interface : ''}`;
}

const octet = fc.integer({ min: 0, max: 255 });
const hex = (n: number) => n.toString(16).padStart(2, '0');

describe('networks-annotation (property-based)', () => {
  it('never throws on arbitrary text, and picks the JSON form exactly when multus would', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, jsonish), (t) => {
        const r = parseNetworksAnnotation(t);
        expect(Array.isArray(r.selections) && Array.isArray(r.errors)).toBe(true);
        if (t.trim() === '') expect(r.form).toBe('empty');
        else expect(r.form).toBe(/[[{"]/.test(t) ? 'json' : 'short');
        for (const s of r.selections) expect(typeof s.name === 'string' && s.name !== '').toBe(true);
      }),
      RUNS,
    );
  });

  it('the short form of valid elements parses back to the same selections', () => {
    fc.assert(
      fc.property(fc.array(element, { minLength: 1, maxLength: 5 }), fc.constantFrom(',', ', ', ' , '), (els, sep) => {
        const r = parseNetworksAnnotation(els.map(shortForm).join(sep));
        expect(r.errors).toEqual([]);
        expect(r.form).toBe('short');
        expect(r.selections.map((s) => ({ name: s.name, namespace: s.namespace, interface: s.interface }))).toEqual(
          els.map((e) => ({ name: e.name, namespace: e.namespace, interface: e.interface })),
        );
      }),
      RUNS,
    );
  });

  it('the JSON form of valid elements (with mac and ips) parses back to the same selections', () => {
    const full = fc.record(
      {
        name: dnsSubdomain,
        namespace: dnsLabel,
        interface: ifName,
        mac: fc.tuple(octet, octet, octet, octet, octet, octet).map((o) => o.map(hex).join(':')),
        ips: fc.array(
          fc.ipV4().map((ip) => `${ip}/24`),
          { maxLength: 2 },
        ),
      },
      { requiredKeys: ['name'] },
    );
    fc.assert(
      fc.property(fc.array(full, { minLength: 1, maxLength: 4 }), (els) => {
        const r = parseNetworksAnnotation(JSON.stringify(els));
        expect(r.errors).toEqual([]);
        expect(
          r.selections.map((s) => ({
            name: s.name,
            namespace: s.namespace,
            interface: s.interface,
            mac: s.mac,
            ips: s.ips,
          })),
        ).toEqual(
          els.map((e) => ({ name: e.name, namespace: e.namespace, interface: e.interface, mac: e.mac, ips: e.ips })),
        );
        expect(r.selections.every((s) => s.unknownKeys.length === 0)).toBe(true);
      }),
      RUNS,
    );
  });

  it('macProblem never throws, and accepts exactly the unicast, non-zero, non-broadcast MACs', () => {
    fc.assert(
      fc.property(anyText, (t) => void macProblem(t)),
      RUNS,
    );
    fc.assert(
      fc.property(
        fc.tuple(octet, octet, octet, octet, octet, octet),
        fc.constantFrom(':', '-'),
        fc.boolean(),
        (o, sep, upper) => {
          let mac = o.map(hex).join(sep);
          if (upper) mac = mac.toUpperCase();
          const zero = o.every((x) => x === 0);
          const bcast = o.every((x) => x === 255);
          const ok = !zero && !bcast && (o[0]! & 1) === 0;
          expect(macProblem(mac) === undefined).toBe(ok);
        },
      ),
      RUNS,
    );
  });

  it('macProblem refuses mixed separators and wrong lengths', () => {
    fc.assert(
      fc.property(
        fc.tuple(octet, octet, octet, octet, octet, octet),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        (o, at, drop) => {
          const parts = o.map(hex);
          const mixed = parts.slice(0, at + 1).join(':') + '-' + parts.slice(at + 1).join('-');
          expect(macProblem(mixed)).toBeDefined();
          expect(macProblem(parts.slice(drop).join(':'))).toBeDefined();
        },
      ),
      RUNS,
    );
  });
});
