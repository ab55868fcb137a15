import { attachedNadsByNode } from '../../model/multus-runs.js';
import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import type { NadView, NodeView } from '../analysis.js';
import { isObject, locate, str, type JsonObject } from '../../model/cni-config.js';
import { multusKey } from '../../model/multus-conf.js';
import { delegateBinDirs, installFacts } from '../../model/multus-install.js';
import { nodesOf } from '../../model/install-nodes.js';
import { listing, presence } from '../../model/node-files.js';
import { whereaboutsInstallFix } from './lib/fixes.js';

const CRDS = ['ippools.whereabouts.cni.cncf.io', 'overlappingrangeipreservations.whereabouts.cni.cncf.io'];
/** Host paths whereabouts tries for its flat config file when the NAD names none (pkg/config). */
const FLAT_FILES = [
  '/etc/kubernetes/cni/net.d/whereabouts.d/whereabouts.conf',
  '/etc/cni/net.d/whereabouts.d/whereabouts.conf',
];

function whereaboutsIpam(nad: NadView): { ipam: JsonObject; path: Array<string | number> } | undefined {
  for (const p of nad.config?.ok ? nad.config.plugins : [])
    if (p.ipamType === 'whereabouts' && p.ipam) return { ipam: p.ipam, path: [...p.path, 'ipam', 'type'] };
  return undefined;
}

/**
 * A NAD uses whereabouts IPAM, but something whereabouts needs is missing: its CRDs, its binary in
 * the dirs multus searches, or its kubeconfig / flat config file on the node ("config file not
 * found" on K3s, whose conf dir whereabouts does not search by itself).
 */
export const whereaboutsMissing = defineCheck(
  {
    id: 'whereabouts-missing',
    title: 'whereabouts is not (fully) installed',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'whereabouts is a separate project: its binary, its CRDs (IPPool, OverlappingRangeIPReservation) and a kubeconfig written by its DaemonSet must all be present, or every pod using a whereabouts NAD fails to get an address.',
  },
  (a) => {
    const meta = whereaboutsMissing.meta;
    const m = a.multus[0];
    const uses = a.nads.map((nad) => ({ nad, w: whereaboutsIpam(nad) })).filter((x) => x.w);
    if (!m || !uses.length) return [];
    const f = installFacts(m);
    const nodes = nodesOf(a.nodes, m).filter((n) => n.inspected);
    const crds = a.snapshot.cluster.crds;
    const missingCrds = crds ? CRDS.filter((c) => !crds.includes(c)) : [];
    const out: Finding[] = [];
    const attached = attachedNadsByNode(a.snapshot);
    for (const { nad, w } of uses) {
      const problems: string[] = [];
      const evidence: Evidence[] = [
        { ...nad.at(nad.config ? locate(nad.config.parsed, w!.path) : undefined, 'whereabouts'), label: 'ipam' },
      ];
      if (missingCrds.length) {
        problems.push(
          `the CRD${missingCrds.length > 1 ? 's' : ''} ${missingCrds.join(', ')} ${missingCrds.length > 1 ? 'do' : 'does'} not exist`,
        );
        evidence.push({ label: 'missing CRDs', value: missingCrds.join(', ') });
      }
      const noBinary: NodeView[] = [];
      const noConfig: Array<{ n: NodeView; tried: string[] }> = [];
      const kc = isObject(w!.ipam['kubernetes']) ? str((w!.ipam['kubernetes'] as JsonObject)['kubeconfig']) : undefined;
      const flat = str(w!.ipam['configuration_path']);
      for (const n of nodes) {
        // A pod on this node got this NAD's interface after multus started: whereabouts ran there.
        if (attached.get(n.name)?.has(nad.key)) continue;
        const dirs = delegateBinDirs(f, n.binDirs, multusKey(n.multusConf?.config, 'binDir'));
        const listed = dirs.map((d) => listing(n.node.inspection, d)).filter((l) => l && !l.error);
        if (
          listed.length === dirs.length &&
          dirs.length &&
          !listed.some((l) => l!.exists && l!.entries.some((e) => e.name === 'whereabouts'))
        )
          noBinary.push(n);
        const tried = kc ? [kc] : flat ? [flat] : FLAT_FILES;
        const states = tried.map((p) => presence(n.node.inspection, p));
        if (states.every((s) => s === 'absent')) noConfig.push({ n, tried });
      }
      if (noBinary.length) {
        problems.push(`the whereabouts binary is not installed on ${listNames(noBinary.map((n) => n.name))}`);
        evidence.push(
          ...noBinary
            .slice(0, 3)
            .map((n) => ({ node: n.name, label: 'not in', value: delegateBinDirs(f, n.binDirs).join(', ') })),
        );
      }
      if (noConfig.length) {
        problems.push(
          `its ${kc ? 'kubeconfig' : 'config file (whereabouts.d/whereabouts.conf)'} is missing on ${listNames(noConfig.map((x) => x.n.name))}`,
        );
        evidence.push(
          ...noConfig
            .slice(0, 3)
            .map((x) => ({ node: x.n.name, label: 'none of these exists', value: x.tried.join(', ') })),
        );
      }
      if (a.snapshot.whereabouts?.installed === false && problems.length)
        problems.push('no whereabouts DaemonSet was found');
      if (!problems.length) continue;
      const k3sHint =
        noConfig.length && !kc && !flat && a.distribution !== 'openshift' && a.paths.confDir !== '/etc/cni/net.d'
          ? `\nOn ${a.paths.label} whereabouts does not look in ${a.paths.confDir}: add "configuration_path": "${a.paths.confDir}/whereabouts.d/whereabouts.conf" to the NAD's ipam.`
          : '';
      out.push(
        finding(
          meta,
          nad.subject,
          `${nad.key} uses whereabouts IPAM, but ${problems.join('; ')}: pods using it cannot get an address.`,
          evidence,
          whereaboutsInstallFix(a) + k3sHint,
        ),
      );
    }
    return out;
  },
);
