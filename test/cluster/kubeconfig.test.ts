import { describe, expect, it } from 'vitest';
import {
  kubeconfigFiles,
  loadConnectionSpec,
  mergeKubeconfigs,
  selectConnection,
  KubeconfigError,
  parseDuration,
} from '../../src/cluster/kubeconfig.js';

const fileA = `
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: shared
  cluster: { server: https://a.example:6443, certificate-authority: ca/a.crt }
- name: only-a
  cluster: { server: https://only-a:6443 }
users:
- name: me
  user: { client-certificate: certs/me.crt, client-key: /abs/me.key }
contexts:
- name: dev
  context: { cluster: shared, user: me, namespace: apps }
`;

const fileB = `
current-context: prod
clusters:
- name: shared
  cluster: { server: https://b.example:6443 }
- name: only-b
  cluster: { server: https://only-b:6443, insecure-skip-tls-verify: true }
users:
- name: me
  user: { token: from-b }
- name: robot
  user:
    tokenFile: tokens/robot
    exec: { command: ./bin/get-token, args: [x] }
contexts:
- name: dev
  context: { cluster: only-b, user: robot }
- name: prod
  context: { cluster: only-b, user: robot }
`;

describe('KUBECONFIG merge (first file to set a value wins)', () => {
  const merged = mergeKubeconfigs([
    { path: '/home/u/.kube/a.yaml', text: fileA },
    { path: '/etc/kube/b.yaml', text: fileB },
  ]);

  it('keeps the first definition of a name that two files define, without throwing', () => {
    expect(merged.clusters.get('shared')!.server).toBe('https://a.example:6443');
    expect(merged.users.get('me')).toMatchObject({ 'client-certificate': '/home/u/.kube/certs/me.crt' });
    expect(merged.users.get('me')!.token).toBeUndefined();
    expect(merged.contexts.get('dev')).toEqual({ cluster: 'shared', user: 'me', namespace: 'apps' });
  });

  it('adds the names only the later file defines', () => {
    expect(merged.clusters.get('only-b')!['insecure-skip-tls-verify']).toBe(true);
    expect(merged.users.has('robot')).toBe(true);
    expect(merged.contexts.has('prod')).toBe(true);
  });

  it('takes current-context from the first file that sets it', () => {
    expect(merged.currentContext).toBe('dev');
  });

  it('resolves relative file references against the directory of the file that holds them', () => {
    expect(merged.clusters.get('shared')!['certificate-authority']).toBe('/home/u/.kube/ca/a.crt');
    expect(merged.users.get('me')!['client-key']).toBe('/abs/me.key');
    expect(merged.users.get('robot')!.tokenFile).toBe('/etc/kube/tokens/robot');
    // exec commands with a slash are relative to the file; bare names are looked up on PATH
    expect(merged.users.get('robot')!.exec!.command).toBe('/etc/kube/bin/get-token');
  });

  it('reports a YAML error with the file name', () => {
    expect(() => mergeKubeconfigs([{ path: '/x/bad', text: 'clusters: [' }])).toThrow(
      /kubeconfig \/x\/bad is not valid YAML/,
    );
  });
});

describe('context selection and kubectl flags', () => {
  const merged = mergeKubeconfigs([
    { path: '/k/a', text: fileA },
    { path: '/k/b', text: fileB },
  ]);

  it('uses the current context and its namespace', () => {
    const s = selectConnection(merged, {});
    expect(s).toMatchObject({
      contextName: 'dev',
      clusterName: 'shared',
      userName: 'me',
      server: 'https://a.example:6443',
      namespace: 'apps',
      namespaceExplicit: true,
    });
  });

  it('--context, --cluster, --user and -n override the context', () => {
    const s = selectConnection(merged, { context: 'prod', user: 'me', cluster: 'shared', namespace: 'ops' });
    expect(s).toMatchObject({ contextName: 'prod', clusterName: 'shared', userName: 'me', namespace: 'ops' });
    expect(selectConnection(merged, { context: 'prod' }).namespace).toBe('default');
  });

  it('--server, --token and --insecure-skip-tls-verify override the entries (the CA is dropped, as kubectl does)', () => {
    const s = selectConnection(merged, { server: 'https://other:443', token: 't0k', insecureSkipTlsVerify: true });
    expect(s.server).toBe('https://other:443');
    expect(s.user.token).toBe('t0k');
    expect(s.user['client-certificate']).toBe('/k/certs/me.crt');
    expect(s.cluster['insecure-skip-tls-verify']).toBe(true);
    expect(s.cluster['certificate-authority']).toBeUndefined();
  });

  it('--token replaces an exec plugin and token file', () => {
    const s = selectConnection(merged, { context: 'prod', token: 'abc' });
    expect(s.user.exec).toBeUndefined();
    expect(s.user.tokenFile).toBeUndefined();
  });

  it('--as and --as-group set impersonation', () => {
    expect(selectConnection(merged, { as: 'jane', asGroup: ['dev', 'ops'] }).impersonate).toEqual({
      user: 'jane',
      groups: ['dev', 'ops'],
    });
    expect(selectConnection(merged, {}).impersonate).toBeUndefined();
  });

  it('names an unknown context, cluster or user in one line', () => {
    expect(() => selectConnection(merged, { context: 'nope' })).toThrow('context "nope" not found in /k/a, /k/b');
    expect(() => selectConnection(merged, { cluster: 'nope' })).toThrow(/cluster "nope"/);
    expect(() => selectConnection(merged, { user: 'nope' })).toThrow(/user "nope"/);
  });

  it('asks for --context when no context is current', () => {
    const m = mergeKubeconfigs([{ path: '/k/c', text: 'clusters: []\ncontexts: []\n' }]);
    expect(() => selectConnection(m, {})).toThrow(/no current context in \/k\/c: pass --context/);
  });
});

describe('which kubeconfig files are read', () => {
  const exists = (p: string) => ['/k/a', '/k/b', '/home/u/.kube/config'].includes(p);

  it('--kubeconfig alone, and an error when it does not exist', () => {
    expect(kubeconfigFiles({ kubeconfig: '/k/a' }, { env: { KUBECONFIG: '/k/b' }, exists })).toEqual(['/k/a']);
    expect(() => kubeconfigFiles({ kubeconfig: '/k/zz' }, { env: {}, exists })).toThrow(KubeconfigError);
  });

  it('every existing KUBECONFIG entry, in order, duplicates and missing files skipped', () => {
    expect(kubeconfigFiles({}, { env: { KUBECONFIG: '/k/b::/k/missing:/k/a:/k/b' }, exists })).toEqual([
      '/k/b',
      '/k/a',
    ]);
  });

  it('~/.kube/config when KUBECONFIG is unset', () => {
    expect(kubeconfigFiles({}, { env: { HOME: '/home/u' }, exists })).toEqual(['/home/u/.kube/config']);
  });

  it('says clearly that there is no kubeconfig', () => {
    expect(() => loadConnectionSpec({}, { env: { HOME: '/nowhere' }, exists: () => false })).toThrow(
      /^no kubeconfig: ~\/.kube\/config does not exist and KUBECONFIG is not set/,
    );
    expect(() => loadConnectionSpec({}, { env: { KUBECONFIG: '/a:/b' }, exists: () => false })).toThrow(
      'no kubeconfig: none of the files in KUBECONFIG (/a:/b) exists',
    );
  });

  it('uses the in-cluster service account inside a pod', () => {
    const files: Record<string, string> = { '/var/run/secrets/kubernetes.io/serviceaccount/namespace': 'kube-system' };
    const s = loadConnectionSpec(
      {},
      {
        env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' },
        exists: (p) => p === '/var/run/secrets/kubernetes.io/serviceaccount/token',
        readFile: (p) => files[p] ?? '',
      },
    );
    expect(s).toMatchObject({ inCluster: true, server: 'https://[fd00::1]:443', namespace: 'kube-system' });
    expect(s.user.tokenFile).toBe('/var/run/secrets/kubernetes.io/serviceaccount/token');
  });

  it('reads the merged files through the loader', () => {
    const texts: Record<string, string> = { '/k/a': fileA, '/k/b': fileB };
    const s = loadConnectionSpec({}, { env: { KUBECONFIG: '/k/b:/k/a' }, exists, readFile: (p) => texts[p]! });
    // b comes first now: its current-context and its "shared" cluster win
    expect(s).toMatchObject({ contextName: 'prod', server: 'https://only-b:6443' });
  });
});

describe('--request-timeout values', () => {
  it('reads kubectl durations', () => {
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('5')).toBe(5000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('5x')).toBeUndefined();
  });
});
