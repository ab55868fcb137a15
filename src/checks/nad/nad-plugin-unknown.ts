import { defineCheck, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import { REFERENCE_IPAM_TYPES, isKnownPluginType, suggestType } from '../../model/plugin-fields.js';
import { judgeable, judgeableNads, pluginEvidence, pluginInstallHint } from './lib/common.js';
import { binPresence } from './lib/bin-dirs.js';

/**
 * A `type` is the name of an executable in the runtime's CNI bin dir. We know the reference
 * plugins and the common third-party ones; anything else is either a typo or a custom plugin.
 * Offline we can only tell the first from the second by spelling, so a type that is merely
 * unfamiliar is info there. Binaries missing on nodes for known types are cni-plugin-missing's.
 */
export const nadPluginUnknown = defineCheck(
  {
    id: 'nad-plugin-unknown',
    title: 'Unknown plugin type',
    severity: 'warning',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'The plugin "type" names an executable that must exist in the CNI bin dir of every node. A type that is neither a reference plugin nor a known third-party plugin, and that no node has, is usually a typo ("macvlna", "host_device"); pods then fail with `failed to find plugin "<type>" in path`.',
  },
  (a) => {
    const meta = nadPluginUnknown.meta;
    const out: Finding[] = [];
    for (const { nad, cfg } of judgeableNads(a)) {
      for (const plugin of cfg.plugins) {
        const t = plugin.type;
        if (!judgeable(t) || t === '' || isKnownPluginType(t)) continue;
        const ev = pluginEvidence(nad, cfg, plugin, ['type'], t);
        if (REFERENCE_IPAM_TYPES.includes(t)) {
          out.push(
            finding(
              meta,
              nad.subject,
              `"type": "${t}" names an IPAM plugin, not an interface plugin: ${t} cannot create the pod's interface.`,
              [ev],
              `Use an interface plugin as "type" (e.g. "macvlan") and move ${t} into \`"ipam": {"type": "${t}", …}\`.`,
            ),
          );
          continue;
        }
        const bins = binPresence(a, t);
        if (bins.present.length > 0) continue; // a custom plugin that is installed
        const suggestion = suggestType(t, false);
        if (bins.listed.length > 0) {
          out.push(
            finding(
              meta,
              nad.subject,
              `"type": "${t}" is not a plugin we know and no node has it in its CNI bin dir (checked ${listNames(bins.listed)})${suggestion ? `; did you mean "${suggestion}"?` : ''}: pods fail with failed to find plugin "${t}".`,
              [ev],
              suggestion ? `Change the type to "${suggestion}".` : pluginInstallHint(a, t),
            ),
          );
        } else if (suggestion) {
          out.push(
            finding(
              meta,
              nad.subject,
              `"type": "${t}" is not a CNI plugin we know; did you mean "${suggestion}"?`,
              [ev],
              `Change the type to "${suggestion}" (plugin names are the binary names in the CNI bin dir).`,
            ),
          );
        } else {
          out.push(
            finding(
              meta,
              nad.subject,
              `"type": "${t}" is not a plugin kubectl-multus knows (not verifiable offline): it must be an executable named "${t}" in the CNI bin dir of every node.`,
              [ev],
              `If "${t}" is a custom or vendor plugin, make sure it is installed on every node (${a.paths.recommendedBinDir} for ${a.paths.label}); run \`kubectl multus check\` against the cluster to verify.`,
              'info',
            ),
          );
        }
      }
    }
    return out;
  },
);
