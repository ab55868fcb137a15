/**
 * Fake clusters for the probe tests: two worker nodes, the NAD CRD, the NADs a test names, and a
 * fake kubelet that runs the pods the CLI creates (see test/fake-cluster/kubelet.ts).
 */
import { startFakeCluster, type FakeCluster } from '../fake-cluster/index.js';
import type { ScenarioInput } from '../fake-cluster/scenario.js';
import { FakeKubelet, type FakeKubeletOptions } from '../fake-cluster/kubelet.js';

const MANAGED = 'app.kubernetes.io/managed-by';

export function nad(name: string, config: object, namespace = 'default'): object {
  return {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: { name, namespace },
    spec: { config: JSON.stringify(config) },
  };
}

/** macvlan on `master` with host-local 192.168.77.100-150 (the lab's macvlan-lan, ../shared/corpus/lab). */
export function macvlanConfig(
  name: string,
  o: { master?: string; mode?: string; capabilities?: object; ipam?: object } = {},
): object {
  return {
    cniVersion: '0.3.1',
    name,
    type: 'macvlan',
    master: o.master ?? 'lan0',
    mode: o.mode ?? 'bridge',
    ...(o.capabilities ? { capabilities: o.capabilities } : {}),
    ipam: o.ipam ?? {
      type: 'host-local',
      subnet: '192.168.77.0/24',
      rangeStart: '192.168.77.100',
      rangeEnd: '192.168.77.150',
    },
  };
}

function probeScenario(objects: object[], extra: Partial<ScenarioInput> = {}): ScenarioInput {
  return {
    name: 'probe',
    cluster: { distribution: 'kubeadm', version: 'v1.31.4' },
    crds: ['network-attachment-definitions.k8s.cni.cncf.io'],
    nodes: {
      'worker-1': { podCIDR: '10.244.1.0/24', interfaces: [{ name: 'eth0', addresses: ['10.0.0.11/24'] }] },
      'worker-2': { podCIDR: '10.244.2.0/24', interfaces: [{ name: 'eth0', addresses: ['10.0.0.12/24'] }] },
    },
    createdPods: { phase: 'Pending' },
    objects: objects as ScenarioInput['objects'],
    ...extra,
  };
}

export async function startProbeCluster(
  objects: object[],
  kubelet: FakeKubeletOptions,
  extra: Partial<ScenarioInput> = {},
): Promise<{ fc: FakeCluster; kubelet: FakeKubelet; close: () => Promise<void> }> {
  const fc = await startFakeCluster(probeScenario(objects, extra));
  const k = new FakeKubelet(fc, kubelet).start();
  return {
    fc,
    kubelet: k,
    close: async () => {
      await k.close();
      await fc.close();
    },
  };
}

/** Pods the CLI created (managed-by label) that are still in the fake's store. */
export function managedPods(fc: FakeCluster): string[] {
  return fc.world.store
    .peekAll('pods')
    .filter((p) => p['metadata']?.labels?.[MANAGED] === 'kubectl-multus')
    .map((p) => `${p['metadata'].namespace}/${p['metadata'].name}`);
}
