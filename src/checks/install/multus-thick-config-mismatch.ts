import { defineCheck, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import { installFacts, normPath, toHost } from '../../model/multus-install.js';
import { dsSubject, nodesOf, primaryOn } from '../../model/install-nodes.js';

/**
 * Thick daemon config that cannot work: not valid JSON; an autoconfig dir off the host or without
 * a primary config; a binDir the daemon cannot execute from (no chrootDir and not mounted at the
 * same path). A separate autoconfig dir is fine when it holds the primary config (OpenShift's
 * /run/multus/cni/net.d). Where 00-multus.conf lands is multus-conf-wrong-dir's business, plugins
 * missing from binDir are cni-plugin-missing's.
 */
export const multusThickConfigMismatch = defineCheck(
  {
    id: 'multus-thick-config-mismatch',
    title: 'The thick daemon config does not fit the node',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'The thick daemon reads the primary CNI config from multusAutoconfigDir, writes 00-multus.conf to cniConfigDir and runs every delegate itself from binDir (inside its pod, or in the host root with chrootDir). A config that does not parse, or paths the daemon cannot reach, break every pod on the node.',
  },
  (a) => {
    const meta = multusThickConfigMismatch.meta;
    const out: Finding[] = [];
    for (const m of a.multus) {
      const f = installFacts(m);
      const d = f.daemon;
      if (f.mode !== 'thick' || !d) continue;
      const src = d.source ?? 'daemon-config.json';
      const subject = dsSubject(m);
      if (d.problem) {
        out.push(
          finding(
            meta,
            subject,
            `daemon-config.json is not valid JSON: ${d.problem.message}; the daemon exits at start.`,
            [{ path: src, line: d.problem.line, column: d.problem.column }],
            'Fix the JSON in the ConfigMap (strict JSON: no comments, no trailing commas), then restart the daemon.',
          ),
        );
        continue;
      }
      if (!f.autoconfigDir.host) {
        out.push(
          finding(
            meta,
            subject,
            `multusAutoconfigDir ${d.multusAutoconfigDir} is not on a hostPath volume of the daemon: it can never see the primary CNI config and waits for it forever ("could not find a plugin configuration in …").`,
            [{ path: src, value: `multusAutoconfigDir: ${d.multusAutoconfigDir}` }],
            'Set multusAutoconfigDir to the mountPath of the host conf dir (upstream /host/etc/cni/net.d; /hostroot/<host path> with the hostroot volume).',
          ),
        );
      } else if (f.writeDir.host && normPath(f.autoconfigDir.host) !== normPath(f.writeDir.host)) {
        const empty = nodesOf(a.nodes, m).filter((n) => {
          const p = primaryOn(n, f);
          return p !== undefined && !p.conf;
        });
        if (empty.length) {
          out.push(
            finding(
              meta,
              subject,
              `multusAutoconfigDir (${f.autoconfigDir.host} on the host) differs from cniConfigDir (${f.writeDir.host}) and holds no primary CNI config on ${listNames(empty.map((n) => n.name))}: the daemon cannot generate 00-multus.conf.`,
              [
                { path: src, value: `cniConfigDir: ${d.cniConfigDir}, multusAutoconfigDir: ${d.multusAutoconfigDir}` },
                ...empty
                  .slice(0, 4)
                  .map((n) => ({ node: n.name, path: f.autoconfigDir.host, label: 'no .conf/.conflist' })),
              ],
              'Point multusAutoconfigDir at the directory where the primary CNI writes its config (normally the same as cniConfigDir).',
            ),
          );
        }
      }
      // Delegates: without chrootDir the daemon executes them inside its pod, so binDir must be mounted at the identical path.
      if (!d.chrootDir) {
        const host = toHost(m, d.binDir);
        if (!host || normPath(host) !== normPath(d.binDir)) {
          out.push(
            finding(
              meta,
              subject,
              host
                ? `binDir ${d.binDir} is mounted from ${host} on the host: without chrootDir the daemon needs the bin dir mounted at the identical path, or plugins that exec others (IPAM) are not found.`
                : `binDir ${d.binDir} is not mounted into the daemon and chrootDir is not set: the daemon cannot run any delegate.`,
              [{ path: src, value: `binDir: ${d.binDirSet ? d.binDir : `(default) ${d.binDir}`}, chrootDir: (unset)` }],
              'Use the upstream defaults: "chrootDir": "/hostroot" with the host\'s / mounted at /hostroot (delegates then run in the host\'s root), or mount the host bin dir at the same path in the daemon container.',
            ),
          );
          continue;
        }
      }
    }
    return out;
  },
);
