/**
 * A small REST client for the Kubernetes API: JSON in and out, paginated lists delivered page by
 * page (so callers keep only what they need), per-request timeout, cancellation, one-line errors,
 * and request counters (the benchmark reports them). Plain node:https with a keep-alive agent:
 * the generated client-node API would materialise every object as a class instance.
 */
import https from 'node:https';
import http from 'node:http';
import { ClusterError, fromHttpStatus, fromNetworkError, timeoutError, type RequestTarget } from './errors.js';
import type { ResolvedConnection } from './connection.js';

export interface ResourceRef {
  /** API group; '' or undefined for the core group. */
  group?: string;
  version: string;
  /** Plural resource name. */
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size (default 500, like kubectl). */
  limit?: number;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{ kind: string; name: string; uid?: string; controller?: boolean }>;
    creationTimestamp?: string;
    resourceVersion?: string;
  };
  [k: string]: unknown;
}

interface KubeList<T = KubeObject> {
  items: T[];
  metadata?: { continue?: string; resourceVersion?: string };
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** Overrides the client's request timeout (ms, 0 = none). */
  timeoutMs?: number;
  /** Response is text (logs), not JSON. */
  text?: boolean;
  contentType?: string;
}

const USER_AGENT = 'kubectl-multus';

export function resourcePath(r: ResourceRef): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespace !== undefined ? `/namespaces/${encodeURIComponent(r.namespace)}` : '';
  const name = r.name !== undefined ? `/${encodeURIComponent(r.name)}` : '';
  const sub = r.subresource ? `/${r.subresource}` : '';
  return `${base}${ns}/${r.resource}${name}${sub}`;
}

function targetOf(r: ResourceRef, verb: string): RequestTarget {
  return {
    verb,
    resource: r.subresource ? `${r.resource}/${r.subresource}` : r.resource,
    group: r.group || undefined,
    namespace: r.namespace,
    name: r.name,
  };
}

function queryString(q: RequestOptions['query']): string {
  if (!q) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(q))
    if (v !== undefined) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Error codes of a connection dropped by the peer: a GET that met one is safe to send again. */
const CONNECTION_RESET = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'ECONNABORTED']);

export class KubeClient {
  /** Requests sent, by verb (`list`, `get`, `create`, ...): for the benchmark and -v. */
  readonly counts: Record<string, number> = {};
  private readonly url: URL;

  constructor(
    readonly conn: ResolvedConnection,
    private readonly o: { requestTimeoutMs: number; signal?: AbortSignal },
  ) {
    this.url = new URL(conn.server);
  }

  get signal(): AbortSignal | undefined {
    return this.o.signal;
  }

  private count(verb: string): void {
    this.counts[verb] = (this.counts[verb] ?? 0) + 1;
  }

  /**
   * One HTTP request; resolves to parsed JSON (or text), rejects with a ClusterError. A GET whose
   * connection was reset (before or during the response) is retried with backoff, as client-go
   * retries idempotent requests on "connection reset by peer"/unexpected EOF: one dropped
   * connection must not abort a whole run. Other verbs are never retried here.
   */
  async request<T = unknown>(method: string, path: string, target: RequestTarget, o: RequestOptions = {}): Promise<T> {
    const backoffMs = [200, 500, 1000];
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.requestOnce<T>(method, path, target, o);
      } catch (e) {
        const signal = o.signal ?? this.o.signal;
        if (
          method !== 'GET' ||
          attempt >= backoffMs.length ||
          !(e instanceof ClusterError) ||
          !CONNECTION_RESET.has(String(e.code)) ||
          signal?.aborted
        )
          throw e;
        await new Promise<void>((res) => setTimeout(res, backoffMs[attempt]));
      }
    }
  }

  private requestOnce<T = unknown>(
    method: string,
    path: string,
    target: RequestTarget,
    o: RequestOptions = {},
  ): Promise<T> {
    this.count(target.verb);
    const signal = o.signal ?? this.o.signal;
    if (signal?.aborted) return Promise.reject(new ClusterError('cancelled', 'aborted', 'ABORT_ERR', target));
    const timeoutMs = o.timeoutMs ?? this.o.requestTimeoutMs;
    const body =
      o.body === undefined ? undefined : Buffer.from(typeof o.body === 'string' ? o.body : JSON.stringify(o.body));
    const headers: http.OutgoingHttpHeaders = {
      Accept: o.text ? '*/*' : 'application/json',
      'User-Agent': USER_AGENT,
      ...this.conn.headers,
    };
    if (body) {
      headers['Content-Type'] = o.contentType ?? 'application/json';
      headers['Content-Length'] = body.length;
    }
    const isHttps = this.url.protocol === 'https:';
    const basePath = this.url.pathname.replace(/\/$/, '');
    const reqOpts: https.RequestOptions = {
      method,
      host: this.url.hostname.replace(/^\[|\]$/g, ''),
      port: this.url.port || (isHttps ? 443 : 80),
      path: basePath + path + queryString(o.query),
      headers,
      agent: this.conn.agent,
      ...(isHttps ? this.conn.tls : {}),
    };
    const spec = this.conn.spec;
    return new Promise<T>((resolve, reject) => {
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (err: Error | undefined, value?: T) => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(value as T);
      };
      const req = (isHttps ? https : http).request(reqOpts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) =>
          finish(fromNetworkError(e as NodeJS.ErrnoException, this.conn.server, spec.contextName, target)),
        );
        // The connection dropped mid-body: Node may only close the response (no 'error', no 'end').
        res.on('close', () => {
          if (!res.complete)
            finish(
              fromNetworkError(
                Object.assign(new Error('connection reset while reading the response'), { code: 'ECONNRESET' }),
                this.conn.server,
                spec.contextName,
                target,
              ),
            );
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            finish(
              fromHttpStatus(status, text, target, {
                user: this.conn.userLabel,
                context: spec.contextName,
                server: this.conn.server,
              }),
            );
            return;
          }
          if (o.text) return finish(undefined, text as T);
          try {
            finish(undefined, (text ? JSON.parse(text) : {}) as T);
          } catch {
            finish(
              new ClusterError(
                `the API server sent a response that is not JSON for ${target.verb} ${target.resource}`,
                'other',
                status,
                target,
              ),
            );
          }
        });
      });
      const onAbort = () => {
        req.destroy();
        finish(new ClusterError('cancelled', 'aborted', 'ABORT_ERR', target));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          req.destroy();
          finish(timeoutError(target, timeoutMs));
        }, timeoutMs);
      }
      req.on('error', (e) =>
        finish(fromNetworkError(e as NodeJS.ErrnoException, this.conn.server, spec.contextName, target)),
      );
      if (body) req.write(body);
      req.end();
    });
  }

  get<T = KubeObject>(r: ResourceRef, o: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', resourcePath(r), targetOf(r, 'get'), o);
  }

  /** GET that maps 404 to undefined (optional resources and CRDs). */
  async getOptional<T = KubeObject>(r: ResourceRef, o: RequestOptions = {}): Promise<T | undefined> {
    try {
      return await this.get<T>(r, o);
    } catch (e) {
      if (e instanceof ClusterError && e.kind === 'not-found') return undefined;
      throw e;
    }
  }

  create<T = KubeObject>(r: ResourceRef, body: unknown, o: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', resourcePath(r), targetOf(r, 'create'), { ...o, body });
  }

  delete(r: ResourceRef, o: RequestOptions = {}): Promise<unknown> {
    return this.request('DELETE', resourcePath(r), targetOf(r, 'delete'), o);
  }

  /** Raw GET of a non-resource path (`/version`). */
  raw<T = unknown>(path: string, o: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, { verb: 'get', resource: path }, o);
  }

  /** Container log lines (tail), as text. */
  logs(
    namespace: string,
    pod: string,
    container: string,
    o: { tailLines?: number; previous?: boolean; signal?: AbortSignal } = {},
  ): Promise<string> {
    const r: ResourceRef = { version: 'v1', resource: 'pods', namespace, name: pod, subresource: 'log' };
    return this.request<string>('GET', resourcePath(r), targetOf(r, 'get'), {
      text: true,
      signal: o.signal,
      query: { container, tailLines: o.tailLines, previous: o.previous ? 'true' : undefined },
    });
  }

  /**
   * List page by page. Each page is handed to `onPage` and then dropped, so memory stays bounded
   * by one page plus whatever the caller keeps.
   */
  async listPages<T = KubeObject>(
    r: ResourceRef,
    onPage: (items: T[]) => void,
    o: ListOptions & { signal?: AbortSignal } = {},
  ): Promise<void> {
    let cont: string | undefined;
    const limit = o.limit ?? 500;
    do {
      const page = await this.request<KubeList<T>>('GET', resourcePath(r), targetOf(r, 'list'), {
        signal: o.signal,
        query: { labelSelector: o.labelSelector, fieldSelector: o.fieldSelector, limit, continue: cont },
      });
      onPage(page.items ?? []);
      cont = page.metadata?.continue || undefined;
    } while (cont);
  }

  async list<T = KubeObject>(r: ResourceRef, o: ListOptions & { signal?: AbortSignal } = {}): Promise<T[]> {
    const all: T[] = [];
    await this.listPages<T>(r, (items) => all.push(...items), o);
    return all;
  }
}
