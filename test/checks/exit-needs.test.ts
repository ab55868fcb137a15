/**
 * Issue 15 item 4: a collection gap makes the run incomplete (exit 2) only when a verdict
 * depended on it. The service CIDR matters to the flannel check only when something moves a
 * pod's default route off eth0.
 */
import { describe, expect, it } from 'vitest';
import { nad, node, pod, snapshot } from '../helpers/snapshot.js';
import { exitCodeFor, runChecks } from '../../src/engine.js';
import { renderHuman } from '../../src/report/human.js';
import type { Snapshot } from '../../src/snapshot/types.js';

const GAP = {
  collector: 'service-cidr',
  message:
    'could not determine the service CIDR: no ServiceCIDR objects, no kube-apiserver pod, and the dry-run answer named no range',
};

function world(p: Partial<Snapshot> = {}): Snapshot {
  return snapshot({
    cluster: { distribution: 'kubeadm', podCIDRs: ['10.244.0.0/16'] },
    nodes: [node('n1', { podCIDRs: ['10.244.0.0/24'] })],
    flannel: {
      source: 'configmap kube-flannel/kube-flannel-cfg',
      mode: 'kube-subnet-mgr',
      netConf: JSON.stringify({ Network: '10.244.0.0/16', Backend: { Type: 'vxlan' } }),
    },
    errors: [GAP],
    ...p,
  });
}

describe('exit 2 only for data a verdict depended on', () => {
  it('service CIDR unknown, nothing takes the default route: reported in errors, exit 0', () => {
    const r = runChecks(world());
    expect(r.errors).toContainEqual(GAP);
    expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(exitCodeFor(r.findings, r.errors, 'error')).toBe(0);
    // and the table output does not call the result incomplete
    const text = renderHuman(r.findings, r.errors, r.analysis, { color: false, tty: false });
    expect(text).toContain('Not collected (no verdict depended on it)');
    expect(text).not.toContain('Incomplete');
  });

  it('service CIDR unknown while a NAD takes the default route: the flannel verdict needed it, exit 2', () => {
    const dflt = nad('lan', {
      cniVersion: '0.3.1',
      name: 'lan',
      type: 'macvlan',
      master: 'eth1',
      ipam: {
        type: 'static',
        addresses: [{ address: '192.168.1.10/24' }],
        routes: [{ dst: '0.0.0.0/0', gw: '192.168.1.1' }],
      },
    });
    const r = runChecks(world({ nads: [dflt], workloads: [pod('p', 'lan', { nodeName: 'n1' })] }));
    const f = r.findings.find((x) => x.id === 'flannel-network-excludes-service-cidr');
    expect(f?.message).toContain('the service CIDR is unknown');
    expect(exitCodeFor(r.findings, r.errors, 'error')).toBe(2);
  });

  it('any other collector failing still means exit 2', () => {
    const r = runChecks(world({ errors: [{ collector: 'inspect/n1', message: 'exec failed', node: 'n1' }] }));
    expect(exitCodeFor(r.findings, r.errors, 'error')).toBe(2);
  });
});
