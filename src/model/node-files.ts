/**
 * Reading one node's inspection: is a host path present, absent, or unknown (not looked at)?
 * Which CNI configs are in a directory, and which one would multus pick as the primary?
 * "Unknown is not empty": every answer distinguishes "not collected" from "not there".
 */
import type { DirListing, NodeInspection } from '../snapshot/types.js';
import { parseCniConfig, type CniConfig } from './cni-config.js';
import { baseName, dirName, joinPath, normPath } from './multus-install.js';

type Presence = 'present' | 'absent' | 'unknown';

/** The same host path under its other name: /var/run is a symlink to /run on every current distribution. */
function pathAliases(p: string): string[] {
  const n = normPath(p);
  if (n === '/var/run' || n.startsWith('/var/run/')) return [n, n.slice(4)];
  if (n === '/run' || n.startsWith('/run/')) return [n, '/var' + n];
  return [n];
}

export function listing(ins: NodeInspection | undefined, dir: string): DirListing | undefined {
  if (!ins) return undefined;
  for (const d of pathAliases(dir)) {
    const l = ins.dirs[d] ?? ins.dirs[d + '/'];
    if (l) return l;
  }
  return undefined;
}

/** Whether a host path exists on the node, from sockets/markers, file reads and directory listings. */
export function presence(ins: NodeInspection | undefined, path: string): Presence {
  if (!ins || ins.error) return 'unknown';
  const p = normPath(path);
  for (const alias of pathAliases(p)) {
    const marker = ins.paths?.[alias];
    if (marker !== undefined) return marker ? 'present' : 'absent';
    const f = ins.files[alias];
    if (f && !f.error) return f.exists ? 'present' : 'absent';
  }
  const own = listing(ins, p);
  if (own?.exists) return 'present';
  const parent = listing(ins, dirName(p));
  if (parent && !parent.error) {
    if (!parent.exists) return 'absent';
    return parent.entries.some((e) => e.name === baseName(p)) ? 'present' : 'absent';
  }
  // A listed grandparent without the parent in it also settles it.
  const grand = listing(ins, dirName(dirName(p)));
  if (grand && !grand.error && dirName(p) !== '/') {
    if (!grand.exists || !grand.entries.some((e) => e.name === baseName(dirName(p)))) return 'absent';
  }
  return 'unknown';
}

type MultusKind = 'multus' | 'multus-shim';

/** `multus` (thin) or `multus-shim` (thick) when the config is a multus one. */
export function multusKind(c: CniConfig | undefined): MultusKind | undefined {
  for (const p of c?.plugins ?? []) if (p.type === 'multus' || p.type === 'multus-shim') return p.type;
  return undefined;
}

export interface NodeConf {
  path: string;
  name: string;
  text?: string;
  config?: CniConfig;
  multus?: MultusKind;
}

const RUNTIME_EXT = /\.(conf|conflist|json)$/;
const MULTUS_EXT = /\.(conf|conflist)$/;

/** CNI config files in a directory in libcni's (name) order; undefined when the directory was not listed. */
export function confFilesIn(
  ins: NodeInspection | undefined,
  dir: string,
  ext: RegExp = RUNTIME_EXT,
): NodeConf[] | undefined {
  const l = listing(ins, dir);
  if (!l || l.error) return undefined;
  if (!l.exists) return [];
  return l.entries
    .filter((e) => e.type !== 'dir' && ext.test(e.name))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const path = joinPath(dir, name);
      const text = pathAliases(path)
        .map((x) => ins!.files[x]?.content)
        .find((c) => c !== undefined);
      const config = text !== undefined ? parseCniConfig(text) : undefined;
      return { path, name, text, config, multus: multusKind(config) };
    });
}

/**
 * The file multus would wrap as the primary ("master") network: the first `.conf`/`.conflist`
 * that does not start with `00-multus` (or the one pinned with --multus-master-cni-file-name).
 * `undefined` when the directory was not listed; `{}` when it was listed and has none.
 */
export function primaryConfIn(
  ins: NodeInspection | undefined,
  dir: string,
  masterName?: string,
): { conf?: NodeConf } | undefined {
  const files = confFilesIn(ins, dir, MULTUS_EXT);
  if (!files) return undefined;
  if (masterName) return { conf: files.find((f) => f.name === masterName) };
  return { conf: files.find((f) => !f.name.startsWith('00-multus') && !f.multus) };
}

/** A directory's entries as one line of evidence. */
export function listingText(ins: NodeInspection | undefined, dir: string): string {
  const l = listing(ins, dir);
  if (!l) return '(not listed)';
  if (l.error) return `(unreadable: ${l.error})`;
  if (!l.exists) return '(directory does not exist)';
  const names = l.entries.map((e) =>
    e.type === 'dir' ? `${e.name}/` : e.type === 'symlink' ? `${e.name} -> ${e.target ?? '?'}` : e.name,
  );
  return names.length ? names.join(', ') : '(empty)';
}
