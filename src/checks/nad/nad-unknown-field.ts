import { defineCheck, type Finding, type Severity } from '../types.js';
import { finding } from '../helpers.js';
import { isObject, locate, type CniConfig, type JsonObject, type PluginConf } from '../../model/cni-config.js';
import type { NadView } from '../analysis.js';
import {
  COMMON_PLUGIN_KEYS,
  CONFLIST_KEYS,
  HOST_LOCAL_RANGE_KEYS,
  IPAM_FIELDS,
  PLUGIN_FIELDS,
  STATIC_ADDRESS_KEYS,
  judgeKey,
} from '../../model/plugin-fields.js';
import { closest } from '../../model/suggest.js';
import { goKey } from '../../model/go-json.js';
import { judgeableNads } from './lib/common.js';

/** Capability names runtimes and multus fill in; libcni matches them exactly (no case folding). */
const CAPABILITIES = [
  'ips',
  'mac',
  'bandwidth',
  'portMappings',
  'ipRanges',
  'infinibandGUID',
  'deviceID',
  'aliases',
  'cgroupPath',
  'dns',
  'io.kubernetes.cri.pod-annotations',
];

const ALL_IPAM_KEYS = new Map<string, string>();
for (const [t, f] of Object.entries(IPAM_FIELDS))
  for (const k of f.fields) if (!ALL_IPAM_KEYS.has(k)) ALL_IPAM_KEYS.set(k, t);
const ALL_PLUGIN_KEYS = new Set(Object.values(PLUGIN_FIELDS).flat());

interface Ctx {
  nad: NadView;
  cfg: CniConfig;
  out: Finding[];
}

/**
 * Flags keys a plugin does not read, judged against the field lists of the reference plugins and
 * IPAMs we know (third-party plugins are left alone). Go decodes keys case-insensitively, so a
 * case-only difference works and is only mentioned; any other spelling is silently ignored.
 */
export const nadUnknownField = defineCheck(
  {
    id: 'nad-unknown-field',
    title: 'Field the plugin does not know',
    severity: 'warning',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'CNI plugins ignore keys they do not know, so a typo (`mastr`, `range_start` for host-local\'s `rangeStart`, an IPAM setting written outside "ipam") is not an error: the plugin silently uses its default instead, which is usually the wrong interface or the wrong addresses. Keys are judged against the field lists of the reference plugins and of host-local, static, whereabouts and dhcp; third-party plugins are not judged.',
  },
  (a) => {
    const meta = nadUnknownField.meta;
    const out: Finding[] = [];
    const report = (
      c: Ctx,
      path: Array<string | number>,
      key: string,
      message: string,
      fix: string,
      sev: Severity = 'warning',
    ) => {
      c.out.push(finding(meta, c.nad.subject, message, [c.nad.at(locate(c.cfg.parsed, path), key)], fix, sev));
    };

    for (const { nad, cfg } of judgeableNads(a)) {
      const c: Ctx = { nad, cfg, out };
      if (cfg.isConflist) {
        const root = cfg.parsed.value as JsonObject;
        for (const key of Object.keys(root)) {
          const v = judgeKey(key, CONFLIST_KEYS);
          if (v.kind === 'known') continue;
          if (v.kind === 'case' || v.kind === 'near') {
            // libcni reads the list's own keys from a map: no case folding here.
            const s = v.kind === 'case' ? v.canonical : v.suggestion;
            report(
              c,
              [key],
              key,
              `"${key}" at the top of the conflist is not read (did you mean "${s}"?): libcni matches these keys exactly.`,
              `Rename "${key}" to "${s}".`,
            );
          } else if (key.toLowerCase() === 'type' && typeof root[key] === 'string' && root[key] !== '') {
            // multus loads a config with a top-level type as one plugin and never reads "plugins".
            report(
              c,
              [key],
              key,
              `"${key}": "${root[key] as string}" at the top of the conflist makes multus load it as a single ${root[key] as string} plugin: the "plugins" list is ignored.`,
              `Remove the top-level "${key}"; each entry of "plugins" carries its own type.`,
            );
          } else if (COMMON_PLUGIN_KEYS.includes(key) || ALL_PLUGIN_KEYS.has(key)) {
            report(
              c,
              [key],
              key,
              `"${key}" is at the top of the conflist, where it is ignored: plugin settings belong inside an entry of "plugins".`,
              `Move "${key}" into the plugin it is meant for (plugins[0] is the one that creates the interface).`,
            );
          }
        }
      }
      for (const plugin of cfg.plugins) judgePlugin(c, plugin, report);
    }
    return out;
  },
);

type Report = (c: Ctx, path: Array<string | number>, key: string, message: string, fix: string, sev?: Severity) => void;

function judgePlugin(c: Ctx, plugin: PluginConf, report: Report): void {
  const type = plugin.type;
  const fields = type !== undefined && Object.hasOwn(PLUGIN_FIELDS, type) ? PLUGIN_FIELDS[type]! : undefined;
  const where = c.cfg.isConflist ? `plugins[${plugin.index}] (${type})` : (type ?? 'the plugin');
  if (fields) {
    const known = [...COMMON_PLUGIN_KEYS, ...fields];
    for (const key of Object.keys(plugin.raw)) {
      const v = judgeKey(key, known);
      const path = [...plugin.path, key];
      if (v.kind === 'known') continue;
      if (v.kind === 'case') {
        report(
          c,
          path,
          key,
          `"${key}" in ${where} works only because Go's JSON decoder ignores letter case; the documented key is "${v.canonical}".`,
          `Rename "${key}" to "${v.canonical}" so other tools (and readers) recognise it.`,
          'info',
        );
      } else if (v.kind === 'near') {
        report(
          c,
          path,
          key,
          `${where} has "${key}", which ${type} does not read (did you mean "${v.suggestion}"?): it is ignored and ${type} uses its default for "${v.suggestion}".`,
          `Rename "${key}" to "${v.suggestion}".`,
        );
      } else if (ALL_IPAM_KEYS.has(key)) {
        report(
          c,
          path,
          key,
          `"${key}" is an IPAM setting but sits at the plugin level of ${where}, where ${type} ignores it.`,
          `Move "${key}" inside "ipam" (and make sure "ipam" has a "type").`,
        );
      } else {
        report(
          c,
          path,
          key,
          `${where} has "${key}", which is not a field ${type} reads: it is ignored.`,
          `Remove "${key}", or check the ${type} documentation (www.cni.dev/plugins/current/) for the field you meant.`,
        );
      }
    }
  }
  judgeCapabilities(c, plugin, report, where);
  judgeIpam(c, plugin, report, where, fields);
}

function judgeCapabilities(c: Ctx, plugin: PluginConf, report: Report, where: string): void {
  const ck = goKey(plugin.raw, 'capabilities');
  const caps = ck !== undefined ? plugin.raw[ck] : undefined;
  if (!isObject(caps)) return;
  for (const key of Object.keys(caps)) {
    if (CAPABILITIES.includes(key)) continue;
    const s = CAPABILITIES.find((k) => k.toLowerCase() === key.toLowerCase()) ?? closest(key, CAPABILITIES);
    if (!s) continue; // vendor capabilities exist; only near-misses are clearly wrong
    report(
      c,
      [...plugin.path, ck!, key],
      key,
      `capability "${key}" in ${where} is never granted: runtimes and multus match capability names exactly (did you mean "${s}"?).`,
      `Rename it to \`"${s}": true\`.`,
    );
  }
}

function judgeIpam(
  c: Ctx,
  plugin: PluginConf,
  report: Report,
  where: string,
  pluginFields: readonly string[] | undefined,
): void {
  const ik = goKey(plugin.raw, 'ipam');
  const ipam = plugin.ipam;
  const it = plugin.ipamType;
  if (ik === undefined || !ipam || it === undefined || !Object.hasOwn(IPAM_FIELDS, it)) return;
  const spec = IPAM_FIELDS[it]!;
  const base = [...plugin.path, ik];
  for (const key of Object.keys(ipam)) {
    const v = judgeKey(key, spec.fields);
    const path = [...base, key];
    if (v.kind === 'known') continue;
    const other = ALL_IPAM_KEYS.get(key);
    if (v.kind === 'case') {
      report(
        c,
        path,
        key,
        `ipam "${key}" (${it}) works only because Go's JSON decoder ignores letter case; the documented key is "${v.canonical}".`,
        `Rename "${key}" to "${v.canonical}".`,
        'info',
      );
    } else if (v.kind === 'near') {
      const also = other && other !== it ? ` ("${key}" is how ${other} spells it)` : '';
      report(
        c,
        path,
        key,
        `ipam "${key}" is not a field ${it} reads (did you mean "${v.suggestion}"?)${also}: it is ignored.`,
        `Rename "${key}" to "${v.suggestion}".`,
      );
    } else if (other && other !== it) {
      report(
        c,
        path,
        key,
        `ipam "${key}" is a ${other} setting; ${it} does not read it, so it is ignored.`,
        it === 'host-local'
          ? 'host-local takes "subnet", "rangeStart", "rangeEnd", "gateway" (or "ranges"); or switch "type" to ' +
              other +
              '.'
          : `Use ${it}'s own fields, or switch "type" to "${other}".`,
      );
    } else if ((pluginFields ?? []).includes(key) || ALL_PLUGIN_KEYS.has(key)) {
      report(
        c,
        path,
        key,
        `"${key}" is inside "ipam" of ${where}, but it is a plugin setting: ${it} ignores it and the plugin never sees it.`,
        `Move "${key}" out of "ipam" to the plugin level.`,
      );
    } else {
      report(
        c,
        path,
        key,
        `ipam "${key}" is not a field ${it} reads${spec.stable ? '' : ' (in the releases we know)'}: it is ignored.`,
        `Remove "${key}", or check the ${it} documentation for the field you meant.`,
        spec.stable ? 'warning' : 'info',
      );
    }
  }
  // One level down where the shape is fixed: host-local ranges and static addresses.
  const nested = (listKey: string, keys: readonly string[], label: string, depth: 1 | 2) => {
    const lk = goKey(ipam, listKey);
    const list = lk !== undefined ? ipam[lk] : undefined;
    if (!Array.isArray(list)) return;
    const visit = (o: unknown, path: Array<string | number>) => {
      if (!isObject(o)) return;
      for (const key of Object.keys(o)) {
        const v = judgeKey(key, keys);
        if (v.kind === 'known') continue;
        if (v.kind === 'case') continue; // works in Go; not worth a finding at this depth
        const s = v.kind === 'near' ? v.suggestion : undefined;
        report(
          c,
          [...base, ...path, key],
          key,
          `${label} "${key}" is not read by ${it}${s ? ` (did you mean "${s}"?)` : ''}: it is ignored.`,
          s ? `Rename "${key}" to "${s}".` : `Use only ${keys.map((k) => `"${k}"`).join(', ')} in ${label}.`,
        );
      }
    };
    list.forEach((x, i) => {
      if (depth === 2 && Array.isArray(x)) x.forEach((y, j) => visit(y, [lk!, i, j]));
      else if (depth === 1) visit(x, [lk!, i]);
    });
  };
  if (it === 'host-local') nested('ranges', HOST_LOCAL_RANGE_KEYS, 'range key', 2);
  if (it === 'static') nested('addresses', STATIC_ADDRESS_KEYS, 'address key', 1);
}
