import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding, listNames, nodesNotVerified, runsAnyway } from '../helpers.js';
import { attachedNadsByNode } from '../../model/multus-runs.js';
import type { NadView, NodeView } from '../analysis.js';
import { isObject, isUnrendered, locate } from '../../model/cni-config.js';
import { delegatesOf, multusKey } from '../../model/multus-conf.js';
import { delegateBinDirs, installFacts, normPath, type InstallFacts } from '../../model/multus-install.js';
import { dsSubject, nodesOf, primaryOn } from '../../model/install-nodes.js';
import { listing } from '../../model/node-files.js';
import { NOT_A_BINARY } from '../../model/plugin-packages.js';
import { pluginInstallFix } from './lib/fixes.js';

const RESOURCE_ANNOTATION = 'k8s.v1.cni.cncf.io/resourceName';

/** Types a NAD needs as binaries, with where each is named. whereabouts is whereabouts-missing's. */
function nadTypes(nad: NadView): Array<{ type: string; path: Array<string | number> }> {
  const out: Array<{ type: string; path: Array<string | number> }> = [];
  for (const p of nad.config?.ok ? nad.config.plugins : []) {
    if (p.type) out.push({ type: p.type, path: [...p.path, 'type'] });
    if (p.ipamType) out.push({ type: p.ipamType, path: [...p.path, 'ipam', 'type'] });
  }
  return out.filter((t) => !NOT_A_BINARY.has(t.type) && t.type !== 'whereabouts' && !isUnrendered(t.type));
}

interface Needed {
  type: string;
  /** Named in the config (error when missing) rather than implied by a plugin's own defaults (warning). */
  named: boolean;
}

/** Plugin types a primary CNI config needs; flannel also runs its delegate (bridge by default) with host-local. */
function configTypes(d: unknown): Needed[] {
  if (!isObject(d)) return [];
  const plugins = Array.isArray(d['plugins']) ? d['plugins'] : [d];
  const out = new Map<string, boolean>();
  const add = (t: string, named: boolean) => {
    if (!NOT_A_BINARY.has(t)) out.set(t, (out.get(t) ?? false) || named);
  };
  for (const p of plugins) {
    if (!isObject(p) || typeof p['type'] !== 'string') continue;
    add(p['type'], true);
    const ipam = p['ipam'];
    if (isObject(ipam) && typeof ipam['type'] === 'string') add(ipam['type'], true);
    if (p['type'] === 'flannel') {
      const del = p['delegate'];
      const explicit = isObject(del) && typeof del['type'] === 'string';
      add(explicit ? (del['type'] as string) : 'bridge', explicit);
      add('host-local', false);
    }
  }
  return [...out].map(([type, named]) => ({ type, named }));
}

/** The primary network multus runs: thin, the copy embedded in its config; thick, the file in multusAutoconfigDir. */
function primaryTypes(f: InstallFacts, n: NodeView): Needed[] {
  if (f.mode === 'thin') return configTypes(delegatesOf(n.multusConf?.config)[0]?.value);
  return configTypes(primaryOn(n, f)?.conf?.config?.parsed.value);
}

type Lookup = { found: boolean } | undefined;

/** Whether a plugin is in one of the dirs; undefined when the answer depends on a dir not listed. */
function lookup(n: NodeView, dirs: string[], type: string): Lookup {
  let unlisted = false;
  for (const d of dirs) {
    const l = listing(n.node.inspection, d);
    if (!l || l.error) {
      unlisted = true;
      continue;
    }
    if (l.exists && l.entries.some((e) => e.name === type && e.type !== 'dir')) return { found: true };
  }
  return unlisted ? undefined : { found: false };
}

function searchDirs(f: InstallFacts, n: NodeView): string[] {
  return delegateBinDirs(f, n.binDirs, multusKey(n.multusConf?.config, 'binDir'));
}

/**
 * A plugin or IPAM type used by a NAD, or by the primary network multus delegates to, is not in
 * any directory multus searches on a node (thin: the config's binDir, default /opt/cni/bin, then
 * the runtime's bin dirs; thick: the daemon's binDir). Pods fail with
 * `failed to find plugin "macvlan" in path [...]`.
 */
export const cniPluginMissing = defineCheck(
  {
    id: 'cni-plugin-missing',
    title: 'A CNI plugin used by a network is not installed on a node',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: "Multus does not ship the plugins it calls. Primary CNIs install only what they need (K3s's multicall cni has no macvlan, kind only what kindnet uses), so a NAD of type macvlan, ipvlan, bridge or with dhcp/static IPAM fails on every node where that binary is missing.",
  },
  (a) => {
    const meta = cniPluginMissing.meta;
    const m = a.multus[0];
    if (!m) return [];
    const f = installFacts(m);
    const nodes = nodesOf(a.nodes, m);
    const inspected = nodes.filter((n) => n.inspected);
    const out: Finding[] = [];
    const unknown = new Set<NodeView>(nodes.filter((n) => !n.inspected));

    // What runs outranks the listing of the inferred dirs: a pod on the node that multus gave
    // this NAD's interface (after it started) proves its plugins are found there.
    const attached = a.offline ? new Map<string, Set<string>>() : attachedNadsByNode(a.snapshot);
    for (const nad of a.nads) {
      const types = nadTypes(nad);
      if (!types.length) continue;
      const missing = new Map<string, string[]>();
      const works: NodeView[] = [];
      for (const n of inspected) {
        const dirs = searchDirs(f, n);
        if (!dirs.length) continue;
        let absent = false;
        for (const t of types) {
          const r = lookup(n, dirs, t.type);
          if (!r) unknown.add(n);
          else if (!r.found) absent = true;
        }
        if (!absent) continue;
        if (attached.get(n.name)?.has(nad.key)) {
          works.push(n);
          continue;
        }
        for (const t of types)
          if (lookup(n, dirs, t.type)?.found === false) missing.set(t.type, [...(missing.get(t.type) ?? []), n.name]);
      }
      if (works.length) {
        const absentTypes = [
          ...new Set(
            types
              .filter((t) => works.some((n) => lookup(n, searchDirs(f, n), t.type)?.found === false))
              .map((t) => `"${t.type}"`),
          ),
        ];
        out.push(
          runsAnyway(
            meta,
            nad.subject,
            works.map((n) => ({
              name: n.name,
              multusRuns: {
                summary: `a pod there has ${nad.key} in its network-status`,
                evidence: [
                  {
                    node: n.name,
                    label: 'network-status',
                    value: `a pod on ${n.name} got an interface from ${nad.key}`,
                  },
                ],
              },
            })),
            `${listNames(absentTypes)} ${absentTypes.length > 1 ? 'are' : 'is'} not in the dirs multus is inferred to search (${listNames(searchDirs(f, works[0]!))}), but ${nad.key} works`,
          ),
        );
      }
      if (!missing.size) continue;
      // Device-plugin NADs (SR-IOV…) only run where the resource exists: judge them only when no node has the plugin.
      if (
        nad.obj.annotations?.[RESOURCE_ANNOTATION] &&
        [...missing.values()].every((ns) => ns.length < inspected.length)
      )
        continue;
      const evidence: Evidence[] = [];
      for (const [type, ns] of missing) {
        const t = types.find((x) => x.type === type)!;
        evidence.push({
          ...nad.at(nad.config ? locate(nad.config.parsed, t.path) : undefined, type),
          label: 'plugin type',
        });
        const n0 = inspected.find((n) => n.name === ns[0])!;
        evidence.push({
          node: ns[0],
          label: `not in ${searchDirs(f, n0).join(', ')}`,
          value: ns.length > 1 ? `also missing on ${listNames(ns.slice(1))}` : undefined,
        });
      }
      const all = [...new Set([...missing.values()].flat())];
      out.push(
        finding(
          meta,
          nad.subject,
          `${nad.key} uses ${listNames([...missing.keys()].map((t) => `"${t}"`))}, which ${missing.size > 1 ? 'are' : 'is'} not installed on ${listNames(all)}: pods there that use this network fail in ContainerCreating ("failed to find plugin").`,
          evidence,
          pluginInstallFix(a, [...missing.keys()], f.mode === 'thick' ? searchDirs(f, inspected[0]!)[0] : undefined),
        ),
      );
    }

    // The primary network: every pod needs it, so a missing plugin fails the whole node.
    const byTypes = new Map<string, { nodes: string[]; elsewhere?: string }>();
    const primaryRuns: NodeView[] = [];
    for (const n of inspected) {
      const dirs = searchDirs(f, n);
      if (!dirs.length) continue;
      const absent: Needed[] = [];
      for (const t of primaryTypes(f, n)) {
        const r = lookup(n, dirs, t.type);
        if (!r) unknown.add(n);
        else if (!r.found) absent.push(t);
      }
      if (!absent.length) continue;
      // multus gave pods there their eth0 after it started: the primary's plugins are found.
      if (n.multusRuns) {
        primaryRuns.push(n);
        continue;
      }
      const key = absent.map((t) => `${t.type}:${t.named ? 1 : 0}`).join(',');
      const g = byTypes.get(key) ?? { nodes: [] };
      g.nodes.push(n.name);
      // The runtime's own dir often has it (K3s data/cni): then the thick daemon's binDir is the thing to change.
      g.elsewhere ??= n.binDirs.find((d) => !dirs.includes(normPath(d)) && lookup(n, [d], absent[0]!.type)?.found);
      byTypes.set(key, g);
    }
    for (const [key, g] of byTypes) {
      const needed = key.split(',').map((x) => ({ type: x.split(':')[0]!, named: x.endsWith(':1') }));
      const types = needed.map((t) => t.type);
      // Only implied (flannel's default delegate): a warning, since the config does not name it.
      const implied = needed.every((t) => !t.named);
      const d = f.daemon;
      const thick = f.mode === 'thick' && d;
      const where = thick
        ? `the thick daemon's binDir ${
            searchDirs(
              f,
              inspected.find((n) => n.name === g.nodes[0])!,
            )[0]
          } (it searches nothing else)`
        : 'the dirs multus searches';
      const ignoredKey =
        thick && d.raw['cniBinDir'] !== undefined
          ? ' The daemon config sets "cniBinDir", which multus does not read: the key is "binDir".'
          : '';
      const fix =
        thick && g.elsewhere
          ? `Set "binDir": "${g.elsewhere}" in daemon-config.json (${d.source ?? 'the daemon ConfigMap'})${d.chrootDir ? ' — a host path, since delegates run chrooted into ' + d.chrootDir : ', and mount it at that same path'}${m.flavor === 'rke2-chart' ? `; rke2-multus chart: config.daemon_conf.binDir: ${g.elsewhere}` : ''}. Then restart the daemon.`
          : pluginInstallFix(a, types, thick ? searchDirs(f, inspected[0]!)[0] : undefined);
      out.push(
        finding(
          meta,
          dsSubject(m),
          `The primary network needs ${listNames(types.map((t) => `"${t}"`))}${implied ? ' (flannel runs them as its default delegate and IPAM)' : ''}, missing from ${where} on ${listNames(g.nodes)}${g.elsewhere ? ` (the runtime has it in ${g.elsewhere})` : ''}: every pod there ${implied ? 'will fail' : 'fails'} to start (failed to find plugin "${types[0]}").${ignoredKey}`,
          g.nodes.slice(0, 5).map((node) => ({
            node,
            label: 'searched',
            value: searchDirs(
              f,
              inspected.find((n) => n.name === node)!,
            ).join(', '),
          })),
          fix,
          implied ? 'warning' : 'error',
        ),
      );
    }
    if (primaryRuns.length)
      out.push(
        runsAnyway(
          meta,
          dsSubject(m),
          primaryRuns,
          `The primary network's plugins are not in the dirs multus is inferred to search (${listNames(searchDirs(f, primaryRuns[0]!))})`,
        ),
      );
    if (a.nads.some((n) => nadTypes(n).length))
      out.push(...nodesNotVerified(meta, [...unknown], 'whether the plugins the NADs use are installed'));
    return out;
  },
);
