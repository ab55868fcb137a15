import { defineCheck, type Finding, type Severity } from '../types.js';
import { finding } from '../helpers.js';
import { goKey } from '../../model/go-json.js';
import { readIpam, type IpamIssue } from '../../model/ipam.js';
import { isReferencePlugin } from '../../model/plugin-fields.js';
import { judgeableNads, ipamEvidence } from './lib/common.js';

/**
 * Validates host-local ranges, static addresses and whereabouts ranges as the IPAM plugins do
 * (see src/model/ipam.ts for each rule and its source). A gateway outside the subnet only breaks
 * when a route is installed through it (routes without "gw", or bridge isDefaultGateway);
 * whereabouts ignores out-of-range range_start/range_end and exclude entries, so those warn.
 */
export const nadIpamRangeInvalid = defineCheck(
  {
    id: 'nad-ipam-range-invalid',
    title: 'Invalid IPAM range',
    severity: 'error',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'host-local refuses a subnet with host bits set, a rangeStart/rangeEnd outside the subnet, overlapping ranges, and "ranges" written as a flat list; static needs CIDR addresses ("10.1.1.5/24", not "10.1.1.5"); whereabouts needs a valid "range". Every pod using such a NAD fails in IPAM. A gateway outside the subnet breaks the routes that use it.',
  },
  (a) => {
    const meta = nadIpamRangeInvalid.meta;
    const out: Finding[] = [];
    for (const { nad, cfg } of judgeableNads(a)) {
      for (const plugin of cfg.plugins) {
        if (!plugin.ipam) continue;
        const view = readIpam(plugin.ipam, {
          cniVersion: cfg.cniVersion,
          ipRangesCapability: plugin.capabilities['ipRanges'] === true,
          // Only reference plugins hand "ipam" to the IPAM plugin untouched.
          rangesMayBeInjected: !isReferencePlugin(plugin.type ?? ''),
        });
        const dgk = goKey(plugin.raw, 'isDefaultGateway');
        const defaultViaGw = plugin.type === 'bridge' && dgk !== undefined && plugin.raw[dgk] === true;
        for (const issue of view.issues) {
          let sev: Severity;
          let tail = '';
          if (issue.severity === 'gateway-outside') {
            const used = view.routesUsingGateway > 0 || defaultViaGw;
            sev = used ? 'error' : 'warning';
            tail = used
              ? `: the ${defaultViaGw ? 'default route' : 'routes without "gw"'} through it cannot be installed ("network is unreachable")`
              : ': nothing routes through it yet, but any route added later will fail';
          } else {
            sev = issue.severity;
            tail = sev === 'error' ? ': pods using this NAD fail in IPAM' : '';
          }
          out.push(
            finding(
              meta,
              nad.subject,
              `${view.type} ${issue.message}${tail}.`,
              [ipamEvidence(nad, cfg, plugin, issue.path, issue.value)],
              fixFor(view.type, issue),
              sev,
            ),
          );
        }
      }
    }
    return out;
  },
);

function fixFor(type: string | undefined, issue: IpamIssue): string {
  if (issue.severity === 'gateway-outside')
    return 'Use a gateway inside the subnet (usually the router on that segment), or remove "gateway" if the segment has no router.';
  if (/ranges\[\d+\] is/.test(issue.message) || issue.message.includes('list of range sets'))
    return 'Wrap each range set in its own list: `"ranges": [[{"subnet": "192.168.1.0/24", "rangeStart": "192.168.1.100", "rangeEnd": "192.168.1.200"}]]`.';
  const bits = /for a \/(\d+) the network address is (\S+)/.exec(issue.message);
  if (bits)
    return `Write the subnet as its network address, \`"subnet": "${bits[2]}/${bits[1]}"\`, and put the first address to allocate in "rangeStart".`;
  if (issue.message.includes('no prefix length'))
    return 'Write every static address in CIDR form, e.g. `"address": "10.1.1.5/24"`.';
  if (issue.message.includes('does not support more than 1 address')) return 'Raise "cniVersion" to 0.3.1 or later.';
  if (type === 'whereabouts')
    return 'Make "range" a CIDR (`"range": "192.168.1.0/24"`) or `start-end/prefix` (`"192.168.1.100-192.168.1.200/24"`), with range_start/range_end and exclude inside it.';
  if (type === 'static')
    return 'Give each address as `{"address": "<ip>/<prefix>", "gateway": "<ip in that network>"}`.';
  return 'Keep rangeStart ≤ rangeEnd, both inside "subnet", and ranges that do not overlap, e.g. `"subnet": "192.168.1.0/24", "rangeStart": "192.168.1.100", "rangeEnd": "192.168.1.200"`.';
}
