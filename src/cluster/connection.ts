/**
 * Resolve a ConnectionSpec into what every request needs: TLS material, headers, an agent.
 * Credentials are resolved once per run: exec credential plugins and auth providers go through
 * @kubernetes/client-node (which implements them); token files are read here.
 */
import https from 'node:https';
import tls from 'node:tls';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { KubeConfig, type Cluster, type User } from '@kubernetes/client-node';
import type { ConnectionSpec } from './kubeconfig.js';
import { ClusterError } from './errors.js';

export interface ResolvedConnection {
  spec: ConnectionSpec;
  server: string;
  /** TLS options shared by REST requests and exec WebSockets. */
  tls: {
    ca?: Buffer | string;
    cert?: Buffer | string;
    key?: Buffer | string;
    rejectUnauthorized: boolean;
    servername?: string;
  };
  /** Authorization and impersonation headers. */
  headers: Record<string, string | string[]>;
  /** Keep-alive agent for REST calls (or the proxy agent client-node builds for proxy-url). */
  agent: http.Agent;
  /** Name to show in messages. */
  userLabel: string;
}

function readMaybe(path: string | undefined, what: string): Buffer | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path);
  } catch (e) {
    throw new ClusterError(
      `cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      'other',
    );
  }
}

function toClientNode(spec: ConnectionSpec): { cluster: Cluster; user: User } {
  const c = spec.cluster;
  const u = spec.user;
  let token = u.token;
  if (!token && u.tokenFile) token = readMaybe(u.tokenFile, 'token file')!.toString('utf8').trim();
  const cluster: Cluster = {
    name: spec.clusterName || 'cluster',
    server: spec.server.replace(/\/$/, ''),
    caData: c['certificate-authority-data'],
    caFile: c['certificate-authority'],
    skipTLSVerify: c['insecure-skip-tls-verify'] === true,
    tlsServerName: c['tls-server-name'],
    proxyUrl: c['proxy-url'],
  };
  const user: User = {
    name: spec.userName || 'user',
    certData: u['client-certificate-data'],
    certFile: u['client-certificate'],
    keyData: u['client-key-data'],
    keyFile: u['client-key'],
    token,
    username: u.username,
    password: u.password,
    exec: u.exec,
    authProvider: u['auth-provider'],
  };
  return { cluster, user };
}

/** Resolve credentials (runs an exec plugin once if the user has one). */
export async function resolveConnection(spec: ConnectionSpec, maxSockets = 32): Promise<ResolvedConnection> {
  const { cluster, user } = toClientNode(spec);
  if (!/^https?:\/\//.test(cluster.server)) {
    throw new ClusterError(`the server address "${spec.server}" is not an http(s) URL`, 'other');
  }
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser(cluster, user);
  // client-node reads the files and runs exec plugins; we keep the result for the whole run.
  const opts: https.RequestOptions = {};
  try {
    await kc.applyToHTTPSOptions(opts);
  } catch (e) {
    const msg = (e as Error).message?.split('\n')[0] || String(e);
    if (user.exec)
      throw new ClusterError(
        `the exec credential plugin "${String(user.exec.command)}" of user "${spec.userName}" failed: ${msg}`,
        'unauthorized',
      );
    throw new ClusterError(`cannot load the credentials of user "${spec.userName}": ${msg}`, 'other');
  }
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {}))
    if (v !== undefined) headers[k] = typeof v === 'number' ? String(v) : (v as string | string[]);
  if (opts.auth) headers['Authorization'] = 'Basic ' + Buffer.from(opts.auth).toString('base64');
  delete headers['Impersonate-User'];
  if (spec.impersonate?.user) headers['Impersonate-User'] = spec.impersonate.user;
  if (spec.impersonate?.groups.length) headers['Impersonate-Group'] = spec.impersonate.groups;
  checkTlsMaterial(
    spec,
    opts.ca as Buffer | string | undefined,
    opts.cert as Buffer | string | undefined,
    opts.key as Buffer | string | undefined,
  );
  const tls = {
    ca: opts.ca as Buffer | string | undefined,
    cert: opts.cert as Buffer | string | undefined,
    key: opts.key as Buffer | string | undefined,
    rejectUnauthorized: !cluster.skipTLSVerify,
    servername: cluster.tlsServerName,
  };
  let agent: http.Agent;
  if (cluster.proxyUrl) agent = opts.agent as http.Agent;
  else if (cluster.server.startsWith('http:')) agent = new http.Agent({ keepAlive: true, maxSockets });
  else agent = new https.Agent({ keepAlive: true, maxSockets, ...tls });
  return { spec, server: cluster.server, tls, headers, agent, userLabel: spec.impersonate?.user ?? spec.userName };
}

/**
 * Unreadable TLS material gets one plain sentence before any connection is tried: OpenSSL's own
 * words ("DECODER routines::unsupported", "key values mismatch"), or a handshake that fails with
 * "self-signed certificate" because a garbage CA was silently ignored, say nothing useful.
 */
function checkTlsMaterial(
  spec: ConnectionSpec,
  ca?: Buffer | string,
  cert?: Buffer | string,
  key?: Buffer | string,
): void {
  const clusterName = spec.clusterName ? ` of cluster "${spec.clusterName}"` : '';
  const userName = spec.userName ? ` of user "${spec.userName}"` : '';
  if (ca !== undefined) {
    const text = ca.toString();
    const first = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(text)?.[0];
    let ok = first !== undefined;
    if (first) {
      try {
        new X509Certificate(first);
      } catch {
        ok = false;
      }
    }
    if (!ok)
      throw new ClusterError(
        `the certificate authority${clusterName} in the kubeconfig (certificate-authority-data or certificate-authority) is not a PEM certificate`,
        'tls',
      );
  }
  let x509: X509Certificate | undefined;
  if (cert !== undefined) {
    try {
      x509 = new X509Certificate(cert);
    } catch {
      throw new ClusterError(
        `the client certificate${userName} in the kubeconfig (client-certificate-data or client-certificate) is not a PEM certificate`,
        'tls',
      );
    }
  }
  if (key !== undefined) {
    let pk;
    try {
      pk = createPrivateKey(key);
    } catch {
      throw new ClusterError(
        `the client key${userName} in the kubeconfig (client-key-data or client-key) is not a readable PEM private key`,
        'tls',
      );
    }
    if (x509 && !x509.checkPrivateKey(pk)) {
      throw new ClusterError(
        `the client certificate and key${userName} in the kubeconfig do not belong together (client-certificate-data and client-key-data are from different pairs)`,
        'tls',
      );
    }
  }
}

/**
 * A KubeConfig for client-node's exec (WebSocket) that applies the credentials resolved once,
 * so an exec plugin is not re-run for every node, and impersonation groups are sent too.
 */
export class ResolvedKubeConfig extends KubeConfig {
  /** One TLS context for every exec WebSocket: parsing the key per connection is wasted work. */
  private secureContext?: tls.SecureContext;
  constructor(private readonly conn: ResolvedConnection) {
    super();
    this.loadFromClusterAndUser(
      { name: 'cluster', server: conn.server, skipTLSVerify: !conn.tls.rejectUnauthorized },
      { name: 'user' },
    );
  }
  override async applyToHTTPSOptions(opts: https.RequestOptions): Promise<void> {
    const t = this.conn.tls;
    if (t.ca || t.cert || t.key) {
      this.secureContext ??= tls.createSecureContext({ ca: t.ca, cert: t.cert, key: t.key });
      (opts as tls.ConnectionOptions).secureContext = this.secureContext;
    }
    opts.rejectUnauthorized = t.rejectUnauthorized;
    if (t.servername) opts.servername = t.servername;
    opts.headers = { ...(opts.headers ?? {}), ...this.conn.headers };
  }
}
