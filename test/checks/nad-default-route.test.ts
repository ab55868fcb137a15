import { describe, expect, it } from 'vitest';
import { nadDefaultRoute } from '../../src/checks/nad/nad-default-route.js';
import { manifests, nad, pod, run, snapshot } from '../helpers/snapshot.js';
import { labJson, labNads, labPod } from './lab.js';
import { itCorpus } from '../helpers/corpus.js';

const check = nadDefaultRoute;
const macvlan = { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1' };
const staticDefault = {
  ...macvlan,
  ipam: {
    type: 'static',
    addresses: [{ address: '192.168.1.20/24' }],
    routes: [{ dst: '0.0.0.0/0', gw: '192.168.1.1' }],
  },
};

describe('nad-default-route', () => {
  it('warns on an IPAM route to 0.0.0.0/0 and points at it', () => {
    const text = JSON.stringify(staticDefault, null, 2);
    const fs = run(check, manifests({ nads: [nad('lan', text)] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('warning');
    expect(fs[0]!.evidence[0]).toMatchObject({
      value: '0.0.0.0/0 via 192.168.1.1',
      line: text.split('\n').findIndex((l) => l.includes('"dst"')) + 1,
    });
  });

  it('warns on dhcp IPAM and on bridge isDefaultGateway', () => {
    const fs = run(
      check,
      manifests({
        nads: [
          nad('d', { ...macvlan, ipam: { type: 'dhcp' } }),
          nad('b', {
            cniVersion: '0.3.1',
            type: 'bridge',
            bridge: 'br1',
            isDefaultGateway: true,
            ipam: { type: 'host-local', subnet: '10.5.0.0/24' },
          }),
        ],
      }),
    );
    expect(fs.map((f) => [f.subject.name, f.severity]).sort()).toEqual([
      ['b', 'warning'],
      ['d', 'warning'],
    ]);
  });

  itCorpus('says the DHCP server does hand out a router when a running pod shows it (lab healthy-dhcp-mac)', () => {
    const fs = run(check, snapshot({ nads: labNads(), workloads: [labPod(labJson('healthy-dhcp-mac__pod.json'))] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.subject.name).toBe('macvlan-lan-dhcp');
    expect(fs[0]!.message).toContain("seen in a pod's network-status");
  });

  it("is only info when flannel's Network covers the service CIDR", () => {
    const s = snapshot({
      cluster: { distribution: 'k3s', serviceCIDRs: ['10.43.0.0/16'] },
      flannel: {
        source: '/var/lib/rancher/k3s/agent/etc/flannel/net-conf.json',
        mode: 'kube-subnet-mgr',
        embedded: true,
        netConf: '{"Network": "10.42.0.0/15", "Backend": {"Type": "vxlan"}}',
      },
      nads: [nad('lan', staticDefault)],
    });
    expect(run(check, s).map((f) => f.severity)).toEqual(['info']);
  });

  it('does not fire with sbr chained, with specific routes only, or when a dhcp server gives no router', () => {
    const sbr = { cniVersion: '0.3.1', name: 'lan', plugins: [staticDefault, { type: 'sbr' }] };
    const specific = { ...macvlan, ipam: { type: 'static', routes: [{ dst: '10.0.0.0/8', gw: '192.168.1.1' }] } };
    const status = JSON.stringify([
      { name: 'cbr0', interface: 'eth0', default: true },
      { name: 'default/d', interface: 'net1', ips: ['192.168.9.5'], gateway: ['<nil>'] },
    ]);
    const p = pod('p', 'd', { phase: 'Running' });
    p.podAnnotations['k8s.v1.cni.cncf.io/network-status'] = status;
    const fs = run(
      check,
      snapshot({
        nads: [nad('s', sbr), nad('x', specific), nad('d', { ...macvlan, ipam: { type: 'dhcp' } })],
        workloads: [p],
      }),
    );
    expect(fs).toEqual([]);
  });
});
