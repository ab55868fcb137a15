import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { locate, type JsonValue } from '../../model/cni-config.js';
import { goKey } from '../../model/go-json.js';
import { judgeableNads } from './lib/common.js';

/**
 * Without `cniVersion` libcni treats the config as 0.1.0-era: results lose interface details,
 * and a conflist's plugins do not inherit a version they do not have. Plugin-level cniVersion in
 * a conflist does not help: libcni overwrites it with the list's.
 */
export const nadCniVersionMissing = defineCheck(
  {
    id: 'nad-cniversion-missing',
    title: 'CNI config has no cniVersion',
    severity: 'warning',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'Without "cniVersion" the configuration is read as CNI 0.1.0: results carry no interface list, defaults differ between libcni versions, and multi-address IPAM results are refused. Set it explicitly (0.3.1, 0.4.0 or 1.0.0 are supported by every current multus and plugin release).',
  },
  (a) => {
    const meta = nadCniVersionMissing.meta;
    const out: Finding[] = [];
    for (const { nad, cfg } of judgeableNads(a)) {
      const root = cfg.parsed.value as Record<string, JsonValue>;
      const k = goKey(root, 'cniVersion');
      const v = k !== undefined ? root[k] : undefined;
      if (typeof v === 'string' && v.trim() !== '') continue;
      if (v !== undefined && v !== null && typeof v !== 'string') continue; // wrong type: nad-cniversion-unsupported
      const versions = root['cniVersions'];
      if (Array.isArray(versions) && versions.length > 0) continue;
      const pluginLevel = cfg.isConflist
        ? cfg.plugins.find((p) => typeof p.raw['cniVersion'] === 'string')?.raw['cniVersion']
        : undefined;
      const extra =
        pluginLevel !== undefined
          ? ` The "cniVersion": "${pluginLevel as string}" inside plugins is not used: libcni overwrites it with the list's.`
          : '';
      out.push(
        finding(
          meta,
          nad.subject,
          `The CNI config has ${v === '' ? 'an empty' : 'no'} "cniVersion": it is read as CNI 0.1.0, whose results lose interface details.${extra}`,
          [
            nad.at(
              locate(cfg.parsed, k !== undefined ? [k] : []),
              k !== undefined ? `"${k}": ""` : 'cniVersion: <absent>',
            ),
          ],
          `Add \`"cniVersion": "${pluginLevel ?? '0.3.1'}"\` at the top level of spec.config${cfg.isConflist ? ' (next to "plugins")' : ''}.`,
        ),
      );
    }
    return out;
  },
);
