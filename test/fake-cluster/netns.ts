/**
 * Real Linux networking for the fake kubelet and the tests that drive it: network namespaces,
 * veth pairs, and CNI plugin invocations (the CNI spec's environment + stdin protocol), all with
 * argv arrays (no shell) and all asynchronous (the fake API server shares this process).
 * Everything here acts only inside namespaces the caller names; nothing touches the host's own
 * interfaces.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';

export interface CmdResult {
  code: number;
  stdout: string;
  stderr: string;
}

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const DEFAULT_CNI_PATH = ['/usr/lib/cni', '/opt/cni/bin'];

/** First executable of that name on the system PATH. */
export function which(name: string): string | undefined {
  for (const dir of SYSTEM_PATH.split(':')) {
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

function run(
  file: string,
  args: string[],
  o: { input?: string; env?: Record<string, string> } = {},
): Promise<CmdResult> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env: { PATH: SYSTEM_PATH, ...o.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e) => resolve({ code: 127, stdout, stderr: stderr + e.message }));
    child.on('close', (code) => resolve({ code: code ?? 128, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.input ?? '');
  });
}

function ipBin(): string {
  const p = which('ip');
  if (!p) throw new Error('iproute2 `ip` is not installed');
  return p;
}

/** `ip ARGS`, throwing with its stderr when it fails. */
export async function ip(args: string[]): Promise<string> {
  const r = await run(ipBin(), args);
  if (r.code !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim() || `exit ${r.code}`}`);
  return r.stdout;
}

const netnsPath = (name: string): string => `/var/run/netns/${name}`;

export async function addNetns(name: string): Promise<void> {
  await ip(['netns', 'add', name]);
  await ip(['-n', name, 'link', 'set', 'lo', 'up']);
}

export async function delNetns(name: string): Promise<void> {
  if (existsSync(netnsPath(name))) await run(ipBin(), ['netns', 'del', name]);
}

/** A veth pair between two namespaces, both ends up: the test's "LAN" cable. */
export async function vethPair(a: { netns: string; name: string }, b: { netns: string; name: string }): Promise<void> {
  await ip(['link', 'add', a.name, 'netns', a.netns, 'type', 'veth', 'peer', 'name', b.name, 'netns', b.netns]);
  await ip(['-n', a.netns, 'link', 'set', a.name, 'up']);
  await ip(['-n', b.netns, 'link', 'set', b.name, 'up']);
}

/** A command inside a namespace (tests: firewall rules in a pod's namespace). */
export function inNetns(netns: string, file: string, args: string[]): Promise<CmdResult> {
  return run(ipBin(), ['netns', 'exec', netns, file, ...args]);
}

/**
 * Can this machine run the real-networking tests? Root, Linux, `ip`, `ping`, the CNI plugins,
 * and a network namespace that can actually be created (containers may forbid it).
 */
export async function realNetworking(
  cniPath: string[] = DEFAULT_CNI_PATH,
): Promise<{ ok: true; cniDir: string } | { ok: false; reason: string }> {
  if (process.platform !== 'linux') return { ok: false, reason: 'not Linux' };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not running as root (network namespaces need it)' };
  if (!which('ip')) return { ok: false, reason: 'iproute2 is not installed' };
  if (!which('ping')) return { ok: false, reason: 'ping (iputils-ping) is not installed' };
  const cniDir = cniPath.find(
    (d) => existsSync(join(d, 'macvlan')) && existsSync(join(d, 'host-local')) && existsSync(join(d, 'static')),
  );
  if (!cniDir)
    return { ok: false, reason: `the CNI plugins (containernetworking-plugins) are not in ${cniPath.join(' or ')}` };
  const probe = `kmpcheck${process.pid}`;
  try {
    await addNetns(probe);
  } catch (e) {
    return { ok: false, reason: `cannot create a network namespace: ${(e as Error).message}` };
  } finally {
    await delNetns(probe).catch(() => undefined);
  }
  return { ok: true, cniDir };
}

// ---- CNI ----

export interface CniCall {
  command: 'ADD' | 'DEL';
  containerId: string;
  /** Network namespace name of the pod (CNI_NETNS is its /var/run/netns path). */
  podNetns: string;
  ifname: string;
  /** CNI_ARGS: `K=V;K=V`. */
  args: string;
  cniPath: string[];
  /** The plugin's config, as the runtime would pass it on stdin. */
  config: Record<string, unknown>;
  /** Namespace the plugin process runs in: the "node" (where it finds the master interface). */
  runIn: string;
}

export type CniOutcome = { ok: true; result: Record<string, unknown> } | { ok: false; error: string };

/** Run one plugin as libcni does, with libcni's error wording. */
export async function execPlugin(call: CniCall): Promise<CniOutcome> {
  const type = String(call.config['type'] ?? '');
  const bin = call.cniPath.map((d) => join(d, type)).find((p) => type && !type.includes('/') && existsSync(p));
  if (!bin) return { ok: false, error: `failed to find plugin "${type}" in path [${call.cniPath.join(' ')}]` };
  const r = await run(ipBin(), ['netns', 'exec', call.runIn, bin], {
    input: JSON.stringify(call.config),
    env: {
      CNI_COMMAND: call.command,
      CNI_CONTAINERID: call.containerId,
      CNI_NETNS: netnsPath(call.podNetns),
      CNI_IFNAME: call.ifname,
      CNI_ARGS: call.args,
      CNI_PATH: call.cniPath.join(':'),
    },
  });
  if (r.code === 0) {
    if (call.command === 'DEL' || r.stdout.trim() === '') return { ok: true, result: {} };
    try {
      return { ok: true, result: JSON.parse(r.stdout) as Record<string, unknown> };
    } catch {
      return { ok: false, error: `netplugin failed: ${JSON.stringify(r.stdout)}` };
    }
  }
  try {
    const e = JSON.parse(r.stdout) as { msg?: string; details?: string };
    if (e.msg) return { ok: false, error: e.details ? `${e.msg}; ${e.details}` : e.msg };
  } catch {
    /* not a CNI error object */
  }
  const text = (r.stdout || r.stderr).trim();
  return {
    ok: false,
    error: text
      ? `netplugin failed: ${JSON.stringify(text)}`
      : `netplugin failed with no error message: exit status ${r.code}`,
  };
}
