import { defineCheck, type Finding } from '../types.js';
import { couldNotVerify, finding } from '../helpers.js';
import { RESOURCE_NAME_ANNOTATION } from '../../model/networks-annotation.js';
import { closest } from '../../model/suggest.js';
import { listNames } from '../helpers.js';
import type { Analysis, NadView } from '../analysis.js';
import { resolveSelections } from '../pod/lib/common.js';

/** Where multus looks for the file of a NAD without spec.config (its default `confDir`; collected per node). */
export const MULTUS_NAD_CONF_DIR = '/etc/cni/multus/net.d';

type FileState = 'present' | 'missing' | 'unknown';

/**
 * Is there a config for this NAD in the node's collected confDir? multus (GetCNIConfigFromFile)
 * loads the *.conf/*.json, then *.conflist files there and takes the one whose "name" equals the
 * NAD name; a file named after the NAD whose content was not read counts as present.
 */
function fileState(a: Analysis, nodeName: string, nadName: string): { state: FileState; file?: string } {
  const n = a.nodes.find((x) => x.name === nodeName);
  const insp = n?.node.inspection;
  const listing = insp?.dirs[MULTUS_NAD_CONF_DIR];
  if (!insp || !listing) return { state: 'unknown' };
  if (!listing.exists) return { state: 'missing' };
  if (listing.error) return { state: 'unknown' };
  for (const e of listing.entries) {
    if (e.type === 'dir' || !/\.(conf|conflist|json)$/.test(e.name)) continue;
    const path = `${MULTUS_NAD_CONF_DIR}/${e.name}`;
    const content = insp.files[path]?.content;
    if (content === undefined) {
      if (e.name.replace(/\.(conf|conflist|json)$/, '') === nadName) return { state: 'present', file: path };
      continue;
    }
    try {
      const v = JSON.parse(content) as { name?: unknown };
      if (v && typeof v === 'object' && v.name === nadName) return { state: 'present', file: path };
    } catch {
      // not JSON: libcni skips it too
    }
  }
  return { state: 'missing' };
}

/** Nodes that run live pods selecting this NAD. */
function nodesUsing(a: Analysis, nad: NadView): string[] {
  const out = new Set<string>();
  for (const w of a.workloads) {
    if (w.obj.kind !== 'Pod' || !w.obj.nodeName || w.obj.phase === 'Succeeded' || w.obj.phase === 'Failed') continue;
    if (resolveSelections(a, w).some((r) => r.nad === nad)) out.add(w.obj.nodeName);
  }
  return [...out].sort();
}

/** NADs whose whole configuration lives in a file that another component installs on each node. */
const FILE_BACKED_BY_DESIGN = new Set(['istio-cni']);

/**
 * A NAD without spec.config makes multus look for a CNI config *file* named after the NAD in its
 * confDir (default /etc/cni/multus/net.d) on every node: rarely what was meant. When the file
 * spells the key differently (`Config`), the API server prunes it and the config is simply lost.
 */
export const nadConfigMissing = defineCheck(
  {
    id: 'nad-config-missing',
    title: 'NAD has no spec.config',
    severity: 'warning',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'Without spec.config multus looks for a CNI config file whose "name" equals the NAD name in its confDir (/etc/cni/multus/net.d by default) on the node; the check reads that directory on the nodes that run pods using the NAD. Where no such file exists, pods fail with "GetCNIConfigFromFile: No networks found in /etc/cni/multus/net.d". A mis-spelled key such as `Config` is pruned by the API server, so the configuration is silently lost.',
  },
  (a) => {
    const meta = nadConfigMissing.meta;
    const out: Finding[] = [];
    for (const nad of a.nads) {
      if (nad.obj.config !== undefined || nad.obj.configNotString !== undefined) continue;
      const misspelt = (nad.obj.specKeys ?? []).find(
        (k) => k !== 'config' && (k.toLowerCase() === 'config' || closest(k, ['config']) === 'config'),
      );
      if (misspelt) {
        out.push(
          finding(
            meta,
            nad.subject,
            `spec has "${misspelt}" but no "config": the key is case-sensitive, so the API server drops "${misspelt}" (unknown field) and the NAD ends up with no configuration.`,
            [nad.at(undefined, `spec.${misspelt}`)],
            `Rename the key to lower-case \`config\`:\n  spec:\n    config: '{ "cniVersion": "0.3.1", ... }'\nthen re-apply; \`kubectl apply\` only warns about the unknown field "spec.${misspelt}".`,
            'error',
          ),
        );
        continue;
      }
      // A device-plugin NAD (resourceName) may deliberately take its config from a file.
      if (nad.obj.annotations?.[RESOURCE_NAME_ANNOTATION] !== undefined) continue;
      const confDir = MULTUS_NAD_CONF_DIR;
      if (FILE_BACKED_BY_DESIGN.has(nad.name)) {
        out.push(
          finding(
            meta,
            nad.subject,
            `NAD "${nad.name}" has no spec.config by design: multus reads the config file that ${nad.name} installs in ${confDir} on each node.`,
            [nad.at(undefined)],
            `Nothing to change if ${nad.name} is installed on every node where these pods run; in thick mode the multus daemon must also mount ${confDir}.`,
            'info',
          ),
        );
        continue;
      }
      const fileFix = `Create ${confDir}/${nad.name}.conf (a CNI config with "name": "${nad.name}") on every node that runs these pods (thick mode: the daemon must mount that directory), or put the configuration in the NAD:\n  spec:\n    config: '{ "cniVersion": "0.3.1", "name": "${nad.name}", "type": "macvlan", "master": "eth1", "ipam": { "type": "whereabouts", "range": "192.168.1.0/24" } }'`;
      if (a.offline) {
        out.push(
          finding(
            meta,
            nad.subject,
            `NAD has no spec.config: multus takes the config from a file with "name": "${nad.name}" in its confDir (${confDir} by default) on each node, which cannot be verified offline.`,
            [nad.at(undefined, 'spec.config: <absent>')],
            `Make sure ${confDir}/${nad.name}.conf exists on every node that runs pods using this NAD (\`kubectl multus check\` verifies it on a live cluster), or put the configuration in the NAD:\n  spec:\n    config: '{ "cniVersion": "0.3.1", "name": "${nad.name}", "type": "macvlan", "master": "eth1", "ipam": { "type": "whereabouts", "range": "192.168.1.0/24" } }'`,
            'info',
          ),
        );
        continue;
      }
      // Judge the nodes whose pods use it; with no such pod, every node (a pod may land anywhere).
      const using = nodesUsing(a, nad);
      const targets = using.length ? using : a.nodes.filter((n) => !n.node.unschedulable).map((n) => n.name);
      const states = targets.map((n) => ({ node: n, ...fileState(a, n, nad.name) }));
      const missing = states.filter((s) => s.state === 'missing').map((s) => s.node);
      const unknown = states.filter((s) => s.state === 'unknown').map((s) => s.node);
      if (missing.length) {
        out.push(
          finding(
            meta,
            { ...nad.subject, ...(missing.length === 1 ? { node: missing[0] } : {}) },
            using.length
              ? `NAD has no spec.config and ${confDir} has no config named "${nad.name}" on ${listNames(missing)}, where pods using it run: they fail with "No networks found in ${confDir}".`
              : `NAD has no spec.config and ${confDir} has no config named "${nad.name}" on ${listNames(missing)}: a pod using it that lands there fails with "No networks found in ${confDir}".`,
            [
              nad.at(undefined, 'spec.config: <absent>'),
              ...missing
                .slice(0, 8)
                .map((n) => ({ label: `${confDir}`, node: n, value: `no file with "name": "${nad.name}"` })),
            ],
            fileFix,
            using.length ? 'error' : 'warning',
          ),
        );
        continue;
      }
      if (unknown.length || targets.length === 0) {
        out.push(
          couldNotVerify(
            meta,
            nad.subject,
            targets.length === 0
              ? `NAD has no spec.config, so multus reads ${confDir}/<file with "name": "${nad.name}"> on the node, and no node data was collected to check it.`
              : `NAD has no spec.config, so multus reads a file with "name": "${nad.name}" from ${confDir}, which was not collected on ${listNames(unknown)}.`,
            `Re-run with node inspection (\`--inspect-nodes always\`), or check by hand that ${confDir}/${nad.name}.conf exists on those nodes.`,
          ),
        );
      }
    }
    return out;
  },
);
