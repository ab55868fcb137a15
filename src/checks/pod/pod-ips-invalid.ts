import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { chainOf, ipPart, judgedWorkloads, resolveSelections } from './lib/common.js';
import { isObject, isUnrendered, str, type JsonObject, type JsonValue } from '../../model/cni-config.js';
import { cidrContainsIp, formatIp, parseCidr, parseIp, type Family } from '../../model/cidr.js';

interface HostLocalRange {
  subnet: string;
  family: Family;
  first: bigint;
  last: bigint;
  gateway?: bigint;
  contains(ip: { family: Family; value: bigint }): boolean;
}

/** host-local ranges (the `ranges` form and the legacy top-level form), with its defaults. */
function hostLocalRanges(ipam: JsonObject): HostLocalRange[] | undefined {
  const raw: JsonObject[] = [];
  if (Array.isArray(ipam['ranges'])) {
    for (const set of ipam['ranges'] as JsonValue[])
      if (Array.isArray(set)) for (const r of set) if (isObject(r)) raw.push(r);
  } else if (typeof ipam['subnet'] === 'string') {
    raw.push(ipam);
  }
  const out: HostLocalRange[] = [];
  for (const r of raw) {
    const subnetText = str(r['subnet']);
    const values = [subnetText, str(r['rangeStart']), str(r['rangeEnd']), str(r['gateway'])];
    if (!subnetText || values.some((v) => v !== undefined && isUnrendered(v))) return undefined;
    const subnet = parseCidr(subnetText);
    if (!subnet) return undefined;
    const at = (k: string) => {
      const v = str(r[k]);
      const ip = v !== undefined ? parseIp(v) : undefined;
      return ip && ip.family === subnet.family ? ip.value : undefined;
    };
    // host-local defaults: start at .1, end before the IPv4 broadcast, gateway .1.
    const first = at('rangeStart') ?? subnet.first + 1n;
    const last = at('rangeEnd') ?? (subnet.family === 4 ? subnet.last - 1n : subnet.last);
    const gateway = at('gateway') ?? subnet.first + 1n;
    out.push({
      subnet: subnetText,
      family: subnet.family,
      first,
      last,
      gateway,
      contains: (ip) => cidrContainsIp(subnet, ip) && ip.value >= first && ip.value <= last,
    });
  }
  return out;
}

/**
 * Requested addresses the IPAM will refuse: not an address at all, static IPAM without a prefix
 * (`the 'ip' field is expected to be in CIDR notation`), or host-local outside its range or equal
 * to the gateway (`requested ip … is subnet's gateway`).
 */
export const podIpsInvalid = defineCheck(
  {
    id: 'pod-ips-invalid',
    title: "Requested IP is malformed or not usable by the NAD's IPAM",
    severity: 'error',
    category: 'pod',
    scope: 'objects',
    distributions: 'all',
    doc: 'Each "ips" entry must be an address the NAD\'s IPAM accepts: static IPAM wants CIDR notation (10.1.1.5/24), host-local wants an address inside its range that is not the gateway. Anything else fails the sandbox and the pod stays in ContainerCreating.',
  },
  (a) => {
    const out: Finding[] = [];
    const meta = podIpsInvalid.meta;
    for (const w of judgedWorkloads(a)) {
      for (const r of resolveSelections(a, w)) {
        const chain = r.nad && chainOf(r.nad);
        const ipamType = chain?.ipamType;
        const ranges =
          ipamType === 'host-local' && chain?.ipamPlugin?.ipam ? hostLocalRanges(chain.ipamPlugin.ipam) : undefined;
        for (const entry of r.sel.ips ?? []) {
          if (isUnrendered(entry)) continue;
          const ev = [w.annotationEvidence(entry)];
          const problem = (msg: string, fix: string) =>
            out.push(finding(meta, w.subject, `"${entry}" in the ips of network "${r.sel.name}" ${msg}.`, ev, fix));
          const ip = parseIp(ipPart(entry));
          if (!ip || (entry.includes('/') && !parseCidr(entry))) {
            problem(
              'is not an IP address (or CIDR)',
              'Write an IPv4/IPv6 address with its prefix length, e.g. "192.168.1.20/24".',
            );
            continue;
          }
          if (ipamType === 'static' && !entry.includes('/')) {
            problem(
              `has no prefix length, which static IPAM requires (NAD ${r.key})`,
              `Add the prefix length of the network, e.g. "${ipPart(entry)}/24".`,
            );
            continue;
          }
          if (!ranges || ranges.length === 0) continue;
          const sameFamily = ranges.filter((x) => x.family === ip.family);
          const inRange = sameFamily.find((x) => x.contains(ip));
          if (!inRange) {
            const desc = sameFamily
              .map((x) => `${formatIp(x.family, x.first)}-${formatIp(x.family, x.last)} of ${x.subnet}`)
              .join(', ');
            problem(
              sameFamily.length
                ? `is outside the host-local range of NAD ${r.key} (${desc})`
                : `is an IPv${ip.family} address but NAD ${r.key} has no IPv${ip.family} host-local range`,
              'Request an address inside the range, or widen rangeStart/rangeEnd in the NAD.',
            );
            continue;
          }
          if (inRange.gateway === ip.value) {
            problem(
              `is the gateway of NAD ${r.key}'s range (host-local defaults the gateway to the subnet's first address)`,
              'Pick another address, or set "gateway" in the NAD to the real router address.',
            );
          }
        }
      }
    }
    return out;
  },
);
