import { describe, expect, it } from 'vitest';
import { nadMasterUnset } from '../../src/checks/nad/nad-master-unset.js';
import { manifests, nad, run } from '../helpers/snapshot.js';

describe('nad-master-unset', () => {
  it('warns on macvlan without master', () => {
    const fs = run(nadMasterUnset, manifests({ nads: [nad('x', { cniVersion: '0.3.1', type: 'macvlan', ipam: {} })] }));
    expect(fs.map((f) => f.severity)).toEqual(['warning']);
    expect(fs[0]!.message).toContain('default route');
  });

  it('is an error for vlan, which has no default master', () => {
    expect(
      run(nadMasterUnset, manifests({ nads: [nad('v', { cniVersion: '0.3.1', type: 'vlan', vlanId: 100 })] })).map(
        (f) => f.severity,
      ),
    ).toEqual(['error']);
  });

  it('is silent with a master, and for a chained ipvlan (master from the previous result)', () => {
    const ok = [
      nad('a', { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1' }),
      nad('b', { cniVersion: '0.3.1', name: 'b', plugins: [{ type: 'bridge' }, { type: 'ipvlan' }] }),
    ];
    expect(run(nadMasterUnset, manifests({ nads: ok }))).toEqual([]);
  });
});
