import { describe, expect, it } from 'vitest';
import { probeStatusMismatch } from '../../src/checks/probe/probe-status-mismatch.js';
import { nad, run } from '../helpers/snapshot.js';
import { healthyHostLocal, lab, labNads, probe, probeSnapshot } from './probe-fixtures.js';

const pair = (ipFile: string, statusFile: string) =>
  healthyHostLocal({ ipOutput: lab(ipFile), networkStatus: lab(statusFile) });

describe('probe-status-mismatch', () => {
  it('does not fire on any lab healthy pod, whatever the ip output format', () => {
    const cases = [
      pair('healthy-hostlocal__ip-addr.txt', 'healthy-hostlocal__network-status.json'),
      pair('healthy-hostlocal__ip-j-addr.json', 'healthy-hostlocal__network-status.json'),
      pair('healthy-hostlocal__ip-o-addr.txt', 'healthy-hostlocal__network-status.json'),
      pair('healthy-busybox__busybox-ip-addr.txt', 'healthy-busybox__network-status.json'),
      pair('healthy-busybox__busybox-ip-o-addr.txt', 'healthy-busybox__network-status.json'),
      pair('mac-no-capability__ip-j-addr.json', 'mac-no-capability__network-status.json'),
    ];
    expect(run(probeStatusMismatch, probeSnapshot([probe('macvlan-lan', cases)]))).toEqual([]);
    expect(
      run(
        probeStatusMismatch,
        probeSnapshot([
          probe('macvlan-lan-dhcp', [pair('healthy-dhcp-mac__ip-addr.txt', 'healthy-dhcp-mac__network-status.json')]),
        ]),
      ),
    ).toEqual([]);
  });

  it('warns when the status lists an IP and a MAC the interface does not have', () => {
    const fs = run(
      probeStatusMismatch,
      probeSnapshot([
        probe('macvlan-lan', [pair('healthy-busybox__busybox-ip-addr.txt', 'healthy-hostlocal__network-status.json')]),
      ]),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('warning');
    expect(fs[0]!.message).toContain('it lists 192.168.77.103, which net1 does not have');
    expect(fs[0]!.message).toContain('it says MAC 5e:8a:d8:38:88:30, net1 has 26:6c:54:4e:b0:86');
  });

  it('warns when net1 exists but there is no network-status, pointing at pods/status RBAC', () => {
    const fs = run(
      probeStatusMismatch,
      probeSnapshot([probe('macvlan-lan', [healthyHostLocal({ networkStatus: '' })])]),
    );
    expect(fs[0]!.message).toContain('it is missing or empty, yet net1 exists');
    expect(fs[0]!.fix).toContain('pods/status');
  });

  it('warns on an unreadable network-status', () => {
    const fs = run(
      probeStatusMismatch,
      probeSnapshot([probe('macvlan-lan', [healthyHostLocal({ networkStatus: '[{"name": "default/macvlan-lan",' })])]),
    );
    expect(fs[0]!.message).toContain('not valid JSON');
  });

  it('links an IP-less status to a missing cniVersion', () => {
    const old = nad('old', {
      name: 'old',
      type: 'macvlan',
      master: 'lan0',
      ipam: { type: 'host-local', subnet: '192.168.77.0/24' },
    });
    const status = '[{"name":"default/old","interface":"net1","mac":"5e:8a:d8:38:88:30"}]';
    const fs = run(
      probeStatusMismatch,
      probeSnapshot([probe('old', [healthyHostLocal({ networkStatus: status })])], { nads: [...labNads(), old] }),
    );
    expect(fs[0]!.message).toContain('it lists no IP, while net1 has 192.168.77.103/24');
    expect(fs[0]!.fix).toContain('has no cniVersion');
  });

  it('leaves a missing interface and an uncollected status to other checks', () => {
    const noNet1 = healthyHostLocal({ ipOutput: lab('conf-not-first__ip-addr.txt') });
    const notCollected = healthyHostLocal({ networkStatus: undefined });
    expect(run(probeStatusMismatch, probeSnapshot([probe('macvlan-lan', [noNet1, notCollected])]))).toEqual([]);
  });
});
