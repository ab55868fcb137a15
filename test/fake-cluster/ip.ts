/**
 * `ip` (iproute2 6.1) emulation from a scenario's interface list. Output formats follow the lab
 * captures in ../shared/corpus/lab (`ip addr`, `ip -o addr`, `ip -j addr`), the tool's parsers'
 * ground truth. Exec runs a small /bin/sh stand-in (IP_SHIM) that prints files pre-rendered here,
 * so `ip` works both as a direct exec argv and from inside `sh -c` scripts.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type IfaceKind =
  | 'loopback'
  | 'ether'
  | 'veth'
  | 'bridge'
  | 'vxlan'
  | 'macvlan'
  | 'ipvlan'
  | 'vlan'
  | 'wireless'
  | 'dummy'
  | 'tun'
  | 'bond';

/** As written in a scenario. */
export interface InterfaceSpec {
  name: string;
  kind?: IfaceKind;
  mac?: string;
  mtu?: number;
  /** UP (default), DOWN (administratively down), NO-CARRIER (up, no link), UNKNOWN */
  state?: 'UP' | 'DOWN' | 'NO-CARRIER' | 'UNKNOWN';
  addresses?: string[];
  /** bridge this interface is enslaved to */
  master?: string;
  /** peer/parent ifindex printed as name@ifN (veth peer in another netns, macvlan parent) */
  peerIndex?: number;
  /** parent interface name printed as name@parent (vlan, macvlan in the same netns) */
  parent?: string;
  txqlen?: number;
  qdisc?: string;
  /** add an EUI-64 fe80:: address (default true for UP ethernet-like interfaces) */
  ipv6LinkLocal?: boolean;
}

interface Addr {
  family: 'inet' | 'inet6';
  local: string;
  prefixlen: number;
  broadcast?: string;
  scope: 'host' | 'link' | 'global';
}

export interface Iface {
  index: number;
  name: string;
  kind: IfaceKind;
  mac: string;
  mtu: number;
  flags: string[];
  operstate: string;
  qdisc: string;
  master?: string;
  txqlen: number;
  linkIndex?: number;
  parent?: string;
  netnsPeer: boolean;
  addrs: Addr[];
}

export const IFNAME = /^[A-Za-z0-9_.:-]{1,15}$/;

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}
function intToV4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

function eui64(mac: string): string {
  const b = mac.split(':').map((h) => parseInt(h, 16));
  const e = [b[0]! ^ 0x02, b[1]!, b[2]!, 0xff, 0xfe, b[3]!, b[4]!, b[5]!];
  const groups = [0, 2, 4, 6].map((i) => ((e[i]! << 8) | e[i + 1]!).toString(16));
  return `fe80::${groups.join(':')}`;
}

function parseAddr(a: string): Addr {
  const [ip, plen] = a.split('/');
  if (!ip) throw new Error(`bad address ${a}`);
  if (ip.includes(':')) {
    const prefixlen = plen ? Number(plen) : 128;
    const lower = ip.toLowerCase();
    return {
      family: 'inet6',
      local: lower,
      prefixlen,
      scope: lower === '::1' ? 'host' : /^fe[89ab]/.test(lower) ? 'link' : 'global',
    };
  }
  const prefixlen = plen ? Number(plen) : 32;
  const scope = ip.startsWith('127.') ? 'host' : ip.startsWith('169.254.') ? 'link' : 'global';
  const out: Addr = { family: 'inet', local: ip, prefixlen, scope };
  if (prefixlen < 31 && scope !== 'host') {
    const host = 2 ** (32 - prefixlen) - 1;
    out.broadcast = intToV4(v4ToInt(ip) - (v4ToInt(ip) % (host + 1)) + host);
  }
  return out;
}

/** Deterministic locally administered MAC from the interface name (used when none is given). */
function macFor(seed: string): string {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const bytes = [0x02, 0x42, (h >>> 24) & 255, (h >>> 16) & 255, (h >>> 8) & 255, h & 255];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** Normalises scenario interfaces: `lo` first (added when missing), indexes, flags, addresses. */
export function normaliseInterfaces(specs: InterfaceSpec[], seed = ''): Iface[] {
  const list = specs.some((s) => s.name === 'lo')
    ? [...specs]
    : [{ name: 'lo', kind: 'loopback' as const, addresses: ['127.0.0.1/8', '::1/128'] }, ...specs];
  list.sort((a, b) => (a.name === 'lo' ? -1 : b.name === 'lo' ? 1 : 0));
  return list.map((s, i) => {
    if (!IFNAME.test(s.name))
      throw new Error(`interface name ${JSON.stringify(s.name)} is not a valid Linux interface name`);
    const kind: IfaceKind = s.kind ?? (s.name === 'lo' ? 'loopback' : s.name.startsWith('veth') ? 'veth' : 'ether');
    const loop = kind === 'loopback';
    const state = s.state ?? 'UP';
    const up = state === 'UP' || state === 'UNKNOWN' || state === 'NO-CARRIER';
    const flags = loop
      ? ['LOOPBACK']
      : kind === 'tun'
        ? ['POINTOPOINT', 'MULTICAST', 'NOARP']
        : ['BROADCAST', 'MULTICAST'];
    if (state === 'NO-CARRIER') flags.unshift('NO-CARRIER');
    if (up) flags.push('UP');
    if (state === 'UP' || state === 'UNKNOWN' || (loop && up)) flags.push('LOWER_UP');
    const mac = loop ? '00:00:00:00:00:00' : (s.mac ?? macFor(`${seed}/${s.name}`)).toLowerCase();
    const addrs = (s.addresses ?? []).map(parseAddr);
    const etherLike = !loop && kind !== 'tun';
    if (
      etherLike &&
      up &&
      (s.ipv6LinkLocal ?? true) &&
      !addrs.some((a) => a.scope === 'link' && a.family === 'inet6')
    ) {
      addrs.push({ family: 'inet6', local: eui64(mac), prefixlen: 64, scope: 'link' });
    }
    // v4 before v6, as the kernel reports them
    addrs.sort((a, b) => (a.family === b.family ? 0 : a.family === 'inet' ? -1 : 1));
    const defaultTxq = loop || kind === 'ether' || kind === 'wireless' || kind === 'bond' ? 1000 : 0;
    const iface: Iface = {
      index: i + 1,
      name: s.name,
      kind,
      mac,
      mtu: s.mtu ?? (loop ? 65536 : kind === 'vxlan' ? 1450 : 1500),
      flags,
      operstate: loop ? 'UNKNOWN' : state === 'UP' ? 'UP' : state === 'UNKNOWN' ? 'UNKNOWN' : 'DOWN',
      qdisc:
        s.qdisc ??
        (loop || ['veth', 'bridge', 'vxlan', 'macvlan', 'ipvlan', 'vlan', 'dummy'].includes(kind)
          ? 'noqueue'
          : up
            ? 'fq_codel'
            : 'noop'),
      txqlen: s.txqlen ?? defaultTxq,
      netnsPeer: s.peerIndex !== undefined,
      addrs,
    };
    if (s.master) iface.master = s.master;
    if (s.peerIndex !== undefined) iface.linkIndex = s.peerIndex;
    if (s.parent) iface.parent = s.parent;
    return iface;
  });
}

const linkType = (i: Iface): string => (i.kind === 'loopback' ? 'loopback' : i.kind === 'tun' ? 'none' : 'ether');
const brd = (i: Iface): string => (i.kind === 'loopback' ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff');
const ifName = (i: Iface): string =>
  i.linkIndex !== undefined ? `${i.name}@if${i.linkIndex}` : i.parent ? `${i.name}@${i.parent}` : i.name;

function headerLine(i: Iface, link: boolean): string {
  let s = `${i.index}: ${ifName(i)}: <${i.flags.join(',')}> mtu ${i.mtu} qdisc ${i.qdisc}`;
  if (i.master) s += ` master ${i.master}`;
  s += ` state ${i.operstate}`;
  if (link) s += ' mode DEFAULT';
  s += ' group default ';
  if (i.txqlen) s += `qlen ${i.txqlen}`;
  return s;
}

function linkLine(i: Iface): string {
  if (linkType(i) === 'none') return '    link/none ';
  return `    link/${linkType(i)} ${i.mac} brd ${brd(i)}${i.netnsPeer ? ' link-netnsid 0' : ''}`;
}

function addrLines(i: Iface, a: Addr): [string, string] {
  const first =
    a.family === 'inet'
      ? `    inet ${a.local}/${a.prefixlen}${a.broadcast ? ` brd ${a.broadcast}` : ''} scope ${a.scope} ${i.name}`
      : `    inet6 ${a.local}/${a.prefixlen} scope ${a.scope} `;
  return [first, '       valid_lft forever preferred_lft forever'];
}

export type IpObject = 'addr' | 'link';
export type IpFormat = 'text' | 'oneline' | 'json' | 'brief';
export type IpFamily = 'all' | '4' | '6';

function famFilter(f: IpFamily): (a: Addr) => boolean {
  return (a) => f === 'all' || (f === '4' ? a.family === 'inet' : a.family === 'inet6');
}

function jsonIface(i: Iface, obj: IpObject, fam: IpFamily): Record<string, unknown> {
  const o: Record<string, unknown> = { ifindex: i.index };
  if (i.linkIndex !== undefined) o['link_index'] = i.linkIndex;
  else if (i.parent) o['link'] = i.parent;
  o['ifname'] = i.name;
  o['flags'] = i.flags;
  o['mtu'] = i.mtu;
  o['qdisc'] = i.qdisc;
  if (i.master) o['master'] = i.master;
  o['operstate'] = i.operstate;
  if (obj === 'link') o['linkmode'] = 'DEFAULT';
  o['group'] = 'default';
  if (i.txqlen) o['txqlen'] = i.txqlen;
  o['link_type'] = linkType(i);
  if (linkType(i) !== 'none') {
    o['address'] = i.mac;
    o['broadcast'] = brd(i);
  }
  if (i.netnsPeer) o['link_netnsid'] = 0;
  if (obj === 'addr') {
    o['addr_info'] = i.addrs.filter(famFilter(fam)).map((a) => {
      const r: Record<string, unknown> = { family: a.family, local: a.local, prefixlen: a.prefixlen };
      if (a.broadcast) r['broadcast'] = a.broadcast;
      r['scope'] = a.scope;
      if (a.family === 'inet') r['label'] = i.name;
      r['valid_life_time'] = 4294967295;
      r['preferred_life_time'] = 4294967295;
      return r;
    });
  }
  return o;
}

/** Renders one `ip [-j|-o|-br] [-4|-6] addr|link [show [dev] NAME]` invocation. */
export function renderIp(all: Iface[], obj: IpObject, fmt: IpFormat, fam: IpFamily, dev?: string): string {
  const keep = famFilter(fam);
  let ifs = dev ? all.filter((i) => i.name === dev) : all;
  // with -4/-6, `ip addr` lists only interfaces that have an address of that family
  if (obj === 'addr' && fam !== 'all') ifs = ifs.filter((i) => i.addrs.some(keep));
  if (fmt === 'json') return JSON.stringify(ifs.map((i) => jsonIface(i, obj, fam))) + '\n';
  if (fmt === 'brief') {
    return ifs
      .map((i) =>
        obj === 'addr'
          ? `${ifName(i).padEnd(16)} ${i.operstate.padEnd(14)} ${i.addrs
              .filter(keep)
              .map((a) => `${a.local}/${a.prefixlen} `)
              .join('')}`
          : `${ifName(i).padEnd(16)} ${i.operstate.padEnd(14)} ${linkType(i) === 'none' ? '' : `${i.mac} `}<${i.flags.join(',')}> `,
      )
      .map((l) => l + '\n')
      .join('');
  }
  const out: string[] = [];
  for (const i of ifs) {
    if (fmt === 'oneline') {
      if (obj === 'link') out.push(`${headerLine(i, true)}\\${linkLine(i)}`);
      else for (const a of i.addrs.filter(keep)) out.push(`${i.index}: ${i.name}${addrLines(i, a).join('\\')}`);
      continue;
    }
    out.push(headerLine(i, obj === 'link'), linkLine(i));
    if (obj === 'addr') for (const a of i.addrs.filter(keep)) out.push(...addrLines(i, a));
  }
  return out.map((l) => l + '\n').join('');
}

/**
 * The `ip` stand-in placed first on PATH for exec. Fixed text: it never contains scenario data;
 * it only chooses which pre-rendered file (written by writeIpFiles) to print.
 */
const IP_SHIM = `#!/bin/sh
# ip(8) stand-in for the fake cluster: prints output pre-rendered from the scenario's interfaces.
d="\${0%/*}/ip.d"
fmt=text
fam=all
while [ $# -gt 0 ]; do
  case "$1" in
    -j|-json|--json) fmt=json ;;
    -o|-oneline|--oneline) [ "$fmt" = json ] || fmt=oneline ;;
    -br|-brief|--brief) [ "$fmt" = json ] || fmt=brief ;;
    -4|-family=inet) fam=4 ;;
    -6|-family=inet6) fam=6 ;;
    -d|-details|-s|-stats|-p|-pretty|-c|-color|-h|-human|-n|-N|-a|-all) ;;
    -*) echo "Option \\"$1\\" is unknown, try \\"ip -help\\"." >&2; exit 255 ;;
    *) break ;;
  esac
  shift
done
case "$1" in
  a|ad|add|addr|addre|addres|address) obj=addr ;;
  l|li|lin|link) obj=link ;;
  r|ro|rou|rout|route) obj=route ;;
  "") echo "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }" >&2; exit 255 ;;
  *) echo "Object \\"$1\\" is unknown, try \\"ip help\\"." >&2; exit 1 ;;
esac
shift
case "$1" in show|sh|list|ls|lst|l) shift ;; esac
[ "$1" = dev ] && shift
if [ "$obj" = route ]; then cat "$d/route"; exit 0; fi
if [ -n "$1" ]; then
  case "$1" in */*|.*) echo "Device \\"$1\\" does not exist." >&2; exit 1 ;; esac
  f="$d/$obj.$fmt.$fam.dev.$1"
  if [ ! -f "$f" ]; then echo "Device \\"$1\\" does not exist." >&2; exit 1; fi
else
  f="$d/$obj.$fmt.$fam"
fi
cat "$f"
`;

/** Writes `<binDir>/ip` and its pre-rendered outputs (`<binDir>/ip.d/`). */
export function writeIpFiles(binDir: string, ifaces: Iface[], routes: string[] = []): void {
  const d = join(binDir, 'ip.d');
  mkdirSync(d, { recursive: true });
  for (const obj of ['addr', 'link'] as const) {
    for (const fmt of ['text', 'oneline', 'json', 'brief'] as const) {
      for (const fam of ['all', '4', '6'] as const) {
        writeFileSync(join(d, `${obj}.${fmt}.${fam}`), renderIp(ifaces, obj, fmt, fam));
        for (const i of ifaces)
          writeFileSync(join(d, `${obj}.${fmt}.${fam}.dev.${i.name}`), renderIp(ifaces, obj, fmt, fam, i.name));
      }
    }
  }
  writeFileSync(join(d, 'route'), routes.map((r) => r + '\n').join(''));
  writeFileSync(join(binDir, 'ip'), IP_SHIM);
  chmodSync(join(binDir, 'ip'), 0o755);
}

/** What /sys/class/net/<if>/ shows for an interface (files relative to that directory). */
export function sysClassNet(i: Iface): { files: Record<string, string>; dirs: string[] } {
  const type = i.kind === 'loopback' ? 772 : i.kind === 'tun' ? 65534 : 1;
  const files: Record<string, string> = {
    type: `${type}\n`,
    mtu: `${i.mtu}\n`,
    operstate: `${i.operstate.toLowerCase()}\n`,
    address: `${i.mac}\n`,
    ifindex: `${i.index}\n`,
    carrier: `${i.flags.includes('LOWER_UP') ? 1 : 0}\n`,
  };
  const dirs = i.kind === 'wireless' ? ['wireless'] : i.kind === 'bridge' ? ['bridge', 'brif'] : [];
  return { files, dirs };
}
