import { describe, expect, it } from 'vitest';
import { podIpDuplicate } from '../../src/checks/pod/pod-ip-duplicate.js';
import { manifests, nad, pod, run, workload } from '../helpers/snapshot.js';

const check = podIpDuplicate;
const ips = (ip: string, name = 'lan') => [{ name, ips: [ip] }];

describe('pod-ip-duplicate', () => {
  it('fires on a StatefulSet with 2 replicas and a fixed IP', () => {
    const fs = run(check, manifests({ workloads: [workload('StatefulSet', 'db', ips('192.168.1.20/24'), { replicas: 2 })] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
  });

  it('fires on two pods with the same address on one network, prefix ignored', () => {
    const fs = run(check, manifests({ workloads: [pod('a', ips('192.168.1.20/24')), pod('b', ips('192.168.1.20'))] }));
    expect(fs.map((f) => f.severity)).toEqual(['error', 'error']);
  });

  it('only warns when the two pods are on different networks', () => {
    const fs = run(check, manifests({ workloads: [pod('a', ips('192.168.1.20/24', 'vlan10')), pod('b', ips('192.168.1.20/24', 'vlan20'))] }));
    expect(fs.map((f) => f.severity)).toEqual(['warning', 'warning']);
  });

  it('fires when a static-IPAM NAD with a fixed address backs a replicated Deployment', () => {
    const cfg = { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1', ipam: { type: 'static', addresses: [{ address: '10.10.0.5/24' }] } };
    const fs = run(check, manifests({ nads: [nad('fixed', cfg)], workloads: [workload('Deployment', 'web', 'fixed', { replicas: 2 })] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('10.10.0.5');
  });

  it('does not fire on distinct addresses or a single replica', () => {
    const fs = run(check, manifests({ workloads: [pod('a', ips('192.168.1.20/24')), pod('b', ips('192.168.1.21/24')), workload('Deployment', 'one', ips('192.168.1.22/24'))] }));
    expect(fs).toEqual([]);
  });
});
