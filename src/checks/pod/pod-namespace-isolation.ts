import { defineCheck, type Finding } from '../types.js';
import type { Analysis } from '../analysis.js';
import { finding } from '../helpers.js';
import { describe, judgedWorkloads, kubectlFor, resolveSelections } from './lib/common.js';
import { safeNameOr } from '../../model/shell.js';
import { isObject, parseJsonText, type JsonObject } from '../../model/cni-config.js';

interface Isolation {
  /** Where the setting was read. */
  source: string;
  global: string[];
}

function globals(v: unknown): string[] {
  return typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

/** The multus object inside a thin conf/conflist or a daemon config. */
function multusObject(text: string): JsonObject | undefined {
  const v = parseJsonText(text).value;
  if (!isObject(v)) return undefined;
  if (Array.isArray(v['plugins'])) {
    const p = v['plugins'].find((x) => isObject(x) && (x['type'] === 'multus' || x['type'] === 'multus-shim'));
    return isObject(p) ? p : undefined;
  }
  return v;
}

function argValue(args: string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const x = args[i]!;
    if (x === flag) return args[i + 1] ?? 'true';
    if (x.startsWith(`${flag}=`)) return x.slice(flag.length + 1);
  }
  return undefined;
}

/** Every place multus's namespaceIsolation can be switched on, and the global namespaces it names. */
function namespaceIsolation(a: Analysis): Isolation | undefined {
  const on: Isolation[] = [];
  for (const m of a.multus) {
    for (const c of [m.daemonConfig, m.confFileConfig]) {
      const o = c && multusObject(c.content);
      if (o?.['namespaceIsolation'] === true) on.push({ source: c!.source, global: globals(o['globalNamespaces']) });
    }
    const args = [...m.command, ...m.args];
    const flag = argValue(args, '--namespace-isolation') ?? argValue(args, '-namespace-isolation');
    if (flag === 'true') {
      on.push({
        source: `DaemonSet ${m.namespace}/${m.name} args`,
        global: globals(argValue(args, '--global-namespaces') ?? argValue(args, '-global-namespaces')),
      });
    }
  }
  for (const n of a.nodes) {
    const f = n.multusConf;
    const o = f?.text !== undefined ? multusObject(f.text) : undefined;
    if (o?.['namespaceIsolation'] === true)
      on.push({ source: `${f!.path} on ${n.name}`, global: globals(o['globalNamespaces']) });
  }
  if (on.length === 0) return undefined;
  return { source: on[0]!.source, global: [...new Set(on.flatMap((x) => x.global))] };
}

/**
 * With namespaceIsolation (OpenShift's default; upstream opt-in) multus refuses a NAD from
 * another namespace unless that namespace is global. `default` is always accepted.
 */
export const podNamespaceIsolation = defineCheck(
  {
    id: 'pod-namespace-isolation',
    title: 'Pod uses a NAD from another namespace while namespace isolation is on',
    severity: 'error',
    category: 'pod',
    scope: 'objects',
    distributions: 'all',
    doc: 'When multus runs with namespaceIsolation (the OpenShift default), a pod may only use NetworkAttachmentDefinitions from its own namespace, default, or a namespace listed in globalNamespaces. Anything else fails with "namespace isolation enabled, annotation violates permission".',
  },
  (a) => {
    const iso = namespaceIsolation(a);
    if (!iso) return [];
    const allowed = new Set(['default', ...iso.global]);
    const out: Finding[] = [];
    for (const w of judgedWorkloads(a)) {
      const seen = new Set<string>();
      for (const r of resolveSelections(a, w)) {
        if (r.namespace === w.namespace || allowed.has(r.namespace) || seen.has(r.key)) continue;
        seen.add(r.key);
        out.push(
          finding(
            podNamespaceIsolation.meta,
            w.subject,
            `${describe(w.subject)} in namespace "${w.namespace}" uses NAD ${r.key}, but multus namespace isolation only allows its own namespace and ${[...allowed].map((n) => `"${n}"`).join(', ')}.`,
            [w.annotationEvidence(), { label: 'namespaceIsolation: true', path: iso.source }],
            `Create the NAD in "${w.namespace}" (copy it: \`${kubectlFor(a)} get net-attach-def -n ${safeNameOr(r.namespace, '<namespace>')} ${safeNameOr(r.sel.name)} -o yaml\`, change metadata.namespace, apply) and drop the namespace from the annotation${a.distribution === 'openshift' ? "; on OpenShift, additional networks defined in the Network operator CR can target the pod's namespace directly" : ', or add the namespace to globalNamespaces in the multus config'}.`,
          ),
        );
      }
    }
    return out;
  },
);
