import { describe, expect, it } from 'vitest';
import { podNetworkStatusMissing } from '../../src/checks/pod/pod-network-status-missing.js';
import { pod, run, snapshot } from '../helpers/snapshot.js';
import { labJson, labNads, labPod } from './lab.js';

const check = podNetworkStatusMissing;

describe('pod-network-status-missing', () => {
  it('fires on the lab pod created while another config sorted before multus (no network-status)', () => {
    const fs = run(check, snapshot({ nads: labNads(), workloads: [labPod(labJson('conf-not-first__pod.json'))] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('default/macvlan-lan');
    expect(fs[0]!.evidence[0]!.value).toBe('(absent)');
    expect(fs[0]!.fix).toContain('kubectl delete pod -n default cap-conf-not-first');
  });

  it('on K3s, points at the conf dir the runtime reads', () => {
    const fs = run(
      check,
      snapshot({ cluster: { distribution: 'k3s' }, workloads: [labPod(labJson('k3s-upstream-thin__pod.json'))] }),
    );
    expect(fs[0]!.fix).toContain('/var/lib/rancher/k3s/agent/etc/cni/net.d');
  });

  it('names the one attachment that is missing when others are there', () => {
    const status = JSON.stringify([
      { name: 'cbr0', interface: 'eth0', default: true },
      { name: 'default/a', interface: 'net1' },
    ]);
    const p = pod('p', 'a,b', {
      phase: 'Running',
      podAnnotations: { 'k8s.v1.cni.cncf.io/networks': 'a,b', 'k8s.v1.cni.cncf.io/network-status': status },
    });
    const fs = run(check, snapshot({ workloads: [p] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('default/b');
    expect(fs[0]!.message).not.toContain('default/a,');
  });

  it('groups the pods of a Deployment and restarts the rollout', () => {
    const owner = { kind: 'Deployment', name: 'web' };
    const fs = run(
      check,
      snapshot({
        workloads: [pod('web-1', 'lan', { phase: 'Running', owner }), pod('web-2', 'lan', { phase: 'Running', owner })],
      }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.fix).toContain('kubectl rollout restart deployment/web -n default');
  });

  it('does not fire on the healthy lab pod, on pending pods or on hostNetwork pods', () => {
    const healthy = labPod(labJson('healthy-hostlocal__pod.json'));
    const pending = labPod(labJson('nad-not-found__pod.json'));
    const host = pod('h', 'lan', { phase: 'Running', hostNetwork: true });
    expect(run(check, snapshot({ nads: labNads(), workloads: [healthy, pending, host] }))).toEqual([]);
  });
});
