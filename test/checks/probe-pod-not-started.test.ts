import { describe, expect, it } from 'vitest';
import { probePodNotStarted } from '../../src/checks/probe/probe-pod-not-started.js';
import { multus, run } from '../helpers/snapshot.js';
import { healthyHostLocal, labEvents, probe, probePod, probeSnapshot } from './probe-fixtures.js';

const pending = (scenario: string, nad: string) =>
  probe(nad, [probePod('probe-a', { started: false, phase: 'Pending', events: labEvents(scenario) })]);

describe('probe-pod-not-started', () => {
  it('keeps the raw event as the reason when the classifier does not know the text', () => {
    const ev = {
      involvedObject: { kind: 'Pod', name: 'probe-a' },
      reason: 'FailedCreatePodSandBox',
      type: 'Warning',
      message: 'plugin type="multus" failed (add): something entirely new',
    };
    const fs = run(
      probePodNotStarted,
      probeSnapshot([probe('macvlan-lan', [probePod('probe-a', { started: false, events: [ev] })])]),
    );
    expect(fs[0]!.message).toMatch(/: FailedCreatePodSandBox\.$/);
    expect(fs[0]!.evidence[0]!.value).toBe(ev.message);
  });

  it('reports the lab DHCP failure with the FailedCreatePodSandBox text, not the Normal events around it', () => {
    const fs = run(probePodNotStarted, probeSnapshot([pending('dhcp-no-daemon', 'lan-dhcp-nodaemon')]));
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({
      severity: 'error',
      subject: { kind: 'Pod', name: 'probe-a', namespace: 'default', node: 'lab-node' },
    });
    expect(fs[0]!.message).toContain('default/lan-dhcp-nodaemon');
    // The one-sentence reason comes from the shared event classifier; the raw text stays in the evidence.
    expect(fs[0]!.message).toContain('the CNI dhcp daemon is not listening on /run/cni/dhcp-absent.sock');
    expect(fs[0]!.evidence[0]!.label).toBe('event FailedCreatePodSandBox');
    expect(fs[0]!.evidence[0]!.value).toContain('error dialing DHCP daemon: dial unix /run/cni/dhcp-absent.sock');
    expect(fs[0]!.fix).toContain('kubectl multus explain dhcp-daemon-missing');
  });

  it("prefers multus's NoNetworkFound event when the NAD does not exist", () => {
    const fs = run(probePodNotStarted, probeSnapshot([pending('nad-not-found', 'macvlan-lann')]));
    expect(fs[0]!.evidence[0]!.label).toMatch(/^event NoNetworkFound/);
    expect(fs[0]!.evidence[0]!.value).toContain('cannot find a network-attachment-definition (macvlan-lann)');
  });

  it("shows the plugin's own error (lab: master interface missing, plugin binary missing)", () => {
    const master = run(probePodNotStarted, probeSnapshot([pending('master-missing', 'lan-eth9')]))[0]!;
    expect(master.evidence[0]!.value).toContain('Link not found');
    expect(master.fix).toContain('nad-master-missing');
    expect(
      run(probePodNotStarted, probeSnapshot([pending('plugin-missing', 'macvlan-lan')]))[0]!.evidence[0]!.value,
    ).toContain('failed to find plugin "macvlan"');
  });

  it("points at the distribution's conf dir and the multus pod on that node", () => {
    const s = probeSnapshot([pending('plugin-missing', 'macvlan-lan')], {
      cluster: { distribution: 'k3s' },
      multus: [multus({ pods: [{ name: 'kube-multus-ds-jcndw', node: 'lab-node', containers: [] }] })],
    });
    const fix = run(probePodNotStarted, s)[0]!.fix;
    expect(fix).toContain('/var/lib/rancher/k3s/agent/etc/cni/net.d');
    expect(fix).toContain('kubectl -n kube-system logs kube-multus-ds-jcndw');
  });

  it('does not blame multus for a scheduling failure', () => {
    const ev = {
      involvedObject: { kind: 'Pod', name: 'probe-a' },
      reason: 'FailedScheduling',
      type: 'Warning',
      message: '0/3 nodes are available: 3 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.',
    };
    const fs = run(
      probePodNotStarted,
      probeSnapshot([probe('macvlan-lan', [probePod('probe-a', { started: false, node: undefined, events: [ev] })])]),
    );
    expect(fs[0]!.message).toContain('FailedScheduling');
    expect(fs[0]!.fix).toContain('scheduler');
    expect(fs[0]!.subject.node).toBeUndefined();
  });

  it("says so when there is no Warning event, and shows the probe's own error", () => {
    const fs = run(
      probePodNotStarted,
      probeSnapshot([
        probe('macvlan-lan', [
          probePod('probe-a', {
            started: false,
            error: 'timed out after 60s waiting for Running',
            events: labEvents('conf-not-first').slice(0, 1),
          }),
        ]),
      ]),
    );
    expect(fs[0]!.message).toContain('timed out after 60s');
    expect(fs[0]!.evidence).toEqual([{ label: 'probe', value: 'timed out after 60s waiting for Running' }]);
  });

  it('stays silent for pods that started (lab healthy pod) and when there are no probes', () => {
    expect(run(probePodNotStarted, probeSnapshot([probe('macvlan-lan', [healthyHostLocal()])]))).toEqual([]);
    expect(run(probePodNotStarted, probeSnapshot([]))).toEqual([]);
    expect(run(probePodNotStarted, probeSnapshot([], { probes: undefined }))).toEqual([]);
  });

  it('names a runtime that cannot start sandboxes instead of blaming the CNI chain', () => {
    const ev = {
      involvedObject: { kind: 'Pod', name: 'probe-a' },
      reason: 'FailedCreatePodSandBox',
      type: 'Warning',
      count: 12,
      message:
        'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error setting cgroup config for procHooks process: unable to freeze: unknown',
    };
    const fs = run(
      probePodNotStarted,
      probeSnapshot([probe('macvlan-lan', [probePod('probe-a', { started: false, phase: 'Pending', events: [ev] })])]),
    );
    expect(fs[0]!.message).toContain(
      'the container runtime cannot create the pod sandbox (OCI runtime create failed: runc create failed',
    );
    expect(fs[0]!.fix).toContain('not a multus problem');
  });

  it('names the image that cannot be pulled', () => {
    const ev = {
      involvedObject: { kind: 'Pod', name: 'probe-a' },
      reason: 'Failed',
      type: 'Warning',
      message:
        'Failed to pull image "registry.local/netshoot:v0.13": rpc error: code = Unknown desc = failed to pull and unpack image "registry.local/netshoot:v0.13": failed to resolve reference "registry.local/netshoot:v0.13": dial tcp: lookup registry.local: no such host',
    };
    const fs = run(
      probePodNotStarted,
      probeSnapshot([probe('macvlan-lan', [probePod('probe-a', { started: false, phase: 'Pending', events: [ev] })])]),
    );
    expect(fs[0]!.message).toContain('image "registry.local/netshoot:v0.13" cannot be pulled');
    expect(fs[0]!.message).toContain('no such host');
  });
});
