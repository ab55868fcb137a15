import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding, listNames, nodesNotVerified, runsAnyway } from '../helpers.js';
import type { NodeView } from '../analysis.js';
import { installFacts, normPath } from '../../model/multus-install.js';
import { dsSubject, nodesOf, podOn } from '../../model/install-nodes.js';
import { listingText } from '../../model/node-files.js';
import { restartMultus } from './lib/fixes.js';

/**
 * The runtime's conf dir holds no multus config on a node where multus is meant to write there.
 * When multus writes to another directory, multus-conf-wrong-dir reports it instead (one cause,
 * one finding).
 */
export const multusConfMissing = defineCheck(
  {
    id: 'multus-conf-missing',
    title: 'No multus config where the runtime reads',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'The container runtime calls only the first CNI config in its conf dir; without 00-multus.conf(list) there, multus is never invoked and pods come up with only their primary interface — silently.',
  },
  (a) => {
    const meta = multusConfMissing.meta;
    const out: Finding[] = [];
    for (const m of a.multus) {
      const f = installFacts(m);
      const unknown: NodeView[] = [];
      const missing: NodeView[] = [];
      const runs: NodeView[] = [];
      for (const n of nodesOf(a.nodes, m)) {
        if (!n.inspected || !n.confListing || n.confListing.error) {
          unknown.push(n);
          continue;
        }
        // A file that looks like multus's but does not parse: multus-conf-invalid says so.
        if (n.confFiles.some((c) => c.isMultus || /multus/i.test(c.name))) continue;
        if (f.writeDir.host && normPath(f.writeDir.host) !== normPath(n.confDir)) continue;
        // What runs outranks the listing of the inferred conf dir.
        if (n.multusRuns) runs.push(n);
        else missing.push(n);
      }
      if (missing.length) {
        const evidence: Evidence[] = [];
        let notRunning = 0;
        let ciliumBak = false;
        for (const n of missing.slice(0, 8)) {
          evidence.push({
            node: n.name,
            path: n.confDir,
            label: 'runtime conf dir',
            value: listingText(n.node.inspection, n.confDir),
          });
          if (n.confListing?.entries.some((e) => e.name.endsWith('.cilium_bak'))) ciliumBak = true;
          const pod = podOn(m, n.name);
          if (pod && pod.ready === false) {
            notRunning++;
            evidence.push({ node: n.name, label: `pod ${pod.name}`, value: 'not ready' });
          }
        }
        const fix: string[] = [];
        if (ciliumBak)
          fix.push('Cilium renamed the multus config to *.cilium_bak: see cilium-cni-exclusive for the fix.');
        if (notRunning)
          fix.push(
            'The multus pod on these nodes is not ready, so it has not written its config: see multus-pods-not-ready.',
          );
        if (f.mode === 'thin' && f.thin?.cleanupConfigOnExit)
          fix.push(
            'With --cleanup-config-on-exit=true the file is removed while multus restarts; pods created in that window have only eth0 and must be recreated.',
          );
        if (f.mode === 'thick')
          fix.push(
            'The thick daemon deletes 00-multus.conf when it stops; pods created while it was down have only eth0 and must be recreated.',
          );
        fix.push(
          `Check the multus log on the node and restart it: ${restartMultus(m)}; then recreate pods whose network-status lacks their networks (kubectl get pods -A -o wide | grep <node>).`,
        );
        out.push(
          finding(
            meta,
            dsSubject(m),
            `No multus config (a ${f.binary === 'multus' ? '"type": "multus"' : '"type": "multus-shim"'} file such as 00-multus.conf) is in ${listNames([...new Set(missing.map((n) => n.confDir))])}, the directory the container runtime reads, on ${listNames(missing.map((n) => n.name))}: pods there get only their primary network.`,
            evidence,
            fix.join('\n'),
          ),
        );
      }
      if (runs.length) {
        const n0 = runs[0]!;
        out.push(
          runsAnyway(
            meta,
            dsSubject(m),
            runs,
            `No multus config is in ${n0.confDir} (${listingText(n0.node.inspection, n0.confDir)})`,
            n0.confDirSource === 'runtime-config' ? n0.node.inspection?.runtime?.configFile : undefined,
          ),
        );
      }
      out.push(
        ...nodesNotVerified(
          meta,
          unknown,
          `whether the runtime conf dir holds the multus config of ${m.namespace}/${m.name}`,
        ),
      );
    }
    return out;
  },
);
