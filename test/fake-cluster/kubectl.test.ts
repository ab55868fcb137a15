/**
 * Proof that the fake speaks the real protocol: the machine's kubectl (client-go, WebSocket v5
 * exec) against it. Skipped with a message when kubectl is not installed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SCENARIOS, startFakeCluster, type FakeCluster } from './index.js';
import { KUBECTL, kubectl, scratchHome } from './testkit.js';

const NAD_AND_SERVICE = (dir: string): string => join(dir, 'dry-run.yaml');

describe.skipIf(!KUBECTL)(`real kubectl (${KUBECTL ?? 'not installed: skipped'}) against the fake cluster`, () => {
  let healthy: FakeCluster;
  let distroless: FakeCluster;
  let k3s: FakeCluster;
  let home: ReturnType<typeof scratchHome>;

  beforeAll(async () => {
    home = scratchHome();
    [healthy, distroless, k3s] = await Promise.all([
      startFakeCluster(join(SCENARIOS, 'kubeadm-healthy-thin.yaml')),
      startFakeCluster(join(SCENARIOS, 'distroless-forbidden.yaml')),
      startFakeCluster(join(SCENARIOS, 'k3s-upstream-thin.yaml')),
    ]);
  });
  afterAll(async () => {
    await Promise.all([healthy?.close(), distroless?.close(), k3s?.close()]);
    home?.cleanup();
  });

  it('get nodes prints the server-side table', async () => {
    const r = await kubectl(healthy, home.dir, ['get', 'nodes']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'cp-1 Ready control-plane',
      'worker-1 Ready <none>',
      'worker-2 Ready <none>',
    ]);
    expect(lines[1]).toMatch(/v1\.32\.2$/);
  });

  it('get pods -A -o json pages with --chunk-size and returns every pod', async () => {
    healthy.resetStats();
    const r = await kubectl(healthy, home.dir, ['get', 'pods', '-A', '-o', 'json', '--chunk-size=2']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    const names = list.items.map(
      (p: { metadata: { namespace: string; name: string } }) => `${p.metadata.namespace}/${p.metadata.name}`,
    );
    // 3 multus + 3 flannel DaemonSet pods and net-demo
    expect(names).toHaveLength(7);
    expect(new Set(names).size).toBe(7);
    expect(names).toContain('default/net-demo');
    expect(names).toContain('kube-system/kube-multus-ds-b9qzl');
    expect(healthy.stats().byResource['list pods']).toBe(4); // ceil(7 / 2) pages
  });

  it('get network-attachment-definitions -A finds the NAD through CRD discovery', async () => {
    const r = await kubectl(healthy, home.dir, ['get', 'network-attachment-definitions', '-A']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^NAMESPACE\s+NAME\s+AGE\n/);
    expect(r.stdout).toMatch(/\ndefault\s+macvlan-lan\s+\d+s\n/);
    const short = await kubectl(healthy, home.dir, [
      'get',
      'net-attach-def',
      'macvlan-lan',
      '-o',
      'jsonpath={.spec.config}',
    ]);
    expect(JSON.parse(short.stdout)).toMatchObject({ type: 'macvlan', master: 'eth1' });
  });

  it('exec cat prints the host file the multus pod mounts, byte for byte', async () => {
    const r = await kubectl(healthy, home.dir, [
      '-n',
      'kube-system',
      'exec',
      'kube-multus-ds-b9qzl',
      '-c',
      'kube-multus',
      '--',
      'cat',
      '/host/etc/cni/net.d/10-flannel.conflist',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      name: 'cbr0',
      cniVersion: '0.3.1',
      plugins: [
        { type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    });
  });

  it('exec ls -la lists real modes and sizes, and fails like ls on an unmounted path', async () => {
    const r = await kubectl(healthy, home.dir, [
      '-n',
      'kube-system',
      'exec',
      'kube-multus-ds-b9qzl',
      '-c',
      'kube-multus',
      '--',
      'ls',
      '-la',
      '/host/opt/cni/bin',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\/?.*total \d+/m);
    expect(r.stdout).toMatch(/^-rwxr-xr-x 1 \S+ \S+ 57129534 Jan {2}1 {2}2025 multus$/m);
    expect(r.stdout).toMatch(/^-rwxr-xr-x 1 \S+ \S+ +2748960 Jan {2}1 {2}2025 macvlan$/m);
    const conf = await kubectl(healthy, home.dir, [
      '-n',
      'kube-system',
      'exec',
      'kube-multus-ds-b9qzl',
      '-c',
      'kube-multus',
      '--',
      'ls',
      '-la',
      '/host/etc/cni/net.d',
    ]);
    expect(conf.stdout).toMatch(/^-rw------- 1 \S+ \S+ +\d+ Jan {2}1 {2}2025 00-multus\.conf$/m);
    expect(conf.stdout).toMatch(/^drwxr-xr-x \d+ \S+ \S+ +\d+ Jan {2}1 {2}2025 multus\.d$/m);
    // the thin DaemonSet does not mount /opt/cni/bin at its own path
    const missing = await kubectl(healthy, home.dir, [
      '-n',
      'kube-system',
      'exec',
      'kube-multus-ds-b9qzl',
      '-c',
      'kube-multus',
      '--',
      'ls',
      '/opt/cni/bin',
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("ls: cannot access '/opt/cni/bin': No such file or directory");
    expect(missing.stderr).toContain('command terminated with exit code 2');
  });

  it('exec into a distroless image fails like the runtime (exit 126)', async () => {
    const r = await kubectl(distroless, home.dir, [
      '-n',
      'kube-system',
      'exec',
      'kube-multus-ds-d1str',
      '-c',
      'kube-multus',
      '--',
      'sh',
      '-c',
      'ls',
    ]);
    expect(r.code).toBe(126);
    expect(r.stderr).toContain(
      'OCI runtime exec failed: exec failed: unable to start container process: exec: "sh": executable file not found in $PATH: unknown',
    );
    expect(r.stderr).toContain('command terminated with exit code 126');
  });

  it('exec into a crash-looping multus container fails with "container not found"', async () => {
    const r = await kubectl(k3s, home.dir, [
      '-n',
      'kube-system',
      'exec',
      'kube-multus-ds-jcndw',
      '-c',
      'kube-multus',
      '--',
      'ls',
      '/host/etc/cni/net.d',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: Internal error occurred: unable to upgrade connection: container not found ("kube-multus")',
    );
  });

  it('logs: current and --previous of the crash-looping thin entrypoint', async () => {
    const cur = await kubectl(k3s, home.dir, ['-n', 'kube-system', 'logs', 'kube-multus-ds-jcndw', '--all-containers']);
    // kubectl fetches the containers' logs concurrently: each block is whole, their order is not fixed
    const multus =
      'failed to create multus config: cannot find valid master CNI config in "/host/etc/cni/net.d"\nkubeconfig is created in /host/etc/cni/net.d/multus.d/multus.kubeconfig\nkubeconfig file is created.\n';
    const init = 'multus multus copy succeeded!\n';
    expect([init + multus, multus + init]).toContain(cur.stdout);
    const prev = await kubectl(k3s, home.dir, [
      '-n',
      'kube-system',
      'logs',
      'kube-multus-ds-jcndw',
      '-c',
      'install-multus-binary',
      '--previous',
    ]);
    expect(prev.code).toBe(1);
    expect(prev.stderr).toContain(
      'previous terminated container "install-multus-binary" in pod "kube-multus-ds-jcndw" not found',
    );
  });

  it('create --dry-run=server validates on the server and stores nothing', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      NAD_AND_SERVICE(home.dir),
      [
        'apiVersion: k8s.cni.cncf.io/v1',
        'kind: NetworkAttachmentDefinition',
        'metadata: {name: ipvlan-test, namespace: default}',
        `spec: {config: '{"cniVersion":"0.3.1","type":"ipvlan","master":"eth1","ipam":{"type":"static"}}'}`,
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: {name: cidr-probe, namespace: default}',
        'spec: {clusterIP: 1.1.1.1, ports: [{port: 80}]}',
      ].join('\n'),
    );
    const r = await kubectl(k3s, home.dir, ['create', '--dry-run=server', '-f', NAD_AND_SERVICE(home.dir)]);
    expect(r.stdout).toBe('networkattachmentdefinition.k8s.cni.cncf.io/ipvlan-test created (server dry run)\n');
    expect(r.stderr).toBe(
      'The Service "cidr-probe" is invalid: spec.clusterIPs: Invalid value: []string{"1.1.1.1"}: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.43.0.0/16\n',
    );
    expect(r.code).toBe(1);
    const after = await kubectl(k3s, home.dir, ['get', 'nad', '-A', '-o', 'name']);
    expect(after.stdout).toBe('networkattachmentdefinition.k8s.cni.cncf.io/macvlan-lan\n');
  });

  it('a 403 fault shows kubectl the real Forbidden message', async () => {
    const r = await kubectl(distroless, home.dir, ['-n', 'kube-system', 'get', 'pods'], { context: 'viewer' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'Error from server (Forbidden): pods is forbidden: User "viewer" cannot list resource "pods" in API group "" in the namespace "kube-system"\n',
    );
    const ok = await kubectl(distroless, home.dir, ['-n', 'default', 'get', 'pods', '-o', 'name'], {
      context: 'viewer',
    });
    expect(ok.stdout).toBe('pod/net-pending\n');
    const exec = await kubectl(distroless, home.dir, ['-n', 'default', 'exec', 'net-pending', '--', 'true'], {
      context: 'viewer',
    });
    expect(exec.stderr).toContain(
      'pods "net-pending" is forbidden: User "viewer" cannot create resource "pods/exec" in API group "" in the namespace "default"',
    );
    const can = await kubectl(distroless, home.dir, ['auth', 'can-i', 'list', 'pods', '-n', 'kube-system'], {
      context: 'viewer',
    });
    expect(can.stdout.trim()).toBe('no');
  });

  it('authenticates both with the client certificate and with the bearer token', async () => {
    const cert = await kubectl(
      healthy,
      home.dir,
      ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username} {.status.userInfo.groups}'],
      { context: 'admin' },
    );
    expect(cert.stdout).toBe('admin ["system:masters","system:authenticated"]');
    const token = await kubectl(healthy, home.dir, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], {
      context: 'admin-token',
    });
    expect(token.stdout).toBe('admin');
    const viewer = await kubectl(
      distroless,
      home.dir,
      ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'],
      { context: 'viewer' },
    );
    expect(viewer.stdout).toBe('viewer');
  });
});
