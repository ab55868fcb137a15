import { defineCheck, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import type { PluginConf } from '../../model/cni-config.js';
import { goKey } from '../../model/go-json.js';
import { judgeable, judgeableNads, masterInContainer, masterOf, pluginEvidence, pluginLabel } from './lib/common.js';
import { lookupMaster } from './lib/host-interfaces.js';

const CHILD_TYPES = new Set(['macvlan', 'ipvlan', 'vlan']);

function mtuOf(p: PluginConf): { key: string; value: unknown } | undefined {
  const k = goKey(p.raw, 'mtu');
  return k === undefined ? undefined : { key: k, value: p.raw[k] };
}

/**
 * A macvlan/ipvlan/vlan child cannot have a larger MTU than its parent: the plugins refuse with
 * `invalid MTU %d, must be [0, master MTU(%d)]` (macvlan, vlan) and the kernel with EINVAL
 * (ipvlan, or a chained tuning plugin raising it later). The value itself is judged offline; the
 * comparison needs the master's MTU from node data.
 */
export const nadMtuExceedsMaster = defineCheck(
  {
    id: 'nad-mtu-exceeds-master',
    title: 'mtu larger than the master interface',
    severity: 'error',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'macvlan, ipvlan and vlan interfaces share their parent\'s link, so their MTU must be between 0 and the master\'s MTU; a jumbo "mtu": 9000 on a 1500-byte master fails every pod with `invalid MTU 9000, must be [0, master MTU(1500)]`. Raise the master\'s MTU first, or drop "mtu" to inherit it.',
  },
  (a) => {
    const meta = nadMtuExceedsMaster.meta;
    const out: Finding[] = [];
    for (const { nad, cfg } of judgeableNads(a)) {
      const main = cfg.plugins[0];
      if (!main || !CHILD_TYPES.has(main.type ?? '')) continue;
      // The main plugin's own mtu, and a chained tuning plugin that sets one later.
      const setters = [main, ...cfg.plugins.slice(1).filter((p) => p.type === 'tuning')]
        .map((p) => ({ p, mtu: mtuOf(p) }))
        .filter((x) => x.mtu !== undefined);
      for (const { p, mtu } of setters) {
        const v = mtu!.value;
        const ev = pluginEvidence(nad, cfg, p, [mtu!.key], JSON.stringify(v));
        if (v === null || (typeof v === 'string' && !judgeable(v))) continue;
        if (typeof v !== 'number' || !Number.isInteger(v)) {
          out.push(
            finding(
              meta,
              nad.subject,
              `${pluginLabel(cfg, p)} has "mtu": ${JSON.stringify(v)}, which is not an integer: the config fails to decode.`,
              [ev],
              'Write the MTU as a number without quotes, e.g. `"mtu": 1500`.',
            ),
          );
          continue;
        }
        if (v < 0) {
          out.push(
            finding(
              meta,
              nad.subject,
              `${pluginLabel(cfg, p)} has "mtu": ${v}: ${main.type} refuses a negative MTU (invalid MTU ${v}, must be [0, master MTU(…)]).`,
              [ev],
              'Remove "mtu" to inherit the master\'s MTU, or set a positive value no larger than it.',
            ),
          );
          continue;
        }
        if (v === 0) continue;
        const m = masterOf(main);
        if (!m || !judgeable(m.value) || masterInContainer(main)) continue;
        const over = lookupMaster(a, m.value).found.filter((f) => typeof f.iface.mtu === 'number' && v > f.iface.mtu);
        if (over.length === 0) continue;
        const masterMtu = over[0]!.iface.mtu!;
        out.push(
          finding(
            meta,
            nad.subject,
            `${pluginLabel(cfg, p)} sets "mtu": ${v}, larger than master "${m.value}" (MTU ${masterMtu}) on ${listNames(over.map((o) => o.node.name))}: pods there fail with invalid MTU ${v}, must be [0, master MTU(${masterMtu})].`,
            [
              ev,
              ...over
                .slice(0, 5)
                .map((o) => ({ node: o.node.name, label: `${m.value} mtu`, value: String(o.iface.mtu) })),
            ],
            `Set "mtu" to at most ${Math.min(...over.map((o) => o.iface.mtu!))} (or remove it to inherit the master's MTU), or raise the MTU of ${m.value} on those nodes first${a.distribution === 'openshift' ? ' (NodeNetworkConfigurationPolicy)' : ' (netplan/NetworkManager)'}.`,
          ),
        );
      }
    }
    return out;
  },
);
