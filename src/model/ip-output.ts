/**
 * Interfaces and addresses from the output of `ip` inside a pod, in every form a probe or a user
 * may hand us:
 *  - `ip -j addr` (iproute2 JSON);
 *  - `ip addr` / `ip a` / `ip link` (iproute2 and BusyBox: `3: net1@if78: <FLAGS> mtu 1500 ...`
 *    followed by indented `link/ether`, `inet`, `inet6` lines);
 *  - `ip -o addr` / `ip -o link` (one record per line, continuation lines joined by `\`);
 *  - `ip -br addr` / `ip -br link` (one interface per line).
 * Lines that belong to none of these (shell prompts, `ip route`, prose around a pasted excerpt)
 * are skipped, so text copied from a terminal parses too. Never throws.
 */
import { parseJsonText, isObject } from './cni-config.js';
import { parseIp, type Family } from './cidr.js';

export interface IpAddress {
  /** `address/prefix` as printed (`192.168.77.103/24`, `fe80::1/64`). */
  cidr: string;
  address: string;
  prefix: number;
  family: Family;
  /** `global`, `link`, `host`, ... when printed. */
  scope?: string;
  /** Address flags printed after the scope: `tentative`, `dadfailed`, `deprecated`, `dynamic`, ... */
  flags: string[];
}

export interface IpInterface {
  name: string;
  /** Interface index (`3:`); absent in the brief form. */
  index?: number;
  /** What follows `@` in `net1@if78` / `net1@eth0` (`if78`, `eth0`, `NONE`): the parent or peer link. */
  link?: string;
  /** Link flags between `<` and `>` (`BROADCAST`, `UP`, `LOWER_UP`, `NO-CARRIER`, ...). */
  flags: string[];
  /** Administratively up (`UP` flag, or `UP`/`UNKNOWN` state in the brief form); undefined when the output does not say. */
  up?: boolean;
  /** Carrier present (`LOWER_UP` flag, no `NO-CARRIER`); undefined when the output does not say. */
  carrier?: boolean;
  /** Operational state (`UP`, `DOWN`, `UNKNOWN`, `LOWERLAYERDOWN`) when printed. */
  state?: string;
  mtu?: number;
  /** Lower-case `aa:bb:cc:dd:ee:ff`; absent when not printed or not a MAC (`(...)` in pasted docs). */
  mac?: string;
  /** `ether`, `loopback`, `ipip`, `none`, ... */
  linkType?: string;
  /** `master bond0`: the device this one is enslaved to. */
  master?: string;
  addresses: IpAddress[];
}

type IpOutputFormat = 'json' | 'plain' | 'oneline' | 'brief' | 'mixed' | 'unknown';

export interface IpOutput {
  /** Which form was recognised (`mixed` when lines of several forms were found). */
  format: IpOutputFormat;
  interfaces: IpInterface[];
  /** Why nothing (or less than expected) could be read; empty when the output parsed. */
  problems: string[];
}

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** Normalise a MAC for comparison (`02-6B-61-...` → `02:6b:61:...`); undefined when it is not one. */
export function normalizeMac(mac: string | undefined): string | undefined {
  if (typeof mac !== 'string') return undefined;
  const m = mac.trim().toLowerCase().replace(/-/g, ':');
  return MAC_RE.test(m) ? m : undefined;
}

/** IPv6 link-local addresses (fe80::/10) come up on every interface by themselves: never IPAM's doing. */
function isLinkLocal(a: IpAddress): boolean {
  if (a.family === 6) {
    const ip = parseIp(a.address);
    return !!ip && ip.value >> 118n === 0x3fan;
  }
  return false;
}

/** Addresses that something assigned (IPAM, DHCP, SLAAC), i.e. not the automatic IPv6 link-local one. */
export function assignedAddresses(i: IpInterface): IpAddress[] {
  return i.addresses.filter((a) => !isLinkLocal(a));
}

function toAddress(text: string, family: Family | undefined, rest: string[]): IpAddress | undefined {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const ip = parseIp(addr);
  // An `inet6` line may carry an IPv4-mapped address (::ffff:a.b.c.d), which parseIp reads as IPv4.
  if (!ip || (family !== undefined && ip.family !== family && !(family === 6 && addr.includes(':')))) return undefined;
  const fam = family ?? ip.family;
  const width = fam === 4 ? 32 : 128;
  let prefix = width;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || parseInt(p, 10) > width) return undefined;
    prefix = parseInt(p, 10);
  }
  const out: IpAddress = { cidr: `${addr}/${prefix}`, address: addr, prefix, family: fam, flags: [] };
  // After the address: `brd X`, `peer X/N`, `scope S`, then the label and flags.
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    if (w === 'scope' && rest[i + 1] !== undefined) {
      out.scope = rest[++i];
      continue;
    }
    if (w === 'brd' || w === 'peer' || w === 'metric' || w === 'proto') {
      i++;
      continue;
    }
    if (ADDR_FLAGS.has(w)) out.flags.push(w);
  }
  return out;
}

const ADDR_FLAGS = new Set([
  'tentative',
  'dadfailed',
  'deprecated',
  'dynamic',
  'noprefixroute',
  'secondary',
  'temporary',
  'optimistic',
  'home',
  'mngtmpaddr',
  'nodad',
  'stable-privacy',
  'permanent',
]);

function flagState(flags: string[]): { up: boolean; carrier: boolean } {
  return {
    up: flags.includes('UP'),
    carrier: !flags.includes('NO-CARRIER') && flags.some((f) => f.startsWith('LOWER_UP')),
  };
}

function splitName(raw: string): { name: string; link?: string } {
  const at = raw.indexOf('@');
  if (at <= 0) return { name: raw };
  return { name: raw.slice(0, at), link: raw.slice(at + 1) || undefined };
}

// ------------------------------------------------------------------ JSON (`ip -j addr`)

function fromJson(value: unknown): IpInterface[] | undefined {
  const list = Array.isArray(value) ? value : isObject(value) ? [value] : undefined;
  if (!list) return undefined;
  const out: IpInterface[] = [];
  for (const el of list) {
    // `ip -j` prints `{}` for links filtered out of an address listing.
    if (!isObject(el) || typeof el['ifname'] !== 'string' || el['ifname'] === '') continue;
    const hasFlags = Array.isArray(el['flags']);
    const flags = hasFlags ? (el['flags'] as unknown[]).filter((f): f is string => typeof f === 'string') : [];
    const iface: IpInterface = { name: el['ifname'], flags, addresses: [] };
    if (typeof el['ifindex'] === 'number' && Number.isInteger(el['ifindex'])) iface.index = el['ifindex'];
    if (typeof el['link'] === 'string' && el['link'] !== '') iface.link = el['link'];
    else if (typeof el['link_index'] === 'number') iface.link = `if${el['link_index']}`;
    if (hasFlags) Object.assign(iface, flagState(flags));
    if (typeof el['operstate'] === 'string') iface.state = el['operstate'];
    if (typeof el['mtu'] === 'number') iface.mtu = el['mtu'];
    const mac = normalizeMac(typeof el['address'] === 'string' ? el['address'] : undefined);
    if (mac) iface.mac = mac;
    if (typeof el['link_type'] === 'string') iface.linkType = el['link_type'];
    if (typeof el['master'] === 'string') iface.master = el['master'];
    if (Array.isArray(el['addr_info'])) {
      for (const ai of el['addr_info']) {
        if (!isObject(ai) || typeof ai['local'] !== 'string') continue;
        const fam = ai['family'] === 'inet' ? 4 : ai['family'] === 'inet6' ? 6 : undefined;
        const plen = typeof ai['prefixlen'] === 'number' ? ai['prefixlen'] : undefined;
        const a = toAddress(plen === undefined ? ai['local'] : `${ai['local']}/${plen}`, fam, []);
        if (!a) continue;
        if (typeof ai['scope'] === 'string') a.scope = ai['scope'];
        for (const f of ADDR_FLAGS) if (ai[f] === true) a.flags.push(f);
        iface.addresses.push(a);
      }
    }
    out.push(iface);
  }
  return out;
}

// ------------------------------------------------------------------ text forms

// `3: net1@if78: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP ...`
const HEADER_RE = /^\s*(\d+):\s+(\S+?):?\s+<([^>]*)>(.*)$/;
// `3: net1    inet 192.168.77.103/24 brd ... scope global net1` (`ip -o addr`)
const ONELINE_ADDR_RE = /^\s*(\d+):\s+(\S+)\s+(inet6?)\s+(\S+)(.*)$/;
// `    link/ether 5e:8a:d8:38:88:30 brd ff:ff:ff:ff:ff:ff link-netnsid 0`
const LINK_RE = /^\s*link\/(\S+)(?:\s+(\S+))?(.*)$/;
// `    inet 192.168.77.103/24 brd 192.168.77.255 scope global net1`
const ADDR_RE = /^\s*(inet6?)\s+(\S+)(.*)$/;
// `net1@if15        UP             10.1.128.2/24 fe80::c8fe:c0ff:feff:2/64` (`ip -br addr`), or a MAC and `<FLAGS>` (`ip -br link`)
const BRIEF_RE = /^\s*(\S+)\s+(UP|DOWN|UNKNOWN|LOWERLAYERDOWN|DORMANT|NOTPRESENT|TESTING)(?:\s+(.*))?$/;

function words(s: string): string[] {
  return s
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
}

function headerFields(iface: IpInterface, rest: string[]): void {
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    const next = rest[i + 1];
    if (next === undefined) break;
    if (w === 'mtu' && /^\d+$/.test(next)) {
      iface.mtu = parseInt(next, 10);
      i++;
    } else if (w === 'state') {
      iface.state = next;
      i++;
    } else if (w === 'master') {
      iface.master = next;
      i++;
    }
  }
}

function fromText(text: string): { interfaces: IpInterface[]; forms: Set<string> } {
  const interfaces: IpInterface[] = [];
  const forms = new Set<string>();
  let current: IpInterface | undefined;
  // `-o` output joins a record's lines with a backslash; splitting there turns it into the plain form.
  const lines = text.split(/\r?\n/).flatMap((l) => l.split(/\\\s+/));
  for (const line of lines) {
    const h = HEADER_RE.exec(line);
    if (h) {
      const flags = h[3]!.split(',').filter((f) => f !== '');
      current = { ...splitName(h[2]!), index: parseInt(h[1]!, 10), flags, addresses: [], ...flagState(flags) };
      headerFields(current, words(h[4]!));
      interfaces.push(current);
      forms.add('plain');
      continue;
    }
    const o = ONELINE_ADDR_RE.exec(line);
    if (o) {
      const index = parseInt(o[1]!, 10);
      const { name } = splitName(o[2]!);
      const addr = toAddress(o[4]!, o[3] === 'inet' ? 4 : 6, words(o[5]!));
      // One line per address: lines of one interface gather into one entry.
      let iface: IpInterface | undefined;
      for (let k = interfaces.length - 1; k >= 0 && !iface; k--) {
        if (interfaces[k]!.index === index && interfaces[k]!.name === name) iface = interfaces[k];
      }
      if (!iface) {
        iface = { name, index, flags: [], addresses: [] };
        interfaces.push(iface);
      }
      if (addr) iface.addresses.push(addr);
      current = iface;
      forms.add('oneline');
      continue;
    }
    const l = LINK_RE.exec(line);
    if (l && current) {
      current.linkType = l[1];
      const mac = normalizeMac(l[2]);
      if (mac) current.mac = mac;
      continue;
    }
    const a = ADDR_RE.exec(line);
    if (a && current) {
      const addr = toAddress(a[2]!, a[1] === 'inet' ? 4 : 6, words(a[3]!));
      if (addr) current.addresses.push(addr);
      continue;
    }
    // Matched on the trimmed line: a lazy group before trailing blanks would be quadratic.
    const b = BRIEF_RE.exec(line.trimEnd());
    if (b && isBriefName(b[1]!)) {
      const rest = words(b[3] ?? '');
      const iface: IpInterface = { ...splitName(b[1]!), flags: [], addresses: [], state: b[2] };
      for (const w of rest) {
        const mac = normalizeMac(w);
        if (mac) iface.mac = mac;
        else if (w.startsWith('<') && w.endsWith('>')) {
          iface.flags = w
            .slice(1, -1)
            .split(',')
            .filter((f) => f !== '');
          Object.assign(iface, flagState(iface.flags));
        } else {
          const addr = toAddress(w, undefined, []);
          if (addr) iface.addresses.push(addr);
        }
      }
      // Brief state: UNKNOWN is what lo and tunnels report while up.
      if (iface.up === undefined) iface.up = b[2] === 'UP' || b[2] === 'UNKNOWN';
      interfaces.push(iface);
      current = undefined;
      forms.add('brief');
      continue;
    }
    // An indented line we do not read (`valid_lft`, `altname`, `ip -d`/`-s` details) still belongs
    // to the current interface; an unindented one (a prompt, another command's output) ends it,
    // so a later `inet` line is never attached across unrelated output.
    if (line.trim() !== '' && !/^\s/.test(line)) current = undefined;
  }
  return { interfaces, forms };
}

// Brief lines must start with something shaped like an interface name, not a prompt or a word of prose.
function isBriefName(s: string): boolean {
  return /^[A-Za-z0-9_.-]{1,15}(@[A-Za-z0-9_.-]+)?$/.test(s) && !/^\d+$/.test(s);
}

/** Parse the output of `ip addr`/`ip -j addr`/`ip -o addr`/`ip -br addr` (iproute2 or BusyBox). Never throws. */
export function parseIpOutput(text: string): IpOutput {
  if (typeof text !== 'string') return { format: 'unknown', interfaces: [], problems: ['no output'] };
  const t = text.trim();
  if (t === '') return { format: 'unknown', interfaces: [], problems: ['the output is empty'] };
  if (t.startsWith('[') || t.startsWith('{')) {
    const p = parseJsonText(t);
    const list = p.problems.some((x) => x.kind === 'syntax') ? undefined : fromJson(p.value);
    if (list && list.length > 0) return { format: 'json', interfaces: list, problems: [] };
    if (!p.problems.some((x) => x.kind === 'syntax')) {
      return {
        format: 'json',
        interfaces: [],
        problems: ['the JSON lists no interface (expected the output of `ip -j addr`)'],
      };
    }
    // Not JSON after all (or truncated): fall through and try the text forms.
  }
  const { interfaces, forms } = fromText(text);
  if (interfaces.length === 0) {
    return {
      format: 'unknown',
      interfaces: [],
      problems: ['no interface found: not the output of `ip addr`, `ip -o addr` or `ip -j addr`'],
    };
  }
  const format: IpOutputFormat =
    forms.size > 1 ? 'mixed' : ((forms.values().next().value ?? 'unknown') as IpOutputFormat);
  return { format, interfaces, problems: [] };
}

/** The interface with this name (the first one, if a pasted text lists it twice). */
export function findInterface(out: IpOutput, name: string): IpInterface | undefined {
  return out.interfaces.find((i) => i.name === name);
}
