/**
 * Issue 11 item 6: the node-inspector pod's events say why it cannot start long before the
 * timeout; the collection stops waiting on a terminal cause and reports it, in `errors` and in
 * the "could not verify" findings.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, parseReport, runCliAsync, scenarioPath, startFakeCluster } from './helpers.js';
import { loadScenarioFile } from '../fake-cluster/index.js';

beforeAll(assertBuilt);

// Worded as containerd/runc word it on a node whose runtime cannot start sandboxes (issue 11, real v1.20 lab).
const SANDBOX =
  'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error mounting "proc" to rootfs at "/proc": mount proc:/proc (via /proc/self/fd/6), flags: 0xe: operation not permitted: unknown';

async function withInspectorEvents(events: Array<{ reason: string; message: string; count: number }>) {
  const s = loadScenarioFile(scenarioPath('lab-containerd-custom-config'));
  // created pods stay ContainerCreating, as on a node whose runtime fails every sandbox
  s.createdPods = { phase: 'Pending', delayMs: 0 };
  const fc = await startFakeCluster(s);
  const off = fc.world.store.subscribe((e) => {
    const o = e.object;
    if (e.type !== 'ADDED' || o['kind'] !== 'Pod' || !String(o['metadata']?.name).startsWith('kubectl-multus-inspect-'))
      return;
    for (const ev of events) {
      fc.world.store.put('events', {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {
          name: `${o['metadata'].name}.${randomUUID().slice(0, 8)}`,
          namespace: o['metadata'].namespace,
          uid: randomUUID(),
        },
        involvedObject: {
          apiVersion: 'v1',
          kind: 'Pod',
          name: o['metadata'].name,
          namespace: o['metadata'].namespace,
          uid: o['metadata'].uid,
        },
        reason: ev.reason,
        message: ev.message,
        type: 'Warning',
        count: ev.count,
        source: { component: 'kubelet', host: o['spec']?.nodeName },
      });
    }
  });
  try {
    const r = await runCliAsync(['check', '--kubeconfig', fc.kubeconfigPath, '-o', 'json'], { timeoutMs: 50_000 });
    return { r, report: parseReport(r.stdout), stats: fc.stats() };
  } finally {
    off();
    await fc.close();
  }
}

describe('node-inspector pod that can never start', () => {
  it('repeated FailedCreatePodSandBox: stops waiting, and the cause is in errors and in the could-not-verify findings', async () => {
    const { r, report } = await withInspectorEvents([{ reason: 'FailedCreatePodSandBox', message: SANDBOX, count: 3 }]);
    expect(r.code, r.stderr).toBe(2);
    const err = report.errors.find((e) => e.collector === 'inspect/lab-node');
    expect(err?.message).toContain('cannot start: FailedCreatePodSandBox (x3): Failed to create pod sandbox');
    expect(err?.message).not.toContain('did not start within');
    const cnv = report.findings.filter(
      (f) => f.message.startsWith('Could not verify') && f.message.includes('FailedCreatePodSandBox'),
    );
    expect(cnv.length).toBeGreaterThan(0);
  });

  it('an image that cannot be pulled: the pull error, with the hint to mirror the image', async () => {
    const { report } = await withInspectorEvents([
      {
        reason: 'Failed',
        message:
          'Failed to pull image "busybox:1.36": rpc error: code = Unknown desc = failed to pull and unpack image: ErrImagePull',
        count: 1,
      },
    ]);
    const err = report.errors.find((e) => e.collector === 'inspect/lab-node');
    expect(err?.message).toContain('cannot start: Failed: Failed to pull image');
    expect(err?.message).toContain('--print-images');
  });

  it('a single FailedCreatePodSandBox may be transient: not terminal by itself', async () => {
    const { terminalEventCause } = await import('../../src/collect/inspector-pod.js');
    expect(
      terminalEventCause([{ reason: 'FailedCreatePodSandBox', message: SANDBOX, type: 'Warning', count: 1 }]),
    ).toBeUndefined();
    expect(
      terminalEventCause([
        { reason: 'FailedMount', message: 'MountVolume.SetUp failed for volume "host"', type: 'Warning', count: 1 },
      ]),
    ).toContain('FailedMount');
    expect(terminalEventCause([{ reason: 'Scheduled', message: 'ok', type: 'Normal' }])).toBeUndefined();
  });
});
