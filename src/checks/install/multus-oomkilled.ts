import { defineCheck, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import { dsSubject } from '../../model/install-nodes.js';
import { memoryLimitFix } from './lib/fixes.js';

/**
 * A multus container was OOMKilled. The reference manifests cap multus at 50Mi; memory grows with
 * concurrent CNI requests (node drain, reboot, many pending pods) and the thick daemon also runs
 * the delegates, so storms kill it exactly when it is needed.
 */
export const multusOomkilled = defineCheck(
  {
    id: 'multus-oomkilled',
    title: 'Multus was OOMKilled',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'The upstream manifests limit multus to 50Mi. Under load (node reboot, drain, many pods at once) it is OOMKilled and restarts in a loop; pods on the node wait in ContainerCreating, and with the thick plugin every CNI call fails while the daemon is down.',
  },
  (a) => {
    const meta = multusOomkilled.meta;
    const out: Finding[] = [];
    for (const m of a.multus) {
      const hits = (m.pods ?? []).flatMap((p) =>
        p.containers
          .filter((c) => c.reason === 'OOMKilled' || c.lastTerminationReason === 'OOMKilled')
          .map((c) => ({ p, c })),
      );
      if (!hits.length) continue;
      out.push(
        finding(
          meta,
          dsSubject(m),
          `${hits.length === 1 ? 'A multus container was' : `${hits.length} multus containers were`} OOMKilled (on ${listNames([...new Set(hits.map((h) => h.p.node ?? h.p.name))])})${m.memoryLimit ? ` with a memory limit of ${m.memoryLimit}` : ''}: CNI requests on those nodes fail or hang while it restarts.`,
          hits.slice(0, 6).map(({ p, c }) => ({
            node: p.node,
            label: `pod ${p.name}`,
            value: `container ${c.name}: ${c.reason === 'OOMKilled' ? 'OOMKilled now' : 'last terminated OOMKilled'}${c.restartCount ? `, ${c.restartCount} restarts` : ''}`,
          })),
          memoryLimitFix(a, m),
        ),
      );
    }
    return out;
  },
);
