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

/** `work`, or a rejection as soon as `signal` aborts (the work itself may go on; bin.ts exits after the report). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal, onAbort: () => Error): Promise<T> {
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(onAbort());
    signal.addEventListener('abort', stop, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', stop);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', stop);
        reject(e);
      },
    );
  });
}

export async function openSession(
  flags: ClusterFlags,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  o: { maxSockets?: number; timeoutMs?: number } = {},
): Promise<Session> {
  const spec = loadConnectionSpec(flags, { env });
  // An exec credential plugin that never returns is bounded by the command's --timeout (and Ctrl-C).
  const conn = await untilAborted(resolveConnection(spec, o.maxSockets ?? 32), signal, () => {
    const who = spec.user.exec
      ? `the exec credential plugin "${String(spec.user.exec.command)}" of user "${spec.userName}"`
      : `loading the credentials of user "${spec.userName}"`;
    return new ClusterError(
      `${who} did not finish within --timeout ${Math.round((o.timeoutMs ?? 0) / 1000)}s`,
      'timeout',
      'ETIMEDOUT',
    );
  });
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
      throw new ClusterError(
        `the API server ${conn.server}${ctx} did not answer within ${firstContactMs / 1000}s`,
        'unreachable',
        'ETIMEDOUT',
      );
    }
    // /version is public on every distribution; a 403/404 here is odd but not fatal.
    if (!(e instanceof ClusterError) || e.fatal || e.kind === 'aborted' || e.kind === 'timeout') throw e;
  }
  return { spec, conn, client, exec, serverVersion };
}
