import { describe, expect, it } from 'vitest';
import { nadConfigMissing } from '../../src/checks/nad/nad-config-missing.js';
import { parseManifestText } from '../../src/manifests/load.js';
import { manifests, nad, run } from '../helpers/snapshot.js';

describe('nad-config-missing', () => {
  it('warns when a NAD has no spec.config, naming the file multus will look for', () => {
    const fs = run(nadConfigMissing, manifests({ nads: [nad('lan', undefined)] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('warning');
    expect(fs[0]!.message).toContain('/etc/cni/multus/net.d');
  });

  it('is an error when the key is spelt "Config" (real file: the API server prunes it)', () => {
    const text = 'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: default\nspec:\n  Config: \'{"cniVersion": "0.3.1", "type": "ovs"}\'\n';
    const { nads } = parseManifestText('ovs.yaml', text);
    const fs = run(nadConfigMissing, manifests({ nads }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('"Config"');
    expect(fs[0]!.evidence[0]).toMatchObject({ path: 'ovs.yaml', line: 1 });
  });

  it('stays silent for a device-plugin NAD (resourceName) and for a NAD with a config', () => {
    const withResource = nad('sriov', undefined, { annotations: { 'k8s.v1.cni.cncf.io/resourceName': 'intel.com/sriov' } });
    expect(run(nadConfigMissing, manifests({ nads: [withResource, nad('ok', { cniVersion: '0.3.1', type: 'macvlan' })] }))).toEqual([]);
  });

  it('leaves an empty config string to nad-config-invalid-json', () => {
    expect(run(nadConfigMissing, manifests({ nads: [nad('empty', '')] }))).toEqual([]);
  });

  it('only notes the istio-cni NAD, whose config is a file by design', () => {
    const fs = run(nadConfigMissing, manifests({ nads: [nad('istio-cni', undefined)] }));
    expect(fs.map((f) => f.severity)).toEqual(['info']);
  });
});
