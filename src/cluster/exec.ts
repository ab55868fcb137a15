/**
 * `exec` into a container over WebSocket (client-node speaks the v5/v4 channel protocols), with a
 * timeout, cancellation, and a cap on how much output is kept. The argv is passed as separate
 * `command` parameters: nothing is ever assembled into a shell string here.
 */
import { PassThrough, Writable } from 'node:stream';
import { Exec } from '@kubernetes/client-node';
// Deep import: the handler must get its own streams, or a v5 close frame from the server would
// end process.stdout (client-node defaults the handler's streams to the process's own).
import { WebSocketHandler } from '@kubernetes/client-node/dist/web-socket-handler.js';
import { ResolvedKubeConfig, type ResolvedConnection } from './connection.js';
import { ClusterError, fromNetworkError, timeoutError, type KubeStatus, type RequestTarget } from './errors.js';

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit code from the status channel (0 on Success); undefined when no status arrived. */
  exitCode?: number;
  /** The status channel reported a failure that is not a plain non-zero exit (e.g. no such executable). */
  failure?: string;
  truncated: boolean;
}

export interface ExecOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Bytes of stdout kept (default 32 MiB); more marks the result truncated and ends the exec. */
  maxBytes?: number;
}

class Collector extends Writable {
  chunks: Buffer[] = [];
  size = 0;
  over = false;
  constructor(
    private readonly max: number,
    private readonly onOver: () => void,
  ) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    if (!this.over) {
      if (this.size + chunk.length > this.max) {
        this.over = true;
        this.onOver();
      } else {
        this.chunks.push(chunk);
        this.size += chunk.length;
      }
    }
    cb();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

function exitCodeOf(status: KubeStatus): number | undefined {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (cause?.message !== undefined && /^\d+$/.test(cause.message)) return Number(cause.message);
  return undefined;
}

export class PodExec {
  /** Execs started (for the benchmark and -v). */
  count = 0;
  private readonly exec: Exec;
  constructor(private readonly conn: ResolvedConnection) {
    const sink = () => new PassThrough().resume();
    const kc = new ResolvedKubeConfig(conn);
    this.exec = new Exec(
      kc,
      new WebSocketHandler(kc, undefined, { stdin: new PassThrough(), stdout: sink(), stderr: sink() }),
    );
  }

  run(namespace: string, pod: string, container: string, argv: string[], o: ExecOptions): Promise<ExecResult> {
    this.count++;
    const target: RequestTarget = { verb: 'create', resource: 'pods/exec', namespace, name: pod };
    if (o.signal?.aborted) return Promise.reject(new ClusterError('cancelled', 'aborted', 'ABORT_ERR', target));
    return new Promise<ExecResult>((resolve, reject) => {
      let settled = false;
      let ws: { close(): void; terminate?(): void; on?(ev: string, fn: (...a: unknown[]) => void): void } | undefined;
      let status: KubeStatus | undefined;
      const stop = () => {
        try {
          if (ws?.terminate) ws.terminate();
          else ws?.close();
        } catch {
          /* already closed */
        }
      };
      const out = new Collector(o.maxBytes ?? 32 * 1024 * 1024, stop);
      const err = new Collector(1024 * 1024, () => undefined);
      const settle = (e?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
        if (e) {
          stop();
          reject(e);
          return;
        }
        const result: ExecResult = { stdout: out.text(), stderr: err.text(), truncated: out.over };
        if (status) {
          result.exitCode = exitCodeOf(status);
          if (status.status !== 'Success' && result.exitCode === undefined)
            result.failure = status.message ?? status.reason ?? 'exec failed';
        }
        resolve(result);
      };
      const onAbort = () => settle(new ClusterError('cancelled', 'aborted', 'ABORT_ERR', target));
      o.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => settle(timeoutError(target, o.timeoutMs, 'exec')), o.timeoutMs);
      this.exec
        .exec(namespace, pod, container, argv, out, err, null, false, (s) => {
          status = s as KubeStatus;
        })
        .then((socket) => {
          ws = socket as unknown as typeof ws;
          if (settled) return stop();
          const s = socket as unknown as { on(ev: string, fn: (...a: unknown[]) => void): void };
          s.on('close', () => settle());
          s.on('error', (e: unknown) =>
            settle(fromNetworkError(e as NodeJS.ErrnoException, this.conn.server, this.conn.spec.contextName, target)),
          );
        })
        .catch((e: unknown) => settle(mapUpgradeError(e, target, this.conn)));
    });
  }
}

/** The WebSocket upgrade failed: turn ws's "Unexpected server response: 403" into our one-liners. */
function mapUpgradeError(e: unknown, target: RequestTarget, conn: ResolvedConnection): ClusterError {
  const ev = e as { message?: string; error?: Error; code?: string };
  const inner = (ev.error ?? e) as NodeJS.ErrnoException;
  const msg = inner?.message ?? ev.message ?? String(e);
  const m = /Unexpected server response: (\d+)/.exec(msg);
  if (m) {
    const code = Number(m[1]);
    if (code === 403)
      return new ClusterError(
        `forbidden: cannot create pods/exec on pod "${target.name}" in namespace "${target.namespace}" (403; see deploy/rbac.yaml)`,
        'forbidden',
        403,
        target,
      );
    if (code === 401)
      return new ClusterError(
        `the API server rejected the credentials for exec (401 Unauthorized)`,
        'unauthorized',
        401,
        target,
      );
    if (code === 404)
      return new ClusterError(
        `pod "${target.name}" in namespace "${target.namespace}" not found for exec`,
        'not-found',
        404,
        target,
      );
    return new ClusterError(
      `exec into pod "${target.name}" failed: HTTP ${code}`,
      code >= 500 ? 'server' : 'other',
      code,
      target,
    );
  }
  if (inner?.code) return fromNetworkError(inner, conn.server, conn.spec.contextName, target);
  return new ClusterError(`exec into pod "${target.name}" failed: ${msg}`, 'other', undefined, target);
}
