import { describe, expect, it } from 'vitest';
import { podSelectionUnknownKey } from '../../src/checks/pod/pod-selection-unknown-key.js';
import { manifests, pod, run } from '../helpers/snapshot.js';

const check = podSelectionUnknownKey;

describe('pod-selection-unknown-key', () => {
  it('warns on "gateway" (multus\'s old example) and suggests default-route', () => {
    const fs = run(
      check,
      manifests({ workloads: [pod('p', [{ name: 'lan', ips: ['10.1.1.101/24'], gateway: ['10.1.1.1'] }])] }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('warning');
    expect(fs[0]!.message).toContain('did you mean "default-route"');
  });

  it('is an error when two elements ask for an IPv4 default route (no ECMP)', () => {
    const fs = run(
      check,
      manifests({
        workloads: [
          pod('p', [
            { name: 'a', 'default-route': ['10.0.0.1'] },
            { name: 'b', 'default-route': ['10.1.0.1'] },
          ]),
        ],
      }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['error']);
  });

  it('accepts spec keys, dotted vendor keys, and one default route per family', () => {
    const sel = [
      { name: 'a', interface: 'net1', 'default-route': ['10.0.0.1', 'fd00::1'], 'org.example.x': 1 },
      { name: 'b', 'cni-args': { x: 1 } },
    ];
    expect(run(check, manifests({ workloads: [pod('p', sel)] }))).toEqual([]);
  });
});
