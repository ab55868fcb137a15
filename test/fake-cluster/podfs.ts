/**
 * Real files for exec. Each node's host filesystem (scenario files, dirs, symlinks, modes, and
 * /sys/class/net from its interfaces) is written under a temp dir; each container gets a root
 * holding what it can see: hostPath volumes at their mountPath (absolute symlink targets
 * re-rooted, so they resolve inside the container as in its mount namespace), configMap,
 * secret and emptyDir volumes, image files from the scenario, /sys/class/net and an `ip`
 * stand-in. Built lazily on first exec. hostPath files are copies: a write inside an exec
 * does not reach the node or other pods.
 */
import {
  chmodSync,
  closeSync,
  copyFileSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { normaliseInterfaces, sysClassNet, writeIpFiles, type Iface, type InterfaceSpec } from './ip.js';
import type { FileSpec, HostSpec, KObj } from './scenario.js';
import type { World } from './world.js';

/** Octal mode from "0755", "755" or a YAML number written as 755. */
function parseMode(m: string | number | undefined, dflt: number): number {
  if (m === undefined) return dflt;
  const s = String(m);
  if (!/^0?[0-7]{3,4}$/.test(s))
    throw new Error(`file mode ${JSON.stringify(m)} is not octal (write it as a string, e.g. "0755")`);
  return parseInt(s, 8);
}

/** A clean absolute path, or undefined when it would escape (.. segments, relative). */
function cleanAbs(p: unknown): string | undefined {
  if (typeof p !== 'string' || !p.startsWith('/')) return undefined;
  const n = posix.normalize(p);
  return n.split('/').includes('..') ? undefined : n.replace(/\/+$/, '') || '/';
}

const under = (root: string, p: string): string => (p === '/' ? root : join(root, p));

export interface ContainerView {
  /** root directory standing in for the container's "/" */
  root: string;
  /** directory put first on PATH (the `ip` stand-in) */
  bin: string;
}

export class HostFs {
  private readonly nodes = new Set<string>();
  private readonly containers = new Map<string, ContainerView>();

  constructor(
    readonly workDir: string,
    private readonly world: World,
  ) {}

  private get fileTime(): Date {
    return new Date(this.world.scenario.cluster.fileTime);
  }

  nodeRoot(node: string): string {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(node))
      throw new Error(`node name ${JSON.stringify(node)} is not a DNS subdomain`);
    const root = join(this.workDir, 'nodes', node);
    if (!this.nodes.has(node)) {
      this.nodes.add(node);
      this.writeHost(root, this.world.scenario.nodes[node] ?? {}, node);
    }
    return root;
  }

  /** Interfaces of a node (scenario `interfaces`, normalised). */
  nodeInterfaces(node: string): Iface[] {
    return normaliseInterfaces(this.world.scenario.nodes[node]?.interfaces ?? [], node);
  }

  private writeFile(root: string, path: string, spec: string | FileSpec): void {
    const f: FileSpec = typeof spec === 'string' ? { content: spec } : spec;
    const dst = under(root, path);
    mkdirSync(dirname(dst), { recursive: true });
    if (f.content !== undefined || f.contentFrom !== undefined) {
      const content = f.content ?? readFileSync(resolve(this.world.scenario.baseDir, f.contentFrom!));
      writeFileSync(dst, content);
    } else {
      closeSync(openSync(dst, 'w'));
      if (f.size) truncateSync(dst, f.size); // sparse: a 50 MB "binary" costs nothing
    }
    chmodSync(dst, parseMode(f.mode, 0o644));
    const t = f.mtime ? new Date(f.mtime) : this.fileTime;
    utimesSync(dst, t, t);
  }

  private writeHost(root: string, h: HostSpec, seed: string, sysNet = true): void {
    mkdirSync(root, { recursive: true });
    const dirs: Record<string, string | number> = Array.isArray(h.dirs)
      ? Object.fromEntries(h.dirs.map((d) => [d, '0755']))
      : { ...(h.dirs ?? {}) };
    for (const d of Object.keys(dirs)) mkdirSync(under(root, d), { recursive: true });
    for (const [p, spec] of Object.entries(h.files ?? {})) this.writeFile(root, p, spec);
    for (const [p, target] of Object.entries(h.symlinks ?? {})) {
      const dst = under(root, p);
      mkdirSync(dirname(dst), { recursive: true });
      rmSync(dst, { force: true });
      symlinkSync(target, dst); // verbatim: the node view is never exec'd into directly
      lutimesSync(dst, this.fileTime, this.fileTime);
    }
    if (sysNet && h.interfaces?.length) this.writeSysNet(root, normaliseInterfaces(h.interfaces, seed));
    for (const [d, mode] of Object.entries(dirs)) chmodSync(under(root, d), parseMode(mode, 0o755));
    this.touchDirs(root);
  }

  private writeSysNet(root: string, ifaces: Iface[]): void {
    for (const i of ifaces) {
      const dir = join(root, 'sys/class/net', i.name);
      const { files, dirs } = sysClassNet(i);
      mkdirSync(dir, { recursive: true });
      for (const d of dirs) mkdirSync(join(dir, d), { recursive: true });
      for (const [f, c] of Object.entries(files)) writeFileSync(join(dir, f), c);
    }
  }

  /** Directory mtimes change as entries are added; settle them all to the scenario's time. */
  private touchDirs(dir: string): void {
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) this.touchDirs(join(dir, e.name));
    utimesSync(dir, this.fileTime, this.fileTime);
  }

  /** Resolves a host path inside the node tree, following symlinks as the runtime's bind mount would. */
  private resolveOnNode(nodeRoot: string, hostPath: string): string | undefined {
    let parts = hostPath.split('/').filter(Boolean);
    let cur = '';
    for (let guard = 0; parts.length && guard < 64; guard++) {
      const next = `${cur}/${parts.shift()}`;
      let st;
      try {
        st = lstatSync(under(nodeRoot, next));
      } catch {
        return under(nodeRoot, [next, ...parts].join('/'));
      }
      if (st.isSymbolicLink()) {
        const t = readlinkSync(under(nodeRoot, next));
        const abs = t.startsWith('/') ? t : posix.join(posix.dirname(next), t);
        const clean = cleanAbs(abs);
        if (!clean) return undefined;
        parts = [...clean.split('/').filter(Boolean), ...parts];
        cur = '';
      } else cur = next;
    }
    return under(nodeRoot, cur);
  }

  private mirror(src: string, dst: string, podRoot: string): void {
    let st;
    try {
      st = lstatSync(src);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      mkdirSync(dst, { recursive: true });
      for (const e of readdirSync(src)) this.mirror(join(src, e), join(dst, e), podRoot);
      chmodSync(dst, st.mode & 0o7777);
      utimesSync(dst, st.atime, st.mtime);
    } else if (st.isSymbolicLink()) {
      if (lstatExists(dst)) return;
      const t = readlinkSync(src);
      mkdirSync(dirname(dst), { recursive: true });
      symlinkSync(t.startsWith('/') ? podRoot + t : t, dst);
      lutimesSync(dst, st.atime, st.mtime);
    } else {
      if (lstatExists(dst)) return;
      mkdirSync(dirname(dst), { recursive: true });
      // copies, not hard links: `ls -l` must show a link count of 1, as through a bind mount.
      // Sparse "binaries" are recreated sparse instead of copied (no 50 MB writes per pod).
      if (st.blocks === 0 && st.size > 0) {
        closeSync(openSync(dst, 'w'));
        truncateSync(dst, st.size);
      } else copyFileSync(src, dst);
      chmodSync(dst, st.mode & 0o7777);
      utimesSync(dst, st.atime, st.mtime);
    }
  }

  /** Default netns of a pod that is not hostNetwork: lo + eth0 with its pod IP. */
  private podInterfaces(pod: KObj): InterfaceSpec[] {
    const ip: string | undefined = pod['status']?.podIP;
    const node = pod['spec']?.nodeName;
    const pc: string | undefined = node
      ? this.world.store.peek('nodes', undefined, node)?.['spec']?.podCIDR
      : undefined;
    const plen = pc?.split('/')[1] ?? '24';
    return [{ name: 'eth0', kind: 'veth', peerIndex: 10, addresses: ip ? [`${ip}/${plen}`] : [] }];
  }

  /** Interfaces the container sees: the node's with hostNetwork, else the pod's own. */
  interfacesFor(pod: KObj): { ifaces: Iface[]; routes: string[] } {
    const node: string | undefined = pod['spec']?.nodeName;
    const b = this.world.behaviour(pod);
    if (pod['spec']?.hostNetwork && node)
      return { ifaces: this.nodeInterfaces(node), routes: this.world.scenario.nodes[node]?.routes ?? [] };
    return {
      ifaces: normaliseInterfaces(b.interfaces ?? this.podInterfaces(pod), pod['metadata']?.uid ?? ''),
      routes: b.routes ?? [],
    };
  }

  container(pod: KObj, container: string): ContainerView {
    const uid = String(pod['metadata']?.uid ?? '');
    if (!/^[0-9a-zA-Z-]+$/.test(uid) || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(container))
      throw new Error('bad pod uid or container name');
    const key = `${uid}/${container}`;
    const have = this.containers.get(key);
    if (have) return have;
    const base = join(this.workDir, 'pods', uid, container);
    const view: ContainerView = { root: join(base, 'root'), bin: join(base, 'bin') };
    rmSync(base, { recursive: true, force: true });
    mkdirSync(view.root, { recursive: true });
    this.buildContainer(pod, container, view);
    this.containers.set(key, view);
    return view;
  }

  private buildContainer(pod: KObj, container: string, view: ContainerView): void {
    const spec = pod['spec'] ?? {};
    const ns = pod['metadata']?.namespace;
    const node: string | undefined = spec.nodeName;
    const c: KObj | undefined = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].find(
      (x: KObj) => x.name === container,
    );
    const volumes: KObj[] = spec.volumes ?? [];
    const mounts = [...((c?.volumeMounts ?? []) as KObj[])].sort(
      (a, b) => String(a.mountPath).length - String(b.mountPath).length,
    );
    for (const m of mounts) {
      const mountPath = cleanAbs(m.mountPath);
      const vol = volumes.find((v) => v.name === m.name);
      if (!mountPath || !vol) continue;
      const dst = under(view.root, mountPath);
      const sub = m.subPath ? cleanAbs(`/${m.subPath}`) : '';
      if (sub === undefined) continue;
      if (vol.hostPath && node) {
        const hp = cleanAbs(vol.hostPath.path);
        if (!hp) continue;
        const nodeRoot = this.nodeRoot(node);
        const src = this.resolveOnNode(nodeRoot, hp + (sub && sub !== '/' ? sub : ''));
        if (!src) continue;
        const type = vol.hostPath.type ?? '';
        if (!lstatExists(src)) {
          // containerd creates a missing hostPath source as a directory (type "" or DirectoryOrCreate)
          if (type === '' || type === 'DirectoryOrCreate') mkdirSync(src, { recursive: true });
          else if (type === 'FileOrCreate') {
            mkdirSync(dirname(src), { recursive: true });
            closeSync(openSync(src, 'a'));
          } else continue;
        }
        this.mirror(src, dst, view.root);
      } else if (vol.configMap || vol.secret) {
        const isCm = !!vol.configMap;
        const ref = isCm ? vol.configMap : vol.secret;
        const obj = this.world.store.peek(isCm ? 'configmaps' : 'secrets', ns, isCm ? ref.name : ref.secretName);
        const data: Record<string, string> = isCm
          ? { ...(obj?.['data'] ?? {}) }
          : Object.fromEntries(
              Object.entries((obj?.['data'] ?? {}) as Record<string, string>).map(([k, v]) => [
                k,
                Buffer.from(v, 'base64').toString('utf8'),
              ]),
            );
        const items: Array<{ key: string; path: string; mode?: number }> =
          ref.items ?? Object.keys(data).map((k) => ({ key: k, path: k }));
        const mode = ref.defaultMode ?? 0o644;
        for (const it of items) {
          const p = cleanAbs(`/${it.path}`);
          if (!p || data[it.key] === undefined) continue;
          if (sub && sub !== '/' && sub !== p) continue;
          const file = sub && sub !== '/' ? dst : under(dst, p);
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, data[it.key]!);
          chmodSync(file, (it.mode ?? mode) & 0o777);
        }
        mkdirSync(sub && sub !== '/' ? dirname(dst) : dst, { recursive: true });
      } else {
        mkdirSync(dst, { recursive: true }); // emptyDir, projected, downwardAPI: present, empty
      }
    }
    // hostPID: the node's processes under /proc (comm, and cmdline NUL-separated as the kernel gives it).
    if (spec.hostPID && node) {
      mkdirSync(join(view.root, 'proc'), { recursive: true });
      for (const pr of this.world.scenario.nodes[node]?.processes ?? []) {
        const dir = join(view.root, 'proc', String(pr.pid));
        mkdirSync(dir, { recursive: true });
        const comm = (pr.comm ?? posix.basename(pr.args[0] ?? '')).slice(0, 15);
        writeFileSync(join(dir, 'comm'), `${comm}\n`);
        writeFileSync(join(dir, 'cmdline'), pr.args.map((a) => `${a}\0`).join(''));
      }
    }
    const b = this.world.behaviour(pod);
    for (const [p, f] of Object.entries(b.files ?? {})) this.writeFile(view.root, p, f);
    const { ifaces, routes } = this.interfacesFor(pod);
    if (!lstatExists(join(view.root, 'sys'))) this.writeSysNet(view.root, ifaces);
    writeIpFiles(view.bin, ifaces, routes);
    this.touchDirs(view.root);
  }

  /** Drops materialised containers of pods on this node (after a node file changed). */
  invalidateNode(node: string): void {
    for (const [key, view] of this.containers) {
      const uid = key.split('/')[0]!;
      const pod = this.world.store.peekAll('pods').find((p) => p['metadata']?.uid === uid);
      if (!pod || pod['spec']?.nodeName === node) {
        rmSync(dirname(view.root), { recursive: true, force: true });
        this.containers.delete(key);
      }
    }
  }

  /** Adds or replaces a host file on a node at run time (tests that change the world mid-run). */
  setNodeFile(node: string, path: string, spec: string | FileSpec): void {
    const p = cleanAbs(path);
    if (!p) throw new Error(`bad path ${path}`);
    const root = this.nodeRoot(node);
    rmSync(under(root, p), { force: true, recursive: true });
    this.writeFile(root, p, spec);
    this.invalidateNode(node);
  }

  removeNodePath(node: string, path: string): void {
    const p = cleanAbs(path);
    if (!p) throw new Error(`bad path ${path}`);
    rmSync(under(this.nodeRoot(node), p), { force: true, recursive: true });
    this.invalidateNode(node);
  }
}

function lstatExists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
