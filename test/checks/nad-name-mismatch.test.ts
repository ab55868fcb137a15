import { describe, expect, it } from 'vitest';
import { nadNameMismatch } from '../../src/checks/nad/nad-name-mismatch.js';
import { manifests, nad, run } from '../helpers/snapshot.js';

describe('nad-name-mismatch', () => {
  it('notes a config name that differs from metadata.name, with the host-local store it names', () => {
    const fs = run(
      nadNameMismatch,
      manifests({
        nads: [
          nad('macvlan-conf', {
            cniVersion: '0.3.1',
            name: 'net-macvlan',
            type: 'macvlan',
            ipam: { type: 'host-local', subnet: '10.1.0.0/24' },
          }),
        ],
      }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('info');
    expect(fs[0]!.message).toContain('/var/lib/cni/networks/net-macvlan');
  });

  it('is silent when the names match or the config has no name (multus fills it in)', () => {
    const ok = [
      nad('a', { cniVersion: '0.3.1', name: 'a', type: 'macvlan' }),
      nad('b', { cniVersion: '0.3.1', type: 'macvlan' }),
    ];
    expect(run(nadNameMismatch, manifests({ nads: ok }))).toEqual([]);
  });
});
