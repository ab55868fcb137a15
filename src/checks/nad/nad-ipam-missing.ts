import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { isObject } from '../../model/cni-config.js';
import { goKey } from '../../model/go-json.js';
import { judgeableNads, pluginEvidence, pluginLabel } from './lib/common.js';

/** Plugins where an empty ipam means "layer 2 only" (the interface comes up without an address). */
const L2_OK = new Set(['macvlan', 'bridge', 'vlan', 'host-device']);
/** Plugins that run the IPAM plugin unconditionally when they are not chained: no ipam fails. */
const NEEDS_IPAM = new Set(['ipvlan', 'ptp']);

/**
 * No `ipam` (or `{}`) is a legitimate L2-only attachment for macvlan, bridge, vlan and
 * host-device: worth knowing, nothing to fix. Two variants are real problems: an ipam section with
 * settings but no "type" (the plugin skips it silently), and ipvlan/ptp as the first plugin, which
 * exec an IPAM plugin named "" and fail.
 */
export const nadIpamMissing = defineCheck(
  {
    id: 'nad-ipam-missing',
    title: 'No IPAM: interface without an address',
    severity: 'info',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'Without "ipam" (or with "ipam": {}) macvlan, bridge, vlan and host-device create the interface with no IP address, which is right for L2-only use (DPDK, VRRP, a DHCP client inside the pod) and surprising otherwise. An ipam section with settings but no "type" is skipped silently; ipvlan and ptp need IPAM when they are not chained and fail without it.',
  },
  (a) => {
    const meta = nadIpamMissing.meta;
    const out: Finding[] = [];
    for (const { nad, cfg } of judgeableNads(a)) {
      const main = cfg.plugins[0];
      const t = main?.type;
      if (!main || !t || (!L2_OK.has(t) && !NEEDS_IPAM.has(t))) continue;
      const ik = goKey(main.raw, 'ipam');
      const ipam = ik !== undefined ? main.raw[ik] : undefined;
      if (isObject(ipam) && typeof goKey(ipam, 'type') === 'string' && ipam[goKey(ipam, 'type')!] !== '') continue;
      const settings = isObject(ipam) ? Object.keys(ipam).filter((k) => k.toLowerCase() !== 'type') : [];
      const ev = pluginEvidence(
        nad,
        cfg,
        main,
        ik !== undefined ? [ik] : ['type'],
        ik !== undefined ? JSON.stringify(ipam).slice(0, 80) : 'ipam: <absent>',
      );
      if (NEEDS_IPAM.has(t)) {
        out.push(
          finding(
            meta,
            nad.subject,
            `${pluginLabel(cfg, main)} has no IPAM type: unchained ${t} always runs an IPAM plugin, so pods fail ("no plugin name provided").`,
            [ev],
            `Add an IPAM section, e.g. \`"ipam": {"type": "whereabouts", "range": "192.168.1.0/24"}\`${t === 'ipvlan' ? ' (ipvlan cannot run L2-only)' : ''}.`,
            'error',
          ),
        );
      } else if (settings.length > 0) {
        out.push(
          finding(
            meta,
            nad.subject,
            `"ipam" of ${pluginLabel(cfg, main)} has settings (${settings.slice(0, 4).join(', ')}) but no "type": ${t} skips IPAM entirely and the interface gets no address.`,
            [ev],
            `Add the IPAM type, e.g. \`"type": "${settings.some((s) => /^range/.test(s) && s.includes('_')) || settings.includes('range') ? 'whereabouts' : settings.includes('addresses') ? 'static' : 'host-local'}"\`, inside "ipam".`,
            'warning',
          ),
        );
      } else {
        out.push(
          finding(
            meta,
            nad.subject,
            `${pluginLabel(cfg, main)} has ${ik === undefined ? 'no "ipam"' : 'an empty "ipam"'}: the interface comes up without an IP address (fine for L2-only use).`,
            [ev],
            'Nothing to do for L2-only use. For addresses add e.g. `"ipam": {"type": "whereabouts", "range": "192.168.1.0/24"}` (cluster-wide) or `{"type": "dhcp"}` (needs the CNI dhcp daemon).',
          ),
        );
      }
    }
    return out;
  },
);
