/**
 * Ground truth from the real lab cluster (../shared/corpus/lab, single node, multus v4.1.4):
 * its healthy NADs must draw no error or warning from any NAD check, and its master-missing
 * scenario (macvlan on eth9, which the node does not have) must be explained.
 */
import { describe, expect, it } from 'vitest';
import { nadChecks } from '../../src/checks/nad/index.js';
import { analyze } from '../../src/checks/analysis.js';
import { inspection, multus, snapshot } from '../helpers/snapshot.js';
import { labJson, labNads } from './lab.js';
import type { NadObject, NodeInfo } from '../../src/snapshot/types.js';

function labNode(): NodeInfo {
  const n = labJson('healthy__nodes.json').items[0];
  return {
    name: n.metadata.name,
    labels: n.metadata.labels,
    taints: n.spec.taints ?? [],
    podCIDRs: n.spec.podCIDRs,
    addresses: n.status.addresses,
    ready: true,
    // lab/README.md: host veth lan0 is the fake LAN; cni0 is the primary bridge.
    inspection: inspection({
      interfaces: [
        { name: 'lo', mtu: 65536 },
        { name: 'eth0', mtu: 1500 },
        { name: 'lan0', mtu: 1500 },
        { name: 'cni0', type: 'bridge', mtu: 1500, addresses: ['10.42.0.1/24'] },
      ],
    }),
  };
}

function runAll(nads: NadObject[]) {
  const a = analyze(
    snapshot({
      cluster: { distribution: 'kubeadm', podCIDRs: ['10.42.0.0/24'] },
      nodes: [labNode()],
      multus: [multus()],
      nads,
    }),
  );
  return nadChecks.flatMap((c) => c.run(a));
}

describe('NAD checks on the lab cluster', () => {
  it('find nothing wrong with the healthy NADs (macvlan on lan0, host-local and dhcp)', () => {
    // nad-default-route (another check's call) rightly warns that DHCP may install a default route.
    const fs = runAll(labNads()).filter((f) => f.id !== 'nad-default-route');
    expect(fs.filter((f) => f.severity !== 'info').map((f) => `${f.id}: ${f.message}`)).toEqual([]);
  });

  it('explain the master-missing scenario', () => {
    const n = labJson('master-missing__nad-lan-eth9.json');
    const fs = runAll([{ name: n.metadata.name, namespace: n.metadata.namespace, config: n.spec.config }]);
    const hit = fs.filter((f) => f.severity === 'error');
    expect(hit.map((f) => f.id)).toEqual(['nad-master-missing']);
    expect(hit[0]!.message).toContain('"eth9"');
    expect(hit[0]!.message).toContain('lab-node');
  });
});

describe('NAD checks on arbitrary shapes', () => {
  it('never throw, whatever types the known keys hold', async () => {
    const fc = (await import('fast-check')).default;
    const { dir, node, pod } = await import('../helpers/snapshot.js');
    const keys = [
      'type',
      'master',
      'device',
      'mode',
      'mtu',
      'vlanId',
      'bridge',
      'vlan',
      'capabilities',
      'linkInContainer',
      'isDefaultGateway',
      'mac',
      'name',
      'cniVersion',
    ];
    const ipamKeys = [
      'type',
      'subnet',
      'rangeStart',
      'rangeEnd',
      'gateway',
      'ranges',
      'routes',
      'addresses',
      'range',
      'range_start',
      'range_end',
      'exclude',
      'ipRanges',
      'dataDir',
      'enable_overlapping_ranges',
      'network_name',
    ];
    const scalar = fc.oneof(
      fc.constantFrom(
        'macvlan',
        'ipvlan',
        'vlan',
        'bridge',
        'host-device',
        'tuning',
        'host-local',
        'static',
        'whereabouts',
        'dhcp',
        'eth1',
        '10.0.0.0/24',
        '10.0.0.5',
        '10.0.0.1-10.0.0.9/24',
        'fd00::/64',
        '${X}',
        '',
        'constructor',
        '__proto__',
        'toString',
      ),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom(...ipamKeys, 'dst', 'gw', 'address'), tie('v'), { maxKeys: 3 }),
      ),
    })).v;
    const plugin = fc.record(
      {
        ...Object.fromEntries(keys.map((k) => [k, value])),
        ipam: fc.oneof(value, fc.dictionary(fc.constantFrom(...ipamKeys), value, { maxKeys: 6 })),
      },
      { requiredKeys: [] },
    );
    const config = fc.oneof(
      plugin,
      fc.record(
        { cniVersion: value, name: value, plugins: fc.array(fc.oneof(plugin, value), { maxLength: 3 }) },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(fc.array(config, { minLength: 1, maxLength: 3 }), (configs) => {
        const nads = configs.map((c, i) => ({ name: `n${i}`, namespace: 'default', config: JSON.stringify(c) }));
        const nodes = [
          node('a', {
            addresses: [{ type: 'InternalIP', address: '10.0.0.5' }],
            inspection: inspection({
              interfaces: [{ name: 'eth1', mtu: 1500, wireless: true, addresses: ['10.0.0.5/24'] }],
              dirs: { '/opt/cni/bin': dir(['macvlan']) },
            }),
          }),
          node('b'),
        ];
        const a = analyze(
          snapshot({
            cluster: { distribution: 'k3s', podCIDRs: ['10.42.0.0/16'], serviceCIDRs: ['10.43.0.0/16'] },
            nodes,
            nads,
            workloads: [pod('p', 'n0')],
          }),
        );
        for (const c of nadChecks) c.run(a);
      }),
      { numRuns: 300 },
    );
  });
});
