import { defineCheck, type Evidence, type Finding, type Severity } from '../types.js';
import { finding } from '../helpers.js';
import type { Analysis } from '../analysis.js';
import { parseCidr, parseIp, cidrContainsIp } from '../../model/cidr.js';
import { assignedAddresses } from '../../model/ip-output.js';
import { str } from '../../model/cni-config.js';
import type { ProbePing } from '../../snapshot/types.js';
import { probePodViews, compact, type ProbePodView } from './lib/probe-common.js';

/**
 * A ping between two test pods over the attachment failed. Where the pods ran decides what it
 * means, so the message says same node or different nodes, and the explanation follows the
 * plugin: macvlan children of one parent reach each other in bridge mode (inside the kernel,
 * no switch involved), never in private mode; across nodes the frames leave through the master
 * and the network must accept extra MACs; a host never reaches its own macvlan/ipvlan children.
 * By-design failures are reported as info, pings to something that is not a test pod as warning.
 */
export const probePeerUnreachable = defineCheck(
  {
    id: 'probe-peer-unreachable',
    title: 'Test pods cannot reach each other over the attachment',
    severity: 'error',
    category: 'probe',
    scope: 'cluster',
    distributions: 'all',
    doc: 'Two test pods attached to the same NAD could not ping each other over the secondary interface. Whether they ran on the same node or on different nodes points at the cause: the attachment itself (same node) or the network between the nodes (switches and hypervisors dropping frames from MAC addresses they did not assign).',
  },
  (a) => {
    const out: Finding[] = [];
    const views = probePodViews(a);
    for (const probe of a.snapshot.probes ?? []) {
      const pods = new Map(views.filter((v) => v.probe === probe).map((v) => [v.pod.name, v]));
      for (const ping of probe.pings ?? []) {
        if (ping.ok) continue;
        const from = pods.get(ping.from);
        const to = pods.get(ping.to);
        // A pod that never started or has no interface is reported by its own check; a ping from it proves nothing more.
        if (!from?.pod.started || !usable(from)) continue;
        if (to && (!to.pod.started || !usable(to))) continue;
        out.push(to ? podToPod(a, from, to, ping, probe.pings) : podToOther(a, from, ping));
      }
    }
    return out;
  },
);

/** Not already explained by probe-interface-missing / probe-address-missing (unknown counts as usable). */
function usable(v: ProbePodView): boolean {
  if (!v.ip) return true;
  return !!v.iface && assignedAddresses(v.iface).length > 0;
}

interface PluginInfo {
  type?: string;
  mode?: string;
  bridge?: string;
}

function plugin(v: ProbePodView): PluginInfo {
  const main = v.nad?.config?.main;
  if (!main) return {};
  return { type: main.type, mode: str(main.raw['mode']), bridge: str(main.raw['bridge']) };
}

function pingEvidence(ping: ProbePing, from: ProbePodView, to?: ProbePodView): Evidence[] {
  const ev: Evidence[] = [
    {
      label: 'ping',
      value: `${ping.from}${from.pod.node ? ` (node ${from.pod.node})` : ''} → ${ping.to}${to?.pod.node ? ` (node ${to.pod.node})` : ''} at ${ping.address}`,
      ...(from.pod.node ? { node: from.pod.node } : {}),
    },
  ];
  if (ping.output) {
    const tail = ping.output.trim().split(/\r?\n/).slice(-3).join(' | ');
    ev.push({ label: 'ping output', value: compact(tail, 300) });
  }
  return ev;
}

/** The target is outside every subnet of the sender's interface: the packet goes out by the default route (eth0). */
function offSubnetNote(from: ProbePodView, address: string): string | undefined {
  const ip = parseIp(address);
  if (!ip || !from.iface) return undefined;
  const nets = assignedAddresses(from.iface)
    .map((x) => parseCidr(x.cidr))
    .filter((c) => c !== undefined);
  if (nets.length === 0 || nets.some((c) => cidrContainsIp(c, ip))) return undefined;
  return `${address} is not in ${from.ifname}'s subnet (${nets.map((c) => c.text).join(', ')}), so the packet leaves by the default route (eth0), not over the attachment: give the pods addresses from one subnet (per-node ranges need routes between them).`;
}

function podToPod(a: Analysis, from: ProbePodView, to: ProbePodView, ping: ProbePing, all: ProbePing[]): Finding {
  const p = plugin(from);
  const fn = from.pod.node;
  const tn = to.pod.node;
  const same = fn !== undefined && tn !== undefined ? fn === tn : ping.sameNode;
  const where = same
    ? `both on node ${fn ?? tn ?? '(same node)'}`
    : `on different nodes (${fn ?? '?'} and ${tn ?? '?'})`;
  const message = `Test pod ${ping.from} cannot ping ${ping.to} at ${ping.address} over ${from.ifname}; the pods are ${where}.`;
  const evidence = pingEvidence(ping, from, to);
  const sameNodeWorked = !same && all.some((q) => q.ok && q.sameNode);
  let severity: Severity = 'error';
  let fix: string;
  const off = offSubnetNote(from, ping.address);
  if (off) fix = off;
  else if (p.type === 'macvlan') {
    const mode = p.mode ?? 'bridge';
    if (same && mode === 'private') {
      severity = 'info';
      fix =
        'macvlan mode "private" forbids traffic between macvlan interfaces of the same parent, by design. Use mode "bridge" if pods on one node must talk to each other.';
    } else if (same && mode === 'vepa') {
      fix =
        'macvlan mode "vepa" sends traffic between pods of one node out to the switch, which must send it back (reflective relay / hairpin on the switch port). Enable that on the switch, or use mode "bridge".';
    } else if (same) {
      fix = `In macvlan bridge mode, pods on the same parent reach each other inside the kernel, without the switch: check that both got addresses in the same subnet, that the master (${str(from.nad?.config?.main?.raw['master']) ?? 'the default-route interface'}) is UP on ${fn ?? 'the node'}, and that no firewall in the pods drops ICMP. (The host itself can never reach its own macvlan children; that is expected.)`;
    } else {
      fix =
        (sameNodeWorked
          ? 'The same-node ping worked, so the attachment is fine and the network between the nodes drops the frames. '
          : '') +
        "Across nodes, macvlan frames leave through the master with the pod's own MAC: the masters must be on one L2 segment/VLAN, and switches/hypervisors must accept MACs they did not assign (VMware port group: Promiscuous mode and Forged transmits; Hyper-V: MAC address spoofing; public clouds drop unknown MACs: use ipvlan or provider interfaces). " +
        'Pods on the same parent in bridge mode can reach each other; a host cannot reach its own macvlan children.';
    }
  } else if (p.type === 'ipvlan') {
    fix = same
      ? 'ipvlan interfaces of one parent reach each other inside the kernel: check both addresses are in one subnet and the master is UP. (The host cannot reach its own ipvlan children.)'
      : `Across nodes, ipvlan ${p.mode === 'l3' || p.mode === 'l3s' ? "L3 mode needs routes to the pods' addresses on the network between the nodes" : "L2 frames leave through the master with the master's MAC: the masters must share one L2 segment/VLAN"}.`;
  } else if (p.type === 'bridge') {
    fix = same
      ? `Pods on one bridge (${p.bridge ?? 'cni0'}) should reach each other: with br_netfilter loaded, bridged traffic passes the iptables FORWARD chain, and a DROP policy there (Docker sets one) blocks it. Allow the bridge: iptables -I FORWARD -i ${p.bridge ?? 'cni0'} -o ${p.bridge ?? 'cni0'} -j ACCEPT.`
      : `The bridge plugin creates a separate bridge "${p.bridge ?? 'cni0'}" on every node: pods on different nodes are only connected if a NIC on the shared segment is enslaved to that bridge on each node (or use macvlan/ipvlan on that NIC).`;
  } else {
    fix = same
      ? "Both pods are on one node: the attachment does not forward between them; check the plugin's own connectivity model and that both addresses share a subnet."
      : "Pods on different nodes cannot reach each other over the attachment: check that the nodes' uplinks are on one L2 segment/VLAN (or routed) and that the network accepts the pods' MAC addresses.";
  }
  if (a.distribution === 'kind' && !same && (p.type === 'macvlan' || p.type === 'ipvlan')) {
    fix +=
      ' On kind, nodes are containers on the docker network "kind": the master must be the node container\'s eth0.';
  }
  return finding(probePeerUnreachable.meta, from.subject, message, evidence, fix, severity);
}

function podToOther(a: Analysis, from: ProbePodView, ping: ProbePing): Finding {
  const p = plugin(from);
  const ip = parseIp(ping.address);
  const node = (a.snapshot.nodes ?? []).find(
    (n) =>
      n.name === ping.to ||
      (ip !== undefined &&
        n.addresses.some((x) => parseIp(x.address)?.value === ip.value && parseIp(x.address)?.family === ip.family)),
  );
  const evidence = pingEvidence(ping, from);
  const ownHost = node !== undefined && node.name === from.pod.node;
  if (ownHost && (p.type === 'macvlan' || p.type === 'ipvlan')) {
    return finding(
      probePeerUnreachable.meta,
      from.subject,
      `Test pod ${ping.from} cannot ping its own node ${node.name} (${ping.address}) over ${from.ifname}: expected with ${p.type}.`,
      evidence,
      `By kernel design a host cannot reach its own ${p.type} children over the master. To reach the node, use eth0; if the node must reach pods over the LAN, add a host-side ${p.type} "shim" interface on the master with a route to the pods' range.`,
      'info',
    );
  }
  const what = node ? `node ${node.name}` : ping.to;
  return finding(
    probePeerUnreachable.meta,
    from.subject,
    `Test pod ${ping.from} cannot ping ${what} at ${ping.address} over ${from.ifname}.`,
    evidence,
    offSubnetNote(from, ping.address) ??
      `${what} is not a test pod: it may simply not answer ICMP. If it should, check that it is on the same segment/VLAN as the master and accepts the pod's MAC.`,
    'warning',
  );
}
