import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import { locate } from '../../model/cni-config.js';
import { delegatesOf, nestingDepth } from '../../model/multus-conf.js';
import { dirName, installFacts, normPath } from '../../model/multus-install.js';
import { dsSubject } from '../../model/install-nodes.js';
import { nestedDelegatesFix } from './lib/fixes.js';

/**
 * A delegate inside the multus config is itself a multus config: multus wrapped its own
 * 00-multus.conf when it restarted (v3.x, v4.0.x — v4.0.2 notably; fixed in v4.1.0). Pods then
 * get eth0 twice and fail with "interface name net1 already exists".
 */
export const multusConfNestedDelegates = defineCheck(
  {
    id: 'multus-conf-nested-delegates',
    title: 'The multus config delegates to itself',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'After a restart, multus up to v4.0.x can pick its own 00-multus.conf as the primary config and nest it inside a new one. Every pod then runs the default network twice and pods with secondary networks fail with "validateIfName: interface name net1 already exists".',
  },
  (a) => {
    const meta = multusConfNestedDelegates.meta;
    const groups = new Map<string, { file: string; depth: number; line?: number; column?: number; nodes: string[] }>();
    for (const n of a.nodes) {
      if (!n.inspected) continue;
      for (const c of n.confFiles) {
        if (!c.isMultus || !c.config) continue;
        let depth = 0;
        let at: { line: number; column: number } | undefined;
        for (const d of delegatesOf(c.config)) {
          const k = nestingDepth(d.value);
          if (k > depth) {
            depth = k;
            at = locate(c.config.parsed, d.path);
          }
        }
        if (!depth) continue;
        const key = `${c.path}\u0000${depth}`;
        const g = groups.get(key) ?? { file: c.path, depth, line: at?.line, column: at?.column, nodes: [] };
        g.nodes.push(n.name);
        groups.set(key, g);
      }
    }
    const out: Finding[] = [];
    for (const g of groups.values()) {
      const m =
        a.multus.find((x) => {
          const h = installFacts(x).writeDir.host;
          return h && normPath(h) === normPath(dirName(g.file));
        }) ?? a.multus[0];
      const evidence: Evidence[] = g.nodes
        .slice(0, 5)
        .map((node) => ({ node, path: g.file, line: g.line, column: g.column, label: 'nested delegate' }));
      if (m) evidence.push({ label: 'multus image', value: m.image });
      const fix = m
        ? nestedDelegatesFix(a, m, g.file)
        : `Delete ${g.file} on every node and restart multus; upgrade multus to v4.1.0 or later.`;
      out.push(
        finding(
          meta,
          m ? dsSubject(m) : { kind: 'Cluster', name: 'nodes' },
          `${g.file} on ${listNames(g.nodes)} contains a multus config as its delegate (nested ${g.depth} level${g.depth > 1 ? 's' : ''} deep): multus wrapped its own config on restart, so pods set up the default network twice and secondary interfaces fail with "interface name … already exists".`,
          evidence,
          fix,
        ),
      );
    }
    return out;
  },
);
