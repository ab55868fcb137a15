import { describe, expect, it } from 'vitest';
import { nadCniVersionMissing } from '../../src/checks/nad/nad-cniversion-missing.js';
import { manifests, nad, run } from '../helpers/snapshot.js';

describe('nad-cniversion-missing', () => {
  it('warns when cniVersion is absent (the upstream sriov example)', () => {
    const fs = run(
      nadCniVersionMissing,
      manifests({
        nads: [
          nad('sriov-net-a', {
            name: 'sriov-network',
            type: 'sriov',
            ipam: { type: 'host-local', subnet: '10.56.217.0/24' },
          }),
        ],
      }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('warning');
  });

  it('says that a plugin-level cniVersion in a conflist does not count', () => {
    const fs = run(
      nadCniVersionMissing,
      manifests({ nads: [nad('x', { name: 'x', plugins: [{ cniVersion: '0.4.0', type: 'macvlan' }] })] }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('overwrites');
    expect(fs[0]!.fix).toContain('"cniVersion": "0.4.0"');
  });

  it('is silent with a top-level cniVersion or a cniVersions list', () => {
    const ok = [
      nad('a', { cniVersion: '0.3.1', type: 'macvlan' }),
      nad('b', { cniVersions: ['0.4.0', '1.0.0'], name: 'b', plugins: [{ type: 'macvlan' }] }),
    ];
    expect(run(nadCniVersionMissing, manifests({ nads: ok }))).toEqual([]);
  });
});
