import { describe, expect, it } from 'vitest';
import { nadConfigMissing } from '../../src/checks/nad/nad-config-missing.js';
import { parseManifestText } from '../../src/manifests/load.js';
import { MULTUS_NAD_CONF_DIR } from '../../src/checks/nad/nad-config-missing.js';
import { FILE_BACKED_NAD_DIR } from '../../src/collect/node-plan.js';
import { dir, inspection, manifests, nad, node, pod, run, snapshot } from '../helpers/snapshot.js';

describe('nad-config-missing', () => {
  it('offline, only notes (info) that the file multus will look for cannot be verified', () => {
    const fs = run(nadConfigMissing, manifests({ nads: [nad('lan', undefined)] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('info');
    expect(fs[0]!.message).toContain('/etc/cni/multus/net.d');
  });

  it('is an error when the key is spelt "Config" (real file: the API server prunes it)', () => {
    const text =
      'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: default\nspec:\n  Config: \'{"cniVersion": "0.3.1", "type": "ovs"}\'\n';
    const { nads } = parseManifestText('ovs.yaml', text);
    const fs = run(nadConfigMissing, manifests({ nads }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('"Config"');
    expect(fs[0]!.evidence[0]).toMatchObject({ path: 'ovs.yaml', line: 1 });
  });

  it('stays silent for a device-plugin NAD (resourceName) and for a NAD with a config', () => {
    const withResource = nad('sriov', undefined, {
      annotations: { 'k8s.v1.cni.cncf.io/resourceName': 'intel.com/sriov' },
    });
    expect(
      run(nadConfigMissing, manifests({ nads: [withResource, nad('ok', { cniVersion: '0.3.1', type: 'macvlan' })] })),
    ).toEqual([]);
  });

  it('leaves an empty config string to nad-config-invalid-json', () => {
    expect(run(nadConfigMissing, manifests({ nads: [nad('empty', '')] }))).toEqual([]);
  });

  it('only notes the istio-cni NAD, whose config is a file by design', () => {
    const fs = run(nadConfigMissing, manifests({ nads: [nad('istio-cni', undefined)] }));
    expect(fs.map((f) => f.severity)).toEqual(['info']);
  });

  // Issue 11 item 3: a file-backed NAD (valid multus feature) judged from the collected confDir.
  describe('on a cluster, from the collected /etc/cni/multus/net.d', () => {
    const D = '/etc/cni/multus/net.d';
    const conf = JSON.stringify({
      cniVersion: '0.3.1',
      name: 'lan',
      type: 'macvlan',
      master: 'eth1',
      ipam: { type: 'host-local', subnet: '10.5.0.0/24' },
    });
    const withFile = (name: string, file = 'lan.conf', content = conf) =>
      node(name, {
        inspection: inspection({
          source: 'multus-pod',
          dirs: { [D]: dir([file]) },
          files: { [`${D}/${file}`]: { exists: true, content } },
        }),
      });
    const without = (name: string) =>
      node(name, {
        inspection: inspection({
          source: 'multus-pod',
          dirs: { [D]: dir(['other.conf']) },
          files: { [`${D}/other.conf`]: { exists: true, content: '{"name":"other","type":"bridge"}' } },
        }),
      });
    const user = (name: string, n: string) => pod(name, 'lan', { nodeName: n, phase: 'Running' });

    it('the collector reads the directory the check judges', () => {
      expect(MULTUS_NAD_CONF_DIR).toBe(FILE_BACKED_NAD_DIR);
    });

    it('is silent when every node running a pod that uses it has the file', () => {
      const fs = run(
        nadConfigMissing,
        snapshot({
          nads: [nad('lan', undefined)],
          nodes: [withFile('n1'), withFile('n2')],
          workloads: [user('a', 'n1'), user('b', 'n2')],
        }),
      );
      expect(fs).toEqual([]);
    });

    it('matches the file by its "name", as multus does, not by the file name', () => {
      const fs = run(
        nadConfigMissing,
        snapshot({
          nads: [nad('lan', undefined)],
          nodes: [withFile('n1', '10-lan-net.conflist')],
          workloads: [user('a', 'n1')],
        }),
      );
      expect(fs).toEqual([]);
    });

    it('is an error naming the nodes where a pod runs and the file is missing', () => {
      const fs = run(
        nadConfigMissing,
        snapshot({
          nads: [nad('lan', undefined)],
          nodes: [withFile('n1'), without('n2'), without('n3')],
          workloads: [user('a', 'n1'), user('b', 'n2')],
        }),
      );
      expect(fs).toHaveLength(1);
      expect(fs[0]!.severity).toBe('error');
      expect(fs[0]!.message).toContain('on n2,');
      expect(fs[0]!.message).not.toContain('n3');
      expect(fs[0]!.subject.node).toBe('n2');
    });

    it('is only a warning when no pod uses it yet and some node lacks the file', () => {
      const fs = run(
        nadConfigMissing,
        snapshot({ nads: [nad('lan', undefined)], nodes: [withFile('n1'), without('n2')] }),
      );
      expect(fs.map((f) => f.severity)).toEqual(['warning']);
      expect(fs[0]!.message).toContain('n2');
    });

    it('says it could not verify (info) when the directory was not collected', () => {
      const fs = run(
        nadConfigMissing,
        snapshot({
          nads: [nad('lan', undefined)],
          nodes: [node('n1', { inspection: inspection({ dirs: {} }) })],
          workloads: [user('a', 'n1')],
        }),
      );
      expect(fs.map((f) => f.severity)).toEqual(['info']);
      expect(fs[0]!.message).toContain('not collected on n1');
    });
  });
});
