import { describe, expect, it } from 'vitest';
import { probePeerUnreachable } from '../../src/checks/probe/probe-peer-unreachable.js';
import { nad, node, run } from '../helpers/snapshot.js';
import type { ProbePing } from '../../src/snapshot/types.js';
import { lab, labNads, probe, probePod, probeSnapshot } from './probe-fixtures.js';

// Two real lab pods on net1 of macvlan-lan: .103 (netshoot) and .102 (busybox).
const a = (nodeName: string) =>
  probePod('probe-a', { node: nodeName, ipOutput: lab('healthy-hostlocal__ip-addr.txt') });
const b = (nodeName: string) =>
  probePod('probe-b', { node: nodeName, ipOutput: lab('healthy-busybox__busybox-ip-addr.txt') });
const LOSS =
  'PING 192.168.77.102 (192.168.77.102): 56 data bytes\n\n--- 192.168.77.102 ping statistics ---\n3 packets transmitted, 0 packets received, 100% packet loss';
const ping = (p: Partial<ProbePing> = {}): ProbePing => ({
  from: 'probe-a',
  to: 'probe-b',
  address: '192.168.77.102',
  sameNode: false,
  ok: false,
  output: LOSS,
  ...p,
});
const withMode = (mode: string) =>
  nad('mv', {
    cniVersion: '0.3.1',
    name: 'mv',
    type: 'macvlan',
    master: 'lan0',
    mode,
    ipam: { type: 'host-local', subnet: '192.168.77.0/24' },
  });

describe('probe-peer-unreachable', () => {
  it('fires across nodes, says which nodes, and explains what macvlan needs from the network', () => {
    const fs = run(probePeerUnreachable, probeSnapshot([probe('macvlan-lan', [a('n1'), b('n2')], [ping()])]));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toBe(
      'Test pod probe-a cannot ping probe-b at 192.168.77.102 over net1; the pods are on different nodes (n1 and n2).',
    );
    expect(fs[0]!.fix).toContain('Forged transmits');
    expect(fs[0]!.fix).toContain('a host cannot reach its own macvlan children');
    expect(fs[0]!.evidence[1]!.value).toContain('100% packet loss');
  });

  it('says the attachment works when the same-node ping of the same probe succeeded', () => {
    const c = probePod('probe-c', { node: 'n1', ipOutput: lab('healthy-dhcp-mac__ip-addr.txt') });
    const fs = run(
      probePeerUnreachable,
      probeSnapshot([
        probe(
          'macvlan-lan',
          [a('n1'), b('n2'), c],
          [ping(), ping({ to: 'probe-c', address: '192.168.77.216', sameNode: true, ok: true })],
        ),
      ]),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.fix).toMatch(/^The same-node ping worked/);
  });

  it('on the same node in bridge mode it is an error, with the bridge-mode rule', () => {
    const fs = run(
      probePeerUnreachable,
      probeSnapshot([probe('macvlan-lan', [a('n1'), b('n1')], [ping({ sameNode: true })])]),
    );
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('both on node n1');
    expect(fs[0]!.fix).toContain('pods on the same parent reach each other inside the kernel');
  });

  it('is info (by design) on the same node in private mode', () => {
    const fs = run(
      probePeerUnreachable,
      probeSnapshot([probe('mv', [a('n1'), b('n1')], [ping({ sameNode: true })])], {
        nads: [...labNads(), withMode('private')],
      }),
    );
    expect(fs[0]!.severity).toBe('info');
  });

  it('is info when a pod pings its own node over macvlan (a host cannot reach its macvlan children)', () => {
    const nodes = [node('n1', { addresses: [{ type: 'InternalIP', address: '192.168.77.10' }] })];
    const fs = run(
      probePeerUnreachable,
      probeSnapshot([probe('macvlan-lan', [a('n1')], [ping({ to: 'n1', address: '192.168.77.10' })])], { nodes }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('info');
    expect(fs[0]!.fix).toContain('shim');
  });

  it('explains the per-node bridge of the bridge plugin across nodes', () => {
    const br = nad('br', {
      cniVersion: '0.3.1',
      name: 'br',
      type: 'bridge',
      bridge: 'br-lan',
      ipam: { type: 'host-local', subnet: '192.168.77.0/24' },
    });
    const fs = run(
      probePeerUnreachable,
      probeSnapshot([probe('br', [a('n1'), b('n2')], [ping()])], { nads: [...labNads(), br] }),
    );
    expect(fs[0]!.fix).toContain('separate bridge "br-lan" on every node');
  });

  it("notices a target outside the sender's subnet (the packet leaves by eth0)", () => {
    const fs = run(
      probePeerUnreachable,
      probeSnapshot([probe('macvlan-lan', [a('n1'), b('n2')], [ping({ address: '10.77.0.5' })])]),
    );
    expect(fs[0]!.fix).toContain("10.77.0.5 is not in net1's subnet (192.168.77.103/24)");
  });

  it('stays silent for successful pings and for pings involving a pod that never got its interface', () => {
    expect(
      run(probePeerUnreachable, probeSnapshot([probe('macvlan-lan', [a('n1'), b('n2')], [ping({ ok: true })])])),
    ).toEqual([]);
    const noNet1 = probePod('probe-b', { node: 'n2', ipOutput: lab('conf-not-first__ip-addr.txt') });
    expect(run(probePeerUnreachable, probeSnapshot([probe('macvlan-lan', [a('n1'), noNet1], [ping()])]))).toEqual([]);
    const noAddress = probePod('probe-b', {
      node: 'n2',
      ipOutput: lab('healthy-busybox__busybox-ip-addr.txt').replace(/ {4}inet 192\.168\.77\.102.*\n.*\n/, ''),
    });
    expect(noAddress.ipOutput).not.toContain('192.168.77.102');
    expect(run(probePeerUnreachable, probeSnapshot([probe('macvlan-lan', [a('n1'), noAddress], [ping()])]))).toEqual(
      [],
    );
    const notStarted = probePod('probe-b', { node: 'n2', started: false });
    expect(run(probePeerUnreachable, probeSnapshot([probe('macvlan-lan', [a('n1'), notStarted], [ping()])]))).toEqual(
      [],
    );
  });
});
