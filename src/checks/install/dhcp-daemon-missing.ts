import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding, listNames, nodesNotVerified } from '../helpers.js';
import type { NadView, NodeView } from '../analysis.js';
import { locate, str } from '../../model/cni-config.js';
import { nodesOf } from '../../model/install-nodes.js';
import { presence } from '../../model/node-files.js';
import { dhcpDaemonFix } from './lib/fixes.js';

const DEFAULT_SOCKET = '/run/cni/dhcp.sock';

function dhcpUse(nad: NadView): { socket: string; path: Array<string | number> } | undefined {
  for (const p of nad.config?.ok ? nad.config.plugins : []) {
    if (p.ipamType === 'dhcp')
      return {
        socket: (p.ipam && str(p.ipam['daemonSocketPath'])) || DEFAULT_SOCKET,
        path: [...p.path, 'ipam', 'type'],
      };
  }
  return undefined;
}

/**
 * A NAD uses `ipam.type: dhcp`, but the CNI dhcp daemon's socket is absent on a node. The dhcp
 * IPAM plugin only forwards to that daemon, which no distribution runs by default:
 * `error dialing DHCP daemon: dial unix /run/cni/dhcp.sock: connect: no such file or directory`.
 */
export const dhcpDaemonMissing = defineCheck(
  {
    id: 'dhcp-daemon-missing',
    title: 'The CNI dhcp daemon is not running',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'The dhcp IPAM plugin does not talk DHCP itself: it asks a long-running `dhcp daemon` on the node through /run/cni/dhcp.sock. Nothing starts that daemon by default, so pods using a DHCP network stay in ContainerCreating.',
  },
  (a) => {
    const meta = dhcpDaemonMissing.meta;
    const m = a.multus[0];
    if (!m) return [];
    const uses = a.nads
      .map((nad) => ({ nad, use: dhcpUse(nad) }))
      .filter((x): x is { nad: NadView; use: NonNullable<ReturnType<typeof dhcpUse>> } => !!x.use);
    if (!uses.length) return [];
    const nodes = nodesOf(a.nodes, m);
    const daemonDs = a.snapshot.daemonSets?.filter((d) =>
      d.commands.some((c) => /\bdhcp\b/.test(c) && /\bdaemon\b/.test(c)),
    );
    const out: Finding[] = [];
    const unknownAll = new Set<NodeView>();
    for (const { nad, use } of uses) {
      const absent: NodeView[] = [];
      for (const n of nodes) {
        const st = presence(n.node.inspection, use.socket);
        if (st === 'absent') absent.push(n);
        else if (st === 'unknown') unknownAll.add(n);
      }
      const events = (a.snapshot.events ?? [])
        .filter((e) => e.message.includes('error dialing DHCP daemon'))
        .slice(0, 2);
      const evidence: Evidence[] = [
        { ...nad.at(nad.config ? locate(nad.config.parsed, use.path) : undefined, 'dhcp'), label: 'ipam' },
      ];
      if (absent.length) {
        evidence.push(...absent.slice(0, 5).map((n) => ({ node: n.name, path: use.socket, label: 'socket absent' })));
        evidence.push(...events.map((e) => ({ label: `event ${e.reason}`, value: e.message })));
        out.push(
          finding(
            meta,
            nad.subject,
            `${nad.key} uses DHCP IPAM, but the dhcp daemon socket ${use.socket} does not exist on ${listNames(absent.map((n) => n.name))}: pods there wait in ContainerCreating ("error dialing DHCP daemon").`,
            evidence,
            dhcpDaemonFix(a, m) +
              (use.socket !== DEFAULT_SOCKET
                ? `\nThe NAD sets "daemonSocketPath": "${use.socket}"; the daemon must listen there ("dhcp daemon -hostprefix P" listens on P${DEFAULT_SOCKET}), or drop the key to use ${DEFAULT_SOCKET}.`
                : ''),
          ),
        );
      } else if (
        daemonDs &&
        daemonDs.length === 0 &&
        nodes.every((n) => presence(n.node.inspection, use.socket) === 'unknown')
      ) {
        // No node could be checked; the absence of any DaemonSet running `dhcp daemon` is a strong hint,
        // not proof (it may run under systemd).
        out.push(
          finding(
            meta,
            nad.subject,
            `${nad.key} uses DHCP IPAM, and no DaemonSet runs the CNI dhcp daemon (the socket ${use.socket} could not be checked on the nodes): unless it runs on the hosts themselves, pods using this network will hang in ContainerCreating.`,
            [...evidence, ...events.map((e) => ({ label: `event ${e.reason}`, value: e.message }))],
            dhcpDaemonFix(a, m),
            'warning',
          ),
        );
      }
    }
    out.push(...nodesNotVerified(meta, [...unknownAll], 'whether the dhcp daemon socket exists'));
    return out;
  },
);
