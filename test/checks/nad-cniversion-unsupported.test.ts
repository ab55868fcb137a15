import { describe, expect, it } from 'vitest';
import { nadCniVersionUnsupported } from '../../src/checks/nad/nad-cniversion-unsupported.js';
import { manifests, multus, nad, run, snapshot } from '../helpers/snapshot.js';

describe('nad-cniversion-unsupported', () => {
  it('fires on a version string plugins do not implement ("1.0")', () => {
    const fs = run(nadCniVersionUnsupported, manifests({ nads: [nad('x', { cniVersion: '1.0', type: 'macvlan' })] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.fix).toContain('"cniVersion": "1.0.0"');
  });

  it('fires on a number instead of a string', () => {
    expect(
      run(nadCniVersionUnsupported, manifests({ nads: [nad('x', '{"cniVersion": 0.3, "type": "macvlan"}')] })),
    ).toHaveLength(1);
  });

  it('fires when multus v3 meets cniVersion 1.0.0', () => {
    const s = snapshot({
      multus: [multus({ version: 'v3.9.3', image: 'ghcr.io/k8snetworkplumbingwg/multus-cni:v3.9.3' })],
      nads: [nad('x', { cniVersion: '1.0.0', type: 'macvlan' })],
    });
    const fs = run(nadCniVersionUnsupported, s);
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('v3.9.3');
  });

  it('accepts every real version, 1.1.0 with multus v4.1, and unrendered templates', () => {
    const s = snapshot({
      multus: [multus({ version: 'v4.1.4' })],
      nads: ['0.3.1', '0.4.0', '1.0.0', '1.1.0', '${CNI_VERSION}'].map((v, i) =>
        nad(`n${i}`, { cniVersion: v, type: 'macvlan' }),
      ),
    });
    expect(run(nadCniVersionUnsupported, s)).toEqual([]);
  });
});
