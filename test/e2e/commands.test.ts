/** sysdump, status and nads against the fake cluster. */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertBuilt, parseReport, runCliAsync, scenarioPath, startFakeCluster } from './helpers.js';

beforeAll(assertBuilt);

describe('sysdump', () => {
  it('writes a redacted snapshot that check --snapshot reads back to the same findings', async () => {
    const fc = await startFakeCluster(scenarioPath('k3s-upstream-thin'));
    try {
      const file = join(fc.workDir, 'bundle.json');
      const d = await runCliAsync(['sysdump', '--kubeconfig', fc.kubeconfigPath, '-o', file, '--logs']);
      expect(d.code, d.stderr).toBe(0);
      expect(d.stdout).toBe('');
      expect(d.stderr).toMatch(
        /^wrote .*bundle\.json: 2 nodes \(2 inspected\), 1 NADs, \d+ workloads, 0 collection errors; secrets redacted/,
      );
      const text = readFileSync(file, 'utf8');
      // the token and CA data of multus.kubeconfig never reach the file
      expect(text).not.toContain('fake-serviceaccount-token-for-redaction-tests');
      expect(text).not.toContain('RkFLRS1DQS1EQVRBLU5PVC1BLVJFQUwtQ0VSVElGSUNBVEU=');
      const snap = JSON.parse(text);
      const kc = snap.nodes[0].inspection.files['/etc/cni/net.d/multus.d/multus.kubeconfig'];
      expect(kc).toMatchObject({ exists: true, redacted: true });
      expect(kc.content).toContain('token: REDACTED');
      // --logs: every multus pod's log lines are included
      expect(snap.multus[0].pods.every((p: { logs?: string[] }) => p.logs?.length)).toBe(true);
      expect(snap.multus[0].pods[0].previousLogs.join('\n')).toContain('cannot find valid master CNI config');

      const live = await runCliAsync(['check', '--kubeconfig', fc.kubeconfigPath, '-o', 'json']);
      const offline = await runCliAsync(['check', '--snapshot', file, '-o', 'json']);
      const key = (s: string) =>
        parseReport(s)
          .findings.map((f) => `${f.id} ${f.subject.kind}/${f.subject.name}`)
          .sort();
      expect(offline.code).toBe(live.code);
      expect(key(offline.stdout)).toEqual(key(live.stdout));
    } finally {
      await fc.close();
    }
  });
});

describe('status', () => {
  it("lists each pod's interfaces from network-status", async () => {
    const fc = await startFakeCluster(scenarioPath('kubeadm-healthy-thin'));
    try {
      const r = await runCliAsync(['status', '--kubeconfig', fc.kubeconfigPath, '-n', 'default']);
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s{2,}/));
      expect(lines[0]).toEqual(['POD', 'IF', 'NETWORK', 'ADDRESSES', 'MAC', 'STATE']);
      expect(lines).toContainEqual([
        'net-demo',
        'net1',
        'default/macvlan-lan',
        '192.168.77.100',
        '5e:8a:d8:38:88:30',
        'attached',
      ]);
      expect(lines).toContainEqual(['net-demo', 'eth0', 'cbr0', '10.244.1.5', 'b2:97:b1:a8:93:c7', 'default']);
      const wide = await runCliAsync(['status', '--kubeconfig', fc.kubeconfigPath, '-A', '-o', 'wide']);
      expect(wide.stdout.split('\n')[0]).toMatch(
        /^NAMESPACE\s+POD\s+IF\s+NETWORK\s+ADDRESSES\s+MAC\s+NODE\s+PHASE\s+STATE$/,
      );
      expect(wide.stdout).toMatch(
        /default\s+net-demo\s+net1\s+default\/macvlan-lan\s+192\.168\.77\.100\s+\S+\s+worker-1\s+Running\s+attached/,
      );
    } finally {
      await fc.close();
    }
  });

  it('flags a running pod whose requested network is missing (exit 1), also in JSON', async () => {
    const fc = await startFakeCluster(scenarioPath('k3s-upstream-thin'));
    try {
      const r = await runCliAsync(['status', '--kubeconfig', fc.kubeconfigPath, '-A']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/default\s+lab-healthy\s+-\s+default\/macvlan-lan\s+-\s+-\s+MISSING/);
      expect(r.stderr).toContain('1 running pod lack requested networks');
      const j = await runCliAsync(['status', '--kubeconfig', fc.kubeconfigPath, '-A', '-o', 'json']);
      const doc = JSON.parse(j.stdout);
      expect(doc.items).toContainEqual(
        expect.objectContaining({
          namespace: 'default',
          pod: 'lab-healthy',
          network: 'default/macvlan-lan',
          state: 'missing',
        }),
      );
      expect(doc.errors).toEqual([]);
    } finally {
      await fc.close();
    }
  });
});

describe('nads', () => {
  it('lists NADs with plugin, master, IPAM, range and the workloads that use them', async () => {
    const fc = await startFakeCluster(scenarioPath('seed-rke2-thick-on-k3s'));
    try {
      const r = await runCliAsync(['nads', '--kubeconfig', fc.kubeconfigPath, '-A', '-o', 'json']);
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(doc.items).toEqual([
        {
          namespace: 'default',
          name: 'lan-network',
          plugins: ['macvlan'],
          master: 'eth0',
          ipam: 'static',
          cniVersion: '0.3.1',
          usedBy: ['Deployment/lan-app'],
        },
      ]);
      const t = await runCliAsync(['nads', '--kubeconfig', fc.kubeconfigPath]);
      expect(t.stdout.split('\n')[0]).toMatch(/^NAME\s+PLUGIN\s+MASTER\s+IPAM\s+RANGE\s+USED BY$/);
      expect(t.stdout).toMatch(/lan-network\s+macvlan\s+eth0\s+static\s+-\s+Deployment\/lan-app/);
    } finally {
      await fc.close();
    }
  });

  it('shows host-local and whereabouts ranges', async () => {
    for (const [scenario, row] of [
      [
        'kubeadm-healthy-thin',
        /macvlan-lan\s+macvlan\s+eth1\s+host-local\s+192\.168\.77\.0\/24 \(192\.168\.77\.100-192\.168\.77\.150\)\s+Pod\/net-demo/,
      ],
      [
        'healthy-k3s',
        /storage-net\s+macvlan\s+eth1\s+whereabouts\s+192\.168\.20\.0\/24 \(192\.168\.20\.40-192\.168\.20\.99\)\s+Pod\/web-0/,
      ],
    ] as const) {
      const fc = await startFakeCluster(scenarioPath(scenario));
      try {
        const r = await runCliAsync(['nads', '--kubeconfig', fc.kubeconfigPath, '-n', 'default']);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toMatch(row);
      } finally {
        await fc.close();
      }
    }
  });
});
