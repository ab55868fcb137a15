import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { goGet, goString } from '../../model/go-json.js';
import { readIpam, intersectRanges, formatRange, type IpamPool } from '../../model/ipam.js';
import type { CniConfig, PluginConf } from '../../model/cni-config.js';
import type { NadView } from '../analysis.js';
import { judgeableNads, ipamEvidence } from './lib/common.js';
import { segmentOf } from './lib/segments.js';

interface Entry {
  nad: NadView;
  cfg: CniConfig;
  main: PluginConf;
  segment: { key: string; label: string };
  pools: IpamPool[];
  /** Allocations that coordinate with each other share a store id (same host-local store, whereabouts overlap protection). */
  store: string;
}

function storeOf(nad: NadView, cfg: CniConfig, main: PluginConf): string {
  const ipam = main.ipam!;
  if (main.ipamType === 'host-local') return `host-local:${cfg.name || nad.name}:${goString(ipam, 'dataDir') ?? ''}`;
  if (main.ipamType === 'whereabouts' && goGet(ipam, 'enable_overlapping_ranges') !== false) {
    // Whereabouts reserves every address cluster-wide across ranges of the same network_name.
    return `whereabouts:${goString(ipam, 'network_name') ?? ''}`;
  }
  return `${main.ipamType}:${nad.key}`;
}

/**
 * Two NADs on the same segment whose allocations do not know about each other will, sooner or
 * later, give two pods the same address. Judged within the NADs at hand (the linted files, or
 * the cluster); ranges in the same subnet that do not overlap are fine.
 */
export const nadIpamOverlap = defineCheck(
  {
    id: 'nad-ipam-overlap',
    title: 'Overlapping ranges on one segment',
    severity: 'warning',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'Each NAD allocates from its own store (host-local per network name, whereabouts per pool, static per pod), so two NADs on the same master, VLAN or bridge with overlapping ranges hand out the same addresses independently. Split the range between them, or let one whereabouts range serve both (whereabouts reserves addresses cluster-wide across overlapping ranges by default).',
  },
  (a) => {
    const meta = nadIpamOverlap.meta;
    const out: Finding[] = [];
    const entries: Entry[] = [];
    for (const { nad, cfg } of judgeableNads(a)) {
      const main = cfg.plugins[0];
      if (!main?.ipam || !['host-local', 'static', 'whereabouts'].includes(main.ipamType ?? '')) continue;
      const segment = segmentOf(main);
      if (!segment) continue;
      const pools = readIpam(main.ipam, { cniVersion: cfg.cniVersion }).pools.filter((p) => p.ranges.length > 0);
      if (pools.length) entries.push({ nad, cfg, main, segment, pools, store: storeOf(nad, cfg, main) });
    }
    entries.sort((x, y) => x.nad.key.localeCompare(y.nad.key));
    for (let i = 0; i < entries.length; i++) {
      for (let j = i + 1; j < entries.length; j++) {
        const x = entries[i]!;
        const y = entries[j]!;
        if (x.segment.key !== y.segment.key || x.store === y.store || x.nad.key === y.nad.key) continue;
        let hit: { px: IpamPool; py: IpamPool; shared: string } | undefined;
        for (const px of x.pools) {
          for (const py of y.pools) {
            const common = intersectRanges(px.ranges, py.ranges);
            if (common.length) {
              hit = { px, py, shared: formatRange(common[0]!) };
              break;
            }
          }
          if (hit) break;
        }
        if (!hit) continue;
        out.push(
          finding(
            meta,
            y.nad.subject,
            `${y.main.ipamType} range ${hit.py.text} of ${y.nad.key} overlaps ${x.main.ipamType} range ${hit.px.text} of ${x.nad.key} on ${y.segment.label} (both can hand out ${hit.shared}): the two NADs allocate independently, so pods can get duplicate addresses.`,
            [
              ipamEvidence(y.nad, y.cfg, y.main, hit.py.path, hit.py.text),
              ipamEvidence(x.nad, x.cfg, x.main, hit.px.path, hit.px.text),
            ],
            `Give each NAD its own part of the subnet (e.g. rangeStart/rangeEnd or range_start/range_end that do not overlap), or use whereabouts in both with the same range (it reserves addresses cluster-wide).`,
          ),
        );
      }
    }
    return out;
  },
);
