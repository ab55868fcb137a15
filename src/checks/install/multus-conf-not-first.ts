import { defineCheck, type Evidence, type Finding, type Subject } from '../types.js';
import { finding, runsAnyway, listNames } from '../helpers.js';
import type { NodeView } from '../analysis.js';
import { joinPath } from '../../model/multus-install.js';
import { dsSubject } from '../../model/install-nodes.js';
import { shellQuote } from '../../model/shell.js';

/**
 * Another CNI config sorts before multus's in the runtime's conf dir. Runtimes (libcni/go-cni)
 * use only the first file by name, so multus is bypassed even though its file is there.
 */
export const multusConfNotFirst = defineCheck(
  {
    id: 'multus-conf-not-first',
    title: "Another CNI config sorts before multus's",
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'The container runtime uses only the lexically first CNI config in its conf dir. A file that sorts before 00-multus.conf (a hand-written 00-aaa.conf, a CNI that drops 00-… or 01-…, or a multus config named 70-multus.conf) means multus is never called.',
  },
  (a) => {
    const meta = multusConfNotFirst.meta;
    const groups = new Map<string, NodeView[]>();
    const runs: NodeView[] = [];
    for (const n of a.nodes) {
      if (!n.inspected || !n.activeConf || n.activeConf.isMultus || !n.multusConf) continue;
      // What runs outranks the listing of the inferred conf dir: multus is evidently called here.
      if (n.multusRuns) {
        runs.push(n);
        continue;
      }
      const key = `${n.confDir}\u0000${n.activeConf.name}\u0000${n.multusConf.name}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(n);
    }
    const subject: Subject = a.multus.length === 1 ? dsSubject(a.multus[0]!) : { kind: 'Cluster', name: 'nodes' };
    const out: Finding[] = [];
    if (runs.length) {
      const n0 = runs[0]!;
      out.push(
        runsAnyway(
          meta,
          subject,
          runs,
          `${n0.activeConf!.name} sorts before the multus config ${n0.multusConf!.name} in ${n0.confDir}`,
          n0.confDirSource === 'runtime-config' ? n0.node.inspection?.runtime?.configFile : undefined,
        ),
      );
    }
    for (const nodes of groups.values()) {
      const n0 = nodes[0]!;
      const first = n0.activeConf!;
      const mine = n0.multusConf!;
      const before = n0.confFiles.filter((c) => !c.isMultus && c.name < mine.name).map((c) => c.name);
      const evidence: Evidence[] = nodes.slice(0, 6).map((n) => ({
        node: n.name,
        path: n.confDir,
        label: 'load order',
        value: n.confFiles.map((c) => `${c.name}${c.isMultus ? ' (multus)' : ''}`).join(', '),
      }));
      if (first.text !== undefined)
        evidence.push({
          node: n0.name,
          path: first.path,
          label: 'used instead',
          value: first.text.length > 200 ? first.text.slice(0, 200) + '…' : first.text,
        });
      const fix: string[] = [];
      if (!/^00-multus/.test(mine.name)) {
        fix.push(
          `Name the multus config so it sorts first: 00-multus.conf (let multus generate it with --multus-conf-file=auto, or mount your file under that name).`,
        );
      }
      fix.push(
        `Move ${listNames(before)} out of ${n0.confDir} on each node (or, if it belongs to a CNI you still run, let that CNI write a name that sorts after ${mine.name}):`,
        ...before
          .slice(0, 3)
          .map((b) => `  mv ${shellQuote(joinPath(n0.confDir, b))} ${shellQuote(`/root/${b}.disabled`)}`),
        'Pods created meanwhile have only their primary network: recreate them.',
      );
      out.push(
        finding(
          meta,
          subject,
          `${first.name} sorts before the multus config ${mine.name} in ${n0.confDir} on ${listNames(nodes.map((n) => n.name))}: the runtime uses only the first file, so multus is bypassed.`,
          evidence,
          fix.join('\n'),
        ),
      );
    }
    return out;
  },
);
