import { describe, expect, it } from 'vitest';
import { podHostNetwork } from '../../src/checks/pod/pod-host-network.js';
import { manifests, pod, run, workload } from '../helpers/snapshot.js';

describe('pod-host-network', () => {
  it('warns on a hostNetwork pod and DaemonSet template with the annotation', () => {
    const fs = run(
      podHostNetwork,
      manifests({
        workloads: [pod('p', 'lan', { hostNetwork: true }), workload('DaemonSet', 'ds', 'lan', { hostNetwork: true })],
      }),
    );
    expect(fs.map((f) => [f.subject.name, f.severity])).toEqual([
      ['p', 'warning'],
      ['ds', 'warning'],
    ]);
    expect(fs[1]!.fix).toContain('pod template');
  });

  it('does not fire without hostNetwork or without the annotation', () => {
    expect(
      run(podHostNetwork, manifests({ workloads: [pod('a', 'lan'), pod('b', undefined, { hostNetwork: true })] })),
    ).toEqual([]);
  });
});
