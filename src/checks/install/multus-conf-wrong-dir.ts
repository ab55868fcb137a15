import { defineCheck, type Evidence, type Finding, type Severity } from '../types.js';
import { byHand, couldNotVerify, finding, listNames, runsAnyway } from '../helpers.js';
import { runtimeDirsSource, type NodeView } from '../analysis.js';
import { installFacts, mountFor, normPath, type InstallFacts } from '../../model/multus-install.js';
import { dsSubject, findLog, nodesOf } from '../../model/install-nodes.js';
import { confFilesIn, listingText } from '../../model/node-files.js';
import { NO_MASTER_CONFIG } from '../../model/multus-logs.js';
import { dirsFix } from './lib/fixes.js';

function runtimeSource(n: NodeView, label: string): string {
  return runtimeDirsSource(n, label);
}

function hostPathEvidence(f: InstallFacts): Evidence {
  const mount = mountFor(f.m, f.writeDir.container);
  const what = f.mode === 'thin' ? `--cni-conf-dir=${f.writeDir.container}` : `cniConfigDir ${f.writeDir.container}`;
  return {
    label: 'DaemonSet hostPath',
    value: mount
      ? `volume ${mount.volume}: ${mount.hostPath} → ${mount.mountPath} (${what})`
      : `${what}: not on a hostPath volume`,
  };
}

/**
 * Multus writes its config to a directory the container runtime does not read (K3s: the runtime
 * reads /var/lib/rancher/k3s/agent/etc/cni/net.d; upstream manifests mount /etc/cni/net.d).
 * An error needs proof: the runtime's own config, the primary CNI's file in the runtime's dir, or
 * multus's "cannot find valid master CNI config" log. A distribution default alone is a warning
 * (K3s with --flannel-backend=none, for one, leaves containerd on /etc/cni/net.d).
 */
export const multusConfWrongDir = defineCheck(
  {
    id: 'multus-conf-wrong-dir',
    title: 'Multus writes its config where the runtime does not look',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: "The runtime only reads its own CNI conf dir. If multus's hostPath points elsewhere (the upstream manifests mount /etc/cni/net.d; K3s reads /var/lib/rancher/k3s/agent/etc/cni/net.d), multus finds no primary config to wrap, and whatever it writes is never used.",
  },
  (a) => {
    const meta = multusConfWrongDir.meta;
    const out: Finding[] = [];
    for (const m of a.multus) {
      const f = installFacts(m);
      if (f.opaque) continue;
      if (!f.writeDir.host) {
        out.push(
          finding(
            meta,
            dsSubject(m),
            `${m.name} writes its config to ${f.writeDir.container} inside its container, which is not on a hostPath volume: the file never reaches the host.`,
            [hostPathEvidence(f)],
            f.mode === 'thin'
              ? "Make --cni-conf-dir (and --multus-autoconfig-dir) equal the mountPath of the volume that holds the host's CNI conf dir (upstream: /host/etc/cni/net.d)."
              : 'Put cniConfigDir and multusAutoconfigDir of daemon-config.json under a hostPath mount (upstream: /host/etc/cni/net.d, or /hostroot/<host path> with the hostroot volume).',
          ),
        );
        continue;
      }
      const groups = new Map<Severity, Array<{ n: NodeView; log?: string }>>();
      const runs: NodeView[] = [];
      const unlisted: NodeView[] = [];
      for (const n of nodesOf(a.nodes, m)) {
        if (normPath(n.confDir) === normPath(f.writeDir.host)) continue;
        // The runtime's dir already holds a multus config: the same dir under two names (MicroK8s links them), or fixed by hand.
        if (n.inspected && n.multusConf) continue;
        // Only a default says where the runtime reads, and that dir holds no CNI config while multus's has its own:
        // the runtime evidently reads multus's dir (K3s with --flannel-backend=none keeps containerd on /etc/cni/net.d).
        if (
          n.inspected &&
          n.confDirSource === 'distribution-default' &&
          n.confFiles.length === 0 &&
          confFilesIn(n.node.inspection, f.writeDir.host)?.some((c) => c.multus)
        )
          continue;
        // What runs outranks what a file says: the runtime evidently calls multus on this node.
        if (n.multusRuns) {
          runs.push(n);
          continue;
        }
        const log = findLog(m, NO_MASTER_CONFIG, m.pods ? n.name : undefined)?.line;
        const primaryThere = n.inspected && n.confFiles.some((c) => !c.isMultus && c.config?.ok);
        // The runtime's dir was never listed: it may hold multus's config (a link, another install).
        if (n.confDirSource === 'runtime-config' && !log && (!n.inspected || !n.confListing)) {
          unlisted.push(n);
          continue;
        }
        const sev: Severity = n.confDirSource === 'runtime-config' || primaryThere || log ? 'error' : 'warning';
        if (!groups.has(sev)) groups.set(sev, []);
        groups.get(sev)!.push({ n, log });
      }
      if (runs.length) {
        const file = runs[0]!.node.inspection?.runtime?.configFile;
        out.push(
          runsAnyway(
            meta,
            dsSubject(m),
            runs,
            `${m.name} writes its config to ${f.writeDir.host} and ${file && runs[0]!.confDirSource === 'runtime-config' ? `the runtime config ${file} says` : `the ${a.paths.label} default says`} the runtime reads ${listNames([...new Set(runs.map((n) => n.confDir))])}`,
            runs[0]!.confDirSource === 'runtime-config' ? file : undefined,
            [
              hostPathEvidence(f),
              ...runs.slice(0, 3).map((n) => ({
                node: n.name,
                path: n.confDir,
                label: `runtime conf dir (${runtimeSource(n, a.paths.label)})`,
              })),
            ],
          ),
        );
      }
      if (unlisted.length) {
        const dirs = [...new Set(unlisted.map((n) => n.confDir))];
        out.push(
          couldNotVerify(
            meta,
            dsSubject(m),
            `${m.name} writes its config to ${f.writeDir.host}; the runtime on ${listNames(unlisted.map((n) => n.name))} is configured to read ${listNames(dirs)} (${runtimeSource(unlisted[0]!, a.paths.label)}), but that directory was not listed, so whether it holds multus's config is unknown.`,
            byHand([...dirs, f.writeDir.host]),
          ),
        );
      }
      for (const [sev, list] of groups) {
        const nodes = list.map((x) => x.n);
        const dirs = [...new Set(nodes.map((n) => n.confDir))];
        const evidence: Evidence[] = [hostPathEvidence(f)];
        for (const { n, log } of list.slice(0, 6)) {
          evidence.push({
            node: n.name,
            path: n.confDir,
            label: `runtime conf dir (${runtimeSource(n, a.paths.label)})`,
            value: n.inspected ? listingText(n.node.inspection, n.confDir) : undefined,
          });
          if (n.inspected)
            evidence.push({
              node: n.name,
              path: f.writeDir.host,
              label: 'multus writes to',
              value: listingText(n.node.inspection, f.writeDir.host),
            });
          if (log) evidence.push({ node: n.name, label: 'multus log', value: log });
        }
        const reads =
          sev === 'error'
            ? `reads ${listNames(dirs)}`
            : `probably reads ${listNames(dirs)} (the ${a.paths.label} default; no runtime config or node listing confirms it)`;
        const binWrong =
          !!f.binInstallDir && nodes.some((n) => !n.binDirs.map(normPath).includes(normPath(f.binInstallDir!)));
        out.push(
          finding(
            meta,
            dsSubject(m),
            `${m.name} writes its config to ${f.writeDir.host}, but the container runtime on ${listNames(nodes.map((n) => n.name))} ${reads}: multus is never called${f.auto ? ' and finds no primary CNI config to wrap' : ''}, so pods get only their primary network.`,
            evidence,
            dirsFix(a, m, { conf: true, bin: binWrong, kubeconfig: f.mode === 'thin' }),
            sev,
          ),
        );
      }
    }
    return out;
  },
);
