/**
 * pods/exec over WebSocket: the v4 protocol with a raw `ws` client (channel bytes and status
 * frames as sent), v5 stdin close, @kubernetes/client-node's Exec class (v5, and v4 when that is
 * all the client offers), the filesystem a container sees, `ip` emulation, and exec faults.
 */
import { Exec, KubeConfig } from '@kubernetes/client-node';
// not re-exported by the package index; its socket factory lets the test offer only v4
import { WebSocketHandler } from '@kubernetes/client-node/dist/web-socket-handler.js';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS, startFakeCluster, type FakeCluster } from './index.js';
import { api } from './testkit.js';

// `ws` ships with @kubernetes/client-node (a runtime dependency); it has no bundled types.
interface RawWs {
  protocol: string;
  on(ev: 'open', fn: () => void): void;
  on(ev: 'message', fn: (data: Buffer) => void): void;
  on(ev: 'close', fn: (code: number) => void): void;
  on(ev: 'error', fn: (e: Error) => void): void;
  on(ev: 'unexpected-response', fn: (req: unknown, res: { statusCode: number }) => void): void;
  send(data: Buffer): void;
  close(): void;
}
type WsCtor = new (url: string, protocols: string[], opts: object) => RawWs;
const WebSocket = createRequire(import.meta.url)('ws') as WsCtor;

interface Frames {
  protocol: string;
  byChannel: Map<number, Buffer[]>;
  closeCode: number;
}

function text(f: Frames, ch: number): string {
  return Buffer.concat(f.byChannel.get(ch) ?? []).toString('utf8');
}

function query(command: string[], extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ stdout: 'true', stderr: 'true', ...extra });
  for (const c of command) q.append('command', c);
  return q.toString();
}

/** Opens an exec WebSocket, optionally sends frames once open, and collects frames until close. */
function rawExec(
  fc: FakeCluster,
  ns: string,
  pod: string,
  container: string,
  command: string[],
  o: { protocols?: string[]; stdin?: Buffer[]; extra?: Record<string, string> } = {},
): Promise<Frames> {
  const cert = fc.clientCert('admin');
  const url = `${fc.url.replace('https', 'wss')}/api/v1/namespaces/${ns}/pods/${pod}/exec?${query(command, { container, ...o.extra })}`;
  const ws = new WebSocket(url, o.protocols ?? ['v4.channel.k8s.io'], {
    ca: fc.caPem,
    cert: cert.certPem,
    key: cert.keyPem,
  });
  const byChannel = new Map<number, Buffer[]>();
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('open', () => {
      for (const f of o.stdin ?? []) ws.send(f);
    });
    ws.on('message', (d: Buffer) => {
      const ch = d[0]!;
      byChannel.set(ch, [...(byChannel.get(ch) ?? []), d.subarray(1)]);
    });
    ws.on('close', (code) => resolve({ protocol: ws.protocol, byChannel, closeCode: code }));
  });
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(c: Buffer, _e, cb) {
      chunks.push(c);
      cb();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

function kubeConfig(fc: FakeCluster): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(fc.kubeconfig());
  return kc;
}

/** Runs a command through client-node's Exec; resolves with output and the status object. */
function clientNodeExec(
  exec: Exec,
  ns: string,
  pod: string,
  container: string,
  cmd: string[],
): Promise<{ out: string; err: string; status: any; protocol: string }> {
  const out = sink();
  const err = sink();
  return new Promise((resolve, reject) => {
    let protocol = '';
    exec
      .exec(ns, pod, container, cmd, out.stream, err.stream, null, false, (status) => {
        // the status frame arrives last; let the socket finish closing
        setImmediate(() => resolve({ out: out.text(), err: err.text(), status, protocol }));
      })
      .then((ws) => {
        protocol = ws.protocol;
      })
      .catch(reject);
  });
}

describe('exec over WebSocket', () => {
  let healthy: FakeCluster;
  let k3s: FakeCluster;
  let distroless: FakeCluster;
  const MULTUS = 'kube-multus-ds-b9qzl';

  beforeAll(async () => {
    [healthy, k3s, distroless] = await Promise.all([
      startFakeCluster(join(SCENARIOS, 'kubeadm-healthy-thin.yaml')),
      startFakeCluster(join(SCENARIOS, 'k3s-upstream-thin.yaml')),
      startFakeCluster(join(SCENARIOS, 'distroless-forbidden.yaml')),
    ]);
  });
  afterAll(async () => {
    await Promise.all([healthy?.close(), k3s?.close(), distroless?.close()]);
  });

  it('v4: stdout on channel 1, then the Success status on channel 3, then close', async () => {
    const f = await rawExec(healthy, 'kube-system', MULTUS, 'kube-multus', [
      'cat',
      '/host/etc/cni/net.d/multus.d/multus.kubeconfig',
    ]);
    expect(f.protocol).toBe('v4.channel.k8s.io');
    expect(text(f, 1)).toContain('token: fake-serviceaccount-token-for-redaction-tests\n');
    expect(text(f, 1).startsWith('# Kubeconfig file for Multus CNI plugin.\n')).toBe(true);
    expect(text(f, 3)).toBe('{"metadata":{},"status":"Success"}');
    expect(f.closeCode).toBe(1000);
  });

  it('v4: stderr on channel 2 and a Failure status carrying the exit code', async () => {
    const f = await rawExec(healthy, 'kube-system', MULTUS, 'kube-multus', ['sh', '-c', 'echo oops >&2; exit 3']);
    expect(text(f, 2)).toBe('oops\n');
    expect(JSON.parse(text(f, 3))).toEqual({
      metadata: {},
      status: 'Failure',
      message:
        'command terminated with non-zero exit code: error executing command [sh -c echo oops >&2; exit 3], exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('v4: stdin frames on channel 0 reach the process', async () => {
    const f = await rawExec(healthy, 'kube-system', MULTUS, 'kube-multus', ['head', '-c', '5'], {
      extra: { stdin: 'true' },
      stdin: [Buffer.from('\u0000hello world')],
    });
    expect(text(f, 1)).toBe('hello');
    expect(text(f, 3)).toBe('{"metadata":{},"status":"Success"}');
  });

  it('v5: the close frame (255, 0) ends stdin', async () => {
    const f = await rawExec(healthy, 'kube-system', MULTUS, 'kube-multus', ['cat'], {
      protocols: ['v5.channel.k8s.io', 'v4.channel.k8s.io'],
      extra: { stdin: 'true' },
      stdin: [Buffer.from('\u0000line one\n'), Buffer.from([255, 0])],
    });
    expect(f.protocol).toBe('v5.channel.k8s.io');
    expect(text(f, 1)).toBe('line one\n');
    expect(text(f, 3)).toBe('{"metadata":{},"status":"Success"}');
  });

  it('client-node Exec (v5): sh -c SCRIPT -- PATHS reads a configMap volume and a hostPath file', async () => {
    const r = await clientNodeExec(new Exec(kubeConfig(healthy)), 'kube-system', MULTUS, 'kube-multus', [
      'sh',
      '-c',
      'for p; do echo "== $p"; head -n 2 "$p"; done',
      '--',
      '/tmp/multus-conf/70-multus.conf',
      '/host/etc/cni/net.d/10-flannel.conflist',
    ]);
    expect(r.protocol).toBe('v5.channel.k8s.io');
    expect(r.out).toBe(
      '== /tmp/multus-conf/70-multus.conf\n{\n  "name": "multus-cni-network",\n== /host/etc/cni/net.d/10-flannel.conflist\n{\n  "name": "cbr0",\n',
    );
    expect(r.status).toEqual({ metadata: {}, status: 'Success' });
  });

  it('client-node Exec over v4 when only v4 is offered: exit code in the status', async () => {
    const kc = kubeConfig(healthy);
    const v4only = new WebSocketHandler(
      kc,
      (uri: string, _protocols: string[], opts: object) => new WebSocket(uri, ['v4.channel.k8s.io'], opts) as never,
    );
    const r = await clientNodeExec(new Exec(kc, v4only), 'kube-system', MULTUS, 'kube-multus', [
      'ls',
      '/host/opt/cni/bin/macvlan',
      '/host/opt/cni/bin/nonexistent',
    ]);
    expect(r.protocol).toBe('v4.channel.k8s.io');
    expect(r.out).toBe('/host/opt/cni/bin/macvlan\n');
    expect(r.err).toBe("ls: cannot access '/host/opt/cni/bin/nonexistent': No such file or directory\n");
    expect(r.status.status).toBe('Failure');
    expect(r.status.details.causes).toEqual([{ reason: 'ExitCode', message: '2' }]);
  });

  it('hostNetwork pods see the node interfaces through ip and /sys/class/net', async () => {
    const j = await rawExec(healthy, 'kube-system', MULTUS, 'kube-multus', ['ip', '-j', 'addr']);
    const addrs = JSON.parse(text(j, 1));
    expect(addrs.map((i: { ifname: string }) => i.ifname)).toEqual([
      'lo',
      'eth0',
      'eth1',
      'flannel.1',
      'cni0',
      'veth3a1f9c2e',
    ]);
    expect(addrs[2]).toMatchObject({ ifname: 'eth1', mtu: 1500, address: '52:54:00:4d:00:0c', operstate: 'UP' });
    expect(addrs[2].addr_info[0]).toMatchObject({
      family: 'inet',
      local: '192.168.77.12',
      prefixlen: 24,
      broadcast: '192.168.77.255',
    });
    const sys = await rawExec(healthy, 'kube-system', MULTUS, 'kube-multus', [
      'sh',
      '-c',
      'for f; do printf "%s=" "$f"; cat "$f"; done',
      '--',
      '/sys/class/net/eth1/mtu',
      '/sys/class/net/eth1/type',
      '/sys/class/net/flannel.1/operstate',
    ]);
    expect(text(sys, 1)).toBe(
      '/sys/class/net/eth1/mtu=1500\n/sys/class/net/eth1/type=1\n/sys/class/net/flannel.1/operstate=unknown\n',
    );
    const link = await rawExec(healthy, 'kube-system', MULTUS, 'kube-multus', ['sh', '-c', 'ip -o link show dev eth9']);
    expect(text(link, 2)).toBe('Device "eth9" does not exist.\n');
  });

  it('a pod that is not hostNetwork sees its own interfaces', async () => {
    const f = await rawExec(healthy, 'default', 'net-demo', 'c', ['ip', '-o', 'addr']);
    expect(text(f, 1)).toContain(
      '3: net1    inet 192.168.77.100/24 brd 192.168.77.255 scope global net1\\       valid_lft forever preferred_lft forever\n',
    );
  });

  it('absolute symlinks resolve inside the container, as in its mount namespace', async () => {
    const created: string[] = [];
    for (const [name, mountPath, hostPath] of [
      ['inspect-root', '/host', '/'],
      ['inspect-same', '/var/lib/rancher/k3s/data', '/var/lib/rancher/k3s/data'],
    ] as const) {
      const r = await api(k3s, 'POST', '/api/v1/namespaces/kube-system/pods', {
        body: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'kubectl-multus' } },
          spec: {
            nodeName: 'k3s-agent-1',
            hostNetwork: true,
            containers: [{ name: 'c', image: 'busybox', volumeMounts: [{ name: 'h', mountPath, readOnly: true }] }],
            volumes: [{ name: 'h', hostPath: { path: hostPath } }],
          },
        },
      });
      expect(r.status).toBe(201);
      created.push(name);
    }
    const script = 'for f; do if [ -e "$f" ]; then s=resolves; else s=dangling; fi; echo "$s $(readlink "$f")"; done';
    const viaHost = await rawExec(k3s, 'kube-system', 'inspect-root', 'c', [
      'sh',
      '-c',
      script,
      '--',
      '/host/var/lib/rancher/k3s/data/cni/flannel',
    ]);
    const target = '/var/lib/rancher/k3s/data/3d8f2a0e0c7b9d5e4f1a6b2c8d7e9f0a1b2c3d4e5f60718293a4b5c6d7e8f901/bin/cni';
    expect(text(viaHost, 1)).toBe(`dangling ${target}\n`);
    const samePath = await rawExec(k3s, 'kube-system', 'inspect-same', 'c', [
      'sh',
      '-c',
      script,
      '--',
      '/var/lib/rancher/k3s/data/cni/flannel',
    ]);
    expect(text(samePath, 1)).toBe(`resolves ${target}\n`);
    // the kubelet created the missing hostPath /etc/cni/net.d on K3s; multus wrote only its kubeconfig
    const ls = await rawExec(k3s, 'kube-system', 'inspect-root', 'c', [
      'ls',
      '-A',
      '/host/etc/cni/net.d',
      '/host/var/lib/rancher/k3s/agent/etc/cni/net.d',
    ]);
    expect(text(ls, 1)).toBe(
      '/host/etc/cni/net.d:\nmultus.d\n\n/host/var/lib/rancher/k3s/agent/etc/cni/net.d:\n10-flannel.conflist\n',
    );
    for (const name of created)
      expect((await api(k3s, 'DELETE', `/api/v1/namespaces/kube-system/pods/${name}`)).status).toBe(200);
  });

  it('a hanging exec sends nothing until the client gives up, and is counted', async () => {
    distroless.resetStats();
    const cert = distroless.clientCert('admin');
    const ws = new WebSocket(
      `${distroless.url.replace('https', 'wss')}/api/v1/namespaces/kube-system/pods/kube-multus-ds-hang2/exec?${query(['ls'], { container: 'kube-multus' })}`,
      ['v4.channel.k8s.io'],
      {
        ca: distroless.caPem,
        cert: cert.certPem,
        key: cert.keyPem,
      },
    );
    const got: Buffer[] = [];
    ws.on('message', (d) => got.push(d));
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => resolve());
      ws.on('error', reject);
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toEqual([]);
    const closed = new Promise<void>((r) => ws.on('close', () => r()));
    ws.close();
    await closed;
    expect(distroless.stats().exec).toEqual({ total: 1, byPod: { 'kube-system/kube-multus-ds-hang2': 1 } });
  });

  it('containerd-style failure for a missing executable when the scenario asks for it', async () => {
    const fc = await startFakeCluster({
      name: 'internal-error',
      cluster: { execFailure: 'internal-error' },
      nodes: { n1: {} },
      images: [{ image: 'gcr.io/distroless/*', shell: false }],
      objects: [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'd', namespace: 'default' },
          spec: { containers: [{ name: 'c', image: 'gcr.io/distroless/base-debian12' }] },
        },
      ],
    });
    try {
      const f = await rawExec(fc, 'default', 'd', 'c', ['cat', '/etc/os-release']);
      const st = JSON.parse(text(f, 3));
      expect(st.reason).toBe('InternalError');
      expect(st.code).toBe(500);
      expect(st.message).toMatch(
        /^Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "cat": executable file not found in \$PATH: unknown$/,
      );
    } finally {
      await fc.close();
    }
  });

  it('refuses exec of a pod that does not exist with a NotFound status (no upgrade)', async () => {
    await expect(rawExec(healthy, 'default', 'nope', 'c', ['true'])).rejects.toThrow('HTTP 404');
  });
});
