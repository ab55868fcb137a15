import { describe, expect, it } from 'vitest';
import { nadIpamMissing } from '../../src/checks/nad/nad-ipam-missing.js';
import { manifests, nad, run } from '../helpers/snapshot.js';

describe('nad-ipam-missing', () => {
  it('notes a macvlan without ipam (L2 only is legitimate)', () => {
    const fs = run(
      nadIpamMissing,
      manifests({ nads: [nad('x', { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1' })] }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['info']);
  });

  it('is an error for an unchained ipvlan, which always runs an IPAM plugin', () => {
    const fs = run(
      nadIpamMissing,
      manifests({ nads: [nad('x', { cniVersion: '0.3.1', type: 'ipvlan', master: 'eth1', ipam: {} })] }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['error']);
  });

  it('warns when ipam has settings but no type (silently skipped)', () => {
    const fs = run(
      nadIpamMissing,
      manifests({
        nads: [nad('x', { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1', ipam: { range: '10.0.0.0/24' } })],
      }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['warning']);
    expect(fs[0]!.fix).toContain('whereabouts');
  });

  it('is silent with an IPAM type, and for third-party plugins', () => {
    const ok = [
      nad('a', { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1', ipam: { type: 'dhcp' } }),
      nad('b', { cniVersion: '0.3.1', type: 'sriov' }),
    ];
    expect(run(nadIpamMissing, manifests({ nads: ok }))).toEqual([]);
  });
});
