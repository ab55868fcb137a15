/**
 * The container runtime's own CNI settings, read from its config file (the ground truth for which
 * directory it loads CNI configs from): containerd `config.toml` (1.x `io.containerd.grpc.v1.cri`
 * `conf_dir`/`bin_dir`, 2.x `io.containerd.cri.v1.runtime` `conf_dir`/`bin_dirs`), CRI-O
 * `[crio.network] network_dir`/`plugin_dirs`. A small line-based reader: only the keys we need,
 * from the tables that hold them; anything else in the file is ignored.
 */
import type { Distribution, RuntimeCniConfig, RuntimeProcess } from '../snapshot/types.js';
import { argValue, CRIO_DROPIN_DIR, RUNTIME_CONFIG_FILES } from './node-plan.js';
import { distroLabel } from '../model/distributions.js';

interface TomlKeys {
  /** table header → key → value (string or string[]). */
  tables: Map<string, Map<string, string | string[]>>;
}

function unquote(s: string): string {
  const t = s.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) {
    return t.slice(1, -1).replace(/\\\\/g, '\\').replace(/\\"/g, '"');
  }
  return t;
}

function parseArray(body: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) out.push(m[1] !== undefined ? m[1].replace(/\\\\/g, '\\').replace(/\\"/g, '"') : m[2]!);
  return out;
}

function stripComment(line: string): string {
  let q: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === '\\' && q === '"') i++;
      else if (c === q) q = undefined;
    } else if (c === '"' || c === "'") q = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

/** Read `key = value` pairs per table; arrays may span lines. */
function readToml(text: string): TomlKeys {
  const tables = new Map<string, Map<string, string | string[]>>();
  let table = '';
  tables.set(table, new Map());
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = stripComment(lines[i]!).trim();
    if (!line) continue;
    const h = /^\[\[?\s*(.+?)\s*\]\]?$/.exec(line);
    if (h) {
      table = h[1]!.replace(/\s*\.\s*/g, '.').replace(/'/g, '"');
      if (!tables.has(table)) tables.set(table, new Map());
      continue;
    }
    const kv = /^("[^"]+"|'[^']+'|[A-Za-z0-9_.-]+)\s*=\s*(.*)$/.exec(line);
    if (!kv) continue;
    const key = unquote(kv[1]!);
    let value = kv[2]!;
    if (value.startsWith('[')) {
      while (!value.includes(']') && i + 1 < lines.length) value += ' ' + stripComment(lines[++i]!).trim();
      tables.get(table)!.set(key, parseArray(value));
    } else tables.get(table)!.set(key, unquote(value));
  }
  return { tables };
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
function list(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).filter(Boolean);
}
// MicroK8s's containerd template names its dirs with the snap's variables; containerd sees them expanded.
const SNAP_VARS: Record<string, string> = {
  SNAP_DATA: '/var/snap/microk8s/current',
  SNAP_COMMON: '/var/snap/microk8s/common',
  SNAP: '/snap/microk8s/current',
};
const expand = (p: string) => p.replace(/\$\{?(SNAP_DATA|SNAP_COMMON|SNAP)\}?/g, (_m, v: string) => SNAP_VARS[v]!);
const stripSlash = (p: string | undefined) => (p ? (p.length > 1 ? expand(p).replace(/\/+$/, '') : p) : p);

/** CNI dirs from a containerd config.toml (any version), or undefined when it names none. */
export function containerdCni(text: string): { confDir?: string; binDirs?: string[] } | undefined {
  const { tables } = readToml(text);
  for (const [name, keys] of tables) {
    // v1 `[plugins.cri.cni]` (old K3s), v2 `[plugins."io.containerd.grpc.v1.cri".cni]`, v3 `[plugins.'io.containerd.cri.v1.runtime'.cni]`
    if (!/^plugins\..*cri.*\.cni$/.test(name)) continue;
    const confDir = stripSlash(first(keys.get('conf_dir')));
    const binDirs = list(keys.get('bin_dirs') ?? keys.get('bin_dir'))?.map((b) => stripSlash(b)!);
    if (confDir || binDirs) return { confDir, binDirs };
  }
  return undefined;
}

/** CNI dirs from CRI-O config text (crio.conf or a crio.conf.d drop-in). */
export function crioCni(text: string): { confDir?: string; binDirs?: string[] } | undefined {
  const { tables } = readToml(text);
  const keys = tables.get('crio.network');
  if (!keys) return undefined;
  const confDir = stripSlash(first(keys.get('network_dir')));
  const binDirs = list(keys.get('plugin_dirs') ?? keys.get('plugin_dir'))?.map((b) => stripSlash(b)!);
  return confDir || binDirs ? { confDir, binDirs } : undefined;
}

/** The containerd config file each distribution's runtime reads. */
function containerdConfigFor(d: Distribution): string {
  switch (d) {
    case 'k3s':
      return RUNTIME_CONFIG_FILES[1]!;
    case 'rke2':
      return RUNTIME_CONFIG_FILES[2]!;
    case 'microk8s':
      return RUNTIME_CONFIG_FILES[3]!;
    default:
      return RUNTIME_CONFIG_FILES[0]!;
  }
}

/** The file a runtime process was started with: `--config`/`-c`, else its built-in default. */
function configOfProcess(p: RuntimeProcess, kind: 'containerd' | 'crio'): { path: string; flag?: string } {
  const args = p.args.slice(1);
  for (const key of ['config', 'c']) {
    const v = argValue(args, key);
    if (v && v.startsWith('/')) return { path: v, flag: `${key.length > 1 ? '--' : '-'}${key} ${v}` };
  }
  return { path: kind === 'crio' ? '/etc/crio/crio.conf' : RUNTIME_CONFIG_FILES[0]! };
}

/**
 * Which config file the runtime really reads, and why we think so. With the host's processes in
 * view (node-inspector pod, hostPID) the running runtime's command line decides; otherwise the
 * distribution's usual path is assumed, and the evidence says so.
 */
function runtimeConfigChoice(
  kind: 'containerd' | 'crio',
  distribution: Distribution,
  processes: RuntimeProcess[] | undefined,
): { path: string; from: 'cmdline' | 'default-path'; reason: string } {
  const assumed = kind === 'crio' ? '/etc/crio/crio.conf' : containerdConfigFor(distribution);
  if (!processes) {
    return {
      path: assumed,
      from: 'default-path',
      reason: `the runtime's command line was not read (no view of the host's processes), so the ${distroLabel(distribution)} default ${assumed} was assumed`,
    };
  }
  const mine = processes.filter((p) => p.comm === kind);
  if (!mine.length) {
    return {
      path: assumed,
      from: 'default-path',
      reason: `no ${kind} process was visible in the host PID namespace, so the ${distroLabel(distribution)} default ${assumed} was assumed`,
    };
  }
  // Several (a docker-owned containerd next to K3s's own): prefer the one started with the distribution's file.
  const choices = mine.map((p) => ({ p, ...configOfProcess(p, kind) }));
  const c = choices.find((x) => x.path === assumed) ?? choices.find((x) => x.flag) ?? choices[0]!;
  const others =
    choices.length > 1
      ? ` (${choices.length} ${kind} processes; the others read ${[...new Set(choices.filter((x) => x !== c).map((x) => x.path))].join(', ')})`
      : '';
  return {
    path: c.path,
    from: 'cmdline',
    reason: c.flag
      ? `${kind} (pid ${c.p.pid}) was started with ${c.flag}${others}`
      : `${kind} (pid ${c.p.pid}) was started without --config, so it reads its built-in default ${c.path}${others}`,
  };
}

/**
 * The runtime's CNI settings on a node, from the files the inspection read. `containerRuntime` is
 * the node's `status.nodeInfo.containerRuntimeVersion` (`containerd://1.7.1`, `cri-o://1.29.0`).
 * Returns undefined when no runtime config could be read.
 */
export function runtimeCniConfig(
  files: Record<string, { content?: string; exists: boolean }>,
  distribution: Distribution,
  containerRuntime: string | undefined,
  processes?: RuntimeProcess[],
): RuntimeCniConfig | undefined {
  const rt = (containerRuntime ?? '').split(':')[0];
  const crio = rt === 'cri-o' || (rt === '' && distribution === 'openshift');
  if (crio) {
    const choice = runtimeConfigChoice('crio', distribution, processes);
    // Drop-ins override the main file, later names win.
    let result: { confDir?: string; binDirs?: string[] } | undefined;
    let source: string | undefined;
    const main = files[choice.path];
    if (main?.content !== undefined) {
      result = crioCni(main.content);
      source = choice.path;
    }
    const dropins = Object.keys(files)
      .filter((p) => p.startsWith(CRIO_DROPIN_DIR + '/') && /\.conf$/.test(p))
      .sort();
    for (const p of dropins) {
      const c = files[p]?.content;
      const r = c !== undefined ? crioCni(c) : undefined;
      if (r) {
        result = { confDir: r.confDir ?? result?.confDir, binDirs: r.binDirs ?? result?.binDirs };
        source = p;
      }
    }
    if (!source) return undefined;
    return {
      kind: 'crio',
      configFile: source,
      configFrom: choice.from,
      configReason: choice.reason,
      ...(result?.confDir ? { confDir: result.confDir } : {}),
      ...(result?.binDirs?.length ? { binDirs: result.binDirs } : {}),
    };
  }
  const choice = runtimeConfigChoice('containerd', distribution, processes);
  const f = files[choice.path];
  if (f?.content === undefined) return undefined;
  const r = containerdCni(f.content);
  return {
    kind: 'containerd',
    configFile: choice.path,
    configFrom: choice.from,
    configReason: choice.reason,
    ...(r?.confDir ? { confDir: r.confDir } : {}),
    ...(r?.binDirs?.length ? { binDirs: r.binDirs } : {}),
  };
}
