/**
 * Flannel's configuration as multus users meet it: `net-conf.json` (ConfigMap kube-flannel-cfg, or
 * K3s's generated /var/lib/rancher/k3s/agent/etc/flannel/net-conf.json) and the per-node
 * `/run/flannel/subnet.env` flannel writes at start. Field names and defaults follow flannel's
 * Documentation/configuration.md and pkg/subnet/config.go.
 */
import { parseJsonText, isObject, str, type ParsedJson } from './cni-config.js';
import { parseCidr, parseIp, type Cidr, type Family } from './cidr.js';
import { dict } from './own.js';

export interface FlannelNetConf {
  parsed: ParsedJson;
  /** Problems that make flannel refuse the file (not JSON, bad Network). */
  problems: string[];
  network?: Cidr;
  ipv6Network?: Cidr;
  enableIPv4: boolean;
  enableIPv6: boolean;
  /** As written; undefined when absent. */
  subnetLen?: number;
  subnetMin?: string;
  subnetMax?: string;
  ipv6SubnetLen?: number;
  ipv6SubnetMin?: string;
  ipv6SubnetMax?: string;
  backendType?: string;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

/** Parse net-conf.json. Never throws. */
export function parseFlannelNetConf(text: string): FlannelNetConf {
  const parsed = parseJsonText(text);
  const problems: string[] = [];
  const syntax = parsed.problems[0];
  if (syntax) problems.push(`net-conf.json is not valid JSON: ${syntax.message} (line ${syntax.line})`);
  const v = isObject(parsed.value) ? parsed.value : {};
  const out: FlannelNetConf = {
    parsed,
    problems,
    enableIPv4: v['EnableIPv4'] !== false,
    enableIPv6: v['EnableIPv6'] === true,
    subnetLen: num(v['SubnetLen']),
    subnetMin: str(v['SubnetMin']),
    subnetMax: str(v['SubnetMax']),
    ipv6SubnetLen: num(v['IPv6SubnetLen']),
    ipv6SubnetMin: str(v['IPv6SubnetMin']),
    ipv6SubnetMax: str(v['IPv6SubnetMax']),
    backendType: isObject(v['Backend']) ? str(v['Backend']['Type']) : undefined,
  };
  const net = str(v['Network']);
  if (net !== undefined) {
    out.network = parseCidr(net);
    if (!out.network || out.network.family !== 4) problems.push(`"Network" ${JSON.stringify(net)} is not an IPv4 CIDR`);
  } else if (out.enableIPv4 && !syntax) {
    problems.push('"Network" is missing');
  }
  const net6 = str(v['IPv6Network']);
  if (net6 !== undefined) {
    out.ipv6Network = parseCidr(net6);
    if (!out.ipv6Network || out.ipv6Network.family !== 6)
      problems.push(`"IPv6Network" ${JSON.stringify(net6)} is not an IPv6 CIDR`);
  }
  return out;
}

/** The network flannel uses for a family (undefined when that family is off or not configured). */
export function flannelNetwork(c: FlannelNetConf, family: Family): Cidr | undefined {
  if (family === 4) return c.enableIPv4 && c.network?.family === 4 ? c.network : undefined;
  return c.enableIPv6 && c.ipv6Network?.family === 6 ? c.ipv6Network : undefined;
}

/**
 * Per-node subnet length flannel uses in etcd mode: SubnetLen, else /24, or two bits longer
 * than Network when Network is too small to hold /24s comfortably.
 */
export function effectiveSubnetLen(c: FlannelNetConf, family: Family = 4): number | undefined {
  const net = flannelNetwork(c, family);
  if (!net) return undefined;
  const given = family === 4 ? c.subnetLen : c.ipv6SubnetLen;
  if (given !== undefined) return given;
  if (family === 6) return Math.min(128, Math.max(64, net.prefix + 2));
  return net.prefix <= 22 ? 24 : Math.min(32, net.prefix + 2);
}

/**
 * The address range node leases can come from in etcd mode: from SubnetMin (default: the second
 * subnet of Network) to the end of the SubnetMax subnet (default: the last subnet).
 */
export function leaseRange(
  c: FlannelNetConf,
  family: Family = 4,
): { family: Family; first: bigint; last: bigint; subnetLen: number } | undefined {
  const net = flannelNetwork(c, family);
  const len = effectiveSubnetLen(c, family);
  if (!net || len === undefined || len < net.prefix) return undefined;
  const width = family === 4 ? 32 : 128;
  const size = 1n << BigInt(width - len);
  const minText = family === 4 ? c.subnetMin : c.ipv6SubnetMin;
  const maxText = family === 4 ? c.subnetMax : c.ipv6SubnetMax;
  const min = minText !== undefined ? parseIp(minText) : undefined;
  const max = maxText !== undefined ? parseIp(maxText) : undefined;
  const first = min && min.family === family ? min.value : net.first + size;
  const lastStart = max && max.family === family ? max.value : net.last - size + 1n;
  return { family, first, last: lastStart + size - 1n, subnetLen: len };
}

interface SubnetEnv {
  vars: Record<string, string>;
  network?: Cidr;
  subnet?: Cidr;
  ipv6Network?: Cidr;
  ipv6Subnet?: Cidr;
  mtu?: number;
}

/** Parse /run/flannel/subnet.env (KEY=VALUE lines). */
export function parseSubnetEnv(text: string): SubnetEnv {
  const vars: Record<string, string> = dict();
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) vars[m[1]!] = m[2]!.trim().replace(/^"(.*)"$/, '$1');
  }
  const cidr = (k: string) => (vars[k] ? parseCidr(vars[k]!) : undefined);
  const mtu = vars['FLANNEL_MTU'] ? parseInt(vars['FLANNEL_MTU'], 10) : undefined;
  return {
    vars,
    network: cidr('FLANNEL_NETWORK'),
    subnet: cidr('FLANNEL_SUBNET'),
    ipv6Network: cidr('FLANNEL_IPV6_NETWORK'),
    ipv6Subnet: cidr('FLANNEL_IPV6_SUBNET'),
    mtu: Number.isFinite(mtu) ? mtu : undefined,
  };
}

/** Default subnet.env path (the same on every distribution; K3s writes it too). */
export const SUBNET_ENV_PATH = '/run/flannel/subnet.env';
