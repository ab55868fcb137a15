import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import { parseCniConfig } from '../../model/cni-config.js';
import { multusKind } from '../../model/node-files.js';
import { joinPath } from '../../model/multus-install.js';
import { ciliumExclusiveFix } from './lib/fixes.js';

/**
 * Cilium with cni-exclusive renames every CNI config that is not its own to *.cilium_bak — the
 * multus config included — whenever the agent starts. Error when the setting is on and multus is
 * installed, or when a renamed multus config is found on a node.
 */
export const ciliumCniExclusive = defineCheck(
  {
    id: 'cilium-cni-exclusive',
    title: 'Cilium removes the multus config (cni-exclusive)',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'With cni-exclusive (the Helm default cni.exclusive=true) the Cilium agent renames every other CNI config in the conf dir to *.cilium_bak at start, so multus silently stops being called after each Cilium restart.',
  },
  (a) => {
    const meta = ciliumCniExclusive.meta;
    const evidence: Evidence[] = [];
    const renamedOn: string[] = [];
    for (const n of a.nodes) {
      if (!n.inspected || !n.confListing?.exists) continue;
      for (const e of n.confListing.entries) {
        if (!e.name.endsWith('.cilium_bak')) continue;
        const path = joinPath(n.confDir, e.name);
        const text = n.node.inspection?.files[path]?.content;
        const isMultus = text !== undefined ? !!multusKind(parseCniConfig(text)) : /multus/i.test(e.name);
        if (!isMultus) continue;
        renamedOn.push(n.name);
        evidence.push({ node: n.name, path, label: 'renamed by Cilium' });
      }
    }
    const cilium = a.snapshot.cilium;
    const exclusive = cilium?.config['cni-exclusive'];
    const on = exclusive !== undefined && exclusive.trim().toLowerCase() === 'true';
    if (on)
      evidence.unshift({
        label: `ConfigMap ${cilium?.namespace ?? 'kube-system'}/cilium-config`,
        value: `cni-exclusive: "${exclusive}"`,
      });
    const out: Finding[] = [];
    if (renamedOn.length || (on && a.multus.length > 0)) {
      out.push(
        finding(
          meta,
          { kind: 'ConfigMap', name: 'cilium-config', namespace: cilium?.namespace ?? 'kube-system' },
          renamedOn.length
            ? `Cilium renamed the multus config to *.cilium_bak on ${listNames(renamedOn)}: multus is no longer called there and pods get only their Cilium interface.`
            : 'Cilium runs with cni-exclusive: "true": each time a Cilium agent starts it renames the multus config to *.cilium_bak, and multus silently stops working on that node.',
          evidence,
          ciliumExclusiveFix(a, cilium?.namespace),
        ),
      );
    }
    return out;
  },
);
