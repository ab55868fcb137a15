import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { goString } from '../../model/go-json.js';
import type { PluginConf } from '../../model/cni-config.js';
import { judgeableNads, pluginEvidence, pluginLabel } from './lib/common.js';
import { MAC_AT_CREATION_PLUGINS as LEGACY_MAC } from '../../model/legacy-args.js';

function setsMac(p: PluginConf): boolean {
  return p.capabilities['mac'] === true || !!goString(p.raw, 'mac');
}

/**
 * In a chain, plugins run in order: DHCP leases inside the first plugin, and a later `tuning`
 * plugin then changes the MAC. The lease (and any reservation keyed on the MAC) belongs to the
 * random MAC the interface was born with. Putting the MAC capability on the plugin that creates
 * the interface sets it before DHCP runs.
 */
export const nadMacAfterDhcp = defineCheck(
  {
    id: 'nad-mac-after-dhcp',
    title: 'MAC set after the DHCP lease',
    severity: 'warning',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'When the MAC is applied by a chained "tuning" plugin while an earlier plugin leases its address by DHCP, the lease is taken with the interface\'s original random MAC: DHCP reservations never match and every restart takes a new lease. Put `"capabilities": {"mac": true}` on the plugin that creates the interface (macvlan, bridge) so the MAC is set before DHCP runs.',
  },
  (a) => {
    const meta = nadMacAfterDhcp.meta;
    const out: Finding[] = [];
    for (const { nad, cfg } of judgeableNads(a)) {
      if (!cfg.isConflist) continue;
      const dhcpAt = cfg.plugins.findIndex((p) => p.ipamType === 'dhcp');
      if (dhcpAt < 0) continue;
      const leaser = cfg.plugins[dhcpAt]!;
      if (setsMac(leaser)) continue;
      const tuning = cfg.plugins.slice(dhcpAt + 1).find((p) => p.type === 'tuning' && setsMac(p));
      if (!tuning) continue;
      const legacy = LEGACY_MAC.has(leaser.type ?? '');
      out.push(
        finding(
          meta,
          nad.subject,
          `The MAC is set by ${pluginLabel(cfg, tuning)}, which runs after ${pluginLabel(cfg, leaser)} has leased its address by DHCP: ${
            legacy
              ? `only multus's legacy MAC= argument (read by ${leaser.type} in recent plugin releases) gets the MAC there first; with older plugins the lease belongs to a random MAC.`
              : `${leaser.type} does not take a MAC at creation, so the lease belongs to the interface's original MAC, not the requested one.`
          }`,
          [
            pluginEvidence(nad, cfg, tuning, tuning.capabilities['mac'] ? ['capabilities'] : ['mac'], 'tuning mac'),
            pluginEvidence(nad, cfg, leaser, ['ipam'], 'dhcp'),
          ],
          legacy
            ? `Add \`"capabilities": {"mac": true}\` to ${pluginLabel(cfg, leaser)} so the MAC is set when the interface is created, before DHCP; the tuning plugin can then drop its "mac" capability.`
            : `Request the address for the final MAC another way (static IPAM with the "ips" capability, or whereabouts), or use a main plugin that accepts the MAC at creation (macvlan/bridge with \`"capabilities": {"mac": true}\`).`,
        ),
      );
    }
    return out;
  },
);
