import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { isObject, locate, type JsonValue } from '../../model/cni-config.js';
import { goKey } from '../../model/go-json.js';
import { judgeableNads } from './lib/common.js';

/**
 * Multus needs `type` (one plugin) or a non-empty `plugins` list whose every entry has a `type`
 * (pkg/types/conf.go: "delegate must have the 'type' or 'plugin' field", "a plugin delegate must
 * have the 'type' field"). Keys are matched as Go does, so `"Type"` counts.
 */
export const nadTypeMissing = defineCheck(
  {
    id: 'nad-type-missing',
    title: 'CNI config has no plugin type',
    severity: 'error',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'A CNI configuration needs "type" (a single plugin) or a non-empty "plugins" list in which every plugin has a "type". Without it multus cannot load the delegate ("delegate must have the \'type\' or \'plugin\' field", "a plugin delegate must have the \'type\' field") and every pod using the NAD fails in ContainerCreating.',
  },
  (a) => {
    const meta = nadTypeMissing.meta;
    const out: Finding[] = [];
    for (const { nad, cfg } of judgeableNads(a)) {
      const root = cfg.parsed.value as Record<string, JsonValue>;
      const typeProblem = (obj: Record<string, JsonValue>): string | undefined => {
        const k = goKey(obj, 'type');
        if (k === undefined) return 'has no "type"';
        const v = obj[k];
        if (typeof v !== 'string') return `has a "type" that is not a string (${JSON.stringify(v)})`;
        if (v.trim() === '') return 'has an empty "type"';
        return undefined;
      };
      if (!cfg.isConflist) {
        const pk = goKey(root, 'plugins');
        const p = typeProblem(root);
        if (!p) continue;
        const hint = pk !== undefined ? ` ("${pk}" is not a list, so it is not read as a conflist)` : '';
        out.push(
          finding(
            meta,
            nad.subject,
            `The CNI config ${p} and no "plugins" list${hint}: multus refuses it ("delegate must have the 'type' or 'plugin' field").`,
            [nad.at(locate(cfg.parsed, pk !== undefined ? [pk] : []), cfg.parsed.text.trim().slice(0, 80))],
            'Add the plugin type, e.g. `"type": "macvlan"`, or write a conflist: `{"cniVersion": "0.3.1", "name": "…", "plugins": [{"type": "macvlan", …}]}`.',
          ),
        );
        continue;
      }
      const list = root['plugins'] as JsonValue[];
      if (list.length === 0) {
        out.push(
          finding(
            meta,
            nad.subject,
            'The conflist has an empty "plugins" list: there is no plugin to run.',
            [nad.at(locate(cfg.parsed, ['plugins']), '"plugins": []')],
            'Add at least one plugin, e.g. `"plugins": [{"type": "macvlan", "master": "eth1", "ipam": {…}}]`.',
          ),
        );
        continue;
      }
      list.forEach((p, i) => {
        const problem = isObject(p) ? typeProblem(p) : `is ${JSON.stringify(p)}, not an object`;
        if (!problem) return;
        out.push(
          finding(
            meta,
            nad.subject,
            `plugins[${i}] ${problem}: every plugin of a conflist needs one ("a plugin delegate must have the 'type' field").`,
            [nad.at(locate(cfg.parsed, ['plugins', i]), JSON.stringify(p).slice(0, 80))],
            `Give plugins[${i}] its plugin type, e.g. \`"type": "tuning"\`, or remove the entry.`,
          ),
        );
      });
    }
    return out;
  },
);
