import { describe, expect, it } from 'vitest';
import { podMacWithoutCapability } from '../../src/checks/pod/pod-mac-without-capability.js';
import { manifests, nad, pod, run, snapshot, workload } from '../helpers/snapshot.js';
import { labJson, labNads, labPod } from './lab.js';
import { itCorpus } from '../helpers/corpus.js';

const check = podMacWithoutCapability;
const macvlan = { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1', ipam: { type: 'dhcp' } };
const withMac = (mac: string) => [{ name: 'lan', mac }];

describe('pod-mac-without-capability', () => {
  it('is an error for ipvlan, which shares the master MAC', () => {
    const fs = run(
      check,
      manifests({
        nads: [nad('lan', { ...macvlan, type: 'ipvlan', capabilities: { mac: true } })],
        workloads: [pod('p', withMac('02:00:00:00:00:01'))],
      }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('ipvlan');
  });

  it('is an error for host-device without a tuning plugin', () => {
    const fs = run(
      check,
      manifests({
        nads: [nad('lan', { cniVersion: '0.3.1', type: 'host-device', device: 'eth2' })],
        workloads: [pod('p', withMac('02:00:00:00:00:01'))],
      }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['error']);
  });

  itCorpus('is a warning for macvlan without the capability: the lab pod got its MAC through the legacy path', () => {
    // Lab scenario mac-no-capability: macvlan-lan has no capabilities, the pod ran with the requested MAC.
    const p = labPod(labJson('mac-no-capability__pod.json'));
    const fs = run(check, snapshot({ nads: labNads(), workloads: [p] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('warning');
    expect(fs[0]!.fix).toContain('"capabilities": {"mac": true}');
  });

  it('becomes an error when network-status shows another MAC', () => {
    const status = JSON.stringify([
      { name: 'lab-bridge', interface: 'eth0', default: true },
      { name: 'default/lan', interface: 'net1', mac: '9a:00:00:00:00:09' },
    ]);
    const p = pod('p', withMac('02:00:00:00:00:01'), { phase: 'Running' });
    p.podAnnotations['k8s.v1.cni.cncf.io/network-status'] = status;
    const fs = run(check, snapshot({ nads: [nad('lan', macvlan)], workloads: [p] }));
    expect(fs.map((f) => f.severity)).toEqual(['error']);
    expect(fs[0]!.message).toContain('not applied');
  });

  it('reads network-status from the pods of a Deployment', () => {
    const status = JSON.stringify([{ name: 'default/lan', interface: 'net1', mac: '9a:00:00:00:00:09' }]);
    const d = workload('Deployment', 'web', withMac('02:00:00:00:00:01'));
    const p = pod('web-1', withMac('02:00:00:00:00:01'), {
      phase: 'Running',
      owner: { kind: 'Deployment', name: 'web' },
    });
    p.podAnnotations['k8s.v1.cni.cncf.io/network-status'] = status;
    const fs = run(check, snapshot({ nads: [nad('lan', macvlan)], workloads: [d, p] }));
    expect(fs.map((f) => [f.subject.name, f.severity])).toEqual([['web', 'error']]);
  });

  it('says nothing when a plugin of the chain declares the capability', () => {
    const conflist = {
      cniVersion: '0.3.1',
      name: 'lan',
      plugins: [macvlan, { type: 'tuning', capabilities: { mac: true } }],
    };
    const fs = run(
      check,
      manifests({
        nads: [nad('a', { ...macvlan, capabilities: { mac: true } }), nad('b', conflist)],
        workloads: [
          pod('p', [
            { name: 'a', mac: '02:00:00:00:00:01' },
            { name: 'b', mac: '02:00:00:00:00:02' },
          ]),
        ],
      }),
    );
    expect(fs).toEqual([]);
  });

  it('says nothing when no MAC is requested or the NAD is not known', () => {
    expect(
      run(
        check,
        manifests({
          nads: [nad('lan', { ...macvlan, type: 'ipvlan' })],
          workloads: [pod('p', 'lan'), pod('q', [{ name: 'other', mac: '02:00:00:00:00:01' }])],
        }),
      ),
    ).toEqual([]);
  });

  // macvtap-cni (pkg/cni/plugin.go) and ovs-cni read the MAC only from CNI_ARGS MAC=, which multus always passes.
  it.each(['macvtap', 'ovs'])('says nothing for %s, which takes the MAC only from the MAC= argument', (type) => {
    const cfg =
      type === 'macvtap'
        ? { cniVersion: '0.3.1', type, master: 'eth1', mode: 'bridge' }
        : { cniVersion: '0.3.1', type, bridge: 'br1' };
    const fs = run(check, manifests({ nads: [nad('lan', cfg)], workloads: [pod('p', withMac('02:00:00:00:00:01'))] }));
    expect(fs).toEqual([]);
  });

  it('warns for macvtap only when network-status shows another MAC, without advising a capability', () => {
    const status = JSON.stringify([{ name: 'default/lan', interface: 'net1', mac: '9a:00:00:00:00:09' }]);
    const p = pod('p', withMac('02:00:00:00:00:01'), { phase: 'Running' });
    p.podAnnotations['k8s.v1.cni.cncf.io/network-status'] = status;
    const fs = run(
      check,
      snapshot({ nads: [nad('lan', { cniVersion: '0.3.1', type: 'macvtap', master: 'eth1' })], workloads: [p] }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['warning']);
    expect(fs[0]!.fix).not.toContain('"capabilities"');
  });

  it('says a vlan NAD ignores the MAC and points to tuning, since vlan reads neither path', () => {
    const fs = run(
      check,
      manifests({
        nads: [nad('lan', { cniVersion: '0.3.1', type: 'vlan', master: 'eth1', vlanId: 10 })],
        workloads: [pod('p', withMac('02:00:00:00:00:01'))],
      }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('reads neither');
    expect(fs[0]!.fix).toContain('tuning');
  });
});
