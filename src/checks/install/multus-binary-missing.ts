import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding, listNames, nodesNotVerified, runsAnyway } from '../helpers.js';
import type { NodeView } from '../analysis.js';
import { multusPlugin } from '../../model/multus-conf.js';
import { installFacts, joinPath } from '../../model/multus-install.js';
import { dsSubject } from '../../model/install-nodes.js';
import { dirsFix } from './lib/fixes.js';
import { shellQuote } from '../../model/shell.js';

/**
 * The runtime's active multus config names `multus` (thin) or `multus-shim` (thick), but that
 * binary is not in the runtime's bin dirs: every pod on the node fails with
 * `failed to find plugin "multus" in path [...]`. Usually the binary was copied into a directory the
 * runtime does not search (K3s), or multus was uninstalled and its config left behind.
 */
export const multusBinaryMissing = defineCheck(
  {
    id: 'multus-binary-missing',
    title: "The multus binary is not in the runtime's bin dir",
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'The runtime executes the plugin named by the first CNI config from its own bin dir. When 00-multus.conf names multus (or multus-shim) and that binary is not there, sandbox creation fails for every pod on the node.',
  },
  (a) => {
    const meta = multusBinaryMissing.meta;
    const groups = new Map<string, Array<{ n: NodeView; why: string; elsewhere?: string; file: string }>>();
    const unknown: NodeView[] = [];
    const runs: Array<{ n: NodeView; bin: string }> = [];
    for (const n of a.nodes) {
      if (!n.inspected || !n.multusConf) continue;
      // Only the config the runtime actually uses matters; a shadowed one is multus-conf-not-first.
      if (n.activeConf !== n.multusConf) continue;
      const bin = multusPlugin(n.multusConf.config)?.type;
      if (!bin) continue;
      const e = n.plugins?.get(bin);
      if (e && (e.type === 'symlink' || e.executable !== false)) continue;
      // What runs outranks what a listing of the inferred bin dirs says.
      if (n.multusRuns) {
        runs.push({ n, bin });
        continue;
      }
      // A bin dir nobody listed may hold it: no verdict on "(not listed)".
      if (!n.plugins || n.binDirsUnlisted.length) {
        unknown.push(n);
        continue;
      }
      const why = e ? `${joinPath(e.dir, bin)} is not executable` : `not in ${n.binDirs.join(', ')}`;
      const elsewhere = Object.entries(n.node.inspection?.dirs ?? {}).find(([, l]) =>
        l.entries.some((x) => x.name === bin && x.type !== 'dir'),
      )?.[0];
      const list = groups.get(bin) ?? [];
      list.push({
        n,
        why,
        elsewhere: elsewhere && !n.binDirs.includes(elsewhere) ? elsewhere : undefined,
        file: n.multusConf.path,
      });
      groups.set(bin, list);
    }
    const out: Finding[] = [];
    for (const [bin, list] of groups) {
      const m = a.multus.find((x) => installFacts(x).binary === bin) ?? a.multus[0];
      const evidence: Evidence[] = list.slice(0, 6).map((x) => ({
        node: x.n.name,
        label: `${bin}`,
        value: x.why + (x.elsewhere ? ` (it is in ${x.elsewhere})` : ''),
      }));
      const fix = m
        ? dirsFix(a, m, { bin: true })
        : `No multus DaemonSet is installed, but ${list[0]!.file} is still there: remove the leftover config on each node (rm -f ${shellQuote(list[0]!.file)}; rm -rf ${shellQuote(joinPath(list[0]!.n.confDir, 'multus.d'))}) or reinstall multus.`;
      out.push(
        finding(
          meta,
          m ? dsSubject(m) : { kind: 'Cluster', name: 'nodes' },
          `The runtime's first CNI config names "${bin}", but the ${bin} binary is ${list[0]!.why.startsWith('not in') ? "not in the runtime's bin dir" : 'not executable'} on ${listNames(list.map((x) => x.n.name))}: every pod there fails (failed to find plugin "${bin}" in path […]).`,
          evidence,
          fix,
        ),
      );
    }
    if (runs.length) {
      const bin = runs[0]!.bin;
      const m = a.multus.find((x) => installFacts(x).binary === bin) ?? a.multus[0];
      const file = runs[0]!.n.node.inspection?.runtime?.configFile;
      out.push(
        runsAnyway(
          meta,
          m ? dsSubject(m) : { kind: 'Cluster', name: 'nodes' },
          runs.map((x) => x.n),
          `The runtime's first CNI config names "${bin}", and ${bin} is not in ${listNames([...new Set(runs.flatMap((x) => x.n.binDirs))])}${file ? ` (the bin dirs ${file} names)` : ''}`,
          file,
        ),
      );
    }
    out.push(...nodesNotVerified(meta, unknown, "whether the runtime's bin dir holds the multus binary"));
    return out;
  },
);
