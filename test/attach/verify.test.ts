import { describe, expect, it } from 'vitest';
import { notStartedFindings, verifyRunningPod } from '../../src/attach/verify.js';
import { rolloutDone } from '../../src/attach/wait.js';
import type { Expected } from '../../src/attach/types.js';
import type { PodObject } from '../../src/collect/multus-install.js';

const STATUS = 'k8s.v1.cni.cncf.io/network-status';
const want: Expected = {
  network: { namespace: 'default', name: 'lan' },
  interface: 'net1',
  mac: '02:00:00:00:00:0a',
  ips: ['192.168.1.20/24'],
};

function pod(status?: unknown[], extra: Partial<PodObject> = {}): PodObject {
  return {
    metadata: {
      name: 'web-1',
      namespace: 'default',
      ...(status ? { annotations: { [STATUS]: JSON.stringify(status) } } : {}),
    },
    spec: { nodeName: 'worker-1' },
    status: { phase: 'Running' },
    ...extra,
  };
}
const eth0 = { name: 'cbr0', interface: 'eth0', ips: ['10.244.1.5'], mac: 'b2:97:b1:a8:93:c7', default: true };

describe('verifying a new pod from its network-status', () => {
  it('passes when the interface, MAC and address are there', () => {
    const r = verifyRunningPod(
      pod([eth0, { name: 'default/lan', interface: 'net1', ips: ['192.168.1.20'], mac: '02:00:00:00:00:0A' }]),
      want,
      'Deployment web',
    );
    expect(r.findings).toEqual([]);
    expect(r.check).toMatchObject({ ok: true, pod: 'web-1', node: 'worker-1' });
    expect(r.check.summary).toBe('net1 on default/lan, mac 02:00:00:00:00:0A, 192.168.1.20');
  });

  it('probe-interface-missing: no network-status at all (multus never called)', () => {
    const r = verifyRunningPod(pod(), want, 'Deployment web');
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([['probe-interface-missing', 'error']]);
    expect(r.findings[0]!.message).toContain('never called');
  });

  it('probe-interface-missing: multus ran but did not attach the NAD', () => {
    const r = verifyRunningPod(pod([eth0]), want, 'Deployment web');
    expect(r.findings[0]!.id).toBe('probe-interface-missing');
    expect(r.findings[0]!.message).toContain('network-status lists cbr0');
  });

  it('probe-mac-mismatch and probe-address-missing when the values were not applied', () => {
    const r = verifyRunningPod(
      pod([eth0, { name: 'default/lan', interface: 'net1', ips: ['192.168.1.99'], mac: '5e:8a:d8:38:88:30' }]),
      want,
      'Deployment web',
    );
    expect(r.findings.map((f) => f.id)).toEqual(['probe-mac-mismatch', 'probe-address-missing']);
    expect(r.check.ok).toBe(false);
  });

  it('warns (only) when multus named the interface differently', () => {
    const r = verifyRunningPod(
      pod([{ name: 'default/lan', interface: 'net2', ips: ['192.168.1.20'], mac: '02:00:00:00:00:0a' }]),
      want,
      'Deployment web',
    );
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([['probe-interface-missing', 'warning']]);
    expect(r.check.ok).toBe(true);
  });

  it('a pod that did not start is explained by the probe check from its sandbox event', () => {
    const stuck = pod(undefined, {
      status: {
        phase: 'Pending',
        containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ContainerCreating' } } }],
      },
    });
    const fs = notStartedFindings(
      [stuck],
      [
        {
          involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default' },
          reason: 'FailedCreatePodSandBox',
          type: 'Warning',
          count: 4,
          message:
            'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "abc": plugin type="multus" name="multus-cni-network" failed (add): [default/web-1:lan]: error adding container to network "lan": failed to find plugin "macvlan" in path [/opt/cni/bin]',
        },
      ],
      want,
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.id).toBe('probe-pod-not-started');
    expect(fs[0]!.message).toContain('new pod default/web-1');
    expect(fs[0]!.message).not.toContain('test pod');
    expect(fs[0]!.evidence[0]!.value).toContain('failed to find plugin');
  });
});

describe('rollout completion (kubectl rollout status rules)', () => {
  const dep = (status: object, gen = 2) => ({ metadata: { generation: gen }, spec: { replicas: 2 }, status }) as never;
  it('Deployment: waits for the new generation to be observed and every replica updated and available', () => {
    expect(
      rolloutDone(
        'Deployment',
        dep({ observedGeneration: 1, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }),
        2,
      ),
    ).toBe(false);
    expect(
      rolloutDone(
        'Deployment',
        dep({ observedGeneration: 2, updatedReplicas: 1, replicas: 3, availableReplicas: 2 }),
        2,
      ),
    ).toBe(false);
    expect(
      rolloutDone(
        'Deployment',
        dep({ observedGeneration: 2, updatedReplicas: 2, replicas: 3, availableReplicas: 2 }),
        2,
      ),
    ).toBe(false);
    expect(
      rolloutDone(
        'Deployment',
        dep({ observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }),
        2,
      ),
    ).toBe(true);
  });
  it('StatefulSet and DaemonSet', () => {
    expect(
      rolloutDone(
        'StatefulSet',
        dep({ observedGeneration: 2, readyReplicas: 2, updateRevision: 'b', currentRevision: 'a' }),
        2,
      ),
    ).toBe(false);
    expect(
      rolloutDone(
        'StatefulSet',
        dep({ observedGeneration: 2, readyReplicas: 2, updateRevision: 'b', currentRevision: 'b' }),
        2,
      ),
    ).toBe(true);
    expect(
      rolloutDone(
        'DaemonSet',
        dep({ observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 3 }),
        2,
      ),
    ).toBe(false);
    expect(
      rolloutDone(
        'DaemonSet',
        dep({ observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }),
        2,
      ),
    ).toBe(true);
  });
});
