/** Issue 11 item 5: multus-pods-not-ready shows the pod's latest Warning events and names their cause. */
import { describe, expect, it } from 'vitest';
import { multusPodsNotReady } from '../../src/checks/install/multus-pods-not-ready.js';
import type { EventRecord, MultusPod } from '../../src/snapshot/types.js';
import { multus, run, snapshot } from '../helpers/snapshot.js';

const ev = (reason: string, message: string, count = 1): EventRecord => ({
  involvedObject: { kind: 'Pod', name: 'kube-multus-ds-a', namespace: 'kube-system' },
  reason,
  message,
  type: 'Warning',
  count,
});
const stuck = (events: EventRecord[], reason = 'ContainerCreating', p: Partial<MultusPod> = {}): MultusPod => ({
  name: 'kube-multus-ds-a',
  node: 'n1',
  phase: 'Pending',
  ready: false,
  containers: [
    { name: 'install-multus-binary', init: true, state: 'waiting', reason: 'PodInitializing' },
    { name: 'kube-multus', state: 'waiting', reason, ready: false },
  ],
  events,
  ...p,
});
const check = (pod: MultusPod, distribution: 'k3s' | 'kubeadm' = 'kubeadm') =>
  run(
    multusPodsNotReady,
    snapshot({ cluster: { distribution }, multus: [multus({ status: { desired: 1, ready: 0 }, pods: [pod] })] }),
  );

describe('multus-pods-not-ready with events', () => {
  it('a volume that cannot be mounted', () => {
    const fs = check(
      stuck([
        ev(
          'FailedMount',
          'MountVolume.SetUp failed for volume "cnibin" : hostPath type check failed: /opt/cni/bin is not a directory',
          31,
        ),
      ]),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('volume "cnibin" cannot be mounted');
    expect(fs[0]!.evidence).toContainEqual({
      label: 'event FailedMount ×31',
      node: 'n1',
      value:
        'MountVolume.SetUp failed for volume "cnibin" : hostPath type check failed: /opt/cni/bin is not a directory',
    });
    expect(fs[0]!.fix).toContain('hostPath');
  });

  it('an image that cannot be pulled', () => {
    const msg =
      'Failed to pull image "ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.4-thik": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.4-thik": failed to resolve reference "ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.4-thik": ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.4-thik: not found';
    const fs = check(
      stuck(
        [
          ev('Failed', msg, 5),
          ev('BackOff', 'Back-off pulling image "ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.4-thik"', 40),
        ],
        'ImagePullBackOff',
      ),
    );
    expect(fs[0]!.message).toContain('image "ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.4-thik" cannot be pulled');
    expect(fs[0]!.fix).toContain('ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.4-thik');
  });

  it('a pod that cannot be scheduled', () => {
    const fs = check(
      stuck(
        [
          ev(
            'FailedScheduling',
            '0/2 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
          ),
        ],
        'ContainerCreating',
        { node: undefined, containers: [] },
      ),
    );
    expect(fs[0]!.message).toContain(
      'the scheduler cannot place it: 0/2 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}.',
    );
    expect(fs[0]!.fix).toContain('tolerations');
  });

  it('a runtime that cannot create sandboxes, with the K3s log to read; long messages cut around the middle', () => {
    const msg = `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: ${'error mounting "sysfs" to rootfs at "/sys": '.repeat(6)}operation not permitted: unknown`;
    const fs = check(stuck([ev('FailedCreatePodSandBox', msg, 300)], 'PodInitializing'), 'k3s');
    expect(fs[0]!.message).toContain('the container runtime cannot create the pod sandbox');
    const e = fs[0]!.evidence.find((x) => x.label === 'event FailedCreatePodSandBox ×300')!;
    expect(e.value!.length).toBeLessThanOrEqual(320);
    expect(e.value).toMatch(/^Failed to create pod sandbox: … .*operation not permitted: unknown$/);
    expect(fs[0]!.fix).toContain('journalctl -u k3s');
  });

  it('a crash loop keeps its log cause and adds the BackOff event', () => {
    const pod = stuck([ev('BackOff', 'Back-off restarting failed container', 7)], 'CrashLoopBackOff', {
      phase: 'Running',
      containers: [
        {
          name: 'kube-multus',
          state: 'waiting',
          reason: 'CrashLoopBackOff',
          restartCount: 3,
          lastTerminationReason: 'Completed',
          lastExitCode: 0,
        },
      ],
      logs: ['failed to create multus config: cannot find valid master CNI config in "/host/etc/cni/net.d"'],
    });
    const fs = check(pod);
    expect(fs[0]!.message).toContain('multus finds no primary CNI config');
    expect(fs[0]!.message).not.toContain('keeps crashing');
    expect(fs[0]!.evidence.map((x) => x.label)).toContain('event BackOff ×7');
  });
});
