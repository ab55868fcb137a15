import { describe, expect, it } from 'vitest';
import { nadStaticWithoutAddresses } from '../../src/checks/nad/nad-static-without-addresses.js';
import { manifests, nad, pod, run } from '../helpers/snapshot.js';

const st = (p: object = {}) =>
  nad('lan', { cniVersion: '0.3.1', type: 'macvlan', master: 'eth0', ipam: { type: 'static' }, ...p });

describe('nad-static-without-addresses', () => {
  it('is an error naming the pod that requests the network without "ips"', () => {
    const fs = run(nadStaticWithoutAddresses, manifests({ nads: [st()], workloads: [pod('web', 'lan')] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('Pod default/web');
    expect(fs[0]!.message).toContain('IPAM plugin returned missing IP config');
  });

  it('only warns when the pods pass "ips" (works through the legacy IP= argument) or none are known', () => {
    expect(
      run(
        nadStaticWithoutAddresses,
        manifests({ nads: [st()], workloads: [pod('web', [{ name: 'lan', ips: ['192.168.1.5/24'] }])] }),
      ).map((f) => f.severity),
    ).toEqual(['warning']);
    expect(run(nadStaticWithoutAddresses, manifests({ nads: [st()] })).map((f) => f.severity)).toEqual(['warning']);
  });

  it('is silent with the ips capability or fixed addresses', () => {
    const ok = [
      st({ capabilities: { ips: true } }),
      nad('b', {
        cniVersion: '0.3.1',
        type: 'macvlan',
        master: 'eth0',
        ipam: { type: 'static', addresses: [{ address: '10.0.0.5/24' }] },
      }),
    ];
    expect(run(nadStaticWithoutAddresses, manifests({ nads: ok, workloads: [pod('web', 'lan')] }))).toEqual([]);
  });
});
