import { describe, expect, it } from 'vitest';
import { podIpDuplicate } from '../../src/checks/pod/pod-ip-duplicate.js';
import { manifests, nad, node, pod, run, snapshot, workload } from '../helpers/snapshot.js';

const check = podIpDuplicate;
const ips = (ip: string, name = 'lan') => [{ name, ips: [ip] }];

describe('pod-ip-duplicate', () => {
  it('fires on a StatefulSet with 2 replicas and a fixed IP', () => {
    const fs = run(
      check,
      manifests({ workloads: [workload('StatefulSet', 'db', ips('192.168.1.20/24'), { replicas: 2 })] }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
  });

  it('fires on two pods with the same address on one network, prefix ignored', () => {
    const fs = run(check, manifests({ workloads: [pod('a', ips('192.168.1.20/24')), pod('b', ips('192.168.1.20'))] }));
    expect(fs.map((f) => f.severity)).toEqual(['error', 'error']);
  });

  it('only warns when the two pods are on different networks', () => {
    const fs = run(
      check,
      manifests({
        workloads: [pod('a', ips('192.168.1.20/24', 'vlan10')), pod('b', ips('192.168.1.20/24', 'vlan20'))],
      }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['warning', 'warning']);
  });

  it('fires when a static-IPAM NAD with a fixed address backs a replicated Deployment', () => {
    const cfg = {
      cniVersion: '0.3.1',
      type: 'macvlan',
      master: 'eth1',
      ipam: { type: 'static', addresses: [{ address: '10.10.0.5/24' }] },
    };
    const fs = run(
      check,
      manifests({ nads: [nad('fixed', cfg)], workloads: [workload('Deployment', 'web', 'fixed', { replicas: 2 })] }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('10.10.0.5');
  });

  it('does not fire on distinct addresses or a single replica', () => {
    const fs = run(
      check,
      manifests({
        workloads: [
          pod('a', ips('192.168.1.20/24')),
          pod('b', ips('192.168.1.21/24')),
          workload('Deployment', 'one', ips('192.168.1.22/24')),
        ],
      }),
    );
    expect(fs).toEqual([]);
  });

  // Issue 11 item 4: per-pod addresses (set by a mutating webhook) on the pods of a StatefulSet whose
  // template has none. The collector keeps only templates with a multus annotation, so the
  // StatefulSet itself is often not in the snapshot.
  const sts = { kind: 'StatefulSet', name: 'db' };
  const stsPod = (name: string, ip: string) => pod(name, ips(ip), { owner: sts, phase: 'Running', nodeName: 'n1' });

  it('does not blame the template for different per-pod addresses (owner not in the snapshot)', () => {
    const fs = run(
      check,
      snapshot({
        nodes: [node('n1')],
        workloads: [
          stsPod('db-0', '172.31.8.20/24'),
          stsPod('db-1', '172.31.8.21/24'),
          stsPod('db-2', '172.31.8.22/24'),
        ],
      }),
    );
    expect(fs).toEqual([]);
  });

  it('does not blame the template when it has no address and the pods carry different ones', () => {
    const tmpl = workload('StatefulSet', 'db', [{ name: 'lan' }], { replicas: 2 });
    const fs = run(
      check,
      snapshot({
        nodes: [node('n1')],
        workloads: [tmpl, stsPod('db-0', '172.31.8.20/24'), stsPod('db-1', '172.31.8.21/24')],
      }),
    );
    expect(fs).toEqual([]);
  });

  it('names the pods, not the template, when two pods of one owner carry the same per-pod address', () => {
    const tmpl = workload('StatefulSet', 'db', [{ name: 'lan' }], { replicas: 3 });
    const fs = run(
      check,
      snapshot({
        nodes: [node('n1')],
        workloads: [
          tmpl,
          stsPod('db-0', '172.31.8.20/24'),
          stsPod('db-1', '172.31.8.20/24'),
          stsPod('db-2', '172.31.8.22/24'),
        ],
      }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.subject).toMatchObject({ kind: 'StatefulSet', name: 'db' });
    expect(fs[0]!.message).toContain('db-0, db-1');
    expect(fs[0]!.message).toContain('own annotation');
    expect(fs[0]!.message).not.toContain('template');
  });

  it('still blames a template that fixes the address for 2 replicas, once, with its pods present', () => {
    const tmpl = workload('StatefulSet', 'db', ips('172.31.8.20/24'), { replicas: 2 });
    const fs = run(
      check,
      snapshot({
        nodes: [node('n1')],
        workloads: [tmpl, stsPod('db-0', '172.31.8.20/24'), stsPod('db-1', '172.31.8.20/24')],
      }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('the template requests 172.31.8.20');
  });

  it('finds a per-pod address that collides with another pod outside the owner', () => {
    const fs = run(
      check,
      snapshot({
        nodes: [node('n1')],
        workloads: [
          stsPod('db-0', '172.31.8.20/24'),
          stsPod('db-1', '172.31.8.21/24'),
          pod('other', ips('172.31.8.21/24')),
        ],
      }),
    );
    expect(fs.map((f) => f.subject.name).sort()).toEqual(['db-1', 'other']);
  });
});
