import { describe, expect, it } from 'vitest';
import { nadIpamRangeInvalid } from '../../src/checks/nad/nad-ipam-range-invalid.js';
import { parseManifestText } from '../../src/manifests/load.js';
import { manifests, nad, run } from '../helpers/snapshot.js';

const mv = (name: string, ipam: object, extra: object = {}) =>
  nad(name, { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1', ...extra, ipam });
const sev = (nads: ReturnType<typeof nad>[]) =>
  run(nadIpamRangeInvalid, manifests({ nads })).map((f) => [f.subject.name, f.severity]);

describe('nad-ipam-range-invalid', () => {
  it('host-local: subnet with host bits, rangeStart outside, start after end, flat "ranges"', () => {
    const fs = run(
      nadIpamRangeInvalid,
      manifests({
        nads: [
          mv('bits', { type: 'host-local', subnet: '10.0.0.13/24' }),
          mv('out', { type: 'host-local', subnet: '10.0.0.0/24', rangeStart: '10.0.1.10' }),
          mv('order', { type: 'host-local', subnet: '10.0.0.0/24', rangeStart: '10.0.0.200', rangeEnd: '10.0.0.100' }),
          mv('flat', { type: 'host-local', ranges: [{ subnet: '10.0.0.0/24' }] }),
        ],
      }),
    );
    expect(fs.map((f) => [f.subject.name, f.severity])).toEqual([
      ['bits', 'error'],
      ['out', 'error'],
      ['order', 'error'],
      ['flat', 'error'],
    ]);
    expect(fs[0]!.message).toContain('the network address is 10.0.0.0');
    expect(fs[1]!.message).toContain('RangeStart 10.0.1.10 not in network 10.0.0.0/24');
    expect(fs[3]!.fix).toContain('[[{');
  });

  it('host-local: overlapping ranges are refused, two disjoint ranges in one subnet are fine', () => {
    expect(
      sev([mv('ov', { type: 'host-local', ranges: [[{ subnet: '10.0.0.0/24' }, { subnet: '10.0.0.0/25' }]] })]),
    ).toEqual([['ov', 'error']]);
    expect(
      sev([
        mv('ok', {
          type: 'host-local',
          ranges: [
            [
              { subnet: '10.0.0.0/24', rangeStart: '10.0.0.10', rangeEnd: '10.0.0.19' },
              { subnet: '10.0.0.0/24', rangeStart: '10.0.0.20', rangeEnd: '10.0.0.29' },
            ],
          ],
        }),
      ]),
    ).toEqual([]);
  });

  it('static: an address without prefix is an error, pointing at it in the file', () => {
    const text =
      'kind: NetworkAttachmentDefinition\nmetadata:\n  name: s\nspec:\n  config: |\n    {"cniVersion": "0.3.1", "type": "macvlan", "master": "eth1",\n     "ipam": {"type": "static",\n       "addresses": [{"address": "10.1.1.5"}]}}\n';
    const fs = run(nadIpamRangeInvalid, manifests({ nads: parseManifestText('s.yaml', text).nads }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('no prefix length');
    expect(fs[0]!.evidence[0]).toMatchObject({ path: 's.yaml', line: 8 });
  });

  it('gateway outside the subnet: error when a route uses it, warning otherwise', () => {
    expect(
      sev([
        mv('used', { type: 'host-local', subnet: '10.0.0.0/24', gateway: '10.9.9.1', routes: [{ dst: '0.0.0.0/0' }] }),
      ]),
    ).toEqual([['used', 'error']]);
    expect(sev([mv('unused', { type: 'host-local', subnet: '10.0.0.0/24', gateway: '10.9.9.1' })])).toEqual([
      ['unused', 'warning'],
    ]);
    // 0.0.0.0 is how DPDK host-device NADs say "no gateway".
    expect(
      sev([mv('none', { type: 'static', addresses: [{ address: '10.0.10.93/24', gateway: '0.0.0.0' }] })]),
    ).toEqual([]);
  });

  it('whereabouts: bad range is an error; exclude outside the range only a warning', () => {
    expect(sev([mv('bad', { type: 'whereabouts', range: '192.168.1.0/33' })])).toEqual([['bad', 'error']]);
    expect(sev([mv('ex', { type: 'whereabouts', range: '192.168.1.0/24', exclude: ['192.168.2.0/28'] })])).toEqual([
      ['ex', 'warning'],
    ]);
  });

  it('accepts real-world forms: whereabouts start-end/len and host bits, sloppy zeros, routes; primary CNIs injecting ranges', () => {
    const ok = [
      mv('a', { type: 'whereabouts', range: '192.168.2.225-192.168.2.230/28' }),
      mv('b', { type: 'whereabouts', range: '192.168.2.225/28', exclude: ['192.168.2.229/30'] }),
      mv('c', {
        type: 'host-local',
        subnet: '10.0.0.0/24',
        rangeStart: '10.0.0.10',
        rangeEnd: '10.0.0.20',
        gateway: '10.0.0.1',
        routes: [{ dst: '0.0.0.0/0' }],
      }),
      mv('d', {
        type: 'static',
        addresses: [{ address: '10.1.1.5/24', gateway: '10.1.1.1' }, { address: 'fd00::5/64' }],
      }),
      nad('e', { cniVersion: '0.3.1', name: 'antrea', plugins: [{ type: 'antrea', ipam: { type: 'host-local' } }] }),
      mv('f', { type: 'host-local', subnet: '${SUBNET}' }),
    ];
    expect(sev(ok)).toEqual([]);
  });

  it('refuses two addresses per family with cniVersion 0.2.0', () => {
    const n = nad('v', {
      cniVersion: '0.2.0',
      type: 'macvlan',
      master: 'eth1',
      ipam: { type: 'static', addresses: [{ address: '10.1.1.5/24' }, { address: '10.1.1.6/24' }] },
    });
    expect(sev([n])).toEqual([['v', 'error']]);
  });
});
