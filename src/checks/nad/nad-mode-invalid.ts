import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { goKey } from '../../model/go-json.js';
import { closest } from '../../model/suggest.js';
import { judgeable, judgeableNads, pluginEvidence } from './lib/common.js';

/** The exact strings the plugins' modeFromString accept ("" means the default). */
const MODES: Record<string, readonly string[]> = {
  macvlan: ['bridge', 'private', 'vepa', 'passthru'],
  ipvlan: ['l2', 'l3', 'l3s'],
};

/**
 * macvlan and ipvlan compare `mode` as an exact, case-sensitive string. Note: the kernel's
 * macvlan "source" mode exists, but the reference macvlan plugin does not accept it.
 */
export const nadModeInvalid = defineCheck(
  {
    id: 'nad-mode-invalid',
    title: 'Invalid macvlan/ipvlan mode',
    severity: 'error',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'The macvlan plugin accepts mode bridge (default), private, vepa or passthru; ipvlan accepts l2 (default), l3 or l3s. Anything else, including a different letter case or the kernel-only macvlan mode "source", fails every pod with `unknown macvlan mode: "<mode>"` / `unknown ipvlan mode: "<mode>"`.',
  },
  (a) => {
    const meta = nadModeInvalid.meta;
    const out: Finding[] = [];
    for (const { nad, cfg } of judgeableNads(a)) {
      for (const plugin of cfg.plugins) {
        const modes = plugin.type && Object.hasOwn(MODES, plugin.type) ? MODES[plugin.type] : undefined;
        if (!modes) continue;
        const k = goKey(plugin.raw, 'mode');
        if (k === undefined) continue;
        const v = plugin.raw[k];
        if (v === '' || v === null) continue;
        if (typeof v === 'string' && (!judgeable(v) || modes.includes(v))) continue;
        const shown = typeof v === 'string' ? v : JSON.stringify(v);
        const s =
          typeof v === 'string' ? (modes.find((m) => m === v.toLowerCase().trim()) ?? closest(v, modes)) : undefined;
        const note =
          plugin.type === 'macvlan' && v === 'source'
            ? ' ("source" is a kernel macvlan mode the CNI plugin does not support)'
            : '';
        out.push(
          finding(
            meta,
            nad.subject,
            `${plugin.type} mode "${shown}" is not one of ${modes.join(', ')}${note}: pods fail with unknown ${plugin.type} mode: "${shown}".`,
            [pluginEvidence(nad, cfg, plugin, [k], shown)],
            `Set \`"mode": "${s ?? modes[0]}"\` (modes are lower-case; omit "mode" for the default, ${modes[0]}).`,
          ),
        );
      }
    }
    return out;
  },
);
