/**
 * What a multus DaemonSet is configured to do, read from its spec: entrypoint flags (with the
 * defaults of multus's cmd/thin_entrypoint), the thick daemon config (pkg/server/config), and
 * the mapping between paths inside the multus container and host paths (hostPath volumes).
 * Sources: research/failure-modes.md §B.2, §B.3, §C.1–C.3.
 */
import type { MultusInstall, VolumeMountMap } from '../snapshot/types.js';
import { containerToHost, hostToContainer, joinPath, normPath } from './mount-paths.js';
import { compareVersions, isObject, parseJsonText, str, type JsonObject, type JsonProblem } from './cni-config.js';

// ------------------------------------------------------------------ paths

export { normPath, joinPath };

export function dirName(p: string): string {
  const n = normPath(p);
  const i = n.lastIndexOf('/');
  return i <= 0 ? '/' : n.slice(0, i);
}

export function baseName(p: string): string {
  const n = normPath(p);
  return n.slice(n.lastIndexOf('/') + 1);
}

/** Is `p` equal to `dir` or inside it? */
export function isUnder(p: string, dir: string): boolean {
  const a = normPath(p);
  const d = normPath(dir);
  return d === '/' || a === d || a.startsWith(d + '/');
}

function mountsOf(m: MultusInstall, container?: string): VolumeMountMap[] {
  const c = container ?? m.containerName;
  return m.mounts.filter((x) => x.container === c);
}

/** Host path of a path inside a multus container (longest mountPath prefix wins); undefined when not on a hostPath mount. */
export function toHost(m: MultusInstall, containerPath: string, container?: string): string | undefined {
  return containerToHost(containerPath, mountsOf(m, container));
}

/** Path inside the container at which a host path is visible; undefined when it is not mounted. */
export function toContainer(m: MultusInstall, hostPath: string, container?: string): string | undefined {
  return hostToContainer(hostPath, mountsOf(m, container));
}

/** The mount (main container first, then init containers) that carries a container path. */
export function mountFor(m: MultusInstall, containerPath: string, container?: string): VolumeMountMap | undefined {
  let best: VolumeMountMap | undefined;
  for (const x of mountsOf(m, container)) {
    if (
      isUnder(containerPath, x.mountPath) &&
      (!best || normPath(x.mountPath).length > normPath(best.mountPath).length)
    )
      best = x;
  }
  return best;
}

// ------------------------------------------------------------------ flags

export interface Flag {
  value: string;
  /** Index in `m.args`, when the flag is there (not in `command`). */
  argIndex?: number;
}

/**
 * Flags from the container's command and args: `--name=value`, `-name=value`, `--name value`,
 * bare `--name` (true). Words of `sh -c "..."` strings are split so wrapped entrypoints are read too.
 */
export function parseFlags(m: Pick<MultusInstall, 'command' | 'args'>): Map<string, Flag> {
  const out = new Map<string, Flag>();
  const words: Array<{ w: string; argIndex?: number }> = [];
  const push = (t: string, argIndex?: number) => {
    if (/\s/.test(t.trim())) for (const w of t.trim().split(/\s+/)) words.push({ w });
    else words.push({ w: t, argIndex });
  };
  m.command.slice(1).forEach((t) => push(t));
  m.args.forEach((t, i) => push(t, i));
  for (let i = 0; i < words.length; i++) {
    const { w, argIndex } = words[i]!;
    const mm = /^--?([A-Za-z][\w.-]*)(?:=(.*))?$/.exec(w);
    if (!mm) continue;
    const name = mm[1]!;
    let value = mm[2];
    if (value === undefined) {
      const next = words[i + 1];
      if (next && !next.w.startsWith('-')) {
        value = next.w;
        i++;
      } else value = 'true';
    }
    out.set(name, { value: value.replace(/^["']|["']$/g, ''), argIndex });
  }
  return out;
}

function flagBool(f: Flag | undefined, dflt: boolean): boolean {
  if (!f) return dflt;
  return !/^(false|0|no)$/i.test(f.value);
}

type Entrypoint = 'thin-v4' | 'thin-v3' | 'thick' | 'other';

/** Flags only multus's own thin entrypoints take: a wrapper that passes them runs one of those. */
const THIN_FLAGS = /--?(multus-conf-file|cni-conf-dir|cni-bin-dir|multus-autoconfig-dir|multus-kubeconfig-file-host)\b/;

function entrypointOf(m: MultusInstall): Entrypoint {
  const cmd = [...m.command, ...m.args].join(' ');
  if (/multus-daemon/.test(cmd) || m.mode === 'thick') return 'thick';
  if (/thin_entrypoint/.test(cmd)) return 'thin-v4';
  if (/(^|\/)entrypoint\.sh\b/.test(cmd)) return 'thin-v3';
  // A custom installer script (seed 003's multus-installer.sh) is 'other' even when labelled thin.
  return THIN_FLAGS.test(cmd) ? 'thin-v4' : 'other';
}

/** Thin entrypoint options with its defaults (cmd/thin_entrypoint; v3's entrypoint.sh has the same ones). */
interface ThinOptions {
  flags: Map<string, Flag>;
  cniConfDir: string;
  cniBinDir: string;
  multusConfFile: string;
  autoconfigDir: string;
  kubeconfigHost: string;
  cniVersion?: string;
  forceCniVersion: boolean;
  cleanupConfigOnExit: boolean;
  skipConfigWatch: boolean;
  readinessIndicatorFile?: string;
  additionalBinDir?: string;
  masterCniFileName?: string;
}

export const THIN_DEFAULT_KUBECONFIG = '/etc/cni/net.d/multus.d/multus.kubeconfig';

function thinOptions(m: MultusInstall): ThinOptions {
  const f = parseFlags(m);
  const s = (k: string) => (f.get(k)?.value ? f.get(k)!.value : undefined);
  return {
    flags: f,
    cniConfDir: s('cni-conf-dir') ?? '/host/etc/cni/net.d',
    cniBinDir: s('cni-bin-dir') ?? '/host/opt/cni/bin',
    multusConfFile: s('multus-conf-file') ?? 'auto',
    autoconfigDir: s('multus-autoconfig-dir') ?? '/host/etc/cni/net.d',
    kubeconfigHost: s('multus-kubeconfig-file-host') ?? THIN_DEFAULT_KUBECONFIG,
    cniVersion: s('cni-version'),
    forceCniVersion: flagBool(f.get('force-cni-version'), false),
    cleanupConfigOnExit: flagBool(f.get('cleanup-config-on-exit'), false),
    skipConfigWatch: flagBool(f.get('skip-config-watch'), false),
    readinessIndicatorFile: s('readiness-indicator-file'),
    additionalBinDir: s('additional-bin-dir'),
    masterCniFileName: s('multus-master-cni-file-name'),
  };
}

/** Thick daemon config (`daemon-config.json`) with multus's defaults; paths are inside the daemon pod. */
interface DaemonOptions {
  raw: JsonObject;
  problem?: JsonProblem;
  source?: string;
  chrootDir?: string;
  cniConfigDir: string;
  multusAutoconfigDir: string;
  binDir: string;
  binDirSet: boolean;
  socketDir: string;
  daemonSocketDir: string;
  cniVersion?: string;
  multusConfigFile: string;
  readinessIndicatorFile?: string;
  forceCniVersion: boolean;
}

function daemonOptions(m: MultusInstall): DaemonOptions | undefined {
  if (!m.daemonConfig) return undefined;
  const parsed = parseJsonText(m.daemonConfig.content);
  const raw = isObject(parsed.value) ? parsed.value : {};
  const cniConfigDir = str(raw['cniConfigDir']) || '/etc/cni/net.d';
  return {
    raw,
    problem: parsed.problems[0],
    source: m.daemonConfig.source,
    chrootDir: str(raw['chrootDir']) || undefined,
    cniConfigDir,
    // multus uses the conf dir when no separate autoconfig dir is given.
    multusAutoconfigDir: str(raw['multusAutoconfigDir']) || cniConfigDir,
    binDir: str(raw['binDir']) || '/opt/cni/bin',
    binDirSet: !!str(raw['binDir']),
    socketDir: str(raw['socketDir']) || '/run/multus',
    daemonSocketDir: str(raw['daemonSocketDir']) || '/run/multus',
    cniVersion: str(raw['cniVersion']) || undefined,
    multusConfigFile: str(raw['multusConfigFile']) || 'auto',
    readinessIndicatorFile: str(raw['readinessindicatorfile']) || undefined,
    forceCniVersion: raw['forceCNIVersion'] === true,
  };
}

// ------------------------------------------------------------------ the install as a whole

export interface InstallFacts {
  m: MultusInstall;
  mode: 'thin' | 'thick';
  entrypoint: Entrypoint;
  thin?: ThinOptions;
  daemon?: DaemonOptions;
  /** Multus generates its config from the primary CNI's file (`auto`), as opposed to copying a given file. */
  auto: boolean;
  /** Where multus writes 00-multus.conf: inside the pod, and on the host (undefined: not on a hostPath). */
  writeDir: { container: string; host?: string };
  /** Where multus looks for the primary CNI config. */
  autoconfigDir: { container: string; host?: string };
  /** Host dir the multus (thin) or multus-shim (thick) binary is copied to. */
  binInstallDir?: string;
  /** The binary the runtime must find: `multus` (thin) or `multus-shim` (thick). */
  binary: 'multus' | 'multus-shim';
  /** Version from the image tag, when readable. */
  version?: string;
  /** multus < v4 (CNI library ≤ 0.4.0). */
  legacy: boolean;
  /**
   * A custom installer (no thin entrypoint, no multus-daemon: e.g. an init script and a sleeping
   * container): its flags and defaults are unknown, so nothing is judged from where it "writes".
   */
  opaque: boolean;
}

/** hostPath of the volume that holds CNI binaries (`cnibin` in every known manifest), from any container. */
function cnibinHostPath(m: MultusInstall): string | undefined {
  const byName = m.mounts.find((x) => x.volume === 'cnibin');
  if (byName) return normPath(byName.hostPath);
  const byPath = m.mounts.find((x) => /(^|\/)cni\/bin\/?$/.test(x.mountPath));
  return byPath ? normPath(byPath.hostPath) : undefined;
}

export function installFacts(m: MultusInstall): InstallFacts {
  const entrypoint = entrypointOf(m);
  const legacy =
    entrypoint === 'thin-v3' || (!!m.version && /^v?\d/.test(m.version) && compareVersions(m.version, '4.0.0') < 0);
  if (entrypoint === 'thick') {
    const d = daemonOptions(m);
    const confDir = d?.cniConfigDir ?? '/host/etc/cni/net.d';
    const autoDir = d?.multusAutoconfigDir ?? confDir;
    return {
      m,
      mode: 'thick',
      entrypoint,
      daemon: d,
      auto: (d?.multusConfigFile ?? 'auto') === 'auto',
      writeDir: { container: confDir, host: toHost(m, confDir) },
      autoconfigDir: { container: autoDir, host: toHost(m, autoDir) },
      binInstallDir: cnibinHostPath(m),
      binary: 'multus-shim',
      version: m.version,
      legacy,
      opaque: false,
    };
  }
  const t = thinOptions(m);
  const opaque = entrypoint === 'other';
  return {
    m,
    mode: 'thin',
    entrypoint,
    thin: opaque ? undefined : t,
    auto: !opaque && t.multusConfFile === 'auto',
    writeDir: opaque ? { container: '' } : { container: t.cniConfDir, host: toHost(m, t.cniConfDir) },
    autoconfigDir: opaque ? { container: '' } : { container: t.autoconfigDir, host: toHost(m, t.autoconfigDir) },
    binInstallDir: (opaque ? undefined : toHost(m, t.cniBinDir)) ?? cnibinHostPath(m),
    binary: 'multus',
    version: m.version,
    legacy,
    opaque,
  };
}

/** Host path the thick daemon's socket is created at, and the one the shim dials (from its config). */
export function thickSocket(f: InstallFacts, shimSocketDir?: string): { daemonHost?: string; shimHost: string } {
  const d = f.daemon;
  const daemonDir = d?.socketDir ?? '/host/run/multus';
  return {
    daemonHost: (() => {
      const h = toHost(f.m, daemonDir);
      return h ? joinPath(h, 'multus.sock') : undefined;
    })(),
    shimHost: joinPath(shimSocketDir ?? d?.daemonSocketDir ?? '/run/multus', 'multus.sock'),
  };
}

/** Host dir the thick daemon runs delegates from: binDir in the host's root (chrootDir) or through its mount. */
function daemonBinHost(f: InstallFacts): string | undefined {
  const d = f.daemon;
  if (!d) return undefined;
  return d.chrootDir ? normPath(d.binDir) : toHost(f.m, d.binDir);
}

/**
 * Host dirs multus searches for delegate plugins. Thin: the config's binDir (default /opt/cni/bin)
 * then CNI_PATH, i.e. the runtime's bin dirs (the "[/opt/cni/bin /opt/cni/bin]" of its errors).
 * Thick: only binDir — the daemon's environment carries no CNI_PATH.
 */
export function delegateBinDirs(f: InstallFacts, runtimeBinDirs: string[], confBinDir?: string): string[] {
  if (f.mode === 'thick') {
    const h = daemonBinHost(f);
    return h ? [h] : [];
  }
  return [
    ...new Set([normPath(confBinDir ?? f.thin?.additionalBinDir ?? '/opt/cni/bin'), ...runtimeBinDirs.map(normPath)]),
  ];
}
