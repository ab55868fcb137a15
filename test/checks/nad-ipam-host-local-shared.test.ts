import { describe, expect, it } from 'vitest';
import { nadIpamHostLocalShared } from '../../src/checks/nad/nad-ipam-host-local-shared.js';
import { manifests, nad, node, run, snapshot } from '../helpers/snapshot.js';

const hl = nad('lan', {
  cniVersion: '0.3.1',
  type: 'macvlan',
  master: 'eth1',
  ipam: { type: 'host-local', subnet: '192.168.1.0/24' },
});

describe('nad-ipam-host-local-shared', () => {
  it('warns on a cluster with several schedulable nodes, with a whereabouts fix for the distribution', () => {
    const fs = run(
      nadIpamHostLocalShared,
      snapshot({ cluster: { distribution: 'rke2' }, nodes: [node('a'), node('b')], nads: [hl] }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['warning']);
    expect(fs[0]!.fix).toContain('rke2-whereabouts');
  });

  it('only notes it offline, where the node count is unknown', () => {
    expect(run(nadIpamHostLocalShared, manifests({ nads: [hl] })).map((f) => f.severity)).toEqual(['info']);
  });

  it('is silent on a single schedulable node (tainted control plane aside) and for whereabouts', () => {
    const cp = node('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });
    expect(run(nadIpamHostLocalShared, snapshot({ nodes: [cp, node('w')], nads: [hl] }))).toEqual([]);
    const wb = nad('wb', {
      cniVersion: '0.3.1',
      type: 'macvlan',
      master: 'eth1',
      ipam: { type: 'whereabouts', range: '192.168.1.0/24' },
    });
    expect(run(nadIpamHostLocalShared, snapshot({ nodes: [node('a'), node('b')], nads: [wb] }))).toEqual([]);
  });
});
