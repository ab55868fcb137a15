import { describe, expect, it } from 'vitest';
import { nadMtuExceedsMaster } from '../../src/checks/nad/nad-mtu-exceeds-master.js';
import { inspection, manifests, nad, node, run, snapshot } from '../helpers/snapshot.js';

const nodes = [node('n1', { inspection: inspection({ interfaces: [{ name: 'eth1', mtu: 1500 }] }) })];

describe('nad-mtu-exceeds-master', () => {
  it('is an error when mtu exceeds the master MTU on a node, quoting the plugin error', () => {
    const fs = run(
      nadMtuExceedsMaster,
      snapshot({ nodes, nads: [nad('j', { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1', mtu: 9000 })] }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('invalid MTU 9000, must be [0, master MTU(1500)]');
  });

  it('also catches a chained tuning plugin raising the MTU', () => {
    const cfg = {
      cniVersion: '0.3.1',
      name: 'j',
      plugins: [
        { type: 'ipvlan', master: 'eth1' },
        { type: 'tuning', mtu: 9000 },
      ],
    };
    expect(run(nadMtuExceedsMaster, snapshot({ nodes, nads: [nad('j', cfg)] }))).toHaveLength(1);
  });

  it('catches a quoted or negative mtu offline', () => {
    const fs = run(
      nadMtuExceedsMaster,
      manifests({
        nads: [
          nad('a', { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1', mtu: '1500' }),
          nad('b', { cniVersion: '0.3.1', type: 'vlan', master: 'eth1', vlanId: 5, mtu: -1 }),
        ],
      }),
    );
    expect(fs.map((f) => f.subject.name)).toEqual(['a', 'b']);
  });

  it('is silent when mtu fits, offline with a number, and for bridge', () => {
    expect(
      run(
        nadMtuExceedsMaster,
        snapshot({
          nodes,
          nads: [
            nad('a', { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1', mtu: 1500 }),
            nad('b', { cniVersion: '0.3.1', type: 'bridge', mtu: 9000 }),
          ],
        }),
      ),
    ).toEqual([]);
    expect(
      run(
        nadMtuExceedsMaster,
        manifests({ nads: [nad('a', { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1', mtu: 9000 })] }),
      ),
    ).toEqual([]);
  });
});
