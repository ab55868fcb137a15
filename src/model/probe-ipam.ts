/**
 * The IPAM of the NAD under test, read with the shared IPAM reader (model/ipam.ts): which plugin
 * of the chain carries it, and the address ranges it hands out, with paths into spec.config.
 */
import type { CniConfig, PluginConf } from './cni-config.js';
import { isUnrendered } from './cni-config.js';
import { readIpam, formatRange, type IpRange } from './ipam.js';
import type { Family } from './cidr.js';

export interface ProbeRange extends IpRange {
  /** `192.168.77.100-192.168.77.150` */
  text: string;
  /** JSON path of the defining field in spec.config, for `locate`. */
  path: Array<string | number>;
}

export interface ProbeIpam {
  /** `host-local`, `whereabouts`, `static`, `dhcp`, ... */
  type: string;
  plugin: PluginConf;
  /** JSON path of the `ipam` object. */
  path: Array<string | number>;
  ranges: ProbeRange[];
  /**
   * True when the config alone says which addresses can be handed out. False for DHCP and
   * unknown IPAM plugins, unrendered values, broken ranges, and host-local with the `ipRanges`
   * capability (the runtime may pass other ranges).
   */
  known: boolean;
}

/**
 * The first plugin of the chain with a non-empty `ipam.type`; `ipam: {}` means L2 only (no
 * address), which is valid. Undefined when no plugin has IPAM.
 */
export function probeIpam(config: CniConfig | undefined): ProbeIpam | undefined {
  if (!config?.ok) return undefined;
  const plugin = config.plugins.find((p) => p.ipam && p.ipamType);
  if (!plugin?.ipam || !plugin.ipamType) return undefined;
  const type = plugin.ipamType;
  const path = [...plugin.path, 'ipam'];
  const base: ProbeIpam = { type, plugin, path, ranges: [], known: false };
  if (isUnrendered(type) || plugin.capabilities['ipRanges'] === true) return base;
  const view = readIpam(plugin.ipam, { cniVersion: config.cniVersion });
  for (const pool of view.pools) {
    for (const r of pool.ranges) base.ranges.push({ ...r, text: formatRange(r), path: [...path, ...pool.path] });
  }
  base.known = base.ranges.length > 0;
  return base;
}

export function inRanges(ranges: IpRange[], ip: { family: Family; value: bigint }): boolean {
  return ranges.some((r) => r.family === ip.family && ip.value >= r.first && ip.value <= r.last);
}
