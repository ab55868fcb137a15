import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding, listNames, nodesNotVerified } from '../helpers.js';
import type { NodeView } from '../analysis.js';
import { multusKey } from '../../model/multus-conf.js';
import { installFacts, toHost } from '../../model/multus-install.js';
import { dsSubject, findLog, nodesOf } from '../../model/install-nodes.js';
import { presence } from '../../model/node-files.js';

/**
 * The configured readinessindicatorfile does not exist. Thin multus (a binary on the host) waits
 * for it on every CNI ADD; the thick daemon checks it at start — inside its pod, so the path must
 * be on a hostPath mount. Message: "have you checked that your default network is ready? still
 * waiting for readinessindicatorfile @ …".
 */
export const multusReadinessIndicatorMissing = defineCheck(
  {
    id: 'multus-readiness-indicator-missing',
    title: 'The readiness indicator file is missing',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: "With readinessindicatorfile set, multus waits for that file (usually the primary CNI's config) before it does anything. If the file never appears on a node — primary CNI down, or a path the thick daemon cannot see — pods there never get networking.",
  },
  (a) => {
    const meta = multusReadinessIndicatorMissing.meta;
    const out: Finding[] = [];
    for (const m of a.multus) {
      const f = installFacts(m);
      const inPod = f.mode === 'thick' ? f.daemon?.readinessIndicatorFile : undefined;
      const hostFixed = f.mode === 'thick' ? (inPod ? toHost(m, inPod) : undefined) : f.thin?.readinessIndicatorFile;
      if (f.mode === 'thick' && inPod && !hostFixed) {
        out.push(
          finding(
            meta,
            dsSubject(m),
            `The daemon's readinessindicatorfile ${inPod} is not on a hostPath mount: the daemon can never see it and exits at start ("still waiting for readinessindicatorfile").`,
            [{ path: f.daemon?.source, value: `readinessindicatorfile: ${inPod}` }],
            'Give the in-pod path of the file through a mounted host directory (upstream mounts the host /run at /host/run: "/host/run/flannel/subnet.env"), or mount its directory.',
          ),
        );
        continue;
      }
      const absent: Array<{ n: NodeView; path: string }> = [];
      const unknown: NodeView[] = [];
      for (const n of nodesOf(a.nodes, m)) {
        // Thin: the file named in the config on the node wins over the flag (it may be hand-written).
        const path =
          hostFixed ?? (f.mode === 'thin' ? multusKey(n.multusConf?.config, 'readinessindicatorfile') : undefined);
        if (!path) continue;
        const st = presence(n.node.inspection, path);
        if (st === 'absent') absent.push({ n, path });
        else if (st === 'unknown') unknown.push(n);
      }
      if (absent.length) {
        const log = findLog(m, /still waiting for readinessindicatorfile/);
        const evidence: Evidence[] = absent.slice(0, 6).map((x) => ({ node: x.n.name, path: x.path, label: 'absent' }));
        if (log) evidence.push({ node: log.pod.node, label: 'multus log', value: log.line });
        const path = absent[0]!.path;
        out.push(
          finding(
            meta,
            dsSubject(m),
            `The readiness indicator file ${path} does not exist on ${listNames(absent.map((x) => x.n.name))}: multus waits for it, so pods there ${f.mode === 'thick' ? 'get no networking (the daemon does not start)' : 'hang in ContainerCreating'}.`,
            evidence,
            `Check that the primary CNI runs on those nodes (it writes ${path}); if it writes another file, point readinessindicatorfile at that${f.mode === 'thick' ? ' (as the path inside the daemon pod)' : ''}.${a.distribution === 'openshift' ? ' On OpenShift the file is /run/multus/cni/net.d/10-ovn-kubernetes.conf, written by ovnkube-node.' : ''}`,
          ),
        );
      }
      out.push(...nodesNotVerified(meta, unknown, 'whether the readiness indicator file exists'));
    }
    return out;
  },
);
