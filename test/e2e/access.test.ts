/** Reaching the API server the way kubectl does: auth methods, KUBECONFIG merging, one-line failures. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { assertBuilt, parseReport, runCliAsync, scenarioPath, startFakeCluster, type FakeCluster } from './helpers.js';

let fc: FakeCluster;
let kc: {
  clusters: Array<{ name: string; cluster: Record<string, unknown> }>;
  users: Array<{ name: string; user: Record<string, unknown> }>;
  contexts: Array<{ name: string; context: Record<string, unknown> }>;
  'current-context': string;
};

beforeAll(async () => {
  assertBuilt();
  fc = await startFakeCluster(scenarioPath('healthy-kind'));
  const { readFileSync } = await import('node:fs');
  kc = parse(readFileSync(fc.kubeconfigPath, 'utf8'));
});
afterAll(() => fc?.close());

function write(name: string, doc: unknown): string {
  const p = join(fc.workDir, name);
  writeFileSync(p, typeof doc === 'string' ? doc : stringify(doc));
  return p;
}

const check = (args: string[], env: Record<string, string> = {}) =>
  runCliAsync(['check', '-o', 'json', '--inspect-nodes', 'never', ...args], { env });

describe('authentication', () => {
  it('with a client certificate and with a bearer token (contexts admin and admin-token)', async () => {
    expect(kc.contexts.map((c) => c.name)).toEqual(expect.arrayContaining(['admin', 'admin-token']));
    for (const context of ['admin', 'admin-token']) {
      const r = await check(['--kubeconfig', fc.kubeconfigPath, '--context', context]);
      expect(r.code, `${context}: ${r.stderr}`).toBe(0);
      expect(parseReport(r.stdout).errors).toEqual([]);
    }
  });

  it('--token and --server work without any kubeconfig entry for them', async () => {
    const ca = write('ca.crt', fc.caPem);
    const r = await runCliAsync([
      'nads',
      '-A',
      '-o',
      'json',
      '--server',
      fc.url,
      '--token',
      fc.token('admin'),
      '--kubeconfig',
      write('ca-only.yaml', {
        clusters: [{ name: 'c', cluster: { server: fc.url, 'certificate-authority': 'ca.crt' } }],
        contexts: [{ name: 'x', context: { cluster: 'c' } }],
        'current-context': 'x',
      }),
    ]);
    expect(ca).toContain('ca.crt');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).items.map((i: { name: string }) => i.name)).toContain('bridge-net');
  });

  it('a wrong token: one line, 401, exit 2; -o json still prints its one report, with the error', async () => {
    const r = await check([
      '--kubeconfig',
      fc.kubeconfigPath,
      '--context',
      'admin-token',
      '--token',
      'not-a-valid-token',
    ]);
    expect(r.code).toBe(2);
    // docs/output.md: -o json prints exactly one object, also when the cluster could not be read
    const rep = JSON.parse(r.stdout) as {
      findings: unknown[];
      errors: Array<{ collector: string; message: string; code?: number }>;
    };
    expect(rep.findings).toEqual([]);
    expect(rep.errors).toEqual([expect.objectContaining({ collector: 'cluster', code: 401 })]);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^error: the API server https:\/\/127\.0\.0\.1:\d+ rejected the credentials .*\(401 Unauthorized\)/,
    );
  });

  it('a CA that did not sign the server certificate: a TLS error; --insecure-skip-tls-verify gets through', async () => {
    const other = structuredClone(kc);
    // the fake's client CA is not the server's issuer... use a CA that is certainly wrong: the client cert itself
    other.clusters[0]!.cluster['certificate-authority-data'] = other.users.find(
      (u) => u.user['client-certificate-data'],
    )!.user['client-certificate-data'] as string;
    const p = write('wrong-ca.yaml', other);
    const r = await check(['--kubeconfig', p]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: TLS handshake with the API server https:\/\/127\.0\.0\.1:\d+ failed: .*certificate-authority/,
    );
    const ok = await check(['--kubeconfig', p, '--insecure-skip-tls-verify']);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('a server that is not there: one line naming the server and the context', async () => {
    const down = structuredClone(kc);
    down.clusters[0]!.cluster['server'] = 'https://127.0.0.1:1';
    const r = await check(['--kubeconfig', write('down.yaml', down)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: cannot reach the API server https://127.0.0.1:1 (context "admin"): connection refused; is the cluster running and is this the right context?\n',
    );
  });

  it('no kubeconfig at all', async () => {
    const r = await check([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: no kubeconfig: ~/.kube/config does not exist and KUBECONFIG is not set (use --kubeconfig FILE, or run inside a pod)\n',
    );
  });
});

describe('KUBECONFIG with two files (the first file to set a value wins)', () => {
  it('merges names defined in both files without failing, in order', async () => {
    // file A: the real cluster and users, no current-context
    const a = { ...kc, 'current-context': undefined };
    // file B: the same names pointing nowhere, plus the current context and a context only B has
    const b = {
      clusters: kc.clusters.map((c) => ({ name: c.name, cluster: { server: 'https://127.0.0.1:1' } })),
      users: [{ name: 'admin-token', user: { token: 'wrong' } }],
      contexts: [
        ...kc.contexts.map((c) => ({ name: c.name, context: { ...c.context, namespace: 'from-b' } })),
        { name: 'only-b', context: { cluster: kc.clusters[0]!.name, user: 'admin-token' } },
      ],
      'current-context': 'only-b',
    };
    const fa = write('a.yaml', a);
    const fb = write('b.yaml', b);
    // A first: A's cluster and token win, B's current-context is used (A sets none)
    const ok = await check([], { KUBECONFIG: `${fa}:${fb}` });
    expect(ok.code, ok.stderr).toBe(0);
    // B first: B's unreachable cluster wins
    const bad = await check([], { KUBECONFIG: `${fb}:${fa}` });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cannot reach the API server https:\/\/127\.0\.0\.1:1 \(context "only-b"\)/);
    // a missing file in the list is skipped, as kubectl does
    const skip = await check([], { KUBECONFIG: `${join(fc.workDir, 'missing.yaml')}:${fa}:${fb}` });
    expect(skip.code, skip.stderr).toBe(0);
  });
});
