import { describe, expect, it } from 'vitest';
import { nadIpvlanDhcp } from '../../src/checks/nad/nad-ipvlan-dhcp.js';
import { manifests, nad, run } from '../helpers/snapshot.js';

describe('nad-ipvlan-dhcp', () => {
  it('warns on ipvlan with DHCP IPAM', () => {
    const fs = run(
      nadIpvlanDhcp,
      manifests({ nads: [nad('x', { cniVersion: '0.3.1', type: 'ipvlan', master: 'eth0', ipam: { type: 'dhcp' } })] }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['warning']);
  });

  it('is silent for macvlan with DHCP and ipvlan with whereabouts', () => {
    const ok = [
      nad('a', { cniVersion: '0.3.1', type: 'macvlan', master: 'eth0', ipam: { type: 'dhcp' } }),
      nad('b', {
        cniVersion: '0.3.1',
        type: 'ipvlan',
        master: 'eth0',
        ipam: { type: 'whereabouts', range: '10.0.0.0/24' },
      }),
    ];
    expect(run(nadIpvlanDhcp, manifests({ nads: ok }))).toEqual([]);
  });
});
