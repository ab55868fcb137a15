import { describe, expect, it } from 'vitest';
import { podNamespaceIsolation } from '../../src/checks/pod/pod-namespace-isolation.js';
import { dir, inspection, multus, node, pod, run, snapshot } from '../helpers/snapshot.js';

const check = podNamespaceIsolation;
// OpenShift's multus-daemon-config (research §B.3), trimmed.
const openshiftDaemon = JSON.stringify({
  cniVersion: '1.1.0',
  namespaceIsolation: true,
  globalNamespaces: 'default,openshift-multus,openshift-sriov-network-operator,openshift-cnv',
});
const thick = multus({
  mode: 'thick',
  daemonConfig: { source: 'configmap openshift-multus/multus-daemon-config', content: openshiftDaemon },
});

describe('pod-namespace-isolation', () => {
  it('fires when isolation is on and the NAD lives in another, non-global namespace', () => {
    const fs = run(
      check,
      snapshot({
        cluster: { distribution: 'openshift' },
        multus: [thick],
        workloads: [pod('p', 'shared/lan', { namespace: 'app' })],
      }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('shared/lan');
    expect(fs[0]!.fix).toContain('oc get net-attach-def');
  });

  it('reads namespaceIsolation from a thin 00-multus.conf on a node', () => {
    const conf = JSON.stringify({
      cniVersion: '0.3.1',
      name: 'multus-cni-network',
      type: 'multus',
      namespaceIsolation: true,
      kubeconfig: '/etc/cni/net.d/multus.d/multus.kubeconfig',
      delegates: [{ type: 'flannel' }],
    });
    const n = node('n1', {
      inspection: inspection({
        dirs: { '/etc/cni/net.d': dir(['00-multus.conf']) },
        files: { '/etc/cni/net.d/00-multus.conf': { exists: true, content: conf } },
      }),
    });
    expect(run(check, snapshot({ nodes: [n], workloads: [pod('p', 'other/lan', { namespace: 'app' })] }))).toHaveLength(
      1,
    );
  });

  it('allows the own namespace, default and global namespaces', () => {
    const ws = [
      pod('a', 'lan', { namespace: 'app' }),
      pod('b', 'default/lan', { namespace: 'app' }),
      pod('c', 'openshift-cnv/lan', { namespace: 'app' }),
    ];
    expect(run(check, snapshot({ multus: [thick], workloads: ws }))).toEqual([]);
  });

  it('stays silent when isolation is off or unknown', () => {
    const off = multus({ daemonConfig: { source: 'cm', content: JSON.stringify({ namespaceIsolation: false }) } });
    expect(run(check, snapshot({ multus: [off], workloads: [pod('p', 'other/lan', { namespace: 'app' })] }))).toEqual(
      [],
    );
    expect(run(check, snapshot({ workloads: [pod('p', 'other/lan', { namespace: 'app' })] }))).toEqual([]);
  });
});
