import { describe, expect, it } from 'vitest';
import { nadIpamOverlapsCluster } from '../../src/checks/nad/nad-ipam-overlaps-cluster.js';
import { manifests, nad, node, pod, run, snapshot } from '../helpers/snapshot.js';

const mv = (name: string, ipam: object) => nad(name, { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1', ipam });
const k3s = { distribution: 'k3s' as const, podCIDRs: ['10.42.0.0/16'], serviceCIDRs: ['10.43.0.0/16'] };

describe('nad-ipam-overlaps-cluster', () => {
  it('is an error when the NAD subnet overlaps the pod or the service network', () => {
    const fs = run(
      nadIpamOverlapsCluster,
      snapshot({
        cluster: k3s,
        nads: [
          mv('p', { type: 'host-local', subnet: '10.42.5.0/24' }),
          mv('s', { type: 'whereabouts', range: '10.0.0.0/8' }),
        ],
      }),
    );
    expect(fs.map((f) => [f.subject.name, f.severity])).toEqual([
      ['p', 'error'],
      ['s', 'error'],
    ]);
    expect(fs[0]!.message).toContain('10.42.0.0/16');
  });

  it("is an error when the pool can hand out a node's address", () => {
    const nodes = [node('n1', { addresses: [{ type: 'InternalIP', address: '192.168.1.20' }] })];
    const fs = run(
      nadIpamOverlapsCluster,
      snapshot({ nodes, nads: [mv('lan', { type: 'whereabouts', range: '192.168.1.0/24' })] }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.fix).toContain('"192.168.1.20/32"');
  });

  it("is silent for the node LAN's subnet when the pool leaves the nodes out, and offline", () => {
    const nodes = [node('n1', { addresses: [{ type: 'InternalIP', address: '192.168.1.20' }] })];
    const ok = mv('lan', {
      type: 'host-local',
      subnet: '192.168.1.0/24',
      rangeStart: '192.168.1.100',
      rangeEnd: '192.168.1.150',
    });
    expect(run(nadIpamOverlapsCluster, snapshot({ cluster: k3s, nodes, nads: [ok] }))).toEqual([]);
    expect(
      run(nadIpamOverlapsCluster, manifests({ nads: [mv('p', { type: 'host-local', subnet: '10.42.5.0/24' })] })),
    ).toEqual([]);
  });
});

describe('nad-ipam-overlaps-cluster and replacement default networks', () => {
  it('does not flag a NAD that pods use as their default network (it is the pod network)', () => {
    const primary = mv('primary', { type: 'host-local', subnet: '10.42.0.0/24' });
    const p = pod('p', undefined, { podAnnotations: { 'v1.multus-cni.io/default-network': 'default/primary' } });
    expect(run(nadIpamOverlapsCluster, snapshot({ cluster: k3s, nads: [primary], workloads: [p] }))).toEqual([]);
  });
});
