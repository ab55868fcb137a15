/**
 * `pods/exec` over WebSocket with the Kubernetes channel protocols v4 and v5 (binary frames,
 * first byte = channel: 0 stdin, 1 stdout, 2 stderr, 3 status JSON, 4 resize; v5 adds 255 =
 * "close this channel"). The command really runs, with every absolute-path argument re-rooted
 * under the container's view (podfs.ts) and that prefix removed again from what it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, statSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import type { ContainerView } from './podfs.js';
import type { WsConnection } from './websocket.js';

export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'busybox']);

export interface ExecParams {
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export type ExecOutcome =
  | { kind: 'run'; view: ContainerView }
  | { kind: 'not-running'; container: string }
  | { kind: 'no-shell' }
  | { kind: 'hang' };

/** Replaces every occurrence of `prefix` in a byte stream, across chunk boundaries. */
class PrefixStripper {
  private pending = Buffer.alloc(0);
  private readonly prefix: Buffer;

  constructor(prefix: string) {
    this.prefix = Buffer.from(prefix);
  }

  push(chunk: Buffer): Buffer {
    let data = Buffer.concat([this.pending, chunk]);
    const parts: Buffer[] = [];
    for (let i = data.indexOf(this.prefix); i >= 0; i = data.indexOf(this.prefix)) {
      parts.push(data.subarray(0, i));
      data = data.subarray(i + this.prefix.length);
    }
    // keep back a tail that might be the start of the prefix
    let keep = Math.min(this.prefix.length - 1, data.length);
    while (keep > 0 && !this.prefix.subarray(0, keep).equals(data.subarray(data.length - keep))) keep--;
    parts.push(data.subarray(0, data.length - keep));
    this.pending = Buffer.from(data.subarray(data.length - keep));
    return Buffer.concat(parts);
  }

  flush(): Buffer {
    const p = this.pending;
    this.pending = Buffer.alloc(0);
    return p;
  }
}

const status = (s: object): Buffer => Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify(s))]);
const SUCCESS = { metadata: {}, status: 'Success' };

function exitStatus(argv: string[], code: number): object {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

function internalErrorStatus(message: string): object {
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  };
}

function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where argv[0] runs from, or the runtime's error text. */
function resolveCommand(name: string, view: ContainerView): { path: string } | { error: string } {
  if (name.includes('/')) {
    const inPod = join(view.root, posix.normalize(name.startsWith('/') ? name : `/${name}`));
    if (isExecutable(inPod)) return { path: inPod };
    // the image's own /bin, /usr/bin … are the machine's
    if (name.startsWith('/') && isExecutable(name)) return { path: name };
    return { error: `exec: "${name}": stat ${name}: no such file or directory` };
  }
  for (const dir of [view.bin, ...SYSTEM_PATH.split(':')])
    if (isExecutable(join(dir, name))) return { path: join(dir, name) };
  return { error: `exec: "${name}": executable file not found in $PATH` };
}

/** Re-roots absolute-path arguments (not a shell's `-c` script). */
function rewriteArgs(argv: string[], root: string): string[] {
  const shell = SHELLS.has(basename(argv[0] ?? ''));
  return argv.slice(1).map((a, i, rest) => {
    if (!a.startsWith('/')) return a;
    if (shell && i > 0 && rest[i - 1] === '-c') return a;
    return root + posix.normalize(a); // normalize('/..') is '/': arguments cannot climb out
  });
}

export interface ExecSession {
  /** kills the process (server shutdown) */
  kill(): void;
}

export interface ExecOptions {
  execFailure: 'exit-code' | 'internal-error';
  onExit?: (code: number | null) => void;
}

/** Runs one exec over an accepted WebSocket; the returned handle lets the server kill it. */
export function runExec(ws: WsConnection, p: ExecParams, outcome: ExecOutcome, o: ExecOptions): ExecSession {
  const v5 = ws.protocol === 'v5.channel.k8s.io';
  const finish = (s: object): void => {
    ws.send(status(s));
    ws.close(1000);
  };
  const send = (channel: number, data: Buffer): void => {
    if (data.length) ws.send(Buffer.concat([Buffer.from([channel]), data]));
  };
  const errChannel = p.tty ? 1 : 2;

  if (outcome.kind === 'hang') return { kill: () => ws.close(1001) };
  if (outcome.kind === 'not-running') {
    finish(internalErrorStatus(`unable to upgrade connection: container not found ("${outcome.container}")`));
    return { kill: () => undefined };
  }
  const argv = p.command;
  const notFound = (error: string): ExecSession => {
    const oci = `OCI runtime exec failed: exec failed: unable to start container process: ${error}: unknown`;
    if (o.execFailure === 'internal-error') {
      const id = createHash('sha256')
        .update(`${Date.now()}/${argv.join(' ')}`)
        .digest('hex');
      finish(
        internalErrorStatus(
          `error executing command in container: failed to exec in container: failed to start exec "${id}": ${oci}`,
        ),
      );
    } else {
      send(errChannel, Buffer.from(`${oci}\r\n`));
      finish(exitStatus(argv, 126));
    }
    return { kill: () => undefined };
  };
  if (!argv.length) {
    finish(
      internalErrorStatus(
        'error executing command in container: you must specify at least one command for the container',
      ),
    );
    return { kill: () => undefined };
  }
  if (outcome.kind === 'no-shell')
    return notFound(
      argv[0]!.includes('/')
        ? `exec: "${argv[0]}": stat ${argv[0]}: no such file or directory`
        : `exec: "${argv[0]}": executable file not found in $PATH`,
    );

  const view = outcome.view;
  const cmd = resolveCommand(argv[0]!, view);
  if ('error' in cmd) return notFound(cmd.error);

  const child: ChildProcess = spawn(cmd.path, rewriteArgs(argv, view.root), {
    cwd: view.root,
    env: { PATH: `${view.bin}:${SYSTEM_PATH}`, HOME: view.root, LC_ALL: 'C', TZ: 'UTC', HOSTNAME: 'fake' },
    stdio: ['pipe', 'pipe', 'pipe'],
    argv0: argv[0],
  });
  const strip = { 1: new PrefixStripper(view.root), 2: new PrefixStripper(view.root) };
  let open = 2;
  let exitCode: number | null | undefined;
  let signal: NodeJS.Signals | null = null;
  const done = (): void => {
    if (open > 0 || exitCode === undefined) return;
    send(1, strip[1].flush());
    send(errChannel, strip[2].flush());
    const code = exitCode ?? 128 + (signal === 'SIGKILL' ? 9 : 15);
    o.onExit?.(code);
    finish(code === 0 ? SUCCESS : exitStatus(argv, code));
  };
  child.stdout!.on('data', (d: Buffer) => p.stdout && send(1, strip[1].push(d)));
  child.stderr!.on('data', (d: Buffer) => p.stderr && send(errChannel, strip[2].push(d)));
  child.stdout!.on('end', () => {
    open--;
    done();
  });
  child.stderr!.on('end', () => {
    open--;
    done();
  });
  child.on('error', (e) => {
    exitCode = 126;
    send(errChannel, Buffer.from(`${e.message}\n`));
    done();
  });
  child.on('exit', (code, sig) => {
    exitCode = code;
    signal = sig;
    done();
  });
  child.stdin!.on('error', () => undefined); // the command may exit before reading stdin
  if (!p.stdin) child.stdin!.end();
  ws.on('message', (data) => {
    if (!data.length) return;
    const ch = data[0];
    if (ch === 0 && p.stdin) child.stdin!.write(data.subarray(1));
    else if (ch === 255 && v5 && data[1] === 0) child.stdin!.end();
  });
  ws.on('close', () => {
    if (exitCode === undefined) child.kill('SIGKILL');
  });
  return { kill: () => child.kill('SIGKILL') };
}
