import { describe, expect, it } from 'vitest';
import { podIpsWithoutCapability } from '../../src/checks/pod/pod-ips-without-capability.js';
import { manifests, nad, pod, run } from '../helpers/snapshot.js';

const check = podIpsWithoutCapability;
const base = { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1' };
const ips = [{ name: 'lan', ips: ['192.168.1.20/24'] }];

describe('pod-ips-without-capability', () => {
  it('is an error with dhcp IPAM, which never honours a requested address', () => {
    const fs = run(
      check,
      manifests({ nads: [nad('lan', { ...base, ipam: { type: 'dhcp' } })], workloads: [pod('p', ips)] }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('dhcp');
  });

  it('is an error when a macvlan NAD has no IPAM at all', () => {
    const fs = run(check, manifests({ nads: [nad('lan', base)], workloads: [pod('p', ips)] }));
    expect(fs.map((f) => f.severity)).toEqual(['error']);
  });

  it('is a warning with static IPAM but no ips capability (legacy IP= path)', () => {
    const fs = run(
      check,
      manifests({ nads: [nad('lan', { ...base, ipam: { type: 'static' } })], workloads: [pod('p', ips)] }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['warning']);
    expect(fs[0]!.fix).toContain('"capabilities": {"ips": true}');
  });

  it('says nothing with the capability, without ips, or for plugins that assign their own addresses', () => {
    const fs = run(
      check,
      manifests({
        nads: [
          nad('lan', { ...base, capabilities: { ips: true }, ipam: { type: 'static' } }),
          nad('ovn', { cniVersion: '0.3.1', type: 'ovn-k8s-cni-overlay', topology: 'layer2' }),
        ],
        workloads: [pod('p', ips), pod('q', 'lan'), pod('r', [{ name: 'ovn', ips: ['10.0.0.5/24'] }])],
      }),
    );
    expect(fs).toEqual([]);
  });
});
