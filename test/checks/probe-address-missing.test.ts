import { describe, expect, it } from 'vitest';
import { probeAddressMissing } from '../../src/checks/probe/probe-address-missing.js';
import { nad, run } from '../helpers/snapshot.js';
import { healthyHostLocal, lab, labNads, probe, probeSnapshot } from './probe-fixtures.js';

// The lab's healthy net1 with its IPv4 line removed: only the automatic IPv6 link-local address is left.
const noV4 = lab('healthy-hostlocal__ip-addr.txt').replace(
  '    inet 192.168.77.103/24 brd 192.168.77.255 scope global net1\n       valid_lft forever preferred_lft forever\n',
  '',
);

describe('probe-address-missing', () => {
  it('fires when net1 has only its link-local address although macvlan-lan has host-local IPAM', () => {
    expect(noV4).not.toContain('192.168.77.103');
    const fs = run(probeAddressMissing, probeSnapshot([probe('macvlan-lan', [healthyHostLocal({ ipOutput: noV4 })])]));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('has no IP address, although NAD default/macvlan-lan configures host-local IPAM');
    // Evidence points at the ipam section of the NAD (line 7: "ipam": {).
    expect(fs[0]!.evidence[1]).toMatchObject({ path: 'default/macvlan-lan:spec.config', line: 7 });
  });

  it('says to move "ipam" when it sits on a chained plugin', () => {
    const chained = nad('chained', {
      cniVersion: '0.3.1',
      name: 'chained',
      plugins: [
        { type: 'macvlan', master: 'lan0' },
        { type: 'tuning', ipam: { type: 'host-local', subnet: '192.168.77.0/24' } },
      ],
    });
    const fs = run(
      probeAddressMissing,
      probeSnapshot([probe('chained', [healthyHostLocal({ ipOutput: noV4, networkStatus: undefined })])], {
        nads: [...labNads(), chained],
      }),
    );
    expect(fs[0]!.fix).toContain('plugins[1]');
    expect(fs[0]!.fix).toContain('Move "ipam" to plugins[0]');
  });

  it('reports a missing family of a dual-stack range', () => {
    const ds = nad('ds', {
      cniVersion: '0.3.1',
      name: 'ds',
      type: 'macvlan',
      master: 'lan0',
      ipam: { type: 'host-local', ranges: [[{ subnet: '192.168.77.0/24' }], [{ subnet: 'fd77::/64' }]] },
    });
    const fs = run(
      probeAddressMissing,
      probeSnapshot([probe('ds', [healthyHostLocal({ networkStatus: undefined })])], { nads: [ds] }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('has no IPv6 address');
  });

  it('mentions a link without carrier in the evidence', () => {
    const out = noV4.replace(
      '3: net1@if78: <BROADCAST,MULTICAST,UP,LOWER_UP>',
      '3: net1@if78: <NO-CARRIER,BROADCAST,MULTICAST,UP>',
    );
    const fs = run(probeAddressMissing, probeSnapshot([probe('macvlan-lan', [healthyHostLocal({ ipOutput: out })])]));
    expect(fs[0]!.evidence.some((e) => e.value?.includes('NO-CARRIER'))).toBe(true);
  });

  it('does not fire on the lab healthy pods, on an L2-only NAD, or when the NAD is not in the snapshot', () => {
    expect(run(probeAddressMissing, probeSnapshot([probe('macvlan-lan', [healthyHostLocal()])]))).toEqual([]);
    expect(
      run(
        probeAddressMissing,
        probeSnapshot([
          probe('macvlan-lan-dhcp', [healthyHostLocal({ ipOutput: lab('healthy-dhcp-mac__ip-j-addr.json') })]),
        ]),
      ),
    ).toEqual([]);
    const l2 = nad('l2', { cniVersion: '0.3.1', name: 'l2', type: 'macvlan', master: 'lan0', ipam: {} });
    expect(
      run(probeAddressMissing, probeSnapshot([probe('l2', [healthyHostLocal({ ipOutput: noV4 })])], { nads: [l2] })),
    ).toEqual([]);
    expect(
      run(probeAddressMissing, probeSnapshot([probe('elsewhere', [healthyHostLocal({ ipOutput: noV4 })])])),
    ).toEqual([]);
  });
});
