import { describe, expect, it } from 'vitest';
import { nadMasterMissing } from '../../src/checks/nad/nad-master-missing.js';
import { inspection, manifests, nad, node, pod, run, snapshot } from '../helpers/snapshot.js';
import type { NodeInfo } from '../../src/snapshot/types.js';

const lan = (master: string, type = 'macvlan', field = 'master') =>
  nad('lan', { cniVersion: '0.3.1', type, [field]: master, ipam: { type: 'dhcp' } });
const withIfs = (name: string, ifs: string[], p: Partial<NodeInfo> = {}) =>
  node(name, { inspection: inspection({ interfaces: ifs.map((n) => ({ name: n, mtu: 1500 })) }), ...p });

describe('nad-master-missing', () => {
  it('is an error when no node has the master (the lab scenario: eth9)', () => {
    const fs = run(
      nadMasterMissing,
      snapshot({ nodes: [withIfs('lab-node', ['lo', 'eth0', 'lan0'])], nads: [lan('eth9')] }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('failed to lookup master "eth9": Link not found');
    expect(fs[0]!.evidence.some((e) => e.node === 'lab-node' && e.value?.includes('lan0'))).toBe(true);
  });

  it('warns when only some nodes have it, naming both sides', () => {
    const fs = run(
      nadMasterMissing,
      snapshot({ nodes: [withIfs('a', ['eth0', 'eth1']), withIfs('b', ['eth0', 'end0'])], nads: [lan('eth1')] }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['warning']);
    expect(fs[0]!.message).toMatch(/exists on a but not on b/);
  });

  it('ignores a tainted control-plane node that lacks it', () => {
    const cp = withIfs('cp', ['eth0'], {
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
    });
    expect(
      run(nadMasterMissing, snapshot({ nodes: [cp, withIfs('w', ['eth0', 'eth1'])], nads: [lan('eth1')] })),
    ).toEqual([]);
  });

  it('does not blame a host-device that a pod of this NAD currently holds', () => {
    const s = snapshot({
      nodes: [withIfs('w', ['eth0'])],
      nads: [lan('ens5', 'host-device', 'device')],
      workloads: [pod('p', 'lan', { nodeName: 'w' })],
    });
    expect(run(nadMasterMissing, s)).toEqual([]);
  });

  it('stays silent offline and when interfaces were not collected', () => {
    expect(run(nadMasterMissing, manifests({ nads: [lan('eth9')] }))).toEqual([]);
    expect(run(nadMasterMissing, snapshot({ nodes: [node('n')], nads: [lan('eth9')] }))).toEqual([]);
  });
});
