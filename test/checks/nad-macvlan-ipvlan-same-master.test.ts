import { describe, expect, it } from 'vitest';
import { nadMacvlanIpvlanSameMaster } from '../../src/checks/nad/nad-macvlan-ipvlan-same-master.js';
import { manifests, nad, pod, run } from '../helpers/snapshot.js';

const att = (name: string, type: string, master: string) =>
  nad(name, { cniVersion: '0.3.1', type, master, ipam: { type: 'static' } });

describe('nad-macvlan-ipvlan-same-master', () => {
  it('is an error when workloads use a macvlan and an ipvlan NAD on the same master', () => {
    const fs = run(
      nadMacvlanIpvlanSameMaster,
      manifests({
        nads: [att('mv', 'macvlan', 'ens3'), att('iv', 'ipvlan', 'ens3')],
        workloads: [pod('a', 'mv'), pod('b', 'iv')],
      }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.evidence).toHaveLength(2);
  });

  it('only warns while no workload uses both kinds (repos keep both variants around)', () => {
    const fs = run(
      nadMacvlanIpvlanSameMaster,
      manifests({ nads: [att('mv', 'macvlan', 'ens3'), att('iv', 'ipvlan', 'ens3')] }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['warning']);
  });

  it('is silent for different masters and for one kind only', () => {
    expect(
      run(
        nadMacvlanIpvlanSameMaster,
        manifests({ nads: [att('mv', 'macvlan', 'ens3'), att('iv', 'ipvlan', 'ens4'), att('mv2', 'macvlan', 'ens3')] }),
      ),
    ).toEqual([]);
  });
});
