import { describe, expect, it } from 'vitest';
import { parseCniConfig, locate } from '../../src/model/cni-config.js';
import { parseIp } from '../../src/model/cidr.js';
import { probeIpam, inRanges } from '../../src/model/probe-ipam.js';
import { labNads } from './probe-fixtures.js';
import { itCorpus } from '../helpers/corpus.js';

const ip = (s: string) => parseIp(s)!;
const read = (o: object) => probeIpam(parseCniConfig(JSON.stringify(o)));

describe('probeIpam (the NAD ranges the probe checks judge against)', () => {
  itCorpus('reads the lab macvlan-lan range and points at its subnet line', () => {
    const cfg = parseCniConfig(labNads().find((n) => n.name === 'macvlan-lan')!.config!);
    const r = probeIpam(cfg)!;
    expect(r).toMatchObject({ type: 'host-local', known: true });
    expect(r.ranges.map((x) => x.text)).toEqual(['192.168.77.100-192.168.77.150']);
    expect(inRanges(r.ranges, ip('192.168.77.103'))).toBe(true);
    expect(inRanges(r.ranges, ip('192.168.77.216'))).toBe(false);
    expect(locate(cfg.parsed, r.ranges[0]!.path)?.line).toBe(9);
  });

  it('leaves whereabouts exclusions out of the range', () => {
    const r = read({ type: 'macvlan', ipam: { type: 'whereabouts', range: '10.0.0.0/29', exclude: ['10.0.0.4/30'] } })!;
    expect(r.ranges.map((x) => x.text)).toEqual(['10.0.0.1-10.0.0.3']);
  });

  it('does not know the range for dhcp, unknown IPAM, unrendered values, or host-local with the ipRanges capability', () => {
    expect(read({ type: 'macvlan', ipam: { type: 'dhcp' } })).toMatchObject({ type: 'dhcp', known: false });
    expect(read({ type: 'macvlan', ipam: { type: 'nv-ipam' } })!.known).toBe(false);
    expect(read({ type: 'macvlan', ipam: { type: 'host-local', subnet: '${SUBNET}' } })!.known).toBe(false);
    expect(
      read({ type: 'macvlan', capabilities: { ipRanges: true }, ipam: { type: 'host-local', subnet: '10.1.0.0/24' } })!
        .known,
    ).toBe(false);
  });

  it('sees no IPAM for `ipam: {}` or none at all (L2-only attachments)', () => {
    expect(read({ type: 'macvlan', ipam: {} })).toBeUndefined();
    expect(read({ type: 'macvlan' })).toBeUndefined();
  });

  it('finds the IPAM on a chained plugin of a conflist and gives the full path', () => {
    const r = read({
      cniVersion: '0.3.1',
      plugins: [
        { type: 'macvlan', ipam: {} },
        { type: 'tuning', ipam: { type: 'host-local', subnet: '10.3.0.0/24' } },
      ],
    })!;
    expect(r.path).toEqual(['plugins', 1, 'ipam']);
    expect(r.plugin.index).toBe(1);
    expect(r.ranges[0]!.path).toEqual(['plugins', 1, 'ipam', 'subnet']);
  });
});
