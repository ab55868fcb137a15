/**
 * A tiny HTTPS Kubernetes API stand-in for the completion and `version --cluster` tests: TLS with
 * a client certificate required (like kube-apiserver with x509 auth), JSON lists by path, and a
 * "hang" mode that accepts connections and never answers.
 */
import { createServer, type Server } from 'node:https';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { createPki } from '../fake-cluster/certs.js';

export interface FakeApi {
  url: string;
  /** A kubeconfig for a user with a valid client certificate. */
  kubeconfig: string;
  /** Paths requested, with the client certificate's CN. */
  requests: { path: string; user: string | undefined }[];
  close(): Promise<void>;
}

export async function startFakeApi(
  dir: string,
  routes: Record<string, unknown>,
  o: { hang?: boolean; context?: string; namespace?: string } = {},
): Promise<FakeApi> {
  const pki = createPki();
  const user = pki.client('completion-user', ['system:masters']);
  const requests: FakeApi['requests'] = [];
  const server: Server = createServer(
    {
      key: pki.server.keyPem,
      cert: pki.server.certPem,
      ca: pki.ca.certPem,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const path = (req.url ?? '').split('?')[0]!;
      requests.push({ path, user: (req.socket as TLSSocket).getPeerCertificate()?.subject?.CN as string | undefined });
      if (o.hang) return; // never answer
      const body = routes[path];
      res.setHeader('content-type', 'application/json');
      if (body === undefined) {
        res.statusCode = 404;
        res.end(
          JSON.stringify({
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            message: `${path} not found`,
            code: 404,
          }),
        );
        return;
      }
      res.end(JSON.stringify(body));
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const url = `https://127.0.0.1:${port}`;
  const w = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const ca = w('ca.crt', pki.ca.certPem);
  const cert = w('client.crt', user.certPem);
  const key = w('client.key', user.keyPem);
  const context = o.context ?? 'fake';
  const kubeconfig = w(
    'kubeconfig',
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: fake, cluster: {server: "${url}", certificate-authority: "${ca}"}}]`,
      `users: [{name: fake-user, user: {client-certificate: "${cert}", client-key: "${key}"}}]`,
      `contexts: [{name: ${context}, context: {cluster: fake, user: fake-user${o.namespace ? `, namespace: ${o.namespace}` : ''}}}, {name: other, context: {cluster: fake, user: fake-user}}]`,
      `current-context: ${context}`,
      '',
    ].join('\n'),
  );
  return {
    url,
    kubeconfig,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const list = (kind: string, items: unknown[]) => ({ kind, apiVersion: 'v1', metadata: {}, items });
export const obj = (name: string, namespace = 'default', extra: Record<string, unknown> = {}) => ({
  metadata: { name, namespace, ...extra },
});
