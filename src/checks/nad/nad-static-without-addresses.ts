import { defineCheck, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import { isObject, isUnrendered } from '../../model/cni-config.js';
import { goGet } from '../../model/go-json.js';
import { judgeableNads, ipamEvidence, pluginLabel, usesOf } from './lib/common.js';

/**
 * static IPAM with no `addresses` returns no IP unless the pod supplies one: through
 * runtimeConfig (needs `capabilities: {"ips": true}`), `cni-args` ips, or multus's legacy
 * `IP=` CNI_ARGS. The interface plugins then fail with "IPAM plugin returned missing IP config".
 * It is an error when we can name a pod that will fail; otherwise a warning, because pods that
 * pass `ips` still work through the legacy path.
 */
export const nadStaticWithoutAddresses = defineCheck(
  {
    id: 'nad-static-without-addresses',
    title: 'static IPAM without addresses',
    severity: 'error',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'static IPAM assigns exactly the addresses it is given. With no "addresses" and no `"capabilities": {"ips": true}` on the plugin, a pod that does not pass "ips" gets no address and macvlan/ipvlan/bridge fail with "IPAM plugin returned missing IP config"; pods that do pass "ips" only work through multus\'s legacy IP= argument.',
  },
  (a) => {
    const meta = nadStaticWithoutAddresses.meta;
    const out: Finding[] = [];
    for (const { nad, cfg } of judgeableNads(a)) {
      for (const plugin of cfg.plugins) {
        if (plugin.ipamType !== 'static' || !plugin.ipam) continue;
        const addrs = goGet(plugin.ipam, 'addresses');
        if (isUnrendered(addrs) || (Array.isArray(addrs) && addrs.length > 0)) continue;
        if (plugin.capabilities['ips'] === true) continue;
        const ev = ipamEvidence(nad, cfg, plugin, ['type'], 'static');
        const uses = usesOf(a, nad);
        const withoutIps = uses.filter(
          (u) =>
            !(
              u.selection.ips?.length ||
              (isObject(u.selection.raw?.['cni-args']) &&
                Array.isArray((u.selection.raw!['cni-args'] as Record<string, unknown>)['ips']))
            ),
        );
        const fix = `Add \`"capabilities": {"ips": true}\` to ${pluginLabel(cfg, plugin)} and request addresses per pod (\`[{"name": "${nad.name}", "ips": ["192.168.1.10/24"]}]\`), or list fixed ones in "ipam": {"type": "static", "addresses": [{"address": "192.168.1.10/24"}]}.`;
        if (withoutIps.length > 0) {
          out.push(
            finding(
              meta,
              nad.subject,
              `static IPAM without "addresses" or the "ips" capability, and ${listNames(withoutIps.map((u) => `${u.workload.obj.kind} ${u.workload.namespace}/${u.workload.obj.name}`))} request${withoutIps.length === 1 ? 's' : ''} this network without "ips": those pods fail with "IPAM plugin returned missing IP config".`,
              [ev, ...withoutIps.slice(0, 3).map((u) => u.workload.annotationEvidence())],
              fix,
            ),
          );
        } else {
          out.push(
            finding(
              meta,
              nad.subject,
              `static IPAM without "addresses" and without \`"capabilities": {"ips": true}\`: only pods that pass "ips" get an address (through multus's legacy IP= argument); any other pod fails with "IPAM plugin returned missing IP config".`,
              [ev],
              fix,
              'warning',
            ),
          );
        }
      }
    }
    return out;
  },
);
