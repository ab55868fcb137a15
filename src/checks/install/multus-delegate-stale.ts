import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import type { JsonValue } from '../../model/cni-config.js';
import { delegatesOf, nestingDepth } from '../../model/multus-conf.js';
import { installFacts } from '../../model/multus-install.js';
import { dsSubject, nodesOf, primaryOn } from '../../model/install-nodes.js';
import { confFilesIn } from '../../model/node-files.js';
import { firstDifference } from '../../model/json-diff.js';
import { restartMultus } from './lib/fixes.js';

function show(v: JsonValue | undefined): string {
  const s = v === undefined ? '(absent)' : JSON.stringify(v);
  return s.length > 80 ? s.slice(0, 80) + '…' : s;
}

/**
 * Thin multus copies the primary CNI config into its own file when it starts. When the primary
 * file changes later (flannel rewrites its conflist, the CNI is upgraded or replaced) the copy is
 * stale until multus regenerates it — only the watch loop (--cleanup-config-on-exit=true) does.
 */
export const multusDelegateStale = defineCheck(
  {
    id: 'multus-delegate-stale',
    title: "The primary config embedded in multus's config is out of date",
    severity: 'warning',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'The thin plugin embeds a copy of the primary CNI config in 00-multus.conf. If the primary config file changed since, pods still get the old settings (old MTU, old subnet, an uninstalled CNI) until multus rewrites its file.',
  },
  (a) => {
    const meta = multusDelegateStale.meta;
    const out: Finding[] = [];
    for (const m of a.multus) {
      const f = installFacts(m);
      if (f.mode !== 'thin' || !f.auto || !f.writeDir.host) continue;
      const stale: Array<{ node: string; multusFile: string; primaryFile: string; diff: string }> = [];
      for (const n of nodesOf(a.nodes, m)) {
        if (!n.inspected) continue;
        const mine = confFilesIn(n.node.inspection, f.writeDir.host)?.find((c) => c.multus === 'multus');
        const primary = primaryOn(n, f)?.conf;
        if (!mine?.config?.ok || !primary?.config?.ok) continue;
        const dels = delegatesOf(mine.config);
        const first = dels[0];
        if (!first || nestingDepth(first.value) > 0) continue; // self-nesting is multus-conf-nested-delegates
        const ignore = new Set(f.thin?.forceCniVersion ? ['cniVersion'] : []);
        const d = firstDifference(first.value, primary.config.parsed.value, ignore);
        if (!d) continue;
        const where = d.path.length ? d.path.join('.') : '(whole config)';
        stale.push({
          node: n.name,
          multusFile: mine.path,
          primaryFile: primary.path,
          diff: `${where}: multus has ${show(d.left)}, ${primary.name} has ${show(d.right)}`,
        });
      }
      if (!stale.length) continue;
      const s0 = stale[0]!;
      const evidence: Evidence[] = stale
        .slice(0, 5)
        .map((s) => ({ node: s.node, path: s.multusFile, label: `differs from ${s.primaryFile}`, value: s.diff }));
      const watch = f.thin?.cleanupConfigOnExit
        ? 'multus runs its watch loop (--cleanup-config-on-exit=true) and should catch up within seconds; if it does not, check its log.'
        : 'Keep it current with --cleanup-config-on-exit=true (the thin entrypoint then watches the primary file and rewrites its config), or use the thick plugin, which regenerates on change.';
      out.push(
        finding(
          meta,
          dsSubject(m),
          `The primary network embedded in ${s0.multusFile} differs from ${s0.primaryFile} on ${listNames(stale.map((s) => s.node))}: multus still hands pods the old primary config.`,
          evidence,
          `Regenerate it: ${restartMultus(m)}\n${watch}`,
        ),
      );
    }
    return out;
  },
);
