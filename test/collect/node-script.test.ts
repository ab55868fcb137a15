/**
 * The node script, run for real by /bin/sh (and bash in POSIX mode when present) against a temp
 * directory tree laid out like a node, then parsed back into a NodeInspection keyed by host paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { nodeScriptArgv } from '../../src/collect/node-script.js';
import { planForInspector, planForMultusPod, wantedPaths, type NodePlan } from '../../src/collect/node-plan.js';
import { parseNodeOutput } from '../../src/collect/node-output.js';
import { multus } from '../helpers/snapshot.js';

let tmp: string;
let hostRoot: string; // stands for the inspector pod's /host

function put(path: string, content: string | Buffer, mode = 0o644): void {
  const p = join(hostRoot, path);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
  chmodSync(p, mode);
}
function link(path: string, target: string): void {
  const p = join(hostRoot, path);
  mkdirSync(dirname(p), { recursive: true });
  symlinkSync(target, p);
}

function jwt(claims: object): string {
  const b = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b({ alg: 'RS256', kid: 'k' })}.${b(claims)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
}
const TOKEN = jwt({
  iss: 'kubernetes/serviceaccount',
  exp: 1767225600,
  iat: 1735689600,
  sub: 'system:serviceaccount:kube-system:multus',
});

/** Relocate a plan's container paths under the temp dir (what a pod's mounts do for real). */
function relocate(plan: NodePlan, prefix: string): NodePlan {
  return {
    ...plan,
    root: plan.root ? prefix + plan.root : '',
    ops: plan.ops.map((o) => ({ ...o, path: o.op === 'I' ? '-' : prefix + o.path })),
  };
}

function run(shell: string[], plan: NodePlan, cap = 1 << 20, env: NodeJS.ProcessEnv = process.env): string {
  const argv = nodeScriptArgv(plan.root, cap, plan.ops);
  const r = spawnSync(shell[0]!, [...shell.slice(1), ...argv.slice(1)], { encoding: 'utf8', env });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

const SHELLS: string[][] = [
  ['/bin/sh'],
  ...(existsSync('/bin/bash') ? [['/bin/bash', '--posix']] : []),
  ...(existsSync('/bin/busybox') ? [['/bin/busybox', 'sh']] : []),
];

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'kmi-script-'));
  hostRoot = join(tmp, 'host');
  // K3s node: conf dir, stable bin dir with absolute symlinks into the versioned dir (one resolves, one not)
  put(
    '/var/lib/rancher/k3s/agent/etc/cni/net.d/10-flannel.conflist',
    '{"cniVersion":"1.0.0","name":"cbr0","plugins":[{"type":"flannel"}]}\n',
  );
  put('/var/lib/rancher/k3s/agent/etc/cni/net.d/00-multus.conf.cilium_bak', '{"type":"multus"}\n');
  put('/var/lib/rancher/k3s/agent/etc/cni/net.d/notes.txt', 'not a CNI config\n');
  put(
    '/var/lib/rancher/k3s/agent/etc/cni/net.d/multus.d/multus.kubeconfig',
    `apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: LS0tLS1CRUdJTi1GQUtF\n    server: https://10.43.0.1:443\n  name: local\nusers:\n- name: multus\n  user:\n    token: ${TOKEN}\n`,
  );
  put('/var/lib/rancher/k3s/data/abc123/bin/cni', Buffer.alloc(64), 0o755);
  link('/var/lib/rancher/k3s/data/cni/flannel', '/var/lib/rancher/k3s/data/abc123/bin/cni');
  link('/var/lib/rancher/k3s/data/cni/bridge', '/var/lib/rancher/k3s/data/old999/bin/cni');
  link('/var/lib/rancher/k3s/data/cni/host-local', 'flannel');
  put('/var/lib/rancher/k3s/data/cni/macvlan', Buffer.alloc(128), 0o755);
  put('/var/lib/rancher/k3s/data/cni/README', 'plain file\n', 0o644);
  put('/var/lib/rancher/k3s/data/cni/with space', Buffer.alloc(3), 0o755);
  put(
    '/var/lib/rancher/k3s/agent/etc/containerd/config.toml',
    '[plugins."io.containerd.grpc.v1.cri".cni]\n  bin_dir = "/var/lib/rancher/k3s/data/cni"\n  conf_dir = "/var/lib/rancher/k3s/agent/etc/cni/net.d"\n',
  );
  put('/run/flannel/subnet.env', 'FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_SUBNET=10.42.0.1/24\n');
  put('/run/multus/multus.sock', '');
  // sysfs as the inspector (hostNetwork) sees it
  const net = join(tmp, 'sys/class/net');
  for (const [name, files, dirs] of [
    [
      'eth0',
      { operstate: 'up', mtu: '1500', address: '52:54:00:aa:bb:cc', type: '1', uevent: 'INTERFACE=eth0\nIFINDEX=2\n' },
      [],
    ],
    [
      'wlan0',
      {
        operstate: 'down',
        mtu: '1500',
        address: '3c:22:fb:00:00:01',
        type: '1',
        uevent: 'DEVTYPE=wlan\nINTERFACE=wlan0\n',
      },
      ['phy80211'],
    ],
    [
      'cni0',
      { operstate: 'up', mtu: '1450', address: '0a:58:0a:2a:00:01', type: '1', uevent: 'DEVTYPE=bridge\n' },
      ['bridge'],
    ],
    ['lo', { operstate: 'unknown', mtu: '65536', address: '00:00:00:00:00:00', type: '772' }, []],
  ] as Array<[string, Record<string, string>, string[]]>) {
    mkdirSync(join(net, name), { recursive: true });
    for (const [f, c] of Object.entries(files)) writeFileSync(join(net, name, f), `${c}\n`);
    for (const d of dirs) mkdirSync(join(net, name, d));
  }
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function inspectorPlan(): NodePlan {
  const plan = planForInspector(wantedPaths('k3s', [], { interfaces: true }));
  // /host → <tmp>/host, /sys/class/net → <tmp>/sys/class/net
  return relocate(plan, tmp);
}

describe.each(SHELLS)('node script under %s', (...shell) => {
  it('lists the candidate dirs, reads CNI configs and credentials, and resolves symlinks on the host', () => {
    const plan = inspectorPlan();
    const { inspection, complete } = parseNodeOutput(run(shell, plan), plan, 1 << 20);
    expect(complete).toBe(true);
    expect(inspection.error).toBeUndefined();

    const conf = inspection.dirs['/var/lib/rancher/k3s/agent/etc/cni/net.d']!;
    expect(conf.exists).toBe(true);
    expect(conf.entries.map((e) => e.name).sort()).toEqual([
      '00-multus.conf.cilium_bak',
      '10-flannel.conflist',
      'multus.d',
      'notes.txt',
    ]);
    expect(inspection.files['/var/lib/rancher/k3s/agent/etc/cni/net.d/10-flannel.conflist']?.content).toContain(
      '"type":"flannel"',
    );
    expect(inspection.files['/var/lib/rancher/k3s/agent/etc/cni/net.d/00-multus.conf.cilium_bak']?.content).toContain(
      'multus',
    );
    expect(inspection.files['/var/lib/rancher/k3s/agent/etc/cni/net.d/notes.txt']).toBeUndefined();
    // /etc/cni/net.d does not exist on this K3s node: known absent, not "not looked at"
    expect(inspection.dirs['/etc/cni/net.d']).toEqual({ exists: false, entries: [] });

    const bin = inspection.dirs['/var/lib/rancher/k3s/data/cni']!;
    const byName = Object.fromEntries(bin.entries.map((e) => [e.name, e]));
    expect(byName['flannel']).toMatchObject({
      type: 'symlink',
      target: '/var/lib/rancher/k3s/data/abc123/bin/cni',
      targetExists: true,
      executable: true,
    });
    expect(byName['bridge']).toMatchObject({
      type: 'symlink',
      target: '/var/lib/rancher/k3s/data/old999/bin/cni',
      targetExists: false,
      executable: false,
    });
    expect(byName['host-local']).toMatchObject({ type: 'symlink', target: 'flannel', targetExists: true });
    expect(byName['macvlan']).toMatchObject({ type: 'file', size: 128, executable: true });
    expect(byName['README']).toMatchObject({ type: 'file', executable: false });
    expect(byName['with space']).toMatchObject({ type: 'file', size: 3 });
  });

  it('redacts the multus kubeconfig before it leaves the parser, keeping only the token expiry', () => {
    const plan = inspectorPlan();
    const { inspection } = parseNodeOutput(run(shell, plan), plan, 1 << 20);
    const kc = inspection.files['/var/lib/rancher/k3s/agent/etc/cni/net.d/multus.d/multus.kubeconfig']!;
    expect(kc.redacted).toBe(true);
    expect(kc.jwtExp).toBe(1767225600);
    expect(kc.content).toContain('token: REDACTED:jwt:exp=1767225600');
    expect(kc.content).toContain('certificate-authority-data: REDACTED');
    expect(kc.content).not.toContain(TOKEN.split('.')[1]!);
    expect(kc.content).toContain('server: https://10.43.0.1:443');
  });

  it('reports the runtime config, flannel subnet.env, sockets and interfaces', () => {
    const plan = inspectorPlan();
    const { inspection } = parseNodeOutput(run(shell, plan), plan, 1 << 20);
    expect(inspection.files['/var/lib/rancher/k3s/agent/etc/containerd/config.toml']?.content).toContain('conf_dir');
    expect(inspection.files['/etc/containerd/config.toml']).toEqual({ exists: false });
    expect(inspection.files['/run/flannel/subnet.env']?.content).toContain('FLANNEL_NETWORK=10.42.0.0/16');
    expect(inspection.paths?.['/run/multus/multus.sock']).toBe(true);
    expect(inspection.paths?.['/run/cni/dhcp.sock']).toBe(false);
    const ifs = Object.fromEntries((inspection.interfaces ?? []).map((i) => [i.name, i]));
    expect(ifs['eth0']).toMatchObject({
      up: true,
      mtu: 1500,
      mac: '52:54:00:aa:bb:cc',
      type: 'ether',
      wireless: false,
    });
    expect(ifs['wlan0']).toMatchObject({ up: false, wireless: true });
    expect(ifs['cni0']).toMatchObject({ type: 'bridge', mtu: 1450 });
    expect(ifs['lo']).toMatchObject({ type: 'loopback' });
  });

  it('does not read files over the size cap', () => {
    const plan = inspectorPlan();
    const { inspection } = parseNodeOutput(run(shell, plan, 16), plan, 16);
    expect(inspection.files['/var/lib/rancher/k3s/agent/etc/cni/net.d/10-flannel.conflist']).toEqual({
      exists: true,
      error: 'larger than 16 bytes, not read',
    });
  });
});

describe('node script fallbacks', () => {
  it('transfers files as hex when the image has od but no base64', () => {
    const bin = join(tmp, 'bin-no-base64');
    mkdirSync(bin, { recursive: true });
    for (const tool of ['ls', 'od']) {
      const which = spawnSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      if (!existsSync(join(bin, tool))) symlinkSync(which, join(bin, tool));
    }
    const plan = inspectorPlan();
    const out = run(['/bin/sh'], plan, 1 << 20, { PATH: bin });
    expect(out.split('\n')[0]).toBe('KMI 1 hex');
    const { inspection } = parseNodeOutput(out, plan, 1 << 20);
    expect(inspection.files['/run/flannel/subnet.env']?.content).toBe(
      'FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_SUBNET=10.42.0.1/24\n',
    );
  });

  it('marks output that stops early (a timeout) as incomplete, keeping what arrived', () => {
    const plan = inspectorPlan();
    const out = run(['/bin/sh'], plan);
    const cut = out.slice(0, out.indexOf('D 3 '));
    const { inspection, complete } = parseNodeOutput(cut, plan, 1 << 20);
    expect(complete).toBe(false);
    expect(inspection.error).toMatch(/ended early/);
    expect(inspection.dirs['/var/lib/rancher/k3s/agent/etc/cni/net.d']?.exists).toBe(true);
    expect(parseNodeOutput('sh: 1: exec: not found\n', plan, 1).inspection.error).toBe(
      'the node script produced no output',
    );
  });
});

describe('what the multus pod can see', () => {
  it('reaches host paths through the DaemonSet mounts and leaves the others out', () => {
    const install = multus({
      mounts: [
        {
          volume: 'cni',
          hostPath: '/var/lib/rancher/k3s/agent/etc/cni/net.d',
          mountPath: '/host/etc/cni/net.d',
          container: 'kube-multus',
        },
        {
          volume: 'cnibin',
          hostPath: '/var/lib/rancher/k3s/data/cni/',
          mountPath: '/host/opt/cni/bin',
          container: 'kube-multus',
        },
      ],
    });
    const plan = planForMultusPod(wantedPaths('k3s', [install], { interfaces: true }), install.mounts);
    const byHost = Object.fromEntries(plan.ops.map((o) => [`${o.op} ${o.host}`, o.path]));
    expect(byHost['C /var/lib/rancher/k3s/agent/etc/cni/net.d']).toBe('/host/etc/cni/net.d');
    expect(byHost['A /var/lib/rancher/k3s/agent/etc/cni/net.d/multus.d']).toBe('/host/etc/cni/net.d/multus.d');
    expect(byHost['L /var/lib/rancher/k3s/data/cni']).toBe('/host/opt/cni/bin');
    expect(plan.invisible).toContain('/etc/cni/net.d');
    expect(plan.invisible).toContain('/var/lib/rancher/k3s/agent/etc/containerd/config.toml');
    expect(plan.root).toBe('');

    // run it: the pod's view is the host tree seen through those two mounts
    const podRoot = join(tmp, 'pod');
    mkdirSync(join(podRoot, 'host/etc/cni'), { recursive: true });
    mkdirSync(join(podRoot, 'host/opt/cni'), { recursive: true });
    if (!existsSync(join(podRoot, 'host/etc/cni/net.d')))
      symlinkSync(join(hostRoot, 'var/lib/rancher/k3s/agent/etc/cni/net.d'), join(podRoot, 'host/etc/cni/net.d'));
    if (!existsSync(join(podRoot, 'host/opt/cni/bin')))
      symlinkSync(join(hostRoot, 'var/lib/rancher/k3s/data/cni'), join(podRoot, 'host/opt/cni/bin'));
    const rel = relocate(plan, podRoot);
    const { inspection } = parseNodeOutput(run(['/bin/sh'], rel), rel, 1 << 20);
    expect(inspection.dirs['/var/lib/rancher/k3s/agent/etc/cni/net.d']?.exists).toBe(true);
    // inside the pod the absolute target /var/lib/rancher/k3s/data/abc123/bin/cni does not exist
    const flannel = inspection.dirs['/var/lib/rancher/k3s/data/cni']!.entries.find((e) => e.name === 'flannel');
    expect(flannel).toMatchObject({ type: 'symlink', targetExists: false });
    expect(inspection.dirs['/etc/cni/net.d']).toBeUndefined();
  });
});

describe('R: the runtime command line through the host PID namespace (issue 15)', () => {
  it('reads containerd/crio cmdlines and the config files they name, under the host root', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmi-proc-'));
    try {
      const proc = join(dir, 'proc');
      const host = join(dir, 'host');
      const mk = (pid: number, comm: string, args: string[]) => {
        mkdirSync(join(proc, String(pid)), { recursive: true });
        writeFileSync(join(proc, String(pid), 'comm'), `${comm}\n`);
        writeFileSync(join(proc, String(pid), 'cmdline'), args.map((a) => `${a}\0`).join(''));
      };
      mk(1, 'systemd', ['/sbin/init']);
      mk(688, 'containerd', ['/usr/bin/containerd', '--config', '/etc/containerd/lab.toml', '--log-level=info']);
      mk(700, 'crio', ['/usr/bin/crio', '--config=/etc/crio/custom.conf']);
      mkdirSync(join(host, 'etc/containerd'), { recursive: true });
      writeFileSync(
        join(host, 'etc/containerd/lab.toml'),
        '[plugins."io.containerd.grpc.v1.cri".cni]\nbin_dir = "/opt/cni/bin"\n',
      );
      const plan: NodePlan = { root: host, ops: [{ op: 'R', host: '/proc', path: proc }], invisible: [] };
      for (const sh of SHELLS) {
        const out = parseNodeOutput(run(sh, plan), plan, 1 << 20).inspection;
        expect(out.processes, sh.join(' ')).toEqual([
          {
            pid: 688,
            comm: 'containerd',
            args: ['/usr/bin/containerd', '--config', '/etc/containerd/lab.toml', '--log-level=info'],
          },
          { pid: 700, comm: 'crio', args: ['/usr/bin/crio', '--config=/etc/crio/custom.conf'] },
        ]);
        expect(out.files['/etc/containerd/lab.toml']?.content).toContain('bin_dir = "/opt/cni/bin"');
        expect(out.files['/etc/crio/custom.conf']).toEqual({ exists: false });
        expect(out.dirs['/proc']).toBeUndefined();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the multus pod does not share the host PID namespace: the op is only in the inspector plan', () => {
    const w = wantedPaths('kubeadm', [multus()], { interfaces: true });
    expect(planForInspector(w).ops.find((o) => o.op === 'R')).toEqual({ op: 'R', host: '/proc', path: '/proc' });
    expect(
      planForMultusPod(
        w,
        multus().mounts.map((m) => ({ hostPath: m.hostPath, mountPath: m.mountPath })),
      ).ops.some((o) => o.op === 'R'),
    ).toBe(false);
  });
});
