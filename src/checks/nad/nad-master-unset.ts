import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { closest } from '../../model/suggest.js';
import { judgeableNads, masterInContainer, masterOf, pluginEvidence, pluginLabel } from './lib/common.js';

/**
 * macvlan/ipvlan without `master` attach to whatever interface holds the default route on that
 * node (in the pod's namespace with linkInContainer), which differs between nodes and changes
 * with routing. A chained ipvlan takes its master from the previous result, so it is exempt. The
 * vlan plugin has no default at all: without master it fails.
 */
export const nadMasterUnset = defineCheck(
  {
    id: 'nad-master-unset',
    title: 'macvlan/ipvlan without master',
    severity: 'warning',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'Without "master", macvlan and ipvlan attach to the interface that holds the default route on the node where the pod lands. That is eth0/ens3 on one node and a bond or bridge on another, and it moves when routing changes, so pods end up on the wrong segment. The vlan plugin requires "master" and fails without it.',
  },
  (a) => {
    const meta = nadMasterUnset.meta;
    const out: Finding[] = [];
    for (const { nad, cfg } of judgeableNads(a)) {
      for (const plugin of cfg.plugins) {
        const t = plugin.type;
        if (t !== 'macvlan' && t !== 'ipvlan' && t !== 'vlan') continue;
        const m = masterOf(plugin)!;
        if (m.value !== undefined) continue;
        if (m.key !== undefined && typeof plugin.raw[m.key] === 'string' && plugin.raw[m.key] !== '') continue;
        if (t === 'ipvlan' && plugin.index > 0) continue; // chained: master comes from prevResult
        const ev = pluginEvidence(
          nad,
          cfg,
          plugin,
          m.key !== undefined ? [m.key] : ['type'],
          m.key !== undefined ? `"${m.key}": ""` : `type: ${t}, master: <absent>`,
        );
        if (t === 'vlan') {
          out.push(
            finding(
              meta,
              nad.subject,
              `${pluginLabel(cfg, plugin)} has no "master": the vlan plugin requires one and fails with "master" field is required.`,
              [ev],
              'Add the parent interface, e.g. `"master": "eth1"`, next to "vlanId".',
              'error',
            ),
          );
          continue;
        }
        const inPod = masterInContainer(plugin);
        const typo = Object.keys(plugin.raw).find((k) => closest(k, ['master']) === 'master');
        const hint = typo ? ` ("${typo}" looks like a misspelling of it)` : '';
        out.push(
          finding(
            meta,
            nad.subject,
            `${pluginLabel(cfg, plugin)} has no "master"${hint}: ${t} attaches to the interface holding the default route ${inPod ? "in the pod's network namespace" : 'on each node'}, which can differ from node to node.`,
            [ev],
            `Name the parent interface explicitly, e.g. \`"master": "eth1"\` (check with \`ip -br link\` on the nodes; names differ between hardware, e.g. eth0, end0, ens3, enp1s0).`,
          ),
        );
      }
    }
    return out;
  },
);
