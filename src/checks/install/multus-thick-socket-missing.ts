import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding, listNames, nodesNotVerified } from '../helpers.js';
import type { NodeView } from '../analysis.js';
import { multusKey, multusPlugin } from '../../model/multus-conf.js';
import { installFacts, normPath, thickSocket } from '../../model/multus-install.js';
import { dsSubject, nodesOf, podOn } from '../../model/install-nodes.js';
import { presence } from '../../model/node-files.js';
import { restartMultus } from './lib/fixes.js';

/**
 * Thick mode: the shim the runtime calls dials the daemon's unix socket (default
 * /run/multus/multus.sock). Absent socket, or a daemon that creates it somewhere else, and
 * every pod on the node fails: "dial unix /run/multus/multus.sock: connect: no such file or directory".
 */
export const multusThickSocketMissing = defineCheck(
  {
    id: 'multus-thick-socket-missing',
    title: 'The multus daemon socket is missing (thick plugin)',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'With the thick plugin the runtime calls multus-shim, which forwards every request to the multus daemon over a unix socket. Without the socket (daemon not running, or socketDir not on the host path the shim dials) every pod on the node — not only multi-network ones — fails to start.',
  },
  (a) => {
    const meta = multusThickSocketMissing.meta;
    const out: Finding[] = [];
    for (const m of a.multus) {
      const f = installFacts(m);
      if (f.mode !== 'thick') continue;
      const sock = thickSocket(f);
      if (!sock.daemonHost || normPath(sock.daemonHost) !== normPath(sock.shimHost)) {
        out.push(
          finding(
            meta,
            dsSubject(m),
            sock.daemonHost
              ? `The daemon creates its socket at ${sock.daemonHost} on the host, but the shim dials ${sock.shimHost}: every pod fails with "dial unix ${sock.shimHost}".`
              : `The daemon's socketDir (${f.daemon?.socketDir ?? '/run/multus'}) is not on a hostPath volume, so the shim on the host can never reach ${sock.shimHost}.`,
            [
              {
                label: 'daemon-config.json',
                path: f.daemon?.source,
                value: `socketDir: ${f.daemon?.socketDir ?? '(default)'}, daemonSocketDir: ${f.daemon?.daemonSocketDir ?? '(default /run/multus)'}`,
              },
            ],
            m.flavor === 'openshift'
              ? 'The Cluster Network Operator manages these settings; check `oc -n openshift-multus get cm multus-daemon-config -o yaml`.'
              : 'Use the upstream pair: "socketDir": "/host/run/multus/" with host /run mounted at /host/run, and leave "daemonSocketDir" unset (the shim then dials /run/multus/multus.sock).',
          ),
        );
        continue;
      }
      const absent: NodeView[] = [];
      const unknown: NodeView[] = [];
      for (const n of nodesOf(a.nodes, m)) {
        if (!n.inspected) {
          unknown.push(n);
          continue;
        }
        // A thin config in the runtime dir means the shim is not called here.
        if (n.multusConf && multusPlugin(n.multusConf.config)?.type !== 'multus-shim') continue;
        const dir = n.multusConf?.config && multusKey(n.multusConf.config, 'daemonSocketDir');
        const path = dir ? thickSocket(f, dir).shimHost : sock.shimHost;
        const st = presence(n.node.inspection, path);
        if (st === 'absent') absent.push(n);
        else if (st === 'unknown') unknown.push(n);
      }
      if (absent.length) {
        const evidence: Evidence[] = absent.slice(0, 6).map((n) => {
          const pod = podOn(m, n.name);
          return {
            node: n.name,
            path: sock.shimHost,
            label: 'socket absent',
            value: pod ? `daemon pod ${pod.name}: ${pod.ready ? 'ready' : 'not ready'}` : 'no multus pod on this node',
          };
        });
        const down = absent.some((n) => !podOn(m, n.name)?.ready);
        out.push(
          finding(
            meta,
            dsSubject(m),
            `The multus daemon socket ${sock.shimHost} does not exist on ${listNames(absent.map((n) => n.name))}: the shim cannot reach the daemon, so every new pod there fails ("dial unix ${sock.shimHost}: connect: no such file or directory").`,
            evidence,
            `${down ? 'The daemon is not running there: see multus-pods-not-ready. ' : ''}Restart the daemon on those nodes (${restartMultus(m)}) and watch its log; the socket appears once "API readiness check done!" is logged.`,
          ),
        );
      }
      out.push(...nodesNotVerified(meta, unknown, `whether ${sock.shimHost} exists`));
    }
    return out;
  },
);
