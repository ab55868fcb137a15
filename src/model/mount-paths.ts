/**
 * Host path ↔ container path through a pod's hostPath volume mounts. A multus pod sees only what
 * its DaemonSet mounts (`/etc/cni/net.d` at `/host/etc/cni/net.d`, `/` at `/hostroot`, ...); the
 * collector asks for host paths, runs with container paths and reports host paths again, and the
 * checks translate the paths multus is configured with back to the host. One mapping for both.
 */
import { posix } from 'node:path';

export interface Mount {
  hostPath: string;
  mountPath: string;
}

/** Normalise: collapse `//`, `.` and `..`, no trailing slash (except `/`). */
export function normPath(p: string): string {
  const n = posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

export function joinPath(dir: string, name: string): string {
  const d = normPath(dir);
  return d === '/' ? `/${name}` : `${d}/${name}`;
}

/** The part of `path` below `prefix` ('' when equal), or undefined when it is not below it. */
function under(path: string, prefix: string): string | undefined {
  if (prefix === '/') return path === '/' ? '' : path;
  if (path === prefix) return '';
  if (path.startsWith(prefix + '/')) return path.slice(prefix.length);
  return undefined;
}

function rejoin(base: string, rest: string): string {
  if (!rest) return base;
  return base === '/' ? rest : base + rest;
}

/**
 * Where the container sees a host path, through the most specific mount that covers it
 * (a mount at the identical path is preferred when several mounts have the same host path).
 */
export function hostToContainer(hostPath: string, mounts: Mount[]): string | undefined {
  const h = normPath(hostPath);
  let best: { len: number; same: boolean; path: string } | undefined;
  for (const m of mounts) {
    const mh = normPath(m.hostPath);
    const rest = under(h, mh);
    if (rest === undefined) continue;
    const len = mh === '/' ? 0 : mh.length;
    const mp = normPath(m.mountPath);
    const same = mh === mp;
    if (!best || len > best.len || (len === best.len && same && !best.same))
      best = { len, same, path: rejoin(mp, rest) };
  }
  return best?.path;
}

/** Which host path a container path is, through the most specific mount that covers it. */
export function containerToHost(containerPath: string, mounts: Mount[]): string | undefined {
  const c = normPath(containerPath);
  let best: { len: number; path: string } | undefined;
  for (const m of mounts) {
    const mp = normPath(m.mountPath);
    const rest = under(c, mp);
    if (rest === undefined) continue;
    const len = mp === '/' ? 0 : mp.length;
    if (!best || len > best.len) best = { len, path: rejoin(normPath(m.hostPath), rest) };
  }
  return best?.path;
}
