import { defineCheck, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import { judgeable, judgeableNads, masterInContainer, masterOf, pluginEvidence, pluginLabel } from './lib/common.js';
import { haveInterfaceFacts, lookupMaster } from './lib/host-interfaces.js';

/**
 * Wi-Fi drivers (and access points) accept frames only from the station's own MAC address, so
 * macvlan children with their own MACs get nothing through. ipvlan shares the parent's MAC and
 * is the usual fix. Judged from collected host interfaces only.
 */
export const nadMasterWireless = defineCheck(
  {
    id: 'nad-master-wireless',
    title: 'master is a wireless interface',
    severity: 'warning',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: "A Wi-Fi interface in station mode can only send and receive frames for its own MAC address. macvlan gives every pod a new MAC, so the interface is created but DHCP and traffic never get through. Use ipvlan (which shares the parent's MAC) on Wi-Fi, or a wired master.",
  },
  (a) => {
    const meta = nadMasterWireless.meta;
    const out: Finding[] = [];
    if (!haveInterfaceFacts(a)) return out;
    for (const { nad, cfg } of judgeableNads(a)) {
      for (const plugin of cfg.plugins) {
        if (plugin.type !== 'macvlan') continue;
        const m = masterOf(plugin);
        if (!m || !judgeable(m.value) || masterInContainer(plugin)) continue;
        const wireless = lookupMaster(a, m.value).found.filter((f) => f.iface.wireless === true);
        if (wireless.length === 0) continue;
        out.push(
          finding(
            meta,
            nad.subject,
            `${pluginLabel(cfg, plugin)} uses master "${m.value}", a wireless interface on ${listNames(wireless.map((w) => w.node.name))}: Wi-Fi drops frames for the extra MAC addresses macvlan creates.`,
            [
              pluginEvidence(nad, cfg, plugin, [m.key!], m.value),
              ...wireless
                .slice(0, 5)
                .map((w) => ({ node: w.node.name, label: 'wireless interface', value: w.iface.name })),
            ],
            `Switch the NAD to \`"type": "ipvlan"\` (mode l2; ipvlan shares the parent's MAC, so use static/whereabouts IPAM rather than dhcp), or use a wired interface as master.`,
          ),
        );
      }
    }
    return out;
  },
);
