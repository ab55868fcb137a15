import { describe, expect, it } from 'vitest';
import { nadPluginUnknown } from '../../src/checks/nad/nad-plugin-unknown.js';
import { dir, inspection, manifests, nad, node, run, snapshot } from '../helpers/snapshot.js';

describe('nad-plugin-unknown', () => {
  it('warns on a misspelt reference plugin and suggests the right one', () => {
    const fs = run(
      nadPluginUnknown,
      manifests({ nads: [nad('x', { cniVersion: '0.3.1', type: 'macvlna', master: 'eth1' })] }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('warning');
    expect(fs[0]!.message).toContain('"macvlan"');
  });

  it('warns when a custom type is in no node bin dir, and is silent when a node has it', () => {
    const mk = (entries: string[]) =>
      snapshot({
        nodes: [node('n1', { inspection: inspection({ dirs: { '/opt/cni/bin': dir(entries) } }) })],
        nads: [nad('x', { cniVersion: '0.4.0', type: 'cw-multinet' })],
      });
    const missing = run(nadPluginUnknown, mk(['macvlan', 'bridge']));
    expect(missing.map((f) => f.severity)).toEqual(['warning']);
    expect(missing[0]!.message).toContain('n1');
    expect(run(nadPluginUnknown, mk(['macvlan', 'cw-multinet']))).toEqual([]);
  });

  it('only notes an unfamiliar type offline, and flags an IPAM used as the plugin type', () => {
    const fs = run(
      nadPluginUnknown,
      manifests({
        nads: [
          nad('x', { cniVersion: '0.4.0', type: 'cw-multinet' }),
          nad('y', { cniVersion: '0.4.0', type: 'host-local' }),
        ],
      }),
    );
    expect(fs.map((f) => [f.subject.name, f.severity])).toEqual([
      ['x', 'info'],
      ['y', 'warning'],
    ]);
  });

  it('knows reference and third-party plugins', () => {
    const types = [
      'macvlan',
      'sriov',
      'ovs',
      'kube-ovn',
      'ovn-k8s-cni-overlay',
      'cnv-bridge',
      'bond',
      'antrea',
      'userspace',
      'afxdp',
    ];
    expect(
      run(nadPluginUnknown, manifests({ nads: types.map((t) => nad(t, { cniVersion: '0.3.1', type: t })) })),
    ).toEqual([]);
  });
});
