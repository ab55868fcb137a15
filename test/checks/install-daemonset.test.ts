/** multus-not-installed, nad-crd-missing, multus-pods-not-ready, multus-node-without-pod, multus-oomkilled, multus-rbac-insufficient */
import { describe, expect, it } from 'vitest';
import { multusNotInstalled } from '../../src/checks/install/multus-not-installed.js';
import { nadCrdMissing } from '../../src/checks/install/nad-crd-missing.js';
import { multusPodsNotReady } from '../../src/checks/install/multus-pods-not-ready.js';
import { multusNodeWithoutPod } from '../../src/checks/install/multus-node-without-pod.js';
import { multusOomkilled } from '../../src/checks/install/multus-oomkilled.js';
import { multusRbacInsufficient } from '../../src/checks/install/multus-rbac-insufficient.js';
import { multus, node, pod, run, snapshot } from '../helpers/snapshot.js';
import type { MultusPod } from '../../src/snapshot/types.js';

const running = (n: string): MultusPod => ({
  name: `kube-multus-ds-${n}`,
  node: n,
  phase: 'Running',
  ready: true,
  containers: [{ name: 'kube-multus', ready: true, state: 'running' }],
});

describe('multus-not-installed', () => {
  it('fires when the search ran and found nothing, naming pods that ask for networks', () => {
    const fs = run(
      multusNotInstalled,
      snapshot({ cluster: { distribution: 'k3s' }, multus: [], workloads: [pod('web', 'macvlan-conf')] }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('default/web');
    expect(fs[0]!.fix).toContain('helm install multus rke2-charts/rke2-multus');
    expect(fs[0]!.fix).toContain('confDir: /var/lib/rancher/k3s/agent/etc/cni/net.d');
  });
  it("gives the distribution's install method", () => {
    expect(run(multusNotInstalled, snapshot({ cluster: { distribution: 'rke2' }, multus: [] }))[0]!.fix).toContain(
      '- multus',
    );
    expect(run(multusNotInstalled, snapshot({ cluster: { distribution: 'openshift' }, multus: [] }))[0]!.fix).toContain(
      'disableMultiNetwork',
    );
  });
  it('stays silent when the install search did not run, and says "could not verify" when it failed', () => {
    expect(run(multusNotInstalled, snapshot({ multus: undefined }))).toEqual([]);
    const fs = run(
      multusNotInstalled,
      snapshot({ multus: undefined, errors: [{ collector: 'daemonsets', message: 'forbidden', code: 403 }] }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['info']);
  });
  it('does not fire when multus is installed, or when an unclassified DaemonSet runs a multus image', () => {
    expect(run(multusNotInstalled, snapshot({ multus: [multus()] }))).toEqual([]);
    expect(
      run(
        multusNotInstalled,
        snapshot({
          multus: [],
          daemonSets: [
            {
              namespace: 'net',
              name: 'mymultus',
              images: ['ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.4'],
              commands: [],
            },
          ],
        }),
      ),
    ).toEqual([]);
  });
});

describe('nad-crd-missing', () => {
  it('fires when the CRD list lacks it', () => {
    const fs = run(nadCrdMissing, snapshot({ cluster: { distribution: 'kubeadm', crds: [] } }));
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.fix).toContain('networks-crd.yaml');
  });
  it('does not fire when present or not collected', () => {
    expect(
      run(
        nadCrdMissing,
        snapshot({ cluster: { distribution: 'kubeadm', crds: ['network-attachment-definitions.k8s.cni.cncf.io'] } }),
      ),
    ).toEqual([]);
    expect(run(nadCrdMissing, snapshot())).toEqual([]);
  });
});

describe('multus-pods-not-ready', () => {
  it('names the node, the state and the log line that explains it', () => {
    const bad: MultusPod = {
      name: 'kube-multus-ds-a',
      node: 'w2',
      phase: 'Running',
      ready: false,
      containers: [
        {
          name: 'kube-multus',
          state: 'waiting',
          reason: 'CrashLoopBackOff',
          lastTerminationReason: 'Completed',
          lastExitCode: 0,
          restartCount: 5,
        },
      ],
      previousLogs: [
        'kubeconfig file is created.',
        'failed to create multus config: Multus cni version is "0.3.1" while master plugin cni version is "1.0.0"',
      ],
    };
    const fs = run(
      multusPodsNotReady,
      snapshot({ multus: [multus({ status: { desired: 2, ready: 1 }, pods: [running('w1'), bad] })] }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('1/2 multus pods are ready (not ready on w2)');
    expect(fs[0]!.fix).toContain('multus-cniversion-mismatch');
    expect(fs[0]!.evidence.some((e) => e.value?.includes('master plugin cni version'))).toBe(true);
  });
  it('does not fire when every pod is ready', () => {
    expect(
      run(
        multusPodsNotReady,
        snapshot({ multus: [multus({ status: { desired: 2, ready: 2 }, pods: [running('w1'), running('w2')] })] }),
      ),
    ).toEqual([]);
  });
});

describe('multus-node-without-pod', () => {
  const nodes = [
    node('amd', { labels: { 'kubernetes.io/arch': 'amd64' } }),
    node('arm', { labels: { 'kubernetes.io/arch': 'arm64' } }),
  ];
  it('error when a pod asking for networks sits on a node the nodeSelector excludes', () => {
    const m = multus({ nodeSelector: { 'kubernetes.io/arch': 'amd64' }, pods: [running('amd')] });
    const fs = run(
      multusNodeWithoutPod,
      snapshot({ nodes, multus: [m], workloads: [pod('app', 'lan', { nodeName: 'arm' })] }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('nodeSelector kubernetes.io/arch=amd64 (the node has kubernetes.io/arch=arm64)');
    expect(fs[0]!.fix).toContain('"path":"/spec/template/spec/nodeSelector/kubernetes.io~1arch"');
  });
  it('only info for an excluded node nobody uses; nothing for auto-tolerated taints or when every node has a pod', () => {
    const m = multus({ nodeSelector: { 'kubernetes.io/arch': 'amd64' }, tolerations: [], pods: [running('amd')] });
    expect(run(multusNodeWithoutPod, snapshot({ nodes, multus: [m] })).map((f) => f.severity)).toEqual(['info']);
    const cordoned = node('c', { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] });
    expect(
      run(
        multusNodeWithoutPod,
        snapshot({ nodes: [cordoned], multus: [multus({ tolerations: [], pods: [running('c')] })] }),
      ),
    ).toEqual([]);
    expect(run(multusNodeWithoutPod, snapshot({ nodes: [node('a')], multus: [multus({ pods: undefined })] }))).toEqual(
      [],
    );
  });
});

describe('multus-oomkilled', () => {
  it('fires on an OOMKilled last termination, with the limit and a patch', () => {
    const p = running('w1');
    p.containers[0]!.lastTerminationReason = 'OOMKilled';
    p.containers[0]!.restartCount = 7;
    const fs = run(multusOomkilled, snapshot({ multus: [multus({ memoryLimit: '50Mi', pods: [p] })] }));
    expect(fs[0]!.message).toContain('memory limit of 50Mi');
    expect(fs[0]!.fix).toContain('/resources/limits/memory');
  });
  it('rke2 chart: values, not a patch; nothing when no OOM', () => {
    const p = running('w1');
    p.containers[0]!.reason = 'OOMKilled';
    expect(
      run(
        multusOomkilled,
        snapshot({
          cluster: { distribution: 'rke2' },
          multus: [multus({ flavor: 'rke2-chart', name: 'rke2-multus', pods: [p] })],
        }),
      )[0]!.fix,
    ).toContain('HelmChartConfig');
    expect(run(multusOomkilled, snapshot({ multus: [multus({ pods: [running('w1')] })] }))).toEqual([]);
  });
});

describe('multus-rbac-insufficient', () => {
  it('error for denied NAD/pod access, warning when only events are denied', () => {
    const deny = [
      { verb: 'list', resource: 'network-attachment-definitions', group: 'k8s.cni.cncf.io', allowed: false },
    ];
    expect(
      run(multusRbacInsufficient, snapshot({ multus: [multus({ serviceAccount: 'multus', rbac: deny })] }))[0]!
        .severity,
    ).toBe('error');
    expect(
      run(
        multusRbacInsufficient,
        snapshot({ multus: [multus({ rbac: [{ verb: 'create', resource: 'events', allowed: false }] })] }),
      )[0]!.severity,
    ).toBe('warning');
  });
  it('does not fire when all reviews allow, and reports could-not-verify when they failed', () => {
    expect(
      run(
        multusRbacInsufficient,
        snapshot({ multus: [multus({ rbac: [{ verb: 'get', resource: 'pods', allowed: true }] })] }),
      ),
    ).toEqual([]);
    const fs = run(
      multusRbacInsufficient,
      snapshot({ multus: [multus({ rbac: undefined })], errors: [{ collector: 'multus/rbac', message: 'forbidden' }] }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['info']);
  });
});
