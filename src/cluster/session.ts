/**
 * Open a session with the cluster kubectl would talk to: load the kubeconfig, resolve
 * credentials, and make first contact (GET /version), so that "no kubeconfig", "unreachable",
 * "TLS" and "401" end the run at once with one line, before any collector starts.
 */
import { loadConnectionSpec, type ClusterFlags, type ConnectionSpec } from './kubeconfig.js';
import { resolveConnection, type ResolvedConnection } from './connection.js';
import { KubeClient } from './client.js';
import { PodExec } from './exec.js';
import { ClusterError } from './errors.js';

export interface Session {
  spec: ConnectionSpec;
  conn: ResolvedConnection;
  client: KubeClient;
  exec: PodExec;
  /** `gitVersion` from /version, when readable. */
  serverVersion?: string;
}

export async function openSession(flags: ClusterFlags, env: NodeJS.ProcessEnv, signal: AbortSignal, o: { maxSockets?: number } = {}): Promise<Session> {
  const spec = loadConnectionSpec(flags, { env });
  const conn = await resolveConnection(spec, o.maxSockets ?? 32);
  const client = new KubeClient(conn, { requestTimeoutMs: flags.requestTimeoutMs ?? 30_000, signal });
  const exec = new PodExec(conn);
  let serverVersion: string | undefined;
  const firstContactMs = Math.min(flags.requestTimeoutMs || 15_000, 15_000);
  try {
    // /version may be public; /api needs authentication, so bad credentials show here, once.
    const [v] = await Promise.all([
      client.raw<{ gitVersion?: string }>('/version', { timeoutMs: firstContactMs }),
      client.raw('/api', { timeoutMs: firstContactMs }).catch((e: unknown) => {
        if (e instanceof ClusterError && e.fatal) throw e;
      }),
    ]);
    serverVersion = v.gitVersion;
  } catch (e) {
    if (e instanceof ClusterError && e.kind === 'timeout') {
      const ctx = spec.contextName ? ` (context "${spec.contextName}")` : '';
      throw new ClusterError(`the API server ${conn.server}${ctx} did not answer within ${firstContactMs / 1000}s`, 'unreachable', 'ETIMEDOUT');
    }
    // /version is public on every distribution; a 403/404 here is odd but not fatal.
    if (!(e instanceof ClusterError) || e.fatal || e.kind === 'aborted' || e.kind === 'timeout') throw e;
  }
  return { spec, conn, client, exec, serverVersion };
}
