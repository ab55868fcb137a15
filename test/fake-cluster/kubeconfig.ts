/** A kubeconfig for the fake: the CA, and per user a client-certificate and/or a token entry. */
import { stringify } from 'yaml';

export interface KubeconfigUser {
  name: string;
  cert?: { certPem: string; keyPem: string };
  token?: string;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/**
 * Contexts: `<user>` uses the client certificate (or the token when the user has no cert),
 * `<user>-token` the bearer token. The first user's context is current.
 */
export function renderKubeconfig(
  server: string,
  caPem: string,
  users: KubeconfigUser[],
  clusterName = 'fake-cluster',
): string {
  const kUsers: object[] = [];
  const contexts: object[] = [];
  for (const u of users) {
    if (u.cert) {
      kUsers.push({
        name: `${u.name}-cert`,
        user: { 'client-certificate-data': b64(u.cert.certPem), 'client-key-data': b64(u.cert.keyPem) },
      });
      contexts.push({ name: u.name, context: { cluster: clusterName, user: `${u.name}-cert` } });
    }
    if (u.token) {
      kUsers.push({ name: `${u.name}-token`, user: { token: u.token } });
      contexts.push({
        name: u.cert ? `${u.name}-token` : u.name,
        context: { cluster: clusterName, user: `${u.name}-token` },
      });
    }
  }
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster: { server, 'certificate-authority-data': b64(caPem) } }],
    users: kUsers,
    contexts,
    'current-context': (contexts[0] as { name: string } | undefined)?.name ?? '',
    preferences: {},
  });
}
