import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseIpOutput } from '../../src/model/ip-output.js';
import { parseCidr } from '../../src/model/cidr.js';
import { RUNS, anyText, jsonish, ifName } from './arbitraries.js';

interface Addr {
  family: 4 | 6;
  address: string;
  prefix: number;
}
interface Iface {
  index: number;
  name: string;
  link?: string;
  flags: string[];
  mtu: number;
  mac: string;
  addresses: Addr[];
}

const octet = fc.integer({ min: 0, max: 255 });
const mac = fc
  .tuple(octet, octet, octet, octet, octet, octet)
  .map((o) => o.map((x) => x.toString(16).padStart(2, '0')).join(':'));
const addr: fc.Arbitrary<Addr> = fc.oneof(
  fc.record({ family: fc.constant(4 as const), address: fc.ipV4(), prefix: fc.integer({ min: 0, max: 32 }) }),
  fc.record({ family: fc.constant(6 as const), address: fc.ipV6(), prefix: fc.integer({ min: 0, max: 128 }) }),
);
const FLAGS = ['BROADCAST', 'MULTICAST', 'NO-CARRIER', 'UP', 'LOWER_UP', 'M-DOWN'];
const ifaces: fc.Arbitrary<Iface[]> = fc
  .uniqueArray(
    fc.record({
      index: fc.integer({ min: 1, max: 99999 }),
      name: ifName,
      link: fc.option(
        fc.oneof(
          fc.integer({ min: 1, max: 9999 }).map((n) => `if${n}`),
          ifName,
          fc.constant('NONE'),
        ),
        { nil: undefined },
      ),
      flags: fc.subarray(FLAGS),
      mtu: fc.integer({ min: 68, max: 65536 }),
      mac,
      addresses: fc.array(addr, { maxLength: 3 }),
    }),
    { selector: (i) => i.name, minLength: 1, maxLength: 5 },
  )
  .filter((xs) => new Set(xs.map((x) => x.index)).size === xs.length);

function addrLines(i: Iface): string {
  return i.addresses
    .map(
      (a) =>
        `    ${a.family === 4 ? 'inet' : 'inet6'} ${a.address}/${a.prefix} scope ${a.family === 4 ? 'global' : 'link'} ${a.family === 4 ? i.name : ''}\n       valid_lft forever preferred_lft forever\n`,
    )
    .join('');
}

const render = {
  iproute2: (xs: Iface[]) =>
    xs
      .map(
        (i) =>
          `${i.index}: ${i.name}${i.link ? '@' + i.link : ''}: <${i.flags.join(',')}> mtu ${i.mtu} qdisc noqueue state UP group default qlen 1000\n    link/ether ${i.mac} brd ff:ff:ff:ff:ff:ff link-netnsid 0\n${addrLines(i)}`,
      )
      .join(''),
  busybox: (xs: Iface[]) =>
    xs
      .map(
        (i) =>
          `${i.index}: ${i.name}${i.link ? '@' + i.link : ''}: <${i.flags.join(',')}> mtu ${i.mtu} qdisc noqueue \n    link/ether ${i.mac} brd ff:ff:ff:ff:ff:ff\n${addrLines(i)}`,
      )
      .join(''),
  json: (xs: Iface[]) =>
    JSON.stringify(
      xs.map((i) => ({
        ifindex: i.index,
        ...(i.link && /^if\d+$/.test(i.link)
          ? { link_index: Number(i.link.slice(2)) }
          : i.link
            ? { link: i.link }
            : {}),
        ifname: i.name,
        flags: i.flags,
        mtu: i.mtu,
        link_type: 'ether',
        address: i.mac,
        addr_info: i.addresses.map((a) => ({
          family: a.family === 4 ? 'inet' : 'inet6',
          local: a.address,
          prefixlen: a.prefix,
          scope: 'global',
        })),
      })),
    ),
  oneline: (xs: Iface[]) =>
    xs
      .flatMap((i) =>
        i.addresses.map(
          (a) =>
            `${i.index}: ${i.name}    ${a.family === 4 ? 'inet' : 'inet6'} ${a.address}/${a.prefix} scope global ${i.name}\\       valid_lft forever preferred_lft forever\n`,
        ),
      )
      .join(''),
};

const cidrsOf = (i: Iface) => i.addresses.map((a) => `${a.address}/${a.prefix}`);

describe('ip-output (property-based)', () => {
  it('never throws on arbitrary text or JSON-ish values, and every address it reports is a valid CIDR', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, jsonish), (t) => {
        const o = parseIpOutput(t);
        if (o.interfaces.length === 0) expect(o.problems.length).toBeGreaterThan(0);
        for (const i of o.interfaces) {
          expect(typeof i.name === 'string' && i.name !== '' && Array.isArray(i.flags)).toBe(true);
          for (const a of i.addresses) expect(parseCidr(a.cidr)).toBeDefined();
        }
      }),
      RUNS,
    );
  });

  for (const form of ['iproute2', 'busybox', 'json'] as const) {
    it(`\`ip addr\` in ${form} form parses back to the interfaces it was printed from`, () => {
      fc.assert(
        fc.property(ifaces, (xs) => {
          const o = parseIpOutput(render[form](xs));
          expect(o.problems).toEqual([]);
          expect(
            o.interfaces.map((i) => ({
              index: i.index,
              name: i.name,
              link: i.link,
              mtu: i.mtu,
              mac: i.mac,
              up: i.up,
              flags: i.flags,
              addrs: i.addresses.map((a) => a.cidr),
            })),
          ).toEqual(
            xs.map((i) => ({
              index: i.index,
              name: i.name,
              link: i.link,
              mtu: i.mtu,
              mac: i.mac,
              up: i.flags.includes('UP'),
              flags: i.flags,
              addrs: cidrsOf(i),
            })),
          );
          for (const [k, i] of o.interfaces.entries())
            expect(i.carrier).toBe(xs[k]!.flags.includes('LOWER_UP') && !xs[k]!.flags.includes('NO-CARRIER'));
        }),
        RUNS,
      );
    });
  }

  it('`ip -o addr` gathers the one-line records of each interface into one entry', () => {
    fc.assert(
      fc.property(ifaces, (xs) => {
        const o = parseIpOutput(render.oneline(xs));
        const withAddrs = xs.filter((i) => i.addresses.length > 0);
        expect(
          o.interfaces.map((i) => ({ index: i.index, name: i.name, addrs: i.addresses.map((a) => a.cidr) })),
        ).toEqual(withAddrs.map((i) => ({ index: i.index, name: i.name, addrs: cidrsOf(i) })));
      }),
      RUNS,
    );
  });

  it('a terminal transcript around the output (prompt, other commands) changes nothing', () => {
    const noise = fc.array(
      fc.constantFrom(
        '/ # ip a',
        '$ kubectl exec -it pod -- ip addr',
        'default via 10.0.0.1 dev eth0',
        'Kernel IP routing table',
        '',
        '(...)',
      ),
      { maxLength: 3 },
    );
    fc.assert(
      fc.property(ifaces, noise, noise, (xs, before, after) => {
        const plain = parseIpOutput(render.iproute2(xs));
        const wrapped = parseIpOutput([...before, render.iproute2(xs), ...after].join('\n'));
        expect(wrapped.interfaces).toEqual(plain.interfaces);
      }),
      RUNS,
    );
  });
});
