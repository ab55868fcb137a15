/**
 * Collection under faults: RBAC denials, a hanging exec, images without a shell, slow node-inspector
 * pods with --timeout and Ctrl-C. The run always finishes, says what is missing, and leaves no
 * node-inspector pod behind.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  checkScenario,
  parseReport,
  runCliAsync,
  scenarioPath,
  startFakeCluster,
  type FakeCluster,
} from './helpers.js';
import { loadScenarioFile } from '../fake-cluster/index.js';

beforeAll(assertBuilt);

type Obj = { metadata: { name: string; namespace?: string; labels?: Record<string, string> } };
const inspectorPods = (fc: FakeCluster) =>
  (fc.world.store.peekAll('pods') as Obj[])
    .filter((p) => p.metadata.labels?.['app.kubernetes.io/managed-by'] === 'kubectl-multus')
    .map((p) => p.metadata.name);

describe('RBAC denial', () => {
  it('403 on pods: exit 2, the denied verb/resource/namespace named, other checks still run', async () => {
    const { r, report } = await checkScenario('fault-pods-forbidden');
    expect(r.code).toBe(2);
    const pods = report.errors.find((e) => e.collector === 'pods');
    expect(pods).toMatchObject({
      code: 403,
      resource: 'pods',
      message: 'forbidden: cannot list pods at cluster scope (403; see deploy/rbac.yaml)',
    });
    expect(report.errors.find((e) => e.collector === 'multus/pods')).toMatchObject({
      code: 403,
      namespace: 'kube-system',
    });
    // NADs were still read and judged
    expect(report.findings.some((f) => f.id === 'nad-config-invalid-json' && f.subject.name === 'broken')).toBe(true);
    // the human report names the denial too
    const fc = await startFakeCluster(scenarioPath('fault-pods-forbidden'));
    try {
      const t = await runCliAsync(['check', '--kubeconfig', fc.kubeconfigPath, '--inspect-nodes', 'never']);
      expect(t.code).toBe(2);
      expect(t.stdout).toContain('cannot list pods at cluster scope');
      expect(inspectorPods(fc)).toEqual([]);
    } finally {
      await fc.close();
    }
  });
});

describe('node inspection', () => {
  it('an exec that hangs is cut by --exec-timeout, recorded for its node, and the run finishes', async () => {
    const fc = await startFakeCluster(scenarioPath('fault-exec-hang'));
    try {
      const r = await runCliAsync(['check', '--kubeconfig', fc.kubeconfigPath, '-o', 'json', '--exec-timeout', '2s'], {
        timeoutMs: 30_000,
      });
      const report = parseReport(r.stdout);
      expect(r.code).toBe(2);
      expect(report.errors).toEqual([
        expect.objectContaining({ collector: 'inspect/worker-2', node: 'worker-2', code: 'ETIMEDOUT' }),
      ]);
      expect(report.errors[0]!.message).toMatch(/exec timed out after 2s/);
      // one exec per node, no retry of the hung one in another pod
      expect(fc.stats().exec.total).toBe(3);
      expect(inspectorPods(fc)).toEqual([]);
      // checks that needed worker-2's files say so instead of guessing
      expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(report.findings.some((f) => f.severity === 'info' && f.message.includes('worker-2'))).toBe(true);
    } finally {
      await fc.close();
    }
  });

  it('an image without a shell: falls back to node-inspector pods, which are deleted afterwards', async () => {
    const fc = await startFakeCluster(scenarioPath('fault-exec-fails'));
    try {
      const dump = `${fc.workDir}/dump.json`;
      const r = await runCliAsync(['sysdump', '--kubeconfig', fc.kubeconfigPath, '-o', dump]);
      expect(r.code, r.stderr).toBe(0);
      const { readFileSync } = await import('node:fs');
      const snap = JSON.parse(readFileSync(dump, 'utf8'));
      for (const n of snap.nodes) {
        expect(n.inspection.source).toBe('node-inspector');
        expect(n.inspection.error).toBeUndefined();
        expect(n.inspection.dirs['/etc/cni/net.d'].entries.map((e: { name: string }) => e.name)).toContain(
          '00-multus.conf',
        );
        expect(n.inspection.paths['/run/multus/multus.sock']).toBe(true);
      }
      expect(inspectorPods(fc)).toEqual([]);
      const byVerb = fc.stats().byResource;
      expect(byVerb['create pods']).toBe(2);
      expect(byVerb['delete pods']).toBe(2);
    } finally {
      await fc.close();
    }
  });

  it('--inspect-nodes never makes no exec and creates nothing', async () => {
    const fc = await startFakeCluster(scenarioPath('fault-exec-fails'));
    try {
      const r = await runCliAsync([
        'check',
        '--kubeconfig',
        fc.kubeconfigPath,
        '-o',
        'json',
        '--inspect-nodes',
        'never',
      ]);
      expect(r.code).toBe(0);
      expect(fc.stats().exec.total).toBe(0);
      expect(fc.stats().byResource['create pods']).toBeUndefined();
    } finally {
      await fc.close();
    }
  });

  it('--inspect-nodes always uses node-inspector pods even where the multus pod has a shell', async () => {
    const fc = await startFakeCluster(scenarioPath('fault-exec-hang'));
    try {
      const r = await runCliAsync([
        'check',
        '--kubeconfig',
        fc.kubeconfigPath,
        '-o',
        'json',
        '--inspect-nodes',
        'always',
        '--exec-timeout',
        '5s',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(Object.keys(fc.stats().exec.byPod).every((p) => p.includes('kubectl-multus-inspect-'))).toBe(true);
      expect(inspectorPods(fc)).toEqual([]);
    } finally {
      await fc.close();
    }
  });
});

describe('cancellation', () => {
  // node-inspector pods that never start (image pull stuck): only --timeout or Ctrl-C end the wait
  const stuck = () => {
    const s = loadScenarioFile(scenarioPath('fault-exec-fails'));
    s.createdPods = { phase: 'Pending', delayMs: 0 };
    return s;
  };

  it('--timeout stops the collection, records it, and deletes the pods it created', async () => {
    const fc = await startFakeCluster(stuck());
    try {
      const r = await runCliAsync(['check', '--kubeconfig', fc.kubeconfigPath, '-o', 'json', '--timeout', '3s'], {
        timeoutMs: 30_000,
      });
      expect(r.code).toBe(2);
      const report = parseReport(r.stdout);
      expect(report.errors.map((e) => e.collector)).toContain('timeout');
      expect(fc.stats().byResource['create pods']).toBe(2);
      expect(inspectorPods(fc)).toEqual([]);
    } finally {
      await fc.close();
    }
  });

  it('Ctrl-C cancels, deletes the node-inspector pods, and exits 130', async () => {
    const fc = await startFakeCluster(stuck());
    try {
      let pid = 0;
      const run = runCliAsync(['check', '--kubeconfig', fc.kubeconfigPath, '-o', 'json'], {
        onSpawn: (p) => (pid = p),
        timeoutMs: 30_000,
      });
      // wait until both pods exist, then interrupt
      for (let i = 0; i < 200 && inspectorPods(fc).length < 2; i++) await new Promise((res) => setTimeout(res, 50));
      expect(inspectorPods(fc)).toHaveLength(2);
      process.kill(pid, 'SIGINT');
      const r = await run;
      expect(r.code).toBe(130);
      expect(r.stderr).toContain('interrupted');
      expect(inspectorPods(fc)).toEqual([]);
    } finally {
      await fc.close();
    }
  });
});
