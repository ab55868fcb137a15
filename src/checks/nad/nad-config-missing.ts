import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { RESOURCE_NAME_ANNOTATION } from '../../model/networks-annotation.js';
import { closest } from '../../model/suggest.js';

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
    doc: 'Without spec.config multus looks for a CNI config file whose "name" equals the NAD name in its confDir (/etc/cni/multus/net.d by default) on the node; when no such file exists, pods fail with "GetCNIConfigFromFile: No networks found in /etc/cni/multus/net.d". A mis-spelled key such as `Config` is pruned by the API server, so the configuration is silently lost.',
  },
  (a) => {
    const meta = nadConfigMissing.meta;
    const out: Finding[] = [];
    for (const nad of a.nads) {
      if (nad.obj.config !== undefined || nad.obj.configNotString !== undefined) continue;
      const misspelt = (nad.obj.specKeys ?? []).find((k) => k !== 'config' && (k.toLowerCase() === 'config' || closest(k, ['config']) === 'config'));
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
      const confDir = '/etc/cni/multus/net.d';
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
      out.push(
        finding(
          meta,
          nad.subject,
          `NAD has no spec.config: multus will look for a CNI config file with "name": "${nad.name}" in its confDir (${confDir} by default) on the node, and pods fail with "No networks found in ${confDir}" where there is none.`,
          [nad.at(undefined, 'spec.config: <absent>')],
          `Put the CNI configuration in the NAD:\n  spec:\n    config: '{ "cniVersion": "0.3.1", "name": "${nad.name}", "type": "macvlan", "master": "eth1", "ipam": { "type": "whereabouts", "range": "192.168.1.0/24" } }'\nIf you do mean a file-backed NAD, create ${confDir}/${nad.name}.conf on every node (thick mode: the daemon must mount that directory).`,
        ),
      );
    }
    return out;
  },
);
