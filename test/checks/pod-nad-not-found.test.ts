import { describe, expect, it } from 'vitest';
import { podNadNotFound } from '../../src/checks/pod/pod-nad-not-found.js';
import { manifests, nad, pod, run, snapshot } from '../helpers/snapshot.js';
import { labJson, labNads, labPod } from './lab.js';
import { itCorpus } from '../helpers/corpus.js';

const check = podNadNotFound;
const cfg = { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1', ipam: { type: 'dhcp' } };

describe('pod-nad-not-found', () => {
  itCorpus('fires on the lab pod that asks for "macvlan-lann" and suggests macvlan-lan', () => {
    const fs = run(check, snapshot({ nads: labNads(), workloads: [labPod(labJson('nad-not-found__pod.json'))] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('"macvlan-lann"');
    expect(fs[0]!.message).toContain('did you mean "macvlan-lan"');
  });

  it('resolves an unqualified name in the pod namespace and points at the NAD elsewhere', () => {
    const fs = run(check, snapshot({ nads: [nad('lan', cfg)], workloads: [pod('p', 'lan', { namespace: 'apps' })] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('namespace "apps"');
    expect(fs[0]!.message).toContain('default/lan');
    expect(fs[0]!.fix).toContain('default/lan');
  });

  it('does not fire when the NAD exists (unqualified or qualified)', () => {
    const s = snapshot({
      nads: [nad('lan', cfg), nad('lan', cfg, { namespace: 'apps' })],
      workloads: [pod('a', 'lan', { namespace: 'apps' }), pod('b', 'default/lan', { namespace: 'apps' })],
    });
    expect(run(check, s)).toEqual([]);
  });

  it('offline, a NAD missing from the linted files is info, never an error', () => {
    const fs = run(check, manifests({ workloads: [pod('p', 'lan,other')] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('info');
    expect(fs[0]!.message).toMatch(/not verifiable offline/i);
    expect(fs[0]!.message).toContain('"lan"');
    expect(fs[0]!.message).toContain('"other"');
  });

  it('offline, a NAD among the files is found', () => {
    expect(run(check, manifests({ nads: [nad('lan', cfg)], workloads: [pod('p', 'lan')] }))).toEqual([]);
  });

  it('says it could not verify when NADs could not be listed', () => {
    const fs = run(
      check,
      snapshot({ errors: [{ collector: 'nads', message: 'forbidden', code: 403 }], workloads: [pod('p', 'lan')] }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('info');
  });
});
