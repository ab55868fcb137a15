import { describe, expect, it } from 'vitest';
import { podIpsInvalid } from '../../src/checks/pod/pod-ips-invalid.js';
import { manifests, nad, pod, run } from '../helpers/snapshot.js';

const check = podIpsInvalid;
const base = { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1', capabilities: { ips: true } };
const hostLocal = nad('hl', {
  ...base,
  ipam: { type: 'host-local', subnet: '192.168.77.0/24', rangeStart: '192.168.77.100', rangeEnd: '192.168.77.150' },
});
const stat = nad('st', { ...base, ipam: { type: 'static' } });
const ask = (name: string, ip: string) => [{ name, ips: [ip] }];

describe('pod-ips-invalid', () => {
  it('fires on a static IPAM address without a prefix length', () => {
    const fs = run(check, manifests({ nads: [stat], workloads: [pod('p', ask('st', '192.168.1.20'))] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.fix).toContain('192.168.1.20/24');
  });

  it('fires on host-local addresses outside the range and on the default gateway', () => {
    const fs = run(
      check,
      manifests({
        nads: [hostLocal, nad('gw', { ...base, ipam: { type: 'host-local', subnet: '10.9.0.0/24' } })],
        workloads: [pod('out', ask('hl', '192.168.77.20/24')), pod('gw', ask('gw', '10.9.0.1/24'))],
      }),
    );
    expect(fs.map((f) => f.subject.name).sort()).toEqual(['gw', 'out']);
    expect(fs.find((f) => f.subject.name === 'out')!.message).toContain('192.168.77.100-192.168.77.150');
    expect(fs.find((f) => f.subject.name === 'gw')!.message).toContain('gateway');
  });

  it('fires on something that is not an address, whatever the NAD', () => {
    expect(run(check, manifests({ workloads: [pod('p', ask('unknown', '192.168.1.300/24'))] }))).toHaveLength(1);
  });

  it('accepts good addresses and unrendered values', () => {
    const fs = run(
      check,
      manifests({
        nads: [hostLocal, stat],
        workloads: [
          pod('a', ask('hl', '192.168.77.120/24')),
          pod('b', ask('st', '10.0.0.5/24')),
          pod('c', ask('st', '${IP}')),
          pod('d', ask('unknown', 'fd00::5/64')),
        ],
      }),
    );
    expect(fs).toEqual([]);
  });
});
