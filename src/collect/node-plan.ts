/**
 * What one node inspection looks at (host paths), and how each host path is reached in the pod
 * that runs the script: through the multus pod's hostPath mounts (paths it cannot see are left
 * out, and so stay "not collected"), or under `/host` in the node-inspector pod.
 */
import type { Distribution, MultusInstall } from '../snapshot/types.js';
import { CANDIDATE_BIN_DIRS, CANDIDATE_CONF_DIRS, DISTRO_PATHS } from '../model/distributions.js';
import { containerToHost, hostToContainer, joinPath, normPath, type Mount } from '../model/mount-paths.js';
import type { NodeOp } from './node-script.js';
import { SERVICE_CIDR_FILES } from './service-cidr.js';

interface WantedPath {
  op: NodeOp;
  host: string;
}

interface PlannedOp extends WantedPath {
  /** Path as the script sees it. */
  path: string;
}

export interface NodePlan {
  root: string;
  ops: PlannedOp[];
  /** Host paths the pod cannot see (multus-pod tier). */
  invisible: string[];
}

/** Runtime config files that name the CNI dirs, per runtime and distribution (§B.1). */
export const RUNTIME_CONFIG_FILES = [
  '/etc/containerd/config.toml',
  '/var/lib/rancher/k3s/agent/etc/containerd/config.toml',
  '/var/lib/rancher/rke2/agent/etc/containerd/config.toml',
  '/var/snap/microk8s/current/args/containerd-template.toml',
  '/etc/crio/crio.conf',
];
export const CRIO_DROPIN_DIR = '/etc/crio/crio.conf.d';
const SOCKET_PATHS = ['/run/multus/multus.sock', '/run/multus/socket/multus.sock', '/run/cni/dhcp.sock'];
const FLANNEL_SUBNET_ENV = '/run/flannel/subnet.env';
export const K3S_FLANNEL_NETCONF = '/var/lib/rancher/k3s/agent/etc/flannel/net-conf.json';
export const FILE_BACKED_NAD_DIR = '/etc/cni/multus/net.d';
const SYS_CLASS_NET = '/sys/class/net';
/** /proc as a hostPID pod sees it: the host's processes. */
const PROC_DIR = '/proc';

/** `--key=value` or `--key value` (also single-dash, as Go's flag package accepts). */
export function argValue(args: string[], key: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!.replace(/^--?/, '');
    if (a === key) return args[i + 1];
    if (a.startsWith(key + '=')) return a.slice(key.length + 1);
  }
  return undefined;
}

function parseJsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const isAbs = (p: unknown): p is string => typeof p === 'string' && p.startsWith('/');

/** Host paths the multus install itself points at: its args, daemon config and hostPath mounts. */
export function installPaths(install: MultusInstall | undefined): {
  confDirs: string[];
  binDirs: string[];
  files: string[];
  presence: string[];
} {
  const confDirs: string[] = [];
  const binDirs: string[] = [];
  const files: string[] = [];
  const presence: string[] = [];
  if (!install) return { confDirs, binDirs, files, presence };
  const mounts = install.mounts.filter((m) => m.container === install.containerName);
  const toHost = (p: unknown) => (isAbs(p) ? containerToHost(p, mounts) : undefined);
  const push = (list: string[], p: string | undefined) => {
    if (p && !list.includes(normPath(p))) list.push(normPath(p));
  };
  for (const m of install.mounts) {
    const h = normPath(m.hostPath);
    if (/net\.d$|cni-network$/.test(h)) push(confDirs, h);
    else if (/\/bin$|\/data\/cni$|\/libexec\/cni$/.test(h)) push(binDirs, h);
  }
  const a = install.args;
  push(confDirs, toHost(argValue(a, 'cni-conf-dir')));
  push(confDirs, toHost(argValue(a, 'multus-autoconfig-dir')));
  push(binDirs, toHost(argValue(a, 'cni-bin-dir')));
  const kc = argValue(a, 'multus-kubeconfig-file-host');
  if (isAbs(kc)) push(files, kc);
  const ready = argValue(a, 'readiness-indicator-file');
  if (isAbs(ready)) push(presence, ready);
  const dc = parseJsonObject(install.daemonConfig?.content);
  if (dc) {
    push(confDirs, toHost(dc['cniConfigDir']));
    push(confDirs, toHost(dc['multusAutoconfigDir']));
    // binDir is used by the daemon inside its chroot (a host path) or inside the pod.
    if (isAbs(dc['binDir'])) {
      push(binDirs, dc['binDir']);
      push(binDirs, toHost(dc['binDir']));
    }
    const sock = toHost(dc['socketDir']);
    if (sock) push(presence, joinPath(sock, 'multus.sock'));
    const r = dc['readinessindicatorfile'];
    if (isAbs(r)) push(presence, toHost(r) ?? r);
  }
  const cf = parseJsonObject(install.confFileConfig?.content);
  if (cf) {
    if (isAbs(cf['kubeconfig'])) push(files, cf['kubeconfig']);
    if (isAbs(cf['readinessindicatorfile'])) push(presence, cf['readinessindicatorfile']);
    if (isAbs(cf['binDir'])) push(binDirs, cf['binDir']);
  }
  return { confDirs, binDirs, files, presence };
}

/** Everything a node inspection looks at, as host paths, in a stable order without duplicates. */
export function wantedPaths(
  distribution: Distribution,
  installs: MultusInstall[],
  o: { interfaces: boolean },
): WantedPath[] {
  const d = DISTRO_PATHS[distribution] ?? DISTRO_PATHS.unknown;
  const fromInstalls = installs.map(installPaths);
  const confDirs = [d.confDir, ...CANDIDATE_CONF_DIRS, ...fromInstalls.flatMap((x) => x.confDirs)];
  const binDirs = [...d.binDirs, ...CANDIDATE_BIN_DIRS, ...fromInstalls.flatMap((x) => x.binDirs)];
  const out: WantedPath[] = [];
  const seen = new Set<string>();
  const add = (op: NodeOp, host: string) => {
    const h = op === 'I' ? '-' : normPath(host);
    const key = `${op} ${h}`;
    // A path listed as a conf dir is not listed again as a bin dir.
    if (seen.has(key) || ((op === 'L' || op === 'A') && seen.has(`C ${h}`))) return;
    seen.add(key);
    out.push({ op, host: h });
  };
  for (const c of confDirs) {
    add('C', c);
    add('A', joinPath(normPath(c), 'multus.d'));
    add('A', joinPath(normPath(c), 'whereabouts.d'));
  }
  add('C', FILE_BACKED_NAD_DIR);
  for (const b of binDirs) add('L', b);
  for (const f of RUNTIME_CONFIG_FILES) add('F', f);
  add('A', CRIO_DROPIN_DIR);
  add('F', FLANNEL_SUBNET_ENV);
  // The service range, when the API does not tell it (kept to the relevant lines: see inspect.ts).
  for (const f of SERVICE_CIDR_FILES) add('F', f);
  add('F', K3S_FLANNEL_NETCONF);
  if (d.flannelNetConf) add('F', d.flannelNetConf);
  for (const x of fromInstalls) for (const f of x.files) add('F', f);
  for (const p of SOCKET_PATHS) add('P', p);
  for (const x of fromInstalls) for (const p of x.presence) add('P', p);
  if (o.interfaces) {
    add('N', SYS_CLASS_NET);
    add('I', '-');
  }
  // The runtime's command line (which config file it really reads): only a pod in the host PID
  // namespace sees it, so only the node-inspector pod runs this op.
  add('R', PROC_DIR);
  return out;
}

/** Tier 1: the multus pod; only paths covered by its main container's hostPath mounts. */
export function planForMultusPod(wanted: WantedPath[], mounts: Mount[]): NodePlan {
  const ops: PlannedOp[] = [];
  const invisible: string[] = [];
  for (const w of wanted) {
    // hostNetwork pods see the host's interfaces in their own /sys and through `ip`.
    if (w.op === 'N' || w.op === 'I') {
      ops.push({ ...w, path: w.op === 'I' ? '-' : w.host });
      continue;
    }
    // The multus pod is not in the host PID namespace: its /proc would show only itself.
    if (w.op === 'R') continue;
    const p = hostToContainer(w.host, mounts);
    if (p === undefined) invisible.push(w.host);
    else ops.push({ ...w, path: p });
  }
  return { root: '', ops, invisible };
}

export const INSPECTOR_ROOT = '/host';

/** Tier 2: the node-inspector pod, host `/` at /host (interfaces from its own hostNetwork view). */
export function planForInspector(wanted: WantedPath[]): NodePlan {
  return {
    root: INSPECTOR_ROOT,
    ops: wanted.map((w) => ({
      ...w,
      path:
        w.op === 'N' || w.op === 'I' || w.op === 'R'
          ? w.op === 'I'
            ? '-'
            : w.host
          : INSPECTOR_ROOT + normPath(w.host),
    })),
    invisible: [],
  };
}

/**
 * Host paths the checks cannot do without, beyond what every node has: the dhcp daemon's socket
 * when a NAD uses DHCP IPAM, the thick daemon's socket for a thick install.
 */
export function essentialExtras(installs: MultusInstall[], o: { dhcp: boolean }): string[] {
  const out: string[] = [];
  if (o.dhcp) out.push('/run/cni/dhcp.sock');
  for (const i of installs) {
    if (i.mode === 'thick') out.push(...installPaths(i).presence.filter((p) => p.endsWith('multus.sock')));
  }
  return out;
}

/**
 * Does the multus pod see what the checks cannot do without: the runtime's conf dir, one of its
 * bin dirs, on K3s the containerd config (its bin dir moved between releases), and the extras?
 */
export function multusPodCoversEssentials(distribution: Distribution, mounts: Mount[], extras: string[] = []): boolean {
  const d = DISTRO_PATHS[distribution] ?? DISTRO_PATHS.unknown;
  const sees = (p: string) => hostToContainer(p, mounts) !== undefined;
  if (!sees(d.confDir) || !d.binDirs.some(sees)) return false;
  // Where the runtime config decides the dirs and moves between releases (K3s) or is the
  // distribution's own template (MicroK8s), it must be read: docs/cluster.md, "Required paths".
  if ((distribution === 'k3s' || distribution === 'microk8s') && d.runtimeConfig && !sees(d.runtimeConfig))
    return false;
  return extras.every(sees);
}
