/**
 * Parse what the node script printed into a NodeInspection keyed by HOST paths (the plan says
 * which host path each op index stands for). Tolerant: unknown or malformed lines are skipped,
 * a missing end marker marks the inspection incomplete but keeps what arrived. File contents are
 * redacted here, before they can reach a snapshot.
 */
import type {
  DirListing,
  FileEntry,
  FileRead,
  HostInterface,
  NodeInspection,
  RuntimeProcess,
} from '../snapshot/types.js';
import { parseIpOutput } from '../model/ip-output.js';
import type { NodePlan } from './node-plan.js';
import { joinPath } from '../model/mount-paths.js';
import { redactText } from './redact.js';
import { own } from '../model/own.js';

/** ARPHRD numbers (include/uapi/linux/if_arp.h) we name. */
const ARPHRD: Record<string, string> = {
  '1': 'ether',
  '772': 'loopback',
  '776': 'sit',
  '778': 'gre',
  '768': 'ipip',
  '65534': 'none',
  '32': 'infiniband',
};

function decode(lines: string[], enc: string): string | undefined {
  if (lines.length === 1 && lines[0] === '!') return undefined;
  if (enc === 'b64') return Buffer.from(lines.join(''), 'base64').toString('utf8');
  if (enc === 'hex') return Buffer.from(lines.join('').replace(/\s+/g, ''), 'hex').toString('utf8');
  return undefined;
}

/** Command-line arguments, with anything that looks like a secret (`--token=…`, key material) removed. */
function redactArgs(args: string[]): string[] {
  return args.map((a, i) =>
    /(token|password|secret)/i.test(a) && a.includes('=')
      ? a.replace(/=.*/, '=REDACTED')
      : /(token|password|secret)/i.test(args[i - 1] ?? '') && !a.startsWith('-')
        ? 'REDACTED'
        : redactText(a).text,
  );
}

/** Which files hold credentials: everything under multus.d/ and whereabouts.d/, and kubeconfigs. */
function sensitive(path: string): boolean {
  return /\/(multus|whereabouts)\.d\//.test(path) || /kubeconfig/i.test(path);
}

function fileRead(status: string, content: string | undefined, path: string, cap: number): FileRead {
  switch (status) {
    case 'ok': {
      if (content === undefined) return { exists: true, error: 'read failed' };
      // Everything is scanned for key material; kubeconfig-like files for tokens too.
      const r = redactText(content);
      const f: FileRead = { exists: true, content: r.text };
      if (r.redacted || sensitive(path)) f.redacted = r.redacted;
      if (r.jwtExp !== undefined) f.jwtExp = r.jwtExp;
      if (f.redacted === false) delete f.redacted;
      return f;
    }
    case 'missing':
      return { exists: false };
    case 'dangling':
      return { exists: false, error: 'dangling symlink' };
    case 'notfile':
      return { exists: true, error: 'not a regular file' };
    case 'unreadable':
      return { exists: true, error: 'permission denied' };
    case 'toolarge':
      return { exists: true, error: `larger than ${cap} bytes, not read` };
    case 'noencoder':
      return { exists: true, error: 'the image has neither base64 nor od to transfer files' };
    default:
      return { exists: true, error: `unexpected status ${status}` };
  }
}

interface ParseResult {
  inspection: Omit<NodeInspection, 'source'>;
  /** The end marker was seen. */
  complete: boolean;
}

export function parseNodeOutput(text: string, plan: NodePlan, capBytes: number): ParseResult {
  const dirs: Record<string, DirListing> = {};
  const files: Record<string, FileRead> = {};
  const paths: Record<string, boolean> = {};
  let processes: RuntimeProcess[] | undefined;
  const sysIfs = new Map<string, HostInterface & { devtype?: string; kind?: string }>();
  let ipLink: string | undefined;
  let ipAddr: string | undefined;
  let netSeen = false;
  let enc = 'none';
  let complete = false;
  let started = false;
  const lines = text.split('\n');
  const opAt = (k: string) => {
    const i = Number(k);
    return Number.isInteger(i) ? plan.ops[i] : undefined;
  };
  let lastEntry: FileEntry | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (!started) {
      const h = /^KMI 1 (\S+)/.exec(line);
      if (h) {
        started = true;
        enc = h[1]!;
      }
      continue;
    }
    if (line === 'KMI-END') {
      complete = true;
      break;
    }
    const sp = line.indexOf(' ');
    const tag = sp < 0 ? line : line.slice(0, sp);
    const rest = sp < 0 ? '' : line.slice(sp + 1);
    const sp2 = rest.indexOf(' ');
    const k = sp2 < 0 ? rest : rest.slice(0, sp2);
    const tail = sp2 < 0 ? '' : rest.slice(sp2 + 1);
    const op = opAt(k);
    if (!op) continue;
    switch (tag) {
      case 'D': {
        const st = tail.trim();
        if (op.op === 'R') {
          // /proc seen (host PID namespace): the process list is known, possibly empty.
          if (st === 'exists') processes ??= [];
          break;
        }
        dirs[op.host] =
          st === 'exists'
            ? { exists: true, entries: [] }
            : st === 'unreadable'
              ? { exists: true, error: 'permission denied', entries: [] }
              : st === 'notdir'
                ? { exists: false, error: 'not a directory', entries: [] }
                : { exists: false, entries: [] };
        lastEntry = undefined;
        break;
      }
      case 'E': {
        const m = /^([fdlo])([x-])([e-]) (\S+) (.*)$/.exec(tail);
        const listing = dirs[op.host];
        if (!m || !listing) break;
        const type = ({ f: 'file', d: 'dir', l: 'symlink', o: 'other' } as const)[m[1] as 'f' | 'd' | 'l' | 'o'];
        const e: FileEntry = { name: m[5]!, type };
        if (/^\d+$/.test(m[4]!)) e.size = Number(m[4]);
        if (type === 'file' || type === 'symlink') e.executable = m[2] === 'x';
        if (type === 'symlink') e.targetExists = m[3] === 'e';
        listing.entries.push(e);
        lastEntry = e;
        break;
      }
      case 'R': {
        const m = /^(\d+) (\S+)$/.exec(tail.trim());
        const content: string[] = [];
        while (i + 1 < lines.length && lines[i + 1] !== 'Z' && lines[i + 1] !== 'KMI-END') content.push(lines[++i]!);
        if (lines[i + 1] === 'Z') i++;
        if (!m) break;
        const raw = decode(content, enc);
        const args = raw === undefined ? [] : raw.split('\0').filter((a, idx, all) => a !== '' || idx < all.length - 1);
        (processes ??= []).push({ pid: Number(m[1]), comm: m[2]!, args: redactArgs(args) });
        break;
      }
      case 'T':
        if (lastEntry?.type === 'symlink' && lastEntry.target === undefined) lastEntry.target = tail;
        break;
      case 'B': {
        const m = /^(\S+) ?(.*)$/.exec(tail);
        if (!m) break;
        const status = m[1]!;
        const name = m[2]!;
        const content: string[] = [];
        if (status === 'ok') {
          while (i + 1 < lines.length && lines[i + 1] !== 'Z' && lines[i + 1] !== 'KMI-END') content.push(lines[++i]!);
          if (lines[i + 1] === 'Z') i++;
        }
        if (op.op === 'I') {
          const out = status === 'ok' ? decode(content, enc) : undefined;
          if (name === 'link') ipLink = out;
          else if (name === 'addr') ipAddr = out;
          break;
        }
        const path = op.op === 'F' ? op.host : op.op === 'R' ? name : joinPath(op.host, name);
        files[path] = fileRead(status, status === 'ok' ? decode(content, enc) : undefined, path, capBytes);
        break;
      }
      case 'P':
        paths[op.host] = tail.trim() === '1';
        break;
      case 'N':
        if (tail.trim() === 'exists') netSeen = true;
        break;
      case 'IF': {
        const f = tail.split(' ');
        if (f.length < 8) break;
        const [name, state, mtu, mac, arp, wireless, devtype, kind] = f as [
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
        ];
        const iface: HostInterface & { devtype?: string; kind?: string } = { name };
        if (state !== '-') iface.up = state === 'up' || state === 'unknown';
        if (/^\d+$/.test(mtu)) iface.mtu = Number(mtu);
        if (mac !== '-') iface.mac = mac.toLowerCase();
        iface.wireless = wireless === '1';
        iface.type =
          kind !== '-'
            ? kind
            : devtype === 'wlan'
              ? 'wlan'
              : devtype !== '-'
                ? devtype
                : (own(ARPHRD, arp) ?? (arp !== '-' ? `arphrd-${arp}` : undefined));
        if (iface.type === undefined) delete iface.type;
        sysIfs.set(name, iface);
        break;
      }
    }
  }
  const inspection: ParseResult['inspection'] = { dirs, files };
  if (Object.keys(paths).length) inspection.paths = paths;
  if (processes) inspection.processes = processes;
  const interfaces = mergeInterfaces(sysIfs, ipLink, ipAddr, netSeen);
  if (interfaces) inspection.interfaces = interfaces;
  if (!started) inspection.error = 'the node script produced no output';
  else if (!complete) inspection.error = 'the node script output ended early (timeout or output limit)';
  return { inspection, complete };
}

/** Interfaces from sysfs, completed (or replaced, when sysfs was not visible) by `ip -o link/addr`. */
function mergeInterfaces(
  sys: Map<string, HostInterface>,
  ipLink: string | undefined,
  ipAddr: string | undefined,
  netSeen: boolean,
): HostInterface[] | undefined {
  const byName = new Map<string, HostInterface>();
  for (const [n, i] of sys) byName.set(n, { ...i });
  if (ipLink) {
    for (const li of parseIpOutput(ipLink).interfaces) {
      const cur = byName.get(li.name) ?? { name: li.name };
      if (cur.mtu === undefined && li.mtu !== undefined) cur.mtu = li.mtu;
      if (cur.mac === undefined && li.mac) cur.mac = li.mac;
      if (cur.up === undefined && li.up !== undefined) cur.up = li.up;
      const kind = linkKind(ipLink, li.name);
      if (kind && (cur.type === undefined || cur.type === 'ether')) cur.type = kind;
      else if (cur.type === undefined && li.linkType) cur.type = li.linkType;
      byName.set(li.name, cur);
    }
  }
  if (ipAddr) {
    for (const ai of parseIpOutput(ipAddr).interfaces) {
      const cur = byName.get(ai.name) ?? { name: ai.name };
      const addrs = ai.addresses.map((a) => a.cidr);
      if (addrs.length) cur.addresses = [...new Set([...(cur.addresses ?? []), ...addrs])];
      byName.set(ai.name, cur);
    }
  }
  if (!byName.size) return netSeen || ipLink !== undefined ? [] : undefined;
  for (const i of byName.values()) if (i.addresses === undefined && ipAddr !== undefined) i.addresses = [];
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The link kind `ip -d -o link` prints after the link/ether line (`macvlan`, `vlan`, `bridge`, `veth`, `vxlan`, ...). */
function linkKind(ipLink: string, name: string): string | undefined {
  const re = new RegExp(`^\\d+:\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:@\\S+)?:.*$`, 'm');
  const line = re.exec(ipLink)?.[0];
  if (!line) return undefined;
  const m =
    /\\\s+(macvlan|macvtap|ipvlan|vlan|bridge|bond|veth|vxlan|wireguard|geneve|tun|tap|dummy|team|ipip|gre|vrf|openvswitch|ifb)\b/.exec(
      line,
    );
  return m?.[1];
}
