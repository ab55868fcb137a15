/** deploy/rbac.yaml is enough, and no more than needed: run check as a user bound to exactly those roles. */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../helpers/cli.js';
import { loadScenarioFile } from '../fake-cluster/index.js';
import { assertBuilt, parseReport, runCliAsync, scenarioPath, startFakeCluster } from './helpers.js';

beforeAll(assertBuilt);

type Rule = { apiGroups?: string[]; resources?: string[]; verbs: string[]; nonResourceURLs?: string[] };
const roles = new Map<string, Rule[]>(
  parseAllDocuments(readFileSync(join(ROOT, 'deploy', 'rbac.yaml'), 'utf8'))
    .map((d) => d.toJS() as { kind?: string; metadata?: { name: string }; rules?: Rule[] } | null)
    .filter((o): o is { kind: string; metadata: { name: string }; rules: Rule[] } => o?.kind === 'ClusterRole')
    .map((o) => [o.metadata.name, o.rules]),
);

// What the upstream multus ClusterRole grants its service account (so multus-rbac-insufficient stays quiet).
const MULTUS_SA: Rule[] = [
  { apiGroups: ['k8s.cni.cncf.io'], resources: ['*'], verbs: ['*'] },
  { apiGroups: [''], resources: ['pods', 'pods/status'], verbs: ['get', 'list', 'update', 'watch'] },
  { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
];

async function checkAs(scenario: string, roleNames: string[], args: string[] = []) {
  const s = loadScenarioFile(scenarioPath(scenario));
  s.cluster.users.push({ name: 'sre', groups: [], auth: ['token'], token: 'sre-token-for-rbac-test' });
  // In the fake's rule format a missing `resources` means all: a nonResourceURLs rule has none.
  const sre = roleNames.flatMap((n) => roles.get(n)!).map((r) => ({ ...r, resources: r.resources ?? [] }));
  s.rbac = {
    users: {
      sre,
      'system:serviceaccount:kube-system:multus': MULTUS_SA,
      'system:serviceaccount:openshift-multus:multus': MULTUS_SA,
    },
  };
  const fc = await startFakeCluster(s);
  try {
    const r = await runCliAsync([
      'check',
      '--kubeconfig',
      fc.kubeconfigPath,
      '--context',
      'sre',
      '-o',
      'json',
      ...args,
    ]);
    return { r, report: parseReport(r.stdout), stats: fc.stats() };
  } finally {
    await fc.close();
  }
}

describe('deploy/rbac.yaml', () => {
  it('defines the four roles', () => {
    expect([...roles.keys()].sort()).toEqual([
      'kubectl-multus-attach',
      'kubectl-multus-check',
      'kubectl-multus-inspect',
      'kubectl-multus-probe',
    ]);
  });

  it('check + inspect: a complete collection, node inspection included', async () => {
    for (const scenario of ['kubeadm-healthy-thin', 'healthy-openshift']) {
      const { r, report } = await checkAs(scenario, ['kubectl-multus-check', 'kubectl-multus-inspect']);
      expect(report.errors, scenario).toEqual([]);
      expect(r.code, `${scenario}: ${r.stderr}`).toBe(0);
    }
  });

  it('check alone is read-only: everything but the node inspection and the dry run is collected', async () => {
    const { r, report, stats } = await checkAs('healthy-kind', ['kubectl-multus-check']);
    expect(stats.byResource['create pods']).toBeUndefined();
    expect(r.code).toBe(2);
    const collectors = [...new Set(report.errors.map((e) => e.collector.split('/')[0]))].sort();
    // this cluster has no ServiceCIDR objects and no kube-apiserver pod, and the dry run needs the
    // inspect role: the check role still reads the `kubernetes` Service, whose ClusterIP is the
    // first address of the range, so the service CIDR is not a collection error
    expect(collectors).toEqual(['inspect']);
    expect(report.errors.every((e) => e.code === 403)).toBe(true);
    expect(report.errors.find((e) => e.collector.startsWith('inspect/'))!.message).toContain('pods/exec');
    // nothing was written: the only create attempts are questions (SubjectAccessReview), the
    // refused exec and the refused dry-run Service
    expect(
      Object.keys(stats.byResource)
        .filter((k) => /^(create|delete|patch|update) /.test(k))
        .sort(),
    ).toEqual(['create services', 'create subjectaccessreviews.authorization.k8s.io']);
  });
});
