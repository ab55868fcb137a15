/**
 * Issue 11 item 3 end to end: a NAD without spec.config whose config lives in
 * /etc/cni/multus/net.d on the nodes (a valid multus feature), judged from what the node
 * inspection collected.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../fake-cluster/scenario.js';
import { assertBuilt, parseReport, runCliAsync, scenarioPath, startFakeCluster } from './helpers.js';

beforeAll(assertBuilt);

const CONF = JSON.stringify({
  cniVersion: '0.3.1',
  name: 'macvlan-lan',
  type: 'macvlan',
  master: 'eth1',
  mode: 'bridge',
  ipam: { type: 'host-local', subnet: '192.168.77.0/24', rangeStart: '192.168.77.100', rangeEnd: '192.168.77.150' },
});

/** kubeadm-healthy-thin with its NAD turned file-backed; the file on the given nodes. */
function scenario(fileOn: string[]) {
  const s = loadScenarioFile(scenarioPath('kubeadm-healthy-thin'));
  const nad = s.objects.find(
    (o) => o['kind'] === 'NetworkAttachmentDefinition' && o['metadata']?.name === 'macvlan-lan',
  )!;
  delete nad['spec']['config'];
  for (const n of fileOn) s.nodes[n]!.files = { ...s.nodes[n]!.files, '/etc/cni/multus/net.d/macvlan-lan.conf': CONF };
  return s;
}

async function check(s: ReturnType<typeof scenario>) {
  const fc = await startFakeCluster(s);
  try {
    const r = await runCliAsync([
      'check',
      '--kubeconfig',
      fc.kubeconfigPath,
      '-o',
      'json',
      '--inspect-nodes',
      'always',
    ]);
    return parseReport(r.stdout).findings.filter((f) => f.id === 'nad-config-missing');
  } finally {
    await fc.close();
  }
}

describe('nad-config-missing from the collected multus confDir', () => {
  it('is silent when the node running the pod (worker-1) has the file', async () => {
    expect(await check(scenario(['worker-1']))).toEqual([]);
  });

  it('is an error naming worker-1 when the file is only on the other nodes', async () => {
    const fs = await check(scenario(['cp-1', 'worker-2']));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('on worker-1,');
    expect(fs[0]!.message).not.toContain('worker-2');
  });
});
