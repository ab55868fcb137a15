import { describe, expect, it } from 'vitest';
import { podMacInvalid } from '../../src/checks/pod/pod-mac-invalid.js';
import { manifests, pod, run } from '../helpers/snapshot.js';

describe('pod-mac-invalid', () => {
  it('fires on a multicast MAC (the f1: from multus-cni #1378) and suggests a unicast one', () => {
    const fs = run(podMacInvalid, manifests({ workloads: [pod('p', [{ name: 'lan', mac: 'f1:fd:00:11:22:33' }])] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('multicast');
    expect(fs[0]!.fix).toContain('02:fd:00:11:22:33');
  });

  it('fires on malformed, all-zero and broadcast MACs', () => {
    const fs = run(
      podMacInvalid,
      manifests({
        workloads: [
          pod('a', [{ name: 'lan', mac: '02:00:00:00:00' }]),
          pod('b', [{ name: 'lan', mac: '00:00:00:00:00:00' }]),
          pod('c', [{ name: 'lan', mac: 'ff:ff:ff:ff:ff:ff' }]),
        ],
      }),
    );
    expect(fs.map((f) => f.subject.name).sort()).toEqual(['a', 'b', 'c']);
  });

  it('accepts unicast MACs in either case and separator', () => {
    const fs = run(
      podMacInvalid,
      manifests({
        workloads: [
          pod('a', [{ name: 'lan', mac: '02:6b:61:62:00:07' }]),
          pod('b', [{ name: 'lan', mac: 'CA-FE-C0-FF-00-02' }]),
          pod('c', [{ name: 'lan', mac: '${MAC}' }]),
        ],
      }),
    );
    expect(fs).toEqual([]);
  });
});
