/**
 * The multus CNI config itself (00-multus.conf / .conflist): where its keys are, what multus
 * requires of it (pkg/types LoadNetConf: a delegate or clusterNetwork; name, cniVersion), and
 * its delegates. Works on the thin form, the thin conflist form (v4.2.4+, cniVersion ≥ 1.0.0)
 * and the thick shim form (§C.1, §C.2).
 */
import { isObject, str, type CniConfig, type JsonObject, type JsonValue, type PluginConf } from './cni-config.js';

/** The plugin entry of type multus/multus-shim (top level for .conf, plugins[i] for .conflist). */
export function multusPlugin(c: CniConfig | undefined): PluginConf | undefined {
  return c?.plugins.find((p) => p.type === 'multus' || p.type === 'multus-shim');
}

/** A multus key: on the multus plugin, else (conflist) on the top level. */
export function multusKey(c: CniConfig | undefined, key: string): string | undefined {
  const p = multusPlugin(c);
  const v = p ? str(p.raw[key]) : undefined;
  if (v !== undefined) return v;
  const top = c?.parsed.value;
  return isObject(top) ? str(top[key]) : undefined;
}

export interface Delegate {
  value: JsonValue;
  /** JSON path of the delegate in the file. */
  path: Array<string | number>;
}

export function delegatesOf(c: CniConfig | undefined): Delegate[] {
  const p = multusPlugin(c);
  if (!p) return [];
  const d = p.raw['delegates'];
  return Array.isArray(d) ? d.map((value, i) => ({ value, path: [...p.path, 'delegates', i] })) : [];
}

function isMultusObject(v: JsonValue | undefined): boolean {
  if (!isObject(v)) return false;
  if (v['type'] === 'multus' || v['type'] === 'multus-shim' || v['delegates'] !== undefined) return true;
  return Array.isArray(v['plugins']) && v['plugins'].some((p) => isMultusObject(p));
}

/** Depth of multus-in-multus nesting of a delegate (0: a normal delegate). */
export function nestingDepth(v: JsonValue | undefined): number {
  if (!isMultusObject(v)) return 0;
  const o = v as JsonObject;
  const inner = [o, ...(Array.isArray(o['plugins']) ? o['plugins'] : [])].flatMap((x) =>
    isObject(x) && Array.isArray(x['delegates']) ? x['delegates'] : [],
  );
  return 1 + Math.max(0, ...inner.map(nestingDepth));
}

export interface ConfProblem {
  message: string;
  path: Array<string | number>;
  severity: 'error' | 'warning';
}

/** What multus (or the runtime) refuses in a multus config, or what makes it useless. */
export function multusConfProblems(c: CniConfig): ConfProblem[] {
  const out: ConfProblem[] = [];
  if (!c.ok) return [{ message: 'the file is not a JSON object', path: [], severity: 'error' }];
  const top = c.parsed.value as JsonObject;
  const p = multusPlugin(c);
  if (!p) {
    out.push({
      message: `"type" is ${c.main?.type ? `"${c.main.type}"` : 'missing'}, not "multus" or "multus-shim"`,
      path: c.main ? [...c.main.path, 'type'] : [],
      severity: 'error',
    });
    return out;
  }
  if (!str(top['cniVersion']))
    out.push({
      message: '"cniVersion" is missing (libcni then assumes 0.1.0 and multus refuses results of newer plugins)',
      path: [],
      severity: 'error',
    });
  if (!str(top['name']))
    out.push({
      message: '"name" is missing (the runtime rejects a network without a name)',
      path: [],
      severity: 'error',
    });
  if (p.type === 'multus') {
    const dels = p.raw['delegates'];
    const cluster = str(p.raw['clusterNetwork']);
    if (!cluster && !(Array.isArray(dels) && dels.length > 0)) {
      out.push({
        message:
          'neither "delegates" nor "clusterNetwork" is set ("LoadNetConf: at least one delegate/clusterNetwork must be specified")',
        path: p.path,
        severity: 'error',
      });
    }
    if (Array.isArray(dels)) {
      dels.forEach((d, i) => {
        if (!isObject(d) || (typeof d['type'] !== 'string' && !Array.isArray(d['plugins']))) {
          out.push({
            message: `delegate ${i} has neither "type" nor "plugins"`,
            path: [...p.path, 'delegates', i],
            severity: 'error',
          });
        }
      });
    }
    if (!str(p.raw['kubeconfig'])) {
      out.push({
        message:
          '"kubeconfig" is missing: multus cannot read NetworkAttachmentDefinitions or pod annotations, so only the default network works',
        path: p.path,
        severity: 'warning',
      });
    }
  }
  return out;
}
