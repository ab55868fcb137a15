import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { isK3sVersionedBinDir } from '../../model/distributions.js';
import { installFacts, normPath } from '../../model/multus-install.js';
import { dsSubject } from '../../model/install-nodes.js';
import { dirsFix } from './lib/fixes.js';

const CURRENT = '/var/lib/rancher/k3s/data/current/bin';
const STABLE = '/var/lib/rancher/k3s/data/cni';

/**
 * A path multus is configured with contains K3s's versioned `data/<hash>/bin`, which is replaced
 * on every K3s upgrade: multus and the plugins copied there vanish with the next upgrade
 * ("failed to find plugin \"multus\" in path [/var/lib/rancher/k3s/data/<hash>/bin]").
 */
export const cniBinDirVersioned = defineCheck(
  {
    id: 'cni-bin-dir-versioned',
    title: "A path pins K3s's versioned bin dir",
    severity: 'warning',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'Before the October 2024 releases K3s kept its CNI binaries in /var/lib/rancher/k3s/data/<hash>/bin, a directory that changes with every K3s version. A multus install pinned to it works until the next upgrade, then every pod fails to find multus or its plugins.',
  },
  (a) => {
    const meta = cniBinDirVersioned.meta;
    const out: Finding[] = [];
    const stableInUse = a.nodes.some((n) => n.node.inspection?.runtime?.binDirs?.some((d) => normPath(d) === STABLE));
    for (const m of a.multus) {
      const f = installFacts(m);
      const places: Array<{ where: string; path: string }> = [];
      for (const x of m.mounts)
        places.push({ where: `hostPath of volume ${x.volume} (${x.container})`, path: x.hostPath });
      for (const [name, flag] of f.thin?.flags ?? [])
        if (flag.value.startsWith('/')) places.push({ where: `--${name}`, path: flag.value });
      if (f.daemon?.binDirSet) places.push({ where: 'daemon-config.json binDir', path: f.daemon.binDir });
      const seen = new Set<string>();
      const pinned = places.filter((p) => isK3sVersionedBinDir(p.path) && !seen.has(p.where) && seen.add(p.where));
      if (pinned.length) {
        out.push(
          finding(
            meta,
            dsSubject(m),
            `${m.name} uses K3s's versioned bin dir ${pinned[0]!.path}: it is replaced on every K3s upgrade, after which multus and the plugins copied there are gone.`,
            pinned.map((p) => ({ label: p.where, value: p.path })),
            `${dirsFix(a, m, { bin: true })}\nOn K3s ≥ v1.28.15/v1.29.10/v1.30.6/v1.31.2 use ${STABLE}; on older K3s ${CURRENT} (it follows upgrades, but re-install the plugins after each one).`,
          ),
        );
        continue;
      }
      const current = places.find((p) => normPath(p.path) === CURRENT);
      if (current && stableInUse) {
        out.push(
          finding(
            meta,
            dsSubject(m),
            `${m.name} installs into ${CURRENT}, which points into the versioned dir: plugins copied there are lost on the next K3s upgrade, while this K3s already uses the stable ${STABLE}.`,
            [{ label: current.where, value: current.path }],
            dirsFix(a, m, { bin: true }),
            'info',
          ),
        );
      }
    }
    return out;
  },
);
