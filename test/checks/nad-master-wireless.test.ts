import { describe, expect, it } from 'vitest';
import { nadMasterWireless } from '../../src/checks/nad/nad-master-wireless.js';
import { inspection, manifests, nad, node, run, snapshot } from '../helpers/snapshot.js';

const mk = (type: string, wireless: boolean) =>
  snapshot({
    nodes: [node('pi', { inspection: inspection({ interfaces: [{ name: 'wlan0', wireless, mtu: 1500 }] }) })],
    nads: [nad('wifi', { cniVersion: '0.3.1', type, master: 'wlan0', ipam: { type: 'dhcp' } })],
  });

describe('nad-master-wireless', () => {
  it('warns on macvlan over a wireless master and suggests ipvlan', () => {
    const fs = run(nadMasterWireless, mk('macvlan', true));
    expect(fs.map((f) => f.severity)).toEqual(['warning']);
    expect(fs[0]!.fix).toContain('ipvlan');
  });

  it('is silent for ipvlan on Wi-Fi, a wired master, and offline', () => {
    expect(run(nadMasterWireless, mk('ipvlan', true))).toEqual([]);
    expect(run(nadMasterWireless, mk('macvlan', false))).toEqual([]);
    expect(
      run(
        nadMasterWireless,
        manifests({ nads: [nad('wifi', { cniVersion: '0.3.1', type: 'macvlan', master: 'wlan0' })] }),
      ),
    ).toEqual([]);
  });
});
