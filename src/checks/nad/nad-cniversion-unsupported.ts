import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { locate, isUnrendered, compareVersions, KNOWN_CNI_VERSIONS, type JsonValue } from '../../model/cni-config.js';
import { goKey } from '../../model/go-json.js';
import { judgeableNads } from './lib/common.js';

/** Highest cniVersion each multus line can handle (research §C.6). */
function multusMaxCniVersion(version: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major < 4) return '0.4.0';
  if (major === 4 && minor === 0) return '1.0.0';
  return '1.1.0';
}

/**
 * Plugins compare cniVersion as an exact string against the versions they implement, so "1.0",
 * "0.3" or "v1.0.0" fail with "incompatible CNI versions". A valid version can still be too new
 * for the installed multus (v3.x stops at 0.4.0, v4.0.x at 1.0.0).
 */
export const nadCniVersionUnsupported = defineCheck(
  {
    id: 'nad-cniversion-unsupported',
    title: 'cniVersion is not supported',
    severity: 'error',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'CNI plugins accept only the exact version strings they implement (0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0); anything else fails with "incompatible CNI versions". Multus v3.x handles at most 0.4.0 and v4.0.x at most 1.0.0, and reference plugins before v1.6.0 stop at 1.0.0.',
  },
  (a) => {
    const meta = nadCniVersionUnsupported.meta;
    const out: Finding[] = [];
    const installs = a.multus.filter((m) => m.version && multusMaxCniVersion(m.version));
    for (const { nad, cfg } of judgeableNads(a)) {
      const root = cfg.parsed.value as Record<string, JsonValue>;
      const k = goKey(root, 'cniVersion');
      if (k === undefined) continue;
      const v = root[k];
      const ev = nad.at(locate(cfg.parsed, [k]), JSON.stringify(v));
      if (v === null || v === '' || isUnrendered(v)) continue;
      if (typeof v !== 'string') {
        out.push(
          finding(
            meta,
            nad.subject,
            `"cniVersion" is ${JSON.stringify(v)}, not a string: the config fails to decode.`,
            [ev],
            'Quote the version: `"cniVersion": "0.3.1"`.',
          ),
        );
        continue;
      }
      if (!(KNOWN_CNI_VERSIONS as readonly string[]).includes(v)) {
        const near = KNOWN_CNI_VERSIONS.find(
          (kv) => kv.startsWith(v.replace(/^v/, '').trim()) || compareVersions(kv, v) === 0,
        );
        out.push(
          finding(
            meta,
            nad.subject,
            `"cniVersion": "${v}" is not a CNI version (${KNOWN_CNI_VERSIONS.join(', ')}): plugins reject it with "incompatible CNI versions".`,
            [ev],
            `Use an exact version string, e.g. \`"cniVersion": "${near ?? '0.3.1'}"\` (0.3.1, 0.4.0 and 1.0.0 work with every current multus and plugin release).`,
          ),
        );
        continue;
      }
      for (const m of installs) {
        const max = multusMaxCniVersion(m.version!)!;
        if (compareVersions(v, max) <= 0) continue;
        out.push(
          finding(
            meta,
            nad.subject,
            `"cniVersion": "${v}" is newer than multus ${m.version} supports (at most ${max}): pods using this NAD fail.`,
            [ev, { label: 'multus image', value: m.image, path: `${m.namespace}/${m.name}` }],
            `Either lower the NAD to \`"cniVersion": "${max}"\` or upgrade multus to v4.1 or later (${a.distribution === 'rke2' ? 'RKE2: upgrade RKE2, which bundles rke2-multus' : a.distribution === 'openshift' ? 'OpenShift: multus is upgraded with the cluster' : 'update the DaemonSet image to ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.4 or later'}).`,
          ),
        );
        break;
      }
    }
    return out;
  },
);
