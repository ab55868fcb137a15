/**
 * A minimal read-only API client for completion and `version --cluster`, used until the shared
 * cluster layer exists. @kubernetes/client-node does the kubeconfig work (KUBECONFIG lists,
 * client certificates, tokens, exec credential plugins); the GET is ours so it can be abandoned
 * at a hard deadline: a TAB press must never hang on an unreachable API server.
 * Imported lazily: nothing here loads on the `lint` / `--help` path.
 */
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubeFlags } from './engine.js';

interface KubeTarget {
  server: string;
  namespace: string;
  get<T = unknown>(path: string, timeoutMs: number): Promise<T>;
}

class KubeError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * Whether any kubeconfig source exists. Without one, client-node invents a context pointing at
 * http://localhost:8080; we would rather say "no kubeconfig" than offer or dial that.
 */
function haveKubeconfig(): boolean {
  if ((process.env['KUBECONFIG'] ?? '') !== '') return true;
  if (existsSync(join(homedir(), '.kube', 'config'))) return true;
  return !!process.env['KUBERNETES_SERVICE_HOST'] && existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function loadConfig(flags: KubeFlags): Promise<any> {
  if (!flags.kubeconfig && !haveKubeconfig())
    throw new KubeError('no kubeconfig found (set KUBECONFIG or pass --kubeconfig)');
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  if (flags.kubeconfig) kc.loadFromFile(flags.kubeconfig);
  else kc.loadFromDefault();
  if (flags.context) kc.setCurrentContext(flags.context);
  return kc;
}

/** Context names from the kubeconfig files, without touching the network. */
export async function contextNames(flags: KubeFlags): Promise<string[]> {
  const kc = await loadConfig(flags);
  return (kc.getContexts() as { name: string }[]).map((c) => c.name);
}

export async function connect(flags: KubeFlags): Promise<KubeTarget> {
  const kc = await loadConfig(flags);
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new KubeError('no cluster in the kubeconfig (current context has no server)');
  const ctx = kc.getContextObject(kc.getCurrentContext());
  const namespace = flags.namespace ?? ctx?.namespace ?? 'default';
  const server: string = cluster.server.replace(/\/+$/, '');
  return {
    server,
    namespace,
    async get<T>(path: string, timeoutMs: number): Promise<T> {
      const opts: RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
      await kc.applyToHTTPSOptions(opts);
      const url = new URL(server + path);
      return await new Promise<T>((resolve, reject) => {
        const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
        const req = send(url, opts, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            clearTimeout(timer);
            const body = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 0) >= 400) {
              let msg = `HTTP ${res.statusCode}`;
              try {
                msg = (JSON.parse(body) as { message?: string }).message ?? msg;
              } catch {
                /* not a Status object */
              }
              reject(new KubeError(msg, res.statusCode));
              return;
            }
            try {
              resolve(JSON.parse(body) as T);
            } catch {
              reject(new KubeError(`${url.pathname}: response is not JSON`));
            }
          });
          res.on('error', reject);
        });
        // destroy(), not just reject: a pending socket would keep the process alive after we answered.
        const timer = setTimeout(
          () => req.destroy(new KubeError(`no answer from ${server} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        req.on('error', (e) => {
          clearTimeout(timer);
          reject(e instanceof KubeError ? e : new KubeError(`cannot reach ${server}: ${(e as Error).message}`));
        });
        req.end();
      });
    },
  };
}
