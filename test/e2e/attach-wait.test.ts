/**
 * `attach --wait` end to end. The fake API server has no controllers, so the test plays the
 * Deployment controller: when the template changes it replaces the pod with one made from the
 * new template, whose network-status says what multus did (all right, another MAC, or a sandbox
 * that keeps failing), and reports the rollout in the Deployment's status.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCliAsync, scenarioPath, startFakeCluster, type FakeCluster } from './helpers.js';

const NETWORKS = 'k8s.v1.cni.cncf.io/networks';
const STATUS = 'k8s.v1.cni.cncf.io/network-status';
type Outcome = 'ok' | 'other-mac' | 'sandbox-fails';

/** A minimal Deployment controller for deployment `name` in default. Returns the unsubscribe. */
function controller(fc: FakeCluster, name: string, outcome: Outcome): () => void {
  const store = fc.world.store;
  const handled = new Set<number>();
  return store.subscribe((e) => {
    if (e.gr !== 'deployments.apps' || e.type !== 'MODIFIED' || e.object['metadata'].name !== name) return;
    const gen = e.object['metadata'].generation as number;
    if (handled.has(gen) || (e.object['status']?.observedGeneration ?? 0) >= gen) return;
    handled.add(gen);
    // Act after the write that notified us has finished, as a controller would.
    setImmediate(() => {
      const d = store.get('deployments.apps', 'default', name)!;
      const tpl = d['spec'].template;
      const hash = `7c9d8b6f${gen}`;
      const podName = `${name}-${hash}-q2w3e`;
      const entry = (JSON.parse(tpl.metadata.annotations[NETWORKS]) as Array<Record<string, unknown>>)[0]!;
      const ann: Record<string, string> = { ...tpl.metadata.annotations };
      const running = outcome !== 'sandbox-fails';
      if (running) {
        ann[STATUS] = JSON.stringify([
          { name: 'cbr0', interface: 'eth0', ips: ['10.244.1.9'], mac: 'b2:97:b1:a8:93:c9', default: true },
          {
            name: `default/${entry['name']}`,
            interface: 'net1',
            ips: ['192.168.77.102'],
            mac: outcome === 'ok' ? entry['mac'] : '5e:00:00:00:00:01',
          },
        ]);
      }
      for (const p of store
        .peekAll('pods', 'default')
        .filter((p) => p['metadata'].labels?.app === 'web')
        .map((p) => p['metadata'].name as string))
        store.delete('pods', 'default', p);
      store.put('pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: podName,
          namespace: 'default',
          uid: `uid-${podName}`,
          creationTimestamp: new Date().toISOString(),
          labels: { ...tpl.metadata.labels, 'pod-template-hash': hash },
          annotations: ann,
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: `${name}-${hash}`,
              uid: `uid-rs-${hash}`,
              controller: true,
            },
          ],
        },
        spec: { ...tpl.spec, nodeName: 'worker-1' },
        status: running
          ? { phase: 'Running', containerStatuses: [{ name: 'web', ready: true, state: { running: {} } }] }
          : {
              phase: 'Pending',
              containerStatuses: [{ name: 'web', ready: false, state: { waiting: { reason: 'ContainerCreating' } } }],
            },
      });
      if (!running) {
        store.put('events', {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: `${podName}.1`, namespace: 'default' },
          involvedObject: { kind: 'Pod', name: podName, namespace: 'default' },
          reason: 'FailedCreatePodSandBox',
          type: 'Warning',
          count: 3,
          message: `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "9f2c": plugin type="multus" name="multus-cni-network" failed (add): [default/${podName}:${entry['name']}]: error adding container to network "${entry['name']}": failed to find plugin "macvlan" in path [/opt/cni/bin]`,
        });
      }
      store.put('deployments.apps', {
        ...d,
        status: {
          observedGeneration: gen,
          replicas: 1,
          updatedReplicas: 1,
          readyReplicas: running ? 1 : 0,
          availableReplicas: running ? 1 : 0,
        },
      });
    });
  });
}

let fc: FakeCluster | undefined;
let stop: (() => void) | undefined;
beforeAll(() => assertBuilt());
afterEach(async () => {
  stop?.();
  await fc?.close();
  fc = undefined;
});

async function run(outcome: Outcome, args: string[]) {
  fc = await startFakeCluster(scenarioPath('attach-workloads'));
  stop = controller(fc, 'web', outcome);
  return runCliAsync([
    'attach',
    'deploy/web',
    ...args,
    '--wait',
    '--timeout',
    '60s',
    '--kubeconfig',
    fc.kubeconfigPath,
  ]);
}

describe('attach --wait', () => {
  it('follows the rollout and verifies the new pod has the interface with the MAC', async () => {
    const r = await run('ok', ['--network', 'macvlan-hostlocal', '--mac']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('deployment.apps/web patched');
    expect(r.stdout).toMatch(
      /verified: pod web-7c9d8b6f\d+-q2w3e on worker-1: net1 on default\/macvlan-hostlocal, mac 5e:8a:d8:38:88:31, 192\.168\.77\.102/,
    );
  });

  it('reports probe-mac-mismatch (exit 1) when the new pod came up with another MAC', async () => {
    const r = await run('other-mac', ['--network', 'macvlan-hostlocal', '--mac']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('failed: pod web-');
    expect(r.stdout).toContain('[probe-mac-mismatch]');
    expect(r.stdout).toContain('has MAC 5e:00:00:00:00:01, not the requested 5e:8a:d8:38:88:31');
  });

  it('reports probe-pod-not-started with the sandbox error when the new pod cannot start', async () => {
    const r = await run('sandbox-fails', ['--network', 'macvlan-dhcp']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('[probe-pod-not-started]');
    expect(r.stdout).toContain('new pod default/web-');
    expect(r.stdout).toContain('failed to find plugin "macvlan"');
  });

  it('does not wait where nothing rolls out (a ReplicaSet), and says so', async () => {
    fc = await startFakeCluster(scenarioPath('attach-workloads'));
    const r = await runCliAsync([
      'attach',
      'rs/standalone',
      '--network',
      'macvlan-dhcp',
      '--wait',
      '--kubeconfig',
      fc.kubeconfigPath,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('not waiting: a ReplicaSet does not replace its running pods');
  });
});
