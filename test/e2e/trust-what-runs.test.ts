/**
 * Issue 15: a healthy cluster must not get an error whose fix would break it. What runs (the
 * runtime's command line, pods multus gave a network-status) outranks what a file at a default
 * path says; and the genuinely broken variants of the same clusters still get the error with
 * the right fix.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, parseReport, runCliAsync, scenarioPath, startFakeCluster, type Report } from './helpers.js';
import { loadScenarioFile, type Scenario } from '../fake-cluster/index.js';

beforeAll(assertBuilt);

async function check(s: Scenario, extra: string[] = []): Promise<{ code: number; report: Report; stderr: string }> {
  const fc = await startFakeCluster(s);
  try {
    const r = await runCliAsync(['check', '--kubeconfig', fc.kubeconfigPath, '-o', 'json', ...extra]);
    return { code: r.code, report: parseReport(r.stdout), stderr: r.stderr };
  } finally {
    await fc.close();
  }
}

const errors = (rep: Report) => rep.findings.filter((f) => f.severity === 'error').map((f) => `${f.id}: ${f.message}`);
const byId = (rep: Report, id: string) => rep.findings.filter((f) => f.id === id);

describe('the runtime reads the file on its command line, not the default path', () => {
  it('containerd --config names its own file: no error, exit 0, and the evidence says which file was read and why', async () => {
    const { code, report, stderr } = await check(loadScenarioFile(scenarioPath('lab-containerd-custom-config')));
    expect(errors(report)).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(code, stderr).toBe(0);
    expect(byId(report, 'cni-bin-dir-mismatch')).toEqual([]);
  });

  it('broken variant: containerd started without --config reads the default file and searches /usr/lib/cni, which lacks multus', async () => {
    const s = loadScenarioFile(scenarioPath('lab-containerd-custom-config'));
    s.nodes['lab-node']!.processes = [{ pid: 688, args: ['/usr/bin/containerd'] }];
    const { code, report } = await check(s);
    const f = byId(report, 'cni-bin-dir-mismatch').filter((x) => x.severity === 'error');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('/usr/lib/cni');
    const ev = JSON.stringify(f[0]!.evidence);
    expect(ev).toContain('/etc/containerd/config.toml');
    expect(ev).toContain('without --config');
    // the directory blamed was listed, not "(not listed)"
    expect(ev).not.toContain('(not listed)');
    expect(ev).toContain('macvlan');
    expect(f[0]!.fix).toContain('/usr/lib/cni');
    expect(code).toBe(1);
  });
});

describe('pods with multus network-status outrank the inferred runtime paths', () => {
  it('multus runs on the node although the assumed config says it cannot: info without a fix, exit 0', async () => {
    const { code, report, stderr } = await check(loadScenarioFile(scenarioPath('lab-multus-runs')));
    expect(errors(report)).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(code, stderr).toBe(0);
    const f = byId(report, 'cni-bin-dir-mismatch');
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('info');
    expect(f[0]!.fix).toBe('');
    expect(f[0]!.message).toContain('yet multus runs on lab-node');
    expect(f[0]!.message).toContain('/etc/containerd/config.toml is probably not the file the runtime reads');
    // the evidence names the pod multus handled, and says the config file was only assumed
    const ev = JSON.stringify(f[0]!.evidence);
    expect(ev).toContain('default/net-demo');
    expect(ev).toContain('was assumed');
  });

  it('broken variant: no pod on the node has a multus network-status: the error stands, with the fix', async () => {
    const s = loadScenarioFile(scenarioPath('lab-multus-runs'));
    s.objects = s.objects.filter((o) => o['kind'] !== 'Event');
    for (const o of s.objects)
      if (o['kind'] === 'Pod') delete o['metadata'].annotations['k8s.v1.cni.cncf.io/network-status'];
    const { code, report } = await check(s);
    const f = byId(report, 'cni-bin-dir-mismatch').filter((x) => x.severity === 'error');
    expect(f).toHaveLength(1);
    expect(f[0]!.fix).toContain('/usr/lib/cni');
    expect(code).toBe(1);
  });

  it("multus's AddedInterface events are evidence too (a pod whose network-status was not collected)", async () => {
    const s = loadScenarioFile(scenarioPath('lab-multus-runs'));
    for (const o of s.objects)
      if (o['kind'] === 'Pod') delete o['metadata'].annotations['k8s.v1.cni.cncf.io/network-status'];
    const { report } = await check(s);
    const f = byId(report, 'cni-bin-dir-mismatch');
    expect(f.map((x) => x.severity)).toEqual(['info']);
    expect(JSON.stringify(f[0]!.evidence)).toContain('event AddedInterface');
  });

  it('a network-status older than the multus pod is no evidence (an earlier multus may have written it)', async () => {
    const s = loadScenarioFile(scenarioPath('lab-multus-runs'));
    s.objects = s.objects.filter((o) => o['kind'] !== 'Event');
    for (const o of s.objects) if (o['kind'] === 'Pod') o['metadata'].creationTimestamp = '2020-01-01T00:00:00Z';
    const { report } = await check(s);
    expect(byId(report, 'cni-bin-dir-mismatch').filter((x) => x.severity === 'error')).toHaveLength(1);
  });
});

describe('an API server whose dry-run names no service range (v1.20)', () => {
  it('healthy: exit 0, no collection error; the flannel check judges with the kubernetes Service ClusterIP and says so', async () => {
    const { code, report, stderr } = await check(loadScenarioFile(scenarioPath('apiserver-v1.20-no-range')));
    expect(errors(report)).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(code, stderr).toBe(0);
    const f = byId(report, 'flannel-network-excludes-service-cidr');
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('info');
    expect(f[0]!.message).toContain("10.96.0.1 (the kubernetes Service's ClusterIP");
    expect(JSON.stringify(f[0]!.evidence)).toContain('from kubernetes-service');
  });

  it("kubeadm's kubeadm-config ConfigMap names the range: used, and said", async () => {
    const s = loadScenarioFile(scenarioPath('apiserver-v1.20-no-range'));
    s.objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kubeadm-config', namespace: 'kube-system' },
      data: {
        ClusterConfiguration:
          'apiVersion: kubeadm.k8s.io/v1beta2\nkind: ClusterConfiguration\nnetworking:\n  dnsDomain: cluster.local\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12\n',
      },
    });
    const { code, report } = await check(s);
    expect(code).toBe(0);
    const f = byId(report, 'flannel-network-excludes-service-cidr');
    expect(f[0]!.message).toContain('does not contain the service CIDR 10.96.0.0/12');
    expect(JSON.stringify(f[0]!.evidence)).toContain('from kubeadm-config');
  });

  it('the static pod manifest on the node names the range: read through the node inspection', async () => {
    const s = loadScenarioFile(scenarioPath('apiserver-v1.20-no-range'));
    s.nodes['lab-node']!.files!['/etc/kubernetes/manifests/kube-apiserver.yaml'] =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - command:\n    - kube-apiserver\n    - --token-auth-file=/etc/secret/tokens.csv\n    - --service-cluster-ip-range=10.96.0.0/12\n    name: kube-apiserver\n';
    const { code, report } = await check(s);
    expect(code).toBe(0);
    const f = byId(report, 'flannel-network-excludes-service-cidr');
    expect(f[0]!.message).toContain('the service CIDR 10.96.0.0/12');
    expect(JSON.stringify(f[0]!.evidence)).toContain('/etc/kubernetes/manifests/kube-apiserver.yaml on lab-node');
  });
});
