import { describe, expect, it } from 'vitest';
import { nadIpamUnknown } from '../../src/checks/nad/nad-ipam-unknown.js';
import { dir, inspection, manifests, nad, node, run, snapshot } from '../helpers/snapshot.js';

const withIpam = (name: string, type: string) =>
  nad(name, { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1', ipam: { type } });

describe('nad-ipam-unknown', () => {
  it('is an error for a misspelt IPAM even offline (no such binary exists)', () => {
    const fs = run(nadIpamUnknown, manifests({ nads: [withIpam('x', 'host_local'), withIpam('y', 'whereabout')] }));
    expect(fs.map((f) => f.severity)).toEqual(['error', 'error']);
    expect(fs[0]!.message).toContain('"host-local"');
    expect(fs[1]!.message).toContain('"whereabouts"');
  });

  it('is an error in a cluster when no node has the IPAM binary, silent when one does', () => {
    const mk = (entries: string[]) =>
      snapshot({
        nodes: [node('n1', { inspection: inspection({ dirs: { '/opt/cni/bin': dir(entries) } }) })],
        nads: [withIpam('x', 'my-ipam')],
      });
    expect(run(nadIpamUnknown, mk(['macvlan'])).map((f) => f.severity)).toEqual(['error']);
    expect(run(nadIpamUnknown, mk(['macvlan', 'my-ipam']))).toEqual([]);
  });

  it('only notes an unfamiliar IPAM offline', () => {
    expect(run(nadIpamUnknown, manifests({ nads: [withIpam('x', 'my-ipam')] })).map((f) => f.severity)).toEqual([
      'info',
    ]);
  });

  it('accepts the reference IPAMs, whereabouts and known vendor IPAMs', () => {
    const ok = ['host-local', 'static', 'dhcp', 'whereabouts', 'spiderpool', 'kube-ovn', 'antrea', 'nv-ipam'].map((t) =>
      withIpam(t, t),
    );
    expect(run(nadIpamUnknown, manifests({ nads: ok }))).toEqual([]);
  });
});
