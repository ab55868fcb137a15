import { describe, expect, it } from 'vitest';
import { nadMacAfterDhcp } from '../../src/checks/nad/nad-mac-after-dhcp.js';
import { manifests, nad, run } from '../helpers/snapshot.js';

const chain = (main: object) =>
  nad('lan', { cniVersion: '0.3.1', name: 'lan', plugins: [main, { type: 'tuning', capabilities: { mac: true } }] });

describe('nad-mac-after-dhcp', () => {
  it('warns when DHCP leases in macvlan and the MAC only comes from a later tuning plugin', () => {
    const fs = run(
      nadMacAfterDhcp,
      manifests({ nads: [chain({ type: 'macvlan', master: 'eth0', ipam: { type: 'dhcp' } })] }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['warning']);
    expect(fs[0]!.fix).toContain('"capabilities": {"mac": true}');
    expect(fs[0]!.message).toContain('legacy MAC=');
  });

  it('says the lease is for the wrong MAC when the main plugin cannot take one (host-device)', () => {
    const fs = run(
      nadMacAfterDhcp,
      manifests({ nads: [chain({ type: 'host-device', device: 'ens5', ipam: { type: 'dhcp' } })] }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('original MAC');
  });

  it('is silent when macvlan itself has the mac capability, or IPAM is not DHCP', () => {
    const ok = [
      chain({ type: 'macvlan', master: 'eth0', capabilities: { mac: true }, ipam: { type: 'dhcp' } }),
      chain({ type: 'macvlan', master: 'eth0', ipam: { type: 'static' } }),
    ];
    expect(run(nadMacAfterDhcp, manifests({ nads: ok }))).toEqual([]);
  });
});
