import { describe, expect, it } from 'vitest';
import { podInterfaceConflict } from '../../src/checks/pod/pod-interface-conflict.js';
import { manifests, pod, run } from '../helpers/snapshot.js';

const check = podInterfaceConflict;

describe('pod-interface-conflict', () => {
  it('fires on two attachments with one explicit name', () => {
    const fs = run(check, manifests({ workloads: [pod('p', 'a@lan0,b@lan0')] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('"lan0"');
  });

  it('fires on an attachment named eth0', () => {
    const fs = run(check, manifests({ workloads: [pod('p', [{ name: 'a', interface: 'eth0' }])] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('eth0');
  });

  it('fires when an explicit net1 collides with the first unnamed attachment', () => {
    const fs = run(check, manifests({ workloads: [pod('p', [{ name: 'a' }, { name: 'b', interface: 'net1' }])] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('unnamed');
  });

  it('does not fire on one network attached twice without names, or on distinct names', () => {
    // corpus: AsthikDev/multus-on-eks uses "ipvlan-conf-1, ipvlan-conf-1" (net1 and net2).
    const fs = run(
      check,
      manifests({
        workloads: [
          pod('a', 'ipvlan-conf-1, ipvlan-conf-1'),
          pod('b', 'x@net1,y'),
          pod('c', [
            { name: 'a', interface: 'lan0' },
            { name: 'b', interface: 'lan1' },
          ]),
        ],
      }),
    );
    expect(fs).toEqual([]);
  });
});
