import { describe, expect, it } from 'vitest';
import { podSandboxFailed } from '../../src/checks/pod/pod-sandbox-failed.js';
import { pod, run, snapshot } from '../helpers/snapshot.js';
import { labEvents, labJson, labPod } from './lab.js';

const check = podSandboxFailed;
const scenario = (name: string, distribution: 'kubeadm' | 'k3s' = 'kubeadm') =>
  snapshot({
    cluster: { distribution },
    workloads: [labPod(labJson(`${name}__pod.json`))],
    events: labEvents(`${name}__events.json`),
  });

describe('pod-sandbox-failed', () => {
  it('names the missing plugin and links cni-plugin-missing (lab plugin-missing)', () => {
    const fs = run(check, scenario('plugin-missing'));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('"macvlan"');
    expect(fs[0]!.message).toContain('see check cni-plugin-missing');
    expect(fs[0]!.evidence[0]!.value).toContain('failed to find plugin "macvlan"');
    expect(fs[0]!.subject.node).toBe('lab-node');
  });

  it.each([
    ['nad-not-found', 'pod-nad-not-found'],
    ['master-missing', 'nad-master-missing'],
    ['dhcp-no-daemon', 'dhcp-daemon-missing'],
    ['k3s-hostpath-only', 'multus-kubeconfig-missing'],
  ])('lab %s → see check %s', (name, id) => {
    const fs = run(check, scenario(name));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain(`see check ${id}`);
  });

  it('reports the pods of one Deployment failing for one reason once', () => {
    const s = scenario('plugin-missing');
    const owner = { kind: 'Deployment', name: 'web' };
    const p1 = { ...s.workloads[0]!, name: 'web-1', owner };
    const p2 = { ...s.workloads[0]!, name: 'web-2', owner };
    const evs = s.events!.map((e) => ({ ...e, involvedObject: { ...e.involvedObject, name: 'web-1' } }));
    const fs = run(check, {
      ...s,
      workloads: [p1, p2],
      events: [...evs, ...evs.map((e) => ({ ...e, involvedObject: { ...e.involvedObject, name: 'web-2' } }))],
    });
    expect(fs).toHaveLength(1);
    expect(fs[0]!.subject).toMatchObject({ kind: 'Deployment', name: 'web' });
    expect(fs[0]!.message).toContain('2 pods of Deployment default/web');
  });

  it('names the master from the NAD when the event only says "Link not found" (lab master-missing)', () => {
    const n = labJson('master-missing__nad-lan-eth9.json');
    const s = {
      ...scenario('master-missing'),
      nads: [{ name: n.metadata.name, namespace: n.metadata.namespace, config: n.spec.config }],
    };
    const fs = run(check, s);
    expect(fs[0]!.message).toContain('names "eth9"');
  });

  it('does not fire for a pod that is running now, even with old failure events', () => {
    const s = scenario('plugin-missing');
    s.workloads[0] = { ...s.workloads[0]!, phase: 'Running', waitingReason: undefined };
    expect(run(check, s)).toEqual([]);
  });

  it('ignores events of an earlier pod with the same name', () => {
    const s = scenario('plugin-missing');
    s.workloads[0] = { ...s.workloads[0]!, createdAt: '2026-11-24T00:00:00Z' };
    expect(run(check, s)).toEqual([]);
  });

  it('does not fire for a stuck pod without failure events', () => {
    expect(run(check, snapshot({ workloads: [labPod(labJson('plugin-missing__pod.json'))], events: [] }))).toEqual([]);
  });
});

describe('pod-sandbox-failed: runtime failures (issue 11 item 5)', () => {
  it('names a runtime that cannot create sandboxes, with the event count and a cut message', () => {
    const msg = `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${'error during container init: '.repeat(30)}unable to apply cgroup configuration: unknown`;
    const p = pod('web-0', 'lan', { nodeName: 'n1', phase: 'Pending', waitingReason: 'ContainerCreating' });
    const e = {
      involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'default' },
      reason: 'FailedCreatePodSandBox',
      message: msg,
      type: 'Warning',
      count: 17,
    };
    const fs = run(podSandboxFailed, snapshot({ workloads: [p], events: [e] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('the container runtime cannot create the pod sandbox (OCI runtime create failed');
    expect(fs[0]!.evidence[0]!.label).toBe('event FailedCreatePodSandBox ×17');
    expect(fs[0]!.evidence[0]!.value!.length).toBeLessThanOrEqual(600);
    expect(fs[0]!.evidence[0]!.value).toMatch(/unable to apply cgroup configuration: unknown$/);
    expect(fs[0]!.fix).toContain('not a multus problem');
  });
});
