import { describe, expect, it } from 'vitest';
import { nadIpamOverlap } from '../../src/checks/nad/nad-ipam-overlap.js';
import { manifests, nad, run } from '../helpers/snapshot.js';

const mv = (name: string, master: string, ipam: object) =>
  nad(name, { cniVersion: '0.3.1', name, type: 'macvlan', master, ipam });

describe('nad-ipam-overlap', () => {
  it('warns when two NADs on one master hand out the same addresses, with both locations', () => {
    const fs = run(
      nadIpamOverlap,
      manifests({
        nads: [
          mv('a', 'eth1', { type: 'host-local', subnet: '10.0.0.0/24' }),
          mv('b', 'eth1', { type: 'whereabouts', range: '10.0.0.64/26' }),
        ],
      }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('warning');
    expect(fs[0]!.message).toContain('default/a');
    expect(fs[0]!.evidence).toHaveLength(2);
  });

  it('is silent for disjoint ranges in one subnet, different masters, and whereabouts on both sides', () => {
    expect(
      run(
        nadIpamOverlap,
        manifests({
          nads: [
            mv('a', 'eth1', {
              type: 'host-local',
              subnet: '10.0.0.0/24',
              rangeStart: '10.0.0.10',
              rangeEnd: '10.0.0.99',
            }),
            mv('b', 'eth1', {
              type: 'host-local',
              subnet: '10.0.0.0/24',
              rangeStart: '10.0.0.100',
              rangeEnd: '10.0.0.199',
            }),
          ],
        }),
      ),
    ).toEqual([]);
    expect(
      run(
        nadIpamOverlap,
        manifests({
          nads: [
            mv('a', 'eth1', { type: 'host-local', subnet: '10.0.0.0/24' }),
            mv('b', 'eth2', { type: 'host-local', subnet: '10.0.0.0/24' }),
          ],
        }),
      ),
    ).toEqual([]);
    expect(
      run(
        nadIpamOverlap,
        manifests({
          nads: [
            mv('a', 'eth1', { type: 'whereabouts', range: '10.0.0.0/24' }),
            mv('b', 'eth1', { type: 'whereabouts', range: '10.0.0.0/25' }),
          ],
        }),
      ),
    ).toEqual([]);
  });

  it('is silent for two host-local NADs sharing one store (same config name)', () => {
    const a = nad('a', {
      cniVersion: '0.3.1',
      name: 'lan',
      type: 'macvlan',
      master: 'eth1',
      ipam: { type: 'host-local', subnet: '10.0.0.0/24' },
    });
    const b = nad(
      'a',
      {
        cniVersion: '0.3.1',
        name: 'lan',
        type: 'macvlan',
        master: 'eth1',
        ipam: { type: 'host-local', subnet: '10.0.0.0/24' },
      },
      { namespace: 'other' },
    );
    expect(run(nadIpamOverlap, manifests({ nads: [a, b] }))).toEqual([]);
  });
});
