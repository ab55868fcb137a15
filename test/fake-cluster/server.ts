/**
 * The HTTPS server: TLS with client-certificate and bearer-token authentication on 127.0.0.1,
 * discovery, the REST router, pods/exec WebSocket upgrades, latency, request/exec counters and
 * an optional request log. `FakeCluster.close()` releases every socket, process, timer and file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { Auth, type UserInfo } from './auth.js';
import { createPki, type ClusterPki, type KeyPair } from './certs.js';
import { EXEC_PROTOCOLS, runExec, type ExecOutcome, type ExecParams, type ExecSession } from './exec.js';
import { Faults } from './faults.js';
import { renderKubeconfig } from './kubeconfig.js';
import { nowIso } from './meta.js';
import { HostFs } from './podfs.js';
import { containerRunning } from './pods.js';
import { populate } from './populate.js';
import { requestInfo, type RequestInfo } from './request-info.js';
import { Rest, type Reply } from './rest.js';
import type { KObj, Scenario } from './scenario.js';
import { ApiError, badRequest, forbidden, forbiddenPath, notFound, notFoundPath, unauthorized } from './status.js';
import { acceptWebSocket, isWebSocketUpgrade, offeredProtocols } from './websocket.js';
import { World } from './world.js';

export interface FakeClusterOptions {
  /** overrides the scenario's faults.latencyMs */
  latencyMs?: number;
  /** 0 (default) picks a free port */
  port?: number;
  /** receives one line per request (the standalone runner prints them) */
  log?: (line: string) => void;
}

export interface Stats {
  requests: number;
  /** get, list, watch, create, update, patch, delete, deletecollection, exec, log, discovery */
  byVerb: Record<string, number>;
  /** "list pods", "get daemonsets.apps", "create pods/exec", … */
  byResource: Record<string, number>;
  exec: { total: number; byPod: Record<string, number> };
}

const emptyStats = (): Stats => ({ requests: 0, byVerb: {}, byResource: {}, exec: { total: 0, byPod: {} } });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const MAX_BODY = 32 * 1024 * 1024;

export class FakeCluster {
  readonly world: World;
  readonly fs: HostFs;
  readonly workDir: string;
  readonly pki: ClusterPki;
  readonly auth: Auth;
  readonly faults: Faults;
  private readonly rest: Rest;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly execs = new Set<ExecSession>();
  private readonly certs = new Map<string, KeyPair>();
  private counters = emptyStats();
  private closed = false;
  url = '';
  kubeconfigPath = '';

  constructor(
    readonly scenario: Scenario,
    private readonly opts: FakeClusterOptions = {},
  ) {
    this.world = new World(scenario);
    populate(this.world, nowIso()); // throws on a bad scenario before anything is allocated
    this.workDir = mkdtempSync(join(tmpdir(), 'fake-cluster-'));
    this.fs = new HostFs(this.workDir, this.world);
    this.pki = createPki();
    this.auth = new Auth(scenario);
    this.faults = new Faults(scenario.faults);
    if (opts.latencyMs !== undefined) this.faults.latencyMs = opts.latencyMs;
    this.rest = new Rest(this.world, this.auth, this.faults);
    this.server = createServer({
      key: this.pki.server.keyPem,
      cert: this.pki.server.certPem,
      ca: [this.pki.ca.certPem],
      requestCert: true,
      rejectUnauthorized: false,
    });
    this.server.on('secureConnection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.onRequest(req, res));
    this.server.on(
      'upgrade',
      (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.onUpgrade(req, socket, head),
    );
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    const addr = this.server.address();
    if (!addr || typeof addr === 'string') throw new Error('server has no address');
    this.url = `https://127.0.0.1:${addr.port}`;
    this.kubeconfigPath = join(this.workDir, 'kubeconfig');
    writeFileSync(this.kubeconfigPath, this.kubeconfig(), { mode: 0o600 });
  }

  /** Client certificate for a scenario user (CN = name, O = groups), issued once. */
  clientCert(user: string): KeyPair {
    let c = this.certs.get(user);
    if (!c) {
      const u = this.scenario.cluster.users.find((x) => x.name === user);
      c = this.pki.client(user, u?.groups ?? []);
      this.certs.set(user, c);
    }
    return c;
  }

  token(user: string): string {
    const t = this.auth.tokenOf.get(user);
    if (!t) throw new Error(`no user ${user} in scenario ${this.scenario.name}`);
    return t;
  }

  kubeconfig(): string {
    const users = this.scenario.cluster.users.map((u) => ({
      name: u.name,
      ...(u.auth.includes('cert') ? { cert: this.clientCert(u.name) } : {}),
      ...(u.auth.includes('token') ? { token: this.token(u.name) } : {}),
    }));
    return renderKubeconfig(this.url, this.pki.ca.certPem, users, `fake-${this.scenario.name}`);
  }

  get caPem(): string {
    return this.pki.ca.certPem;
  }

  stats(): Stats {
    return structuredClone(this.counters);
  }

  resetStats(): void {
    this.counters = emptyStats();
  }

  private count(verb: string, what: string): void {
    const c = this.counters;
    c.requests++;
    c.byVerb[verb] = (c.byVerb[verb] ?? 0) + 1;
    if (what) c.byResource[`${verb} ${what}`] = (c.byResource[`${verb} ${what}`] ?? 0) + 1;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.rest.close();
    for (const e of this.execs) e.kill();
    this.execs.clear();
    const done = new Promise<void>((r) => this.server.close(() => r()));
    for (const s of this.sockets) s.destroy();
    await done;
    rmSync(this.workDir, { recursive: true, force: true });
  }

  // ---- plain requests ----

  private version(): KObj {
    const v = this.scenario.cluster.version;
    const m = /^v?(\d+)\.(\d+)/.exec(v);
    return {
      major: m?.[1] ?? '1',
      minor: m?.[2] ?? '32',
      gitVersion: v.startsWith('v') ? v : `v${v}`,
      gitCommit: '0000000000000000000000000000000000000000',
      gitTreeState: 'clean',
      buildDate: '2025-01-01T00:00:00Z',
      goVersion: 'go1.23.4',
      compiler: 'gc',
      platform: 'linux/amd64',
    };
  }

  private resourceName(info: RequestInfo): string {
    const gr = info.group ? `${info.resource}.${info.group}` : info.resource;
    return info.subresource ? `${gr}/${info.subresource}` : gr;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    let user: UserInfo | undefined;
    let reply: Reply;
    try {
      const body = await readBody(req);
      if (['/version', '/healthz', '/livez', '/readyz'].includes(url.pathname)) {
        this.count('discovery', '');
        await this.delay();
        reply =
          url.pathname === '/version'
            ? { code: 200, json: this.version() }
            : { code: 200, text: 'ok', contentType: 'text/plain' };
      } else {
        user = this.auth.authenticate(req);
        if (!user) throw unauthorized();
        const info = requestInfo(method, url);
        await this.delay();
        reply = this.dispatch(method, url, info, user, req, body);
      }
    } catch (e) {
      reply = errorReply(e);
    }
    this.respond(res, reply);
    this.opts.log?.(
      `${user?.name ?? '-'} ${method} ${url.pathname}${url.search} ${reply.code} ${Date.now() - started}ms`,
    );
  }

  private delay(): Promise<void> {
    return this.faults.latencyMs > 0 ? sleep(this.faults.latencyMs) : Promise.resolve();
  }

  private dispatch(
    method: string,
    url: URL,
    info: RequestInfo,
    user: UserInfo,
    req: IncomingMessage,
    body: Buffer,
  ): Reply {
    if (url.pathname === '/__fake/stats') {
      this.count('discovery', '');
      return { code: 200, json: this.stats() };
    }
    if (!info.isResource) {
      this.count('discovery', '');
      if (!this.auth.allowedPath(user, url.pathname, method.toLowerCase()))
        throw forbiddenPath(user.name, method.toLowerCase(), url.pathname);
      return this.discovery(url.pathname);
    }
    const verb = info.subresource === 'log' ? 'log' : info.verb;
    this.count(verb, this.resourceName(info));
    const attrs = {
      verb: info.verb,
      group: info.group,
      resource: info.resource,
      subresource: info.subresource,
      namespace: info.namespace,
      name: info.name,
    };
    if (!this.auth.allowed(user, attrs)) throw forbidden({ user: user.name, ...attrs });
    const injected = this.faults.injectedError(info);
    if (injected) throw injected;
    if (this.faults.takeReset(info)) {
      // A load balancer or apiserver restart dropping the connection mid-response.
      return {
        code: 200,
        stream: (res) => {
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 4096 });
          res.write('{"kind":"List","items":[{"metadata":');
          setImmediate(() => res.socket?.destroy());
        },
      };
    }
    return this.rest.handle({
      method,
      url,
      info,
      accept: req.headers['accept'],
      contentType: String(req.headers['content-type'] ?? 'application/json'),
      body,
      user,
    });
  }

  private discovery(path: string): Reply {
    const c = this.world.catalogue;
    const parts = path.split('/').filter(Boolean);
    let doc: KObj | undefined;
    if (path === '/api') doc = c.apiVersions();
    else if (path === '/apis') doc = c.apiGroupList();
    else if (parts[0] === 'api' && parts.length === 2) doc = c.resourceList('', parts[1]!);
    else if (parts[0] === 'apis' && parts.length === 2) doc = c.apiGroup(parts[1]!);
    else if (parts[0] === 'apis' && parts.length === 3) doc = c.resourceList(parts[1]!, parts[2]!);
    else if (path === '/openapi/v3') doc = c.openapiV3Root();
    else if (parts[0] === 'openapi' && parts[1] === 'v3' && parts[2] === 'api' && parts.length === 4)
      doc = c.openapiV3('', parts[3]!);
    else if (parts[0] === 'openapi' && parts[1] === 'v3' && parts[2] === 'apis' && parts.length === 5)
      doc = c.openapiV3(parts[3]!, parts[4]!);
    if (!doc) throw notFoundPath();
    return { code: 200, json: doc };
  }

  private respond(res: ServerResponse, r: Reply): void {
    if (r.stream) {
      r.stream(res);
      return;
    }
    const body = r.text !== undefined ? r.text : JSON.stringify(r.json);
    res.writeHead(r.code, {
      'Content-Type': r.contentType ?? 'application/json',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-cache, private',
    });
    res.end(body);
  }

  // ---- exec ----

  private async onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const started = Date.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    socket.on('error', () => undefined);
    let user: UserInfo | undefined;
    const fail = (e: unknown): void => {
      const r = errorReply(e);
      writeRaw(socket, r.code, JSON.stringify(r.json));
      this.opts.log?.(
        `${user?.name ?? '-'} ${method} ${url.pathname}${url.search} ${r.code} ${Date.now() - started}ms`,
      );
    };
    try {
      user = this.auth.authenticate(req);
      if (!user) throw unauthorized();
      const info = requestInfo(method, url);
      await this.delay();
      if (
        !info.isResource ||
        info.resource !== 'pods' ||
        info.subresource !== 'exec' ||
        !info.namespace ||
        !info.name
      ) {
        this.count(info.verb, this.resourceName(info));
        throw badRequest(`fake-cluster: only pods/exec can be upgraded (got ${url.pathname})`);
      }
      this.count('exec', 'pods/exec');
      const attrs = {
        verb: info.verb,
        group: '',
        resource: 'pods',
        subresource: 'exec',
        namespace: info.namespace,
        name: info.name,
      };
      if (!this.auth.allowed(user, attrs)) throw forbidden({ user: user.name, ...attrs });
      const injected = this.faults.injectedError(info);
      if (injected) throw injected;
      const pod = this.world.store.get('pods', info.namespace, info.name);
      if (!pod) throw notFound('', 'pods', info.name);
      const q = url.searchParams;
      const names: string[] = (pod['spec']?.containers ?? []).map((c: KObj) => c.name);
      const inits: string[] = (pod['spec']?.initContainers ?? []).map((c: KObj) => c.name);
      let container = q.get('container') ?? '';
      if (!container) {
        if (names.length !== 1)
          throw badRequest(
            `a container name must be specified for pod ${info.name}, choose one of: [${names.join(' ')}]`,
          );
        container = names[0]!;
      }
      if (!names.includes(container) && !inits.includes(container))
        throw badRequest(`container ${container} is not valid for pod ${info.name}`);
      if (!isWebSocketUpgrade(req))
        throw badRequest(
          'fake-cluster speaks exec over WebSocket only (v4/v5.channel.k8s.io); SPDY is not implemented',
        );
      const protocol = offeredProtocols(req).find((p) => EXEC_PROTOCOLS.includes(p));
      if (!protocol)
        throw badRequest(
          `requested protocol(s) are not supported: [${offeredProtocols(req).join(' ')}]; supports [${EXEC_PROTOCOLS.join(' ')}]`,
        );
      const bool = (k: string): boolean => ['true', '1'].includes(q.get(k) ?? '');
      const params: ExecParams = {
        command: q.getAll('command'),
        stdin: bool('stdin'),
        stdout: bool('stdout'),
        stderr: bool('stderr'),
        tty: bool('tty'),
      };
      const key = `${info.namespace}/${info.name}`;
      this.counters.exec.total++;
      this.counters.exec.byPod[key] = (this.counters.exec.byPod[key] ?? 0) + 1;
      if (this.world.behaviour(pod).execUpgradeHang) {
        // An overloaded or broken apiserver/kubelet proxy: the request was read, nothing comes back.
        this.opts.log?.(`${user.name} ${method} ${url.pathname}${url.search} (upgrade never answered)`);
        return;
      }
      let outcome: ExecOutcome;
      if (this.world.behaviour(pod).execHang) outcome = { kind: 'hang' };
      else if (!containerRunning(pod, container)) outcome = { kind: 'not-running', container };
      else if (!this.world.hasShell(pod, container)) outcome = { kind: 'no-shell' };
      else outcome = { kind: 'run', view: this.fs.container(pod, container) };
      const ws = acceptWebSocket(req, socket, head, protocol);
      const session = runExec(ws, params, outcome, { execFailure: this.scenario.cluster.execFailure });
      this.execs.add(session);
      ws.on('close', () => this.execs.delete(session));
      this.opts.log?.(`${user.name} ${method} ${url.pathname}${url.search} 101 ${protocol} ${Date.now() - started}ms`);
    } catch (e) {
      fail(e);
    }
  }
}

function errorReply(e: unknown): Reply {
  if (e instanceof ApiError) return { code: e.code, json: e.status() };
  const err = new ApiError(500, 'InternalError', `Internal error occurred: ${(e as Error)?.message ?? String(e)}`, {});
  return { code: 500, json: err.status() };
}

function writeRaw(socket: Duplex, code: number, body: string): void {
  const text: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  socket.end(
    `HTTP/1.1 ${code} ${text[code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > MAX_BODY) {
        reject(new ApiError(413, 'RequestEntityTooLarge', 'request entity too large', {}));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
