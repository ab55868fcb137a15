import { defineCheck, type Evidence, type Finding, type Subject } from '../types.js';
import { finding, listNames } from '../helpers.js';
import { locate, parseCniConfig, type CniConfig } from '../../model/cni-config.js';
import { multusConfProblems, type ConfProblem } from '../../model/multus-conf.js';
import { installFacts } from '../../model/multus-install.js';
import { dsSubject } from '../../model/install-nodes.js';
import { restartMultus } from './lib/fixes.js';

interface Bad {
  file: string;
  problem: ConfProblem;
  line?: number;
  column?: number;
  nodes: string[];
  snippet?: string;
}

function problemsOf(c: CniConfig): Array<{ problem: ConfProblem; line?: number; column?: number }> {
  const syntax = c.parsed.problems[0];
  if (syntax)
    return [
      {
        problem: { message: `not valid JSON: ${syntax.message}`, path: [], severity: 'error' },
        line: syntax.line,
        column: syntax.column,
      },
    ];
  return multusConfProblems(c).map((problem) => {
    const pos = problem.path.length ? locate(c.parsed, problem.path) : undefined;
    return { problem, line: pos?.line, column: pos?.column };
  });
}

/**
 * A multus config (by type, or by a file name containing "multus") that is not strict JSON or
 * lacks what multus needs: type, name, cniVersion, and — thin — a delegate or clusterNetwork.
 * The runtime then fails every pod on the node, not only multi-network ones.
 */
export const multusConfInvalid = defineCheck(
  {
    id: 'multus-conf-invalid',
    title: 'The multus config is invalid',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'The multus config is the first CNI config the runtime loads; if it is not strict JSON or lacks type/name/cniVersion or a delegate, sandbox creation fails for every pod on the node.',
  },
  (a) => {
    const meta = multusConfInvalid.meta;
    const bad = new Map<string, Bad>();
    const add = (file: string, node: string | undefined, c: CniConfig) => {
      for (const { problem, line, column } of problemsOf(c)) {
        const key = `${file}\u0000${problem.message}\u0000${line}:${column}`;
        const b = bad.get(key) ?? {
          file,
          problem,
          line,
          column,
          nodes: [],
          snippet: line ? c.parsed.text.split('\n')[line - 1]?.trim().slice(0, 120) : undefined,
        };
        if (node) b.nodes.push(node);
        bad.set(key, b);
      }
    };
    for (const n of a.nodes) {
      if (!n.inspected) continue;
      for (const c of n.confFiles) {
        if (c.text === undefined) continue;
        // By name only when it does not even parse: a working config of another type is not ours to judge.
        if (!c.isMultus && !(/multus/i.test(c.name) && !c.config?.ok)) continue;
        add(c.path, n.name, c.config ?? parseCniConfig(c.text));
      }
    }
    // A config handed to the thin entrypoint through a ConfigMap (--multus-conf-file=<file>).
    for (const m of a.multus) {
      const f = installFacts(m);
      if (f.thin && !f.auto && m.confFileConfig)
        add(
          `${m.confFileConfig.source} (--multus-conf-file=${f.thin.multusConfFile})`,
          undefined,
          parseCniConfig(m.confFileConfig.content),
        );
    }
    const subject: Subject = a.multus.length === 1 ? dsSubject(a.multus[0]!) : { kind: 'Cluster', name: 'nodes' };
    const out: Finding[] = [];
    for (const b of bad.values()) {
      const where = b.nodes.length ? ` on ${listNames(b.nodes)}` : '';
      const evidence: Evidence[] = (b.nodes.length ? b.nodes.slice(0, 5) : [undefined]).map((node) => ({
        node,
        path: b.file,
        line: b.line,
        column: b.column,
        value: b.snippet,
      }));
      const m = a.multus[0];
      const fix =
        b.problem.severity === 'warning'
          ? 'Let multus generate its config (--multus-conf-file=auto writes "kubeconfig" from --multus-kubeconfig-file-host), or add "kubeconfig": "<conf dir>/multus.d/multus.kubeconfig" to the file.'
          : `Regenerate it: run multus with --multus-conf-file=auto (the default) so it writes 00-multus.conf from the primary CNI config, or fix the file by hand at that line; the runtime reads CNI JSON strictly (no comments, no trailing commas).${m ? `\nThen: ${restartMultus(m)}` : ''}`;
      out.push(
        finding(
          meta,
          subject,
          `The multus config ${b.file}${where}: ${b.problem.message}.`,
          evidence,
          fix,
          b.problem.severity,
        ),
      );
    }
    return out;
  },
);
