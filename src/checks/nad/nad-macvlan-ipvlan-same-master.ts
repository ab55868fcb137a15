import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import type { NadView } from '../analysis.js';
import type { CniConfig, PluginConf } from '../../model/cni-config.js';
import { judgeable, judgeableNads, masterInContainer, masterOf, pluginEvidence, usesOf } from './lib/common.js';

interface Att {
  nad: NadView;
  cfg: CniConfig;
  plugin: PluginConf;
  kind: 'macvlan' | 'ipvlan';
  key: string;
}

/**
 * A parent device has one receive handler: once it carries macvlan children the kernel refuses
 * ipvlan ones (EBUSY), and the other way round. The pod that comes second on a node fails. Until
 * workloads (linted alongside, or in the cluster) use both kinds, nothing fails yet: a warning.
 */
export const nadMacvlanIpvlanSameMaster = defineCheck(
  {
    id: 'nad-macvlan-ipvlan-same-master',
    title: 'macvlan and ipvlan on one master',
    severity: 'error',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'The kernel lets a network device host either macvlan or ipvlan children, never both. When one NAD puts macvlan and another ipvlan on the same master, whichever pod comes second on a node fails to create its interface ("device or resource busy"). Use one kind per parent interface.',
  },
  (a) => {
    const meta = nadMacvlanIpvlanSameMaster.meta;
    const out: Finding[] = [];
    const byMaster = new Map<string, Att[]>();
    for (const { nad, cfg } of judgeableNads(a)) {
      for (const plugin of cfg.plugins) {
        if (plugin.type !== 'macvlan' && plugin.type !== 'ipvlan') continue;
        const m = masterOf(plugin);
        if (!m || !judgeable(m.value) || masterInContainer(plugin)) continue;
        const list = byMaster.get(m.value) ?? [];
        list.push({ nad, cfg, plugin, kind: plugin.type, key: m.key ?? 'master' });
        byMaster.set(m.value, list);
      }
    }
    for (const [master, atts] of [...byMaster].sort(([x], [y]) => x.localeCompare(y))) {
      const mac = atts.filter((x) => x.kind === 'macvlan');
      const ipv = atts.filter((x) => x.kind === 'ipvlan');
      if (!mac.length || !ipv.length) continue;
      // Real repositories keep macvlan and ipvlan variants side by side and use one at a time:
      // an error only once workloads are seen using both kinds.
      const used = (xs: Att[]) => xs.some((x) => usesOf(a, x.nad).length > 0);
      const bothUsed = used(mac) && used(ipv);
      const first = [...atts].sort((x, y) => x.nad.key.localeCompare(y.nad.key))[0]!;
      const names = (xs: Att[]) => [...new Set(xs.map((x) => x.nad.key))].join(', ');
      out.push(
        finding(
          meta,
          first.nad.subject,
          `master "${master}" carries macvlan (${names(mac)}) and ipvlan (${names(ipv)}): a device takes only one kind, so the second kind fails on any node where both are used${bothUsed ? ' — and workloads use both' : ` (${a.offline ? 'no linted workload uses both kinds' : 'no workload uses both kinds'} yet)`}.`,
          atts.slice(0, 6).map((x) => pluginEvidence(x.nad, x.cfg, x.plugin, [x.key], `${x.kind} on ${master}`)),
          `Use one kind on ${master}: switch the ipvlan NADs to macvlan (or the reverse), or put one kind on another interface (e.g. a VLAN sub-interface ${master}.<id>).`,
          bothUsed ? 'error' : 'warning',
        ),
      );
    }
    return out;
  },
);
