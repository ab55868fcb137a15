import { defineCheck, type Evidence, type Finding, type Severity } from '../types.js';
import { finding, listNames } from '../helpers.js';
import type { NadView, NodeView } from '../analysis.js';
import { isUnrendered } from '../../model/cni-config.js';
import { multusKey } from '../../model/multus-conf.js';
import {
  delegateBinDirs,
  installFacts,
  isUnder,
  joinPath,
  normPath,
  toHost,
  type InstallFacts,
} from '../../model/multus-install.js';
import { dsSubject, nodesOf } from '../../model/install-nodes.js';
import { listing } from '../../model/node-files.js';
import { shellQuote } from '../../model/shell.js';

function usedTypes(nads: NadView[], n: NodeView, f: InstallFacts): Set<string> {
  const s = new Set<string>([f.binary]);
  for (const nad of nads)
    for (const p of nad.config?.ok ? nad.config.plugins : [])
      for (const t of [p.type, p.ipamType]) if (t && !isUnrendered(t)) s.add(t);
  for (const c of n.confFiles) for (const p of c.config?.plugins ?? []) if (p.type) s.add(p.type);
  // The primary CNI is often only inside multus's config (delegates); its plugins are used too.
  const text = n.multusConf?.text ?? '';
  for (const mm of text.matchAll(/"type"\s*:\s*"([^"]+)"/g)) s.add(mm[1]!);
  return s;
}

/**
 * Does a symlink resolve where the plugin is executed? Thin multus and a chrooted thick daemon
 * execute on the host; a thick daemon without chrootDir executes inside its pod, where absolute
 * targets outside its mounts (K3s data/cni → data/<hash>/bin/cni) do not exist. `undefined`: cannot tell.
 */
function broken(
  f: InstallFacts,
  n: NodeView,
  dir: string,
  target: string,
  targetExists: boolean | undefined,
): boolean | undefined {
  const listedInPod = n.node.inspection?.source === 'multus-pod';
  const runsInPod = f.mode === 'thick' && !f.daemon?.chrootDir;
  if (listedInPod === runsInPod) return targetExists === undefined ? undefined : !targetExists;
  if (!runsInPod) return undefined; // seen from the pod, but what counts is the host
  // Listed on the host, executed in the daemon pod: an absolute target must be mounted at that same path.
  const abs = target.startsWith('/') ? normPath(target) : joinPath(dir, target);
  const host = toHost(f.m, abs);
  if (!host) return true;
  if (normPath(host) === abs) return targetExists === undefined ? undefined : !targetExists;
  return undefined;
}

/**
 * A plugin in a bin dir multus executes from is a symlink that does not resolve there. The classic
 * case is K3s's /var/lib/rancher/k3s/data/cni, whose entries (flannel, cni, …) point at the
 * versioned data/<hash>/bin/cni: fine on the host, dangling inside a thick daemon without chrootDir.
 */
export const cniBinBrokenSymlink = defineCheck(
  {
    id: 'cni-bin-broken-symlink',
    title: 'A plugin is a symlink that does not resolve where it runs',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'libcni treats a plugin whose symlink does not resolve as missing. K3s\'s data/cni holds absolute symlinks into a versioned dir; mounted into a thick multus daemon that runs delegates in its own filesystem, they dangle and pods fail with: failed to find plugin "flannel".',
  },
  (a) => {
    const meta = cniBinBrokenSymlink.meta;
    const out: Finding[] = [];
    for (const m of a.multus) {
      const f = installFacts(m);
      const hits = new Map<Severity, Array<{ node: string; path: string; target: string }>>();
      for (const n of nodesOf(a.nodes, m)) {
        if (!n.inspected) continue;
        const used = usedTypes(a.nads, n, f);
        const dirs = [
          ...new Set([
            ...delegateBinDirs(f, n.binDirs, multusKey(n.multusConf?.config, 'binDir')),
            ...n.binDirs.map(normPath),
          ]),
        ];
        for (const dir of dirs) {
          for (const e of listing(n.node.inspection, dir)?.entries ?? []) {
            if (e.type !== 'symlink' || !e.target) continue;
            // The runtime itself (always on the host) runs multus from its own dirs; judge those on the host.
            const inRuntimeOnly = n.binDirs.map(normPath).includes(dir) && !delegateBinDirs(f, n.binDirs).includes(dir);
            const b = inRuntimeOnly
              ? n.node.inspection?.source === 'multus-pod'
                ? undefined
                : e.targetExists === false
              : broken(f, n, dir, e.target, e.targetExists);
            if (!b) continue;
            const sev: Severity = used.has(e.name) ? 'error' : 'info';
            if (!hits.has(sev)) hits.set(sev, []);
            hits.get(sev)!.push({ node: n.name, path: joinPath(dir, e.name), target: e.target });
          }
        }
      }
      for (const [sev, list] of hits) {
        const names = [...new Set(list.map((h) => h.path.slice(h.path.lastIndexOf('/') + 1)))];
        const evidence: Evidence[] = list
          .slice(0, 8)
          .map((h) => ({ node: h.node, path: h.path, value: `-> ${h.target}` }));
        const thickNoChroot = f.mode === 'thick' && !f.daemon?.chrootDir;
        const k3s = list.some((h) => isUnder(h.path, '/var/lib/rancher/k3s/data/cni'));
        const fix: string[] = [];
        if (thickNoChroot) {
          fix.push(
            'The thick daemon runs delegates inside its pod. Set "chrootDir": "/hostroot" in daemon-config.json (with the host\'s / mounted at /hostroot, as upstream does) so they run in the host\'s root where the links resolve; or mount the link targets\' directory at the same path.',
          );
        }
        if (k3s)
          fix.push(
            "On K3s the thin plugin (the rke2-multus chart's default) avoids this: K3s's own links resolve on the host. For thick, also mount /var/lib/rancher/k3s/data at the same path.",
          );
        if (!thickNoChroot)
          fix.push(
            `Replace the dangling link with the binary it should point to, on each node: ln -sf <existing binary> ${shellQuote(list[0]!.path)} (or reinstall the plugin package).`,
          );
        out.push(
          finding(
            meta,
            dsSubject(m),
            sev === 'error'
              ? `${listNames(names)} ${names.length > 1 ? 'are symlinks that do' : 'is a symlink that does'} not resolve where multus runs ${names.length > 1 ? 'them' : 'it'} (on ${listNames([...new Set(list.map((h) => h.node))])}): libcni treats ${names.length > 1 ? 'them' : 'it'} as missing, so networks using ${names.length > 1 ? 'them' : 'it'} fail (failed to find plugin "${names[0]}").`
              : `${listNames(names)} in the bin dir ${names.length > 1 ? 'are dangling symlinks' : 'is a dangling symlink'} where multus runs plugins; nothing uses ${names.length > 1 ? 'them' : 'it'} now, but a network that does will fail.`,
            evidence,
            fix.join('\n'),
            sev,
          ),
        );
      }
    }
    return out;
  },
);
