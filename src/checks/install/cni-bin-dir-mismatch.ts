import { defineCheck, type Evidence, type Finding, type Severity } from '../types.js';
import { byHand, couldNotVerify, finding, listNames, runsAnyway } from '../helpers.js';
import { runtimeDirsSource, type NodeView } from '../analysis.js';
import { installFacts, normPath } from '../../model/multus-install.js';
import { dsSubject, nodesOf } from '../../model/install-nodes.js';
import { listingText } from '../../model/node-files.js';
import { dirsFix } from './lib/fixes.js';

/**
 * The DaemonSet copies the multus binary (thin: multus, thick: multus-shim — and with the
 * rke2-multus chart, the reference plugins too) into a host dir the runtime does not search.
 * Proof is the runtime's config, or a listing where the runtime's dir lacks the binary while the
 * copy target has it; a distribution default alone gives a warning.
 */
export const cniBinDirMismatch = defineCheck(
  {
    id: 'cni-bin-dir-mismatch',
    title: 'Multus installs its binaries where the runtime does not look',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: "The runtime executes CNI plugins only from its own bin dir(s). If the multus DaemonSet's cnibin hostPath is another directory (/opt/cni/bin on K3s, whose runtime uses /var/lib/rancher/k3s/data/cni), multus and the plugins it installs are never found.",
  },
  (a) => {
    const meta = cniBinDirMismatch.meta;
    const out: Finding[] = [];
    for (const m of a.multus) {
      const f = installFacts(m);
      const target = f.binInstallDir && normPath(f.binInstallDir);
      if (!target) continue;
      const groups = new Map<Severity, NodeView[]>();
      const runs: NodeView[] = [];
      const unlisted: NodeView[] = [];
      for (const n of nodesOf(a.nodes, m)) {
        const dirs = n.binDirs.map(normPath);
        if (dirs.includes(target)) continue;
        // The runtime's dir has the binary anyway (a symlinked dir, or installed by other means).
        if (n.plugins?.has(f.binary)) continue;
        // What runs outranks what a file says: multus evidently is executed on this node.
        if (n.multusRuns) {
          runs.push(n);
          continue;
        }
        const known = !!n.node.inspection?.runtime?.binDirs?.length;
        // A directory nobody listed cannot prove the binary is missing from it.
        if (known && (!n.inspected || n.binDirsUnlisted.length > 0)) {
          unlisted.push(n);
          continue;
        }
        const proof = known || (n.inspected && !!n.plugins);
        const sev: Severity = proof ? 'error' : 'warning';
        if (!groups.has(sev)) groups.set(sev, []);
        groups.get(sev)!.push(n);
      }
      if (runs.length) {
        const n0 = runs[0]!;
        const file = n0.node.inspection?.runtime?.configFile;
        out.push(
          runsAnyway(
            meta,
            dsSubject(m),
            runs,
            `${m.name} installs ${f.binary} into ${target} and ${file ? `the runtime config ${file} says` : `the ${a.paths.label} default says`} the runtime searches ${listNames([...new Set(runs.flatMap((n) => n.binDirs))])}`,
            file,
            [
              { label: 'DaemonSet hostPath (cnibin)', value: target },
              ...runs.slice(0, 3).map((n) => ({
                node: n.name,
                label: `runtime bin dir (${runtimeDirsSource(n, a.paths.label)})`,
                value: n.binDirs.join(', '),
              })),
            ],
          ),
        );
      }
      if (unlisted.length) {
        const dirs = [...new Set(unlisted.flatMap((n) => (n.inspected ? n.binDirsUnlisted : n.binDirs)))];
        out.push(
          couldNotVerify(
            meta,
            dsSubject(m),
            `${m.name} installs ${f.binary} into ${target}; the runtime on ${listNames(unlisted.map((n) => n.name))} is configured to search ${listNames(dirs)} (${runtimeDirsSource(unlisted[0]!, a.paths.label)}), but ${dirs.length > 1 ? 'those directories were' : 'that directory was'} not listed, so whether ${f.binary} is there is unknown.`,
            byHand([...dirs, target]),
          ),
        );
      }
      for (const [sev, nodes] of groups) {
        const runtimeDirs = [...new Set(nodes.flatMap((n) => n.binDirs))];
        const evidence: Evidence[] = [{ label: 'DaemonSet hostPath (cnibin)', value: target }];
        for (const n of nodes.slice(0, 5)) {
          evidence.push({
            node: n.name,
            label: `runtime bin dir (${runtimeDirsSource(n, a.paths.label)})`,
            value: n.binDirs.join(', '),
          });
          if (n.inspected && n.binDirs[0])
            evidence.push({ node: n.name, path: n.binDirs[0], value: listingText(n.node.inspection, n.binDirs[0]) });
        }
        out.push(
          finding(
            meta,
            dsSubject(m),
            `${m.name} installs ${f.binary}${m.flavor === 'rke2-chart' ? ' and the reference plugins' : ''} into ${target}, but the runtime on ${listNames(nodes.map((n) => n.name))} ${sev === 'error' ? 'searches' : 'probably searches'} ${listNames(runtimeDirs)}: the runtime cannot execute ${f.binary}.`,
            evidence,
            dirsFix(a, m, { bin: true }),
            sev,
          ),
        );
      }
    }
    return out;
  },
);
