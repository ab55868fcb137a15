import { describe, expect, it } from 'vitest';
import { flannelNetworkExcludesPodCidr } from '../../src/checks/flannel/flannel-network-excludes-pod-cidr.js';
import { flannelNetworkExcludesServiceCidr } from '../../src/checks/flannel/flannel-network-excludes-service-cidr.js';
import { flannelSubnetRangeOverlapsServices } from '../../src/checks/flannel/flannel-subnet-range-overlaps-services.js';
import { flannelSubnetLimitsIgnored } from '../../src/checks/flannel/flannel-subnet-limits-ignored.js';
import { flannelConfigInconsistent } from '../../src/checks/flannel/flannel-config-inconsistent.js';
import { inspection, nad, node, pod, run, snapshot } from '../helpers/snapshot.js';
import type { FlannelInfo, Snapshot } from '../../src/snapshot/types.js';

const K3S_NETCONF = '/var/lib/rancher/k3s/agent/etc/flannel/net-conf.json';
function k3s(netConf: object, p: Partial<Snapshot> = {}): Snapshot {
  const flannel: FlannelInfo = {
    source: K3S_NETCONF,
    mode: 'kube-subnet-mgr',
    embedded: true,
    netConf: JSON.stringify(netConf, null, 2),
  };
  return snapshot({
    cluster: { distribution: 'k3s', serviceCIDRs: ['10.43.0.0/16'], podCIDRs: ['10.42.0.0/16'] },
    nodes: [node('n1', { podCIDRs: ['10.42.0.0/24'] }), node('n2', { podCIDRs: ['10.42.1.0/24'] })],
    flannel,
    ...p,
  });
}
function vanilla(netConf: object, mode: FlannelInfo['mode'] = 'kube-subnet-mgr', p: Partial<Snapshot> = {}): Snapshot {
  return snapshot({
    cluster: { distribution: 'kubeadm', serviceCIDRs: ['10.96.0.0/12'], podCIDRs: ['10.244.0.0/16'] },
    nodes: [node('n1', { podCIDRs: ['10.244.0.0/24'] })],
    flannel: { source: 'configmap kube-flannel/kube-flannel-cfg', mode, netConf: JSON.stringify(netConf) },
    ...p,
  });
}
const vx = { Type: 'vxlan' };

describe('flannel-network-excludes-pod-cidr', () => {
  it('fires when a node podCIDR is outside Network (kube-subnet-mgr)', () => {
    const fs = run(flannelNetworkExcludesPodCidr, k3s({ Network: '10.42.0.0/24', Backend: vx }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('n2');
    expect(fs[0]!.fix).toContain('10.42.0.0/16');
  });

  it('does not fire when Network contains every podCIDR, nor in etcd mode', () => {
    expect(run(flannelNetworkExcludesPodCidr, k3s({ Network: '10.42.0.0/16', Backend: vx }))).toEqual([]);
    expect(run(flannelNetworkExcludesPodCidr, vanilla({ Network: '10.10.0.0/16', Backend: vx }, 'etcd'))).toEqual([]);
  });
});

describe('flannel-network-excludes-service-cidr', () => {
  it('notes (info) the latent gap on K3s defaults and gives the 10.42.0.0/15 recipe through --flannel-conf', () => {
    // Nothing moves the default route: the defaults work, so this must not be a warning or error.
    const fs = run(flannelNetworkExcludesServiceCidr, k3s({ Network: '10.42.0.0/16', EnableIPv6: false, Backend: vx }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('info');
    expect(fs[0]!.message).toContain('10.43.0.0/16');
    expect(fs[0]!.fix).toContain('"Network": "10.42.0.0/15"');
    expect(fs[0]!.fix).toContain('flannel-conf:');
    expect(fs[0]!.fix).not.toContain('"SubnetMax"');
  });

  it('is an error once a pod moves its default route to a secondary interface', () => {
    const s = k3s(
      { Network: '10.42.0.0/16', Backend: vx },
      {
        nads: [nad('lan', { cniVersion: '0.3.1', type: 'macvlan', master: 'eth0', ipam: { type: 'static' } })],
        workloads: [pod('p', [{ name: 'lan', ips: ['192.168.1.5/24'], 'default-route': ['192.168.1.1'] }])],
      },
    );
    const fs = run(flannelNetworkExcludesServiceCidr, s);
    expect(fs.map((f) => f.severity)).toEqual(['error']);
    expect(fs[0]!.message).toContain('default-route 192.168.1.1');
  });

  it('patches kube-flannel-cfg on vanilla flannel (seed 001 recipe) and bounds leases in etcd mode', () => {
    const kube = run(flannelNetworkExcludesServiceCidr, vanilla({ Network: '10.244.0.0/16', Backend: vx }))[0]!;
    expect(kube.fix).toContain('kubectl patch configmap/kube-flannel-cfg -n kube-flannel --type json');
    expect(kube.fix).toContain('/data/net-conf.json');
    const etcd = run(
      flannelNetworkExcludesServiceCidr,
      k3s(
        { Network: '10.42.0.0/16', Backend: vx },
        {
          flannel: {
            source: 'configmap kube-flannel/kube-flannel-cfg',
            mode: 'etcd',
            netConf: '{"Network": "10.42.0.0/16"}',
          },
        },
      ),
    )[0]!;
    expect(etcd.fix).toContain('\\"SubnetMax\\":\\"10.42.255.0\\"');
  });

  it('does not fire when Network already covers the service CIDR', () => {
    expect(run(flannelNetworkExcludesServiceCidr, k3s({ Network: '10.42.0.0/15', Backend: vx }))).toEqual([]);
  });
});

describe('flannel-subnet-range-overlaps-services', () => {
  it('fires in etcd mode when the widened Network has no SubnetMax', () => {
    const fs = run(
      flannelSubnetRangeOverlapsServices,
      k3s(
        { Network: '10.42.0.0/15', Backend: vx },
        {
          flannel: {
            source: 'configmap kube-flannel/kube-flannel-cfg',
            mode: 'etcd',
            netConf: '{"Network": "10.42.0.0/15"}',
          },
        },
      ),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.fix).toContain('SubnetMax 10.42.255.0');
  });

  it("does not fire with the guide's SubnetMax, or in kube-subnet-mgr mode", () => {
    expect(
      run(
        flannelSubnetRangeOverlapsServices,
        k3s(
          {},
          {
            flannel: { source: 'x', mode: 'etcd', netConf: '{"Network": "10.42.0.0/15", "SubnetMax": "10.42.253.0"}' },
          },
        ),
      ),
    ).toEqual([]);
    expect(run(flannelSubnetRangeOverlapsServices, k3s({ Network: '10.42.0.0/15', Backend: vx }))).toEqual([]);
  });
});

describe('flannel-subnet-limits-ignored', () => {
  it('notes SubnetMax set under kube-subnet-mgr', () => {
    const fs = run(flannelSubnetLimitsIgnored, vanilla({ Network: '10.0.0.0/8', SubnetMax: '10.99.0.0', Backend: vx }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('info');
    expect(fs[0]!.message).toContain('SubnetMax');
  });

  it('is silent in etcd mode or without the keys', () => {
    expect(run(flannelSubnetLimitsIgnored, vanilla({ Network: '10.0.0.0/8', SubnetMax: '10.99.0.0' }, 'etcd'))).toEqual(
      [],
    );
    expect(run(flannelSubnetLimitsIgnored, vanilla({ Network: '10.244.0.0/16' }))).toEqual([]);
  });
});

describe('flannel-config-inconsistent', () => {
  const env = (network: string, subnet: string) =>
    `FLANNEL_NETWORK=${network}\nFLANNEL_SUBNET=${subnet}\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n`;
  const withEnv = (content: string) => [
    node('n1', {
      podCIDRs: ['10.42.0.0/24'],
      inspection: inspection({ files: { '/run/flannel/subnet.env': { exists: true, content } } }),
    }),
  ];

  it('warns when subnet.env still has the old Network', () => {
    const fs = run(
      flannelConfigInconsistent,
      k3s({ Network: '10.42.0.0/15', Backend: vx }, { nodes: withEnv(env('10.42.0.0/16', '10.42.0.1/24')) }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('warning');
    expect(fs[0]!.fix).toContain('systemctl restart k3s');
  });

  it('is silent when subnet.env matches net-conf.json and the node podCIDR', () => {
    expect(
      run(
        flannelConfigInconsistent,
        k3s({ Network: '10.42.0.0/16', Backend: vx }, { nodes: withEnv(env('10.42.0.0/16', '10.42.0.1/24')) }),
      ),
    ).toEqual([]);
  });
});

describe('flannel-network-excludes-service-cidr without net-conf.json', () => {
  const noConf = (p: Partial<Snapshot> = {}) =>
    snapshot({
      cluster: { distribution: 'k3s', serviceCIDRs: ['10.43.0.0/16'] },
      flannel: {
        source: 'K3s embedded flannel (node annotations; net-conf.json not read)',
        mode: 'kube-subnet-mgr',
        embedded: true,
      },
      ...p,
    });
  it('says it could not verify when a pod moves the default route', () => {
    const fs = run(
      flannelNetworkExcludesServiceCidr,
      noConf({ workloads: [pod('p', [{ name: 'lan', 'default-route': ['192.168.1.1'] }])] }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['info']);
  });
  it('stays silent otherwise', () => {
    expect(run(flannelNetworkExcludesServiceCidr, noConf())).toEqual([]);
  });
});
