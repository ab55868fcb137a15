import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import { compareVersions } from '../../model/cni-config.js';
import { installFacts } from '../../model/multus-install.js';
import { dsSubject, findLog, nodesOf, primaryOn } from '../../model/install-nodes.js';
import { shellQuote } from '../../model/shell.js';

const VERSION_LOG =
  /Multus cni version is .* while master plugin cni version is|the CNI version is a mandatory parameter|delegate cni version is .* while top level cni version is/;

/**
 * multus's cniVersion does not fit the primary CNI's: thin refuses a pinned --cni-version that
 * differs from the primary config; the thick daemon needs cniVersion with multusConfigFile auto,
 * and refuses a top-level ≥ 0.4.0 over a delegate < 0.4.0; multus < v4 cannot read 1.0.0 results.
 * A thick daemon at another version than the primary otherwise works (each delegate keeps its own).
 */
export const multusCniversionMismatch = defineCheck(
  {
    id: 'multus-cniversion-mismatch',
    title: "Multus's cniVersion does not fit the primary CNI config",
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: "Multus copies or checks the primary CNI's cniVersion. A pinned --cni-version that differs (K3s's flannel moved to 1.0.0), a thick daemon config without cniVersion, or multus v3 with 1.0.0 configs each stop multus from writing its config or from reading results.",
  },
  (a) => {
    const meta = multusCniversionMismatch.meta;
    const out: Finding[] = [];
    for (const m of a.multus) {
      const f = installFacts(m);
      const nodes = nodesOf(a.nodes, m);
      const primaries = nodes
        .map((n) => ({ n, conf: primaryOn(n, f)?.conf }))
        .filter((x) => x.conf?.config?.cniVersion);
      const log = findLog(m, VERSION_LOG);
      const logEv: Evidence[] = log ? [{ node: log.pod.node, label: 'multus log', value: log.line }] : [];
      const ci = m.containerIndex ?? 0;

      if (f.legacy) {
        const newPrimary = primaries.filter((x) => compareVersions(x.conf!.config!.cniVersion!, '1.0.0') >= 0);
        const newNads = a.nads.filter(
          (n) => n.config?.cniVersion && compareVersions(n.config.cniVersion, '1.0.0') >= 0,
        );
        if (newPrimary.length || newNads.length) {
          out.push(
            finding(
              meta,
              dsSubject(m),
              `multus ${m.version ?? '(v3 entrypoint)'} predates CNI 1.0.0, but ${[
                newPrimary.length
                  ? `the primary config ${newPrimary[0]!.conf!.name} (on ${listNames(newPrimary.map((x) => x.n.name))})`
                  : '',
                newNads.length
                  ? `NAD${newNads.length > 1 ? 's' : ''} ${listNames(
                      newNads.map((n) => n.key),
                      3,
                    )}`
                  : '',
              ]
                .filter(Boolean)
                .join(' and ')} use cniVersion ≥ 1.0.0: pods fail with "unsupported CNI result version".`,
              [
                { label: 'image', value: m.image },
                ...newPrimary.slice(0, 3).map((x) => ({
                  node: x.n.name,
                  path: x.conf!.path,
                  value: `cniVersion ${x.conf!.config!.cniVersion}`,
                })),
                ...newNads
                  .slice(0, 3)
                  .map((n) => ({ ...n.at(undefined, `cniVersion ${n.config!.cniVersion}`), label: n.key })),
              ],
              `Upgrade multus to v4 (${a.distribution === 'microk8s' ? 'the MicroK8s addon ships v3.9: apply the upstream v4 manifest with the MicroK8s paths instead' : 'the upstream v4 manifests or a current chart'}); as a stopgap set the NADs' cniVersion to 0.3.1 or 0.4.0.`,
            ),
          );
        }
      }

      if (f.mode === 'thin' && f.thin?.cniVersion && !f.thin.forceCniVersion) {
        const pinned = f.thin.cniVersion;
        const off = primaries.filter((x) => x.conf!.config!.cniVersion !== pinned);
        if (off.length || (log && /Multus cni version is/.test(log.line))) {
          const flag = f.thin.flags.get('cni-version');
          const fix =
            flag?.argIndex !== undefined
              ? `Drop --cni-version (the thin entrypoint then copies the primary's version):\n  kubectl -n ${shellQuote(m.namespace)} patch ds ${shellQuote(m.name)} --type=json -p ${shellQuote(JSON.stringify([{ op: 'remove', path: `/spec/template/spec/containers/${ci}/args/${flag.argIndex}` }]))}`
              : `Drop --cni-version${m.flavor === 'rke2-chart' ? ' (chart value config.cni_conf.cniVersion)' : ''}, or set it to ${off[0]?.conf?.config?.cniVersion ?? "the primary config's cniVersion"}.`;
          out.push(
            finding(
              meta,
              dsSubject(m),
              `multus runs with --cni-version=${pinned}, but the primary config ${off[0] ? `${off[0].conf!.name} is at ${off[0].conf!.config!.cniVersion} (on ${listNames(off.map((x) => x.n.name))})` : 'has another version'}: the thin entrypoint refuses to write its config ("Multus cni version is … while master plugin cni version is …").`,
              [
                { label: 'arg', value: `--cni-version=${pinned}` },
                ...off.slice(0, 3).map((x) => ({
                  node: x.n.name,
                  path: x.conf!.path,
                  value: `cniVersion ${x.conf!.config!.cniVersion}`,
                })),
                ...logEv,
              ],
              fix,
            ),
          );
        }
      }

      const d = f.daemon;
      if (f.mode === 'thick' && d && !d.problem) {
        const cm = d.source ?? 'the daemon ConfigMap';
        if (d.multusConfigFile === 'auto' && !d.cniVersion) {
          const v = primaries[0]?.conf?.config?.cniVersion ?? '0.3.1';
          out.push(
            finding(
              meta,
              dsSubject(m),
              'The thick daemon config has no "cniVersion", which multus requires with "multusConfigFile": "auto" ("the CNI version is a mandatory parameter…").',
              [{ path: cm, label: 'daemon-config.json', value: m.daemonConfig!.content.slice(0, 200) }, ...logEv],
              `Add "cniVersion": "${v}" to daemon-config.json in ${cm}, then restart the daemon.`,
            ),
          );
        } else if (d.cniVersion && !d.forceCniVersion && compareVersions(d.cniVersion, '0.4.0') >= 0) {
          const old = primaries.filter((x) => compareVersions(x.conf!.config!.cniVersion!, '0.4.0') < 0);
          if (old.length) {
            out.push(
              finding(
                meta,
                dsSubject(m),
                `The thick daemon's cniVersion ${d.cniVersion} is ≥ 0.4.0 while the primary config ${old[0]!.conf!.name} is at ${old[0]!.conf!.config!.cniVersion} (on ${listNames(old.map((x) => x.n.name))}): multus refuses the combination ("delegate cni version is … while top level cni version is …").`,
                [
                  { path: cm, value: `cniVersion: ${d.cniVersion}` },
                  ...old.slice(0, 3).map((x) => ({
                    node: x.n.name,
                    path: x.conf!.path,
                    value: `cniVersion ${x.conf!.config!.cniVersion}`,
                  })),
                  ...logEv,
                ],
                `Set "cniVersion" in daemon-config.json (${cm}) to ${old[0]!.conf!.config!.cniVersion} (or 0.3.1), or move the primary CNI config to ≥ 0.4.0.`,
              ),
            );
          }
        }
      }
    }
    return out;
  },
);
