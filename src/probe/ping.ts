/**
 * Pings between test pods over the attachment. Each sender pings the other pods' addresses on
 * the attachment interface, one address per family both sides have. With more than four pods a
 * ring (each pod pings the next) keeps the count linear while every pod still sends and answers.
 * A ping that could not run at all (no `ping` in the image, not permitted) is not a network
 * result: it is reported as a collection problem, never as "unreachable".
 */
import type { PodExec } from '../cluster/exec.js';
import type { ProbePing } from '../snapshot/types.js';
import { parseIp } from '../model/cidr.js';
import type { IpAddress } from '../model/ip-output.js';
import { limiter } from '../cluster/limit.js';
import { PING_DEADLINE_S, PING_EXEC_TIMEOUT_MS } from './request.js';
import { PROBE_CONTAINER } from './pod-spec.js';

export interface PingPeer {
  name: string;
  namespace: string;
  node?: string;
  ifname: string;
  addresses: IpAddress[];
}

export interface PlannedPing {
  from: PingPeer;
  to: PingPeer;
  address: string;
  /** Set when the target address is also the sender's own: no packet would leave the pod. */
  duplicate?: boolean;
}

export function planPings(peers: PingPeer[]): PlannedPing[] {
  const pairs: Array<[PingPeer, PingPeer]> = [];
  if (peers.length <= 4) {
    for (const a of peers) for (const b of peers) if (a !== b) pairs.push([a, b]);
  } else {
    peers.forEach((a, i) => pairs.push([a, peers[(i + 1) % peers.length]!]));
  }
  const out: PlannedPing[] = [];
  for (const [from, to] of pairs) {
    for (const fam of [4, 6] as const) {
      const target = to.addresses.find((x) => x.family === fam);
      if (!target || !from.addresses.some((x) => x.family === fam)) continue;
      const t = parseIp(target.address);
      const duplicate = from.addresses.some((x) => {
        const o = parseIp(x.address);
        return !!o && !!t && o.family === t.family && o.value === t.value;
      });
      out.push({ from, to, address: target.address, ...(duplicate ? { duplicate } : {}) });
    }
  }
  return out;
}

/** Both iputils and BusyBox print this line once they have actually sent packets. */
const RAN = /(\d+) packets transmitted, (\d+) (?:packets )?received/;

export interface PingOutcome {
  pings: ProbePing[];
  /** Pings that could not run: `from → address: why`. */
  problems: string[];
}

export async function runPings(
  exec: PodExec,
  planned: PlannedPing[],
  signal: AbortSignal,
  concurrency = 8,
): Promise<PingOutcome> {
  const limit = limiter(concurrency);
  const pings: ProbePing[] = [];
  const problems: string[] = [];
  await Promise.all(
    planned.map((p) =>
      limit(async () => {
        const base = {
          from: p.from.name,
          to: p.to.name,
          address: p.address,
          sameNode: p.from.node !== undefined && p.from.node === p.to.node,
        };
        if (p.duplicate) {
          pings.push({
            ...base,
            ok: false,
            output: `not sent: ${p.address} is also ${p.from.name}'s own address on ${p.from.ifname}: both test pods got the same address, so neither can reach the other`,
          });
          return;
        }
        const argv = ['ping', '-c', '2', '-w', String(PING_DEADLINE_S), '-I', p.from.ifname, p.address];
        const r = await exec.run(p.from.namespace, p.from.name, PROBE_CONTAINER, argv, {
          timeoutMs: PING_EXEC_TIMEOUT_MS,
          signal,
          maxBytes: 64 * 1024,
        });
        const output = `${r.stdout}${r.stderr}`.trim();
        const m = RAN.exec(output);
        if (!m) {
          problems.push(
            `${p.from.name} → ${p.address}: ping could not run: ${output.split(/\r?\n/)[0] || r.failure || `exit code ${r.exitCode ?? '?'}`}`,
          );
          return;
        }
        pings.push({ ...base, ok: Number(m[2]) > 0, output });
      }),
    ),
  );
  const order = (x: ProbePing) => `${x.from}\u0000${x.to}\u0000${x.address}`;
  pings.sort((a, b) => order(a).localeCompare(order(b)));
  return { pings, problems };
}
