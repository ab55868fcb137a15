/**
 * Issue 11 item 2: the MicroK8s multus addon's pod cannot see every host path the checks need
 * (the host's /opt/cni/bin, where thin multus looks for delegates first, and the containerd
 * template): the node-inspector pod reads them, so a missing plugin is an error as on K3s, RKE2
 * and kubeadm, not "could not verify".
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, parseReport, runCliAsync, scenarioPath, startFakeCluster } from './helpers.js';
import { loadScenarioFile } from '../fake-cluster/index.js';

beforeAll(assertBuilt);

describe('MicroK8s: paths the addon pod cannot show come from the node-inspector pod', () => {
  it('a plugin a NAD uses is removed from the node: cni-plugin-missing error naming it', async () => {
    const s = loadScenarioFile(scenarioPath('healthy-microk8s'));
    for (const n of Object.values(s.nodes)) delete n.files!['/var/snap/microk8s/current/opt/cni/bin/ipvlan'];
    // genuinely broken: no pod shows that multus attached the NAD there (that would outrank the listing)
    for (const o of s.objects)
      if (o['kind'] === 'Pod') delete o['metadata']?.annotations?.['k8s.v1.cni.cncf.io/network-status'];
    const fc = await startFakeCluster(s);
    try {
      const r = await runCliAsync(['check', '--kubeconfig', fc.kubeconfigPath, '-o', 'json']);
      const rep = parseReport(r.stdout);
      const f = rep.findings.filter((x) => x.id === 'cni-plugin-missing');
      expect(f.map((x) => x.severity)).toEqual(['error']);
      expect(f[0]!.message).toContain('"ipvlan"');
      expect(rep.errors).toEqual([]);
      expect(r.code).toBe(1);
      // the inspector pod was used (and deleted)
      expect(fc.stats().byResource['create pods']).toBeGreaterThan(0);
    } finally {
      await fc.close();
    }
  });
});
