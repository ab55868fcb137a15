/**
 * Test-side helpers for talking to a FakeCluster: raw HTTPS requests (cert or token auth) and
 * the machine's real kubectl. Both are asynchronous on purpose: the server runs in the test's
 * own process, so a blocking child (spawnSync) would deadlock it.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeCluster } from './server.js';

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** parsed body (tests read arbitrary JSON) */
  json: any;
}

export interface ApiOpts {
  body?: unknown;
  user?: string;
  auth?: 'cert' | 'token' | 'none';
  contentType?: string;
  accept?: string;
}

export function api(fc: FakeCluster, method: string, path: string, o: ApiOpts = {}): Promise<ApiResponse> {
  const user = o.user ?? fc.scenario.cluster.users[0]!.name;
  const auth = o.auth ?? 'cert';
  const url = new URL(path, fc.url);
  const payload = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  const headers: Record<string, string> = { Accept: o.accept ?? 'application/json' };
  if (payload !== undefined) headers['Content-Type'] = o.contentType ?? 'application/json';
  if (auth === 'token') headers['Authorization'] = `Bearer ${fc.token(user)}`;
  const cert = auth === 'cert' ? fc.clientCert(user) : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        method,
        hostname: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        headers,
        ca: fc.caPem,
        ...(cert ? { cert: cert.certPem, key: cert.keyPem } : {}),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** The machine's kubectl, or undefined (tests that need it are skipped, with the reason). */
export const KUBECTL = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A scratch HOME so kubectl's discovery cache never leaks between runs. */
export function scratchHome(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'fake-cluster-home-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function kubectl(
  fc: FakeCluster,
  home: string,
  args: string[],
  o: { context?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  if (!KUBECTL) throw new Error('kubectl not installed');
  const full = ['--kubeconfig', fc.kubeconfigPath, ...(o.context ? ['--context', o.context] : []), ...args];
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      full,
      {
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home },
        timeout: o.timeoutMs ?? 30_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : -1
          : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
