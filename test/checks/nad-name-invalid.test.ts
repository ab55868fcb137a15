import { describe, expect, it } from 'vitest';
import { nadNameInvalid } from '../../src/checks/nad/nad-name-invalid.js';
import { manifests, nad, run, snapshot } from '../helpers/snapshot.js';

const cfg = { cniVersion: '0.3.1', type: 'macvlan' };

describe('nad-name-invalid', () => {
  it('is an error for names Kubernetes itself refuses (upper case, underscore)', () => {
    const fs = run(nadNameInvalid, manifests({ nads: [nad('Macvlan_LAN', cfg)] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.fix).toContain('macvlan-lan');
  });

  it('is an error for a dotted name on OpenShift (admission webhook) and a warning elsewhere', () => {
    const os = run(nadNameInvalid, snapshot({ cluster: { distribution: 'openshift' }, nads: [nad('lan.v1', cfg)] }));
    expect(os.map((f) => f.severity)).toEqual(['error']);
    expect(os[0]!.message).toContain('net-attach-def name is invalid');
    const k = run(nadNameInvalid, snapshot({ cluster: { distribution: 'kubeadm' }, nads: [nad('lan.v1', cfg)] }));
    expect(k.map((f) => f.severity)).toEqual(['warning']);
  });

  it('is an error when metadata.name is missing', () => {
    expect(run(nadNameInvalid, manifests({ nads: [nad('', cfg)] })).map((f) => f.severity)).toEqual(['error']);
  });

  it('accepts DNS-1123 labels and unrendered templates', () => {
    expect(
      run(nadNameInvalid, manifests({ nads: [nad('macvlan-lan', cfg), nad('a1', cfg), nad('${NAME}', cfg)] })),
    ).toEqual([]);
  });
});
