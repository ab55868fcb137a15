/**
 * Issue 11 item 5 end to end: a multus pod that cannot start shows its latest Warning events and
 * their cause in `multus-pods-not-ready`, collected from the (fake) API server.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../fake-cluster/scenario.js';
import { assertBuilt, parseReport, runCliAsync, scenarioPath, startFakeCluster } from './helpers.js';

beforeAll(assertBuilt);

async function check(s: ReturnType<typeof loadScenarioFile>) {
  const fc = await startFakeCluster(s);
  try {
    const r = await runCliAsync(['check', '--kubeconfig', fc.kubeconfigPath, '-o', 'json', '--inspect-nodes', 'never']);
    return { r, report: parseReport(r.stdout) };
  } finally {
    await fc.close();
  }
}

// The shape of the event a kubelet + containerd v1.7 records when runc cannot start the sandbox
// (the real cluster in the issue: the multus pod sat in Init:0/1 for an hour with it).
const RUNC =
  'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error setting cgroup config for procHooks process: unable to freeze: unknown';

describe('multus-pods-not-ready shows why a multus pod cannot start', () => {
  it('a crash-looping multus pod: the BackOff event is evidence (events collected for troubled multus pods)', async () => {
    const { report } = await check(loadScenarioFile(scenarioPath('k3s-upstream-thin')));
    const f = report.findings.find((x) => x.id === 'multus-pods-not-ready');
    expect(f).toBeDefined();
    expect(f!.evidence).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          label: 'event BackOff ×7',
          value: 'Back-off restarting failed container',
          node: 'k3s-server',
        }),
      ]),
    );
  });

  it('a multus pod whose sandbox the runtime cannot create: names the runtime failure, not just "waiting"', async () => {
    const s = loadScenarioFile(scenarioPath('k3s-upstream-thin'));
    s.daemonSetPods['kube-system/kube-multus-ds'] = {
      state: 'ContainerCreating',
      names: { 'k3s-server': 'kube-multus-ds-jcndw', 'k3s-agent-1': 'kube-multus-ds-x8v2m' },
    };
    s.objects = s.objects.filter(
      (o) => !(o['kind'] === 'Event' && o['involvedObject']?.name === 'kube-multus-ds-jcndw'),
    );
    for (const name of ['kube-multus-ds-jcndw', 'kube-multus-ds-x8v2m']) {
      s.objects.push({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${name}.17a1`, namespace: 'kube-system' },
        involvedObject: { apiVersion: 'v1', kind: 'Pod', name, namespace: 'kube-system' },
        reason: 'FailedCreatePodSandBox',
        type: 'Warning',
        count: 42,
        source: { component: 'kubelet' },
        message: RUNC,
      });
    }
    const { report } = await check(s);
    const f = report.findings.find((x) => x.id === 'multus-pods-not-ready');
    expect(f, JSON.stringify(report.findings.map((x) => x.id))).toBeDefined();
    expect(f!.message).toContain('the container runtime cannot create the pod sandbox');
    expect(f!.message).toContain('OCI runtime create failed');
    expect(f!.evidence).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ label: 'event FailedCreatePodSandBox ×42', node: 'k3s-server' }),
      ]),
    );
    expect(f!.fix).toContain('journalctl -u k3s');
  });
});
