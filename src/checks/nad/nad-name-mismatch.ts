import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { locate, isUnrendered } from '../../model/cni-config.js';
import { judgeableNads } from './lib/common.js';

/**
 * Multus injects metadata.name only when the config has no `name`; an explicit, different name
 * wins. Harmless, but host-local keeps its leases under /var/lib/cni/networks/<config name>, so
 * two NADs sharing a config name share (or fight over) one allocation store.
 */
export const nadNameMismatch = defineCheck(
  {
    id: 'nad-name-mismatch',
    title: 'Config name differs from the NAD name',
    severity: 'info',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'The "name" inside spec.config is the CNI network name: plugins use it (host-local stores leases under /var/lib/cni/networks/<name>, whereabouts names its pools after it) while pods refer to the NAD by metadata.name. When the two differ, logs and allocation stores carry a name nobody looks for.',
  },
  (a) => {
    const meta = nadNameMismatch.meta;
    const out: Finding[] = [];
    for (const { nad, cfg } of judgeableNads(a)) {
      const n = cfg.name;
      if (n === undefined || n === '' || n === nad.name || isUnrendered(n) || isUnrendered(nad.name)) continue;
      const hostLocal = cfg.plugins.some((p) => p.ipamType === 'host-local');
      out.push(
        finding(
          meta,
          nad.subject,
          `spec.config "name" is "${n}" but the NAD is named "${nad.name}": CNI plugins and their state use "${n}"${hostLocal ? ` (host-local keeps leases in /var/lib/cni/networks/${n})` : ''}, while pods and network-status use "${nad.namespace}/${nad.name}".`,
          [nad.at(locate(cfg.parsed, ['name']), n)],
          `Use the same name in both places (\`"name": "${nad.name}"\`), or drop "name" from spec.config and multus fills in the NAD name.`,
        ),
      );
    }
    return out;
  },
);
