import { defineCheck, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import { REFERENCE_IPAM_TYPES, isKnownIpamType, isKnownPluginType, suggestType } from '../../model/plugin-fields.js';
import { ipamEvidence, judgeable, judgeableNads, pluginInstallHint } from './lib/common.js';
import { binPresence } from './lib/bin-dirs.js';

/**
 * `ipam.type` is an executable too. Outside the reference IPAMs (host-local, static, dhcp) and
 * whereabouts, a type no inspected node has is an error; offline a close misspelling of a known
 * IPAM is an error too (no such binary exists), while an unfamiliar name is only info.
 */
export const nadIpamUnknown = defineCheck(
  {
    id: 'nad-ipam-unknown',
    title: 'Unknown IPAM type',
    severity: 'error',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: '"ipam.type" names the IPAM plugin executable: host-local, static, dhcp, whereabouts, or a vendor IPAM installed on the nodes. A misspelt type ("host_local", "whereabout") makes every pod using the NAD fail with `failed to find plugin "<type>" in path`.',
  },
  (a) => {
    const meta = nadIpamUnknown.meta;
    const out: Finding[] = [];
    for (const { nad, cfg } of judgeableNads(a)) {
      for (const plugin of cfg.plugins) {
        const t = plugin.ipamType;
        if (!plugin.ipam || !judgeable(t) || t === '' || isKnownIpamType(t)) continue;
        const ev = ipamEvidence(nad, cfg, plugin, ['type'], t);
        if (isKnownPluginType(t)) {
          out.push(
            finding(
              meta,
              nad.subject,
              `"ipam": {"type": "${t}"} names an interface plugin, not an IPAM plugin.`,
              [ev],
              `Use an IPAM plugin: ${REFERENCE_IPAM_TYPES.map((x) => `"${x}"`).join(', ')}.`,
            ),
          );
          continue;
        }
        const bins = binPresence(a, t);
        if (bins.present.length > 0) continue;
        // Only a near-miss of a reference IPAM is certainly wrong offline; vendor names are many.
        const suggestion = suggestType(t, true, true);
        const vendorLike = suggestion ? undefined : suggestType(t, true);
        if (bins.listed.length > 0) {
          out.push(
            finding(
              meta,
              nad.subject,
              `IPAM type "${t}" is not installed on any node (checked ${listNames(bins.listed)})${suggestion ? `; did you mean "${suggestion}"?` : ''}: pods fail with failed to find plugin "${t}".`,
              [ev],
              suggestion ? `Change ipam.type to "${suggestion}".` : pluginInstallHint(a, t),
            ),
          );
        } else if (suggestion) {
          out.push(
            finding(
              meta,
              nad.subject,
              `IPAM type "${t}" does not exist; did you mean "${suggestion}"? Pods will fail with failed to find plugin "${t}".`,
              [ev],
              `Change ipam.type to "${suggestion}".`,
            ),
          );
        } else {
          out.push(
            finding(
              meta,
              nad.subject,
              `IPAM type "${t}" is not one kubectl-multus knows${vendorLike ? ` (did you mean "${vendorLike}"?)` : ''} (not verifiable offline): it must be an executable named "${t}" in the CNI bin dir of every node.`,
              [ev],
              `If "${t}" is a vendor IPAM, make sure it is installed on every node (${a.paths.recommendedBinDir} for ${a.paths.label}); otherwise use host-local, static, dhcp or whereabouts.`,
              'info',
            ),
          );
        }
      }
    }
    return out;
  },
);
