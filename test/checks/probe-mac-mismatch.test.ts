import { describe, expect, it } from 'vitest';
import { probeMacMismatch } from '../../src/checks/probe/probe-mac-mismatch.js';
import { nad, run } from '../helpers/snapshot.js';
import { healthyHostLocal, lab, labNads, probe, probeSnapshot } from './probe-fixtures.js';

const macPod = (p = {}) =>
  healthyHostLocal({
    ipOutput: lab('mac-no-capability__ip-addr.txt'),
    networkStatus: lab('mac-no-capability__network-status.json'),
    ...p,
  });

describe('probe-mac-mismatch', () => {
  it('fires when net1 has another MAC than requested, and asks for the mac capability on macvlan', () => {
    const fs = run(
      probeMacMismatch,
      probeSnapshot([probe('macvlan-lan', [macPod({ requestedMac: '02:6b:61:62:00:99' })])]),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('has MAC 02:6b:61:62:00:07, not the requested 02:6b:61:62:00:99');
    expect(fs[0]!.fix).toContain('"capabilities": {"mac": true}');
  });

  it('says a per-pod MAC is impossible with ipvlan', () => {
    const ipv = nad('ipv', {
      cniVersion: '0.3.1',
      name: 'ipv',
      type: 'ipvlan',
      master: 'lan0',
      ipam: { type: 'host-local', subnet: '192.168.77.0/24' },
    });
    const fs = run(
      probeMacMismatch,
      probeSnapshot([probe('ipv', [macPod({ requestedMac: '02:6b:61:62:00:99' })])], { nads: [...labNads(), ipv] }),
    );
    expect(fs[0]!.fix).toContain('ipvlan interfaces always share the MAC of their master');
  });

  it('does not fire when the lab applied the requested MAC (mac-no-capability, healthy-dhcp-mac), in any case or separator', () => {
    expect(
      run(probeMacMismatch, probeSnapshot([probe('macvlan-lan', [macPod({ requestedMac: '02:6b:61:62:00:07' })])])),
    ).toEqual([]);
    expect(
      run(
        probeMacMismatch,
        probeSnapshot([
          probe('macvlan-lan', [
            macPod({ requestedMac: '02-6B-61-62-00-07', ipOutput: lab('mac-no-capability__ip-j-addr.json') }),
          ]),
        ]),
      ),
    ).toEqual([]);
    expect(
      run(
        probeMacMismatch,
        probeSnapshot([
          probe('macvlan-lan-dhcp', [
            healthyHostLocal({ ipOutput: lab('healthy-dhcp-mac__ip-addr.txt'), requestedMac: '02:6b:61:62:00:09' }),
          ]),
        ]),
      ),
    ).toEqual([]);
  });

  it('does not fire without a requested MAC', () => {
    expect(run(probeMacMismatch, probeSnapshot([probe('macvlan-lan', [macPod()])]))).toEqual([]);
  });

  it('says "could not verify" when the output carries no MAC (ip -o addr)', () => {
    const fs = run(
      probeMacMismatch,
      probeSnapshot([
        probe('macvlan-lan-dhcp', [
          healthyHostLocal({
            ipOutput: lab('healthy-dhcp-mac__ip-o-addr.txt'),
            networkStatus: lab('healthy-dhcp-mac__network-status.json'),
            requestedMac: '02:6b:61:62:00:09',
          }),
        ]),
      ]),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('info');
    expect(fs[0]!.message).toContain('network-status says 02:6b:61:62:00:09');
  });
});
