import { describe, expect, it } from 'vitest';
import { probeAddressOutOfRange } from '../../src/checks/probe/probe-address-out-of-range.js';
import { nad, run } from '../helpers/snapshot.js';
import { healthyHostLocal, lab, labNads, probe, probeSnapshot } from './probe-fixtures.js';

describe('probe-address-out-of-range', () => {
  it('fires when net1 got 192.168.77.216 (the lab DHCP lease) while macvlan-lan hands out .100-.150', () => {
    const fs = run(
      probeAddressOutOfRange,
      probeSnapshot([probe('macvlan-lan', [healthyHostLocal({ ipOutput: lab('healthy-dhcp-mac__ip-j-addr.json') })])]),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain(
      '192.168.77.216/24, outside the host-local range of NAD default/macvlan-lan (192.168.77.100-192.168.77.150)',
    );
    expect(fs[0]!.evidence[1]).toMatchObject({
      path: 'default/macvlan-lan:spec.config',
      line: 9,
      value: '192.168.77.100-192.168.77.150',
    });
    expect(fs[0]!.fix).toContain('/var/lib/cni/networks/macvlan-lan');
  });

  it('judges whereabouts ranges too', () => {
    const wb = nad('wb', {
      cniVersion: '0.3.1',
      name: 'wb',
      type: 'macvlan',
      master: 'lan0',
      ipam: { type: 'whereabouts', range: '192.168.77.200-192.168.77.210/24' },
    });
    const fs = run(probeAddressOutOfRange, probeSnapshot([probe('wb', [healthyHostLocal()])], { nads: [wb] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.fix).toContain('ippools.whereabouts.cni.cncf.io');
  });

  it('does not fire on the lab healthy pods (.103, .102 from host-local .100-.150)', () => {
    for (const f of [
      'healthy-hostlocal__ip-addr.txt',
      'healthy-hostlocal__ip-o-addr.txt',
      'healthy-busybox__busybox-ip-addr.txt',
      'mac-no-capability__ip-j-addr.json',
    ]) {
      expect(
        run(probeAddressOutOfRange, probeSnapshot([probe('macvlan-lan', [healthyHostLocal({ ipOutput: lab(f) })])])),
      ).toEqual([]);
    }
  });

  it('does not judge DHCP (no range in the config) or an address the pod requested', () => {
    expect(
      run(
        probeAddressOutOfRange,
        probeSnapshot([
          probe('macvlan-lan-dhcp', [healthyHostLocal({ ipOutput: lab('healthy-dhcp-mac__ip-addr.txt') })]),
        ]),
      ),
    ).toEqual([]);
    expect(
      run(
        probeAddressOutOfRange,
        probeSnapshot([
          probe('macvlan-lan', [
            healthyHostLocal({ ipOutput: lab('healthy-dhcp-mac__ip-addr.txt'), requestedIps: ['192.168.77.216/24'] }),
          ]),
        ]),
      ),
    ).toEqual([]);
  });

  it('ignores extra addresses the LAN adds (an IPv6 SLAAC address next to an in-range IPv4 one)', () => {
    const slaac = lab('healthy-hostlocal__ip-addr.txt').replace(
      '    inet6 fe80::5c8a:d8ff:fe38:8830/64 scope link',
      '    inet6 2001:db8:77::5c8a:d8ff:fe38:8830/64 scope global dynamic mngtmpaddr\n       valid_lft 86300sec preferred_lft 14300sec\n    inet6 fe80::5c8a:d8ff:fe38:8830/64 scope link',
    );
    expect(slaac).toContain('2001:db8:77::');
    const ds = nad('ds', {
      cniVersion: '0.3.1',
      name: 'ds',
      type: 'macvlan',
      master: 'lan0',
      ipam: { type: 'host-local', subnet: '192.168.77.0/24' },
    });
    expect(
      run(
        probeAddressOutOfRange,
        probeSnapshot([probe('ds', [healthyHostLocal({ ipOutput: slaac })])], { nads: [...labNads(), ds] }),
      ),
    ).toEqual([]);
  });
});
