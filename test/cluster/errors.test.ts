import { describe, expect, it } from 'vitest';
import { fromHttpStatus, fromNetworkError, describeTarget } from '../../src/cluster/errors.js';

const who = { user: 'jane', context: 'lab', server: 'https://10.0.0.1:6443' };

describe('API errors become one actionable line', () => {
  it('403 names the verb, the resource with its group, and the namespace', () => {
    const body = JSON.stringify({
      kind: 'Status',
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
      message: 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "apps"',
    });
    const e = fromHttpStatus(403, body, { verb: 'list', resource: 'pods', namespace: 'apps' }, who);
    expect(e.kind).toBe('forbidden');
    expect(e.message).toBe('forbidden: cannot list pods in namespace "apps" (403; see deploy/rbac.yaml)');
    expect(e.serverMessage).toContain('cannot list resource "pods"');
    expect(
      fromHttpStatus(
        403,
        '',
        { verb: 'list', resource: 'network-attachment-definitions', group: 'k8s.cni.cncf.io' },
        who,
      ).message,
    ).toBe(
      'forbidden: cannot list network-attachment-definitions.k8s.cni.cncf.io at cluster scope (403; see deploy/rbac.yaml)',
    );
    expect(
      describeTarget({ verb: 'create', resource: 'pods/exec', namespace: 'kube-system', name: 'kube-multus-ds-x' }),
    ).toBe('create pods/exec "kube-multus-ds-x" in namespace "kube-system"');
  });

  it('401 says the credentials were rejected, for whom, and that it ends the run', () => {
    const e = fromHttpStatus(
      401,
      '{"kind":"Status","message":"Unauthorized","code":401}',
      { verb: 'list', resource: 'nodes' },
      who,
    );
    expect(e.message).toBe(
      'the API server https://10.0.0.1:6443 rejected the credentials for user "jane" (context "lab") (401 Unauthorized): the token or client certificate is missing, invalid or expired',
    );
    expect(e.fatal).toBe(true);
  });

  it('404, 422 and 5xx keep the server message', () => {
    expect(
      fromHttpStatus(404, '{"message":"nope"}', { verb: 'get', resource: 'configmaps', namespace: 'x', name: 'y' }, who)
        .kind,
    ).toBe('not-found');
    const inv = fromHttpStatus(
      422,
      '{"message":"Service \\"p\\" is invalid: spec.clusterIPs: Invalid value: []string{\\"1.1.1.1\\"}: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.43.0.0/16"}',
      { verb: 'create', resource: 'services', namespace: 'default' },
      who,
    );
    expect(inv.kind).toBe('invalid');
    expect(inv.serverMessage).toMatch(/range of valid IPs is 10.43.0.0\/16$/);
    const s = fromHttpStatus(503, 'upstream connect error', { verb: 'list', resource: 'pods' }, who);
    expect(s.message).toBe('list pods at cluster scope failed (HTTP 503): upstream connect error');
    expect(s.fatal).toBe(false);
  });

  it('connection refused, DNS and timeouts say the server cannot be reached', () => {
    const e = fromNetworkError(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }),
      'https://127.0.0.1:6443',
      'kind-kind',
    );
    expect(e.message).toBe(
      'cannot reach the API server https://127.0.0.1:6443 (context "kind-kind"): connection refused; is the cluster running and is this the right context?',
    );
    expect(e.fatal).toBe(true);
    expect(
      fromNetworkError(
        Object.assign(new Error('getaddrinfo ENOTFOUND api.gone'), { code: 'ENOTFOUND' }),
        'https://api.gone',
        '',
      ).message,
    ).toMatch(/host name not found/);
  });

  it('certificate problems are TLS errors with the reason and what to check', () => {
    const e = fromNetworkError(
      Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }),
      'https://k:6443',
      'x',
    );
    expect(e.kind).toBe('tls');
    expect(e.message).toBe(
      'TLS handshake with the API server https://k:6443 failed: self-signed certificate in certificate chain (SELF_SIGNED_CERT_IN_CHAIN); check certificate-authority(-data) in the kubeconfig, or use --insecure-skip-tls-verify only for a throwaway test cluster',
    );
    expect(
      fromNetworkError(
        Object.assign(new Error("Hostname/IP does not match certificate's altnames"), {
          code: 'ERR_TLS_CERT_ALTNAME_INVALID',
        }),
        'https://k',
        '',
      ).kind,
    ).toBe('tls');
  });

  it('cancellation is not reported as a failure', () => {
    const e = fromNetworkError(
      Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' }),
      'https://k',
      '',
    );
    expect(e.kind).toBe('aborted');
  });
});
