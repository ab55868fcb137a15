/**
 * Human output: findings grouped by subject, severity-coloured (TTY only), the fix under each
 * finding, a summary line; for cluster snapshots also a per-node view of the CNI chain.
 */
import { blockingErrors } from '../checks/gaps.js';
import Table from 'cli-table3';
import type { CollectionError } from '../snapshot/types.js';
import type { Finding, Severity } from '../checks/types.js';
import type { Analysis } from '../checks/analysis.js';
import { escapeTerminal as esc } from './escape.js';
import { paint, type Paint } from './paint.js';

export interface HumanOptions {
  color: boolean;
  /** Draw table borders (TTY) or plain aligned columns (pipes). */
  tty: boolean;
  /** Show the per-node CNI chain (cluster snapshots). */
  chain?: boolean;
  /** What was examined, for the summary line ("12 objects in 3 files"). */
  scopeNote?: string;
}

const ICON: Record<Severity, string> = { error: '✖', warning: '▲', info: 'ℹ' };

function sevColor(c: Paint, s: Severity): (t: string) => string {
  return s === 'error' ? c.red.bold : s === 'warning' ? c.yellow.bold : c.cyan;
}

function subjectLabel(f: Finding): string {
  const s = f.subject;
  const ns = s.namespace ? `${s.namespace}/` : '';
  const node = s.node && s.kind !== 'Node' ? ` (node ${s.node})` : '';
  return `${s.kind} ${ns}${s.name}${node}`;
}

function evidenceLine(e: Finding['evidence'][number]): string {
  const parts: string[] = [];
  if (e.label) parts.push(`${e.label}:`);
  if (e.node) parts.push(`node ${e.node}`);
  if (e.path) parts.push(`${e.path}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''}`);
  if (e.value !== undefined) {
    const v = e.value.length > 400 ? e.value.slice(0, 400) + '…' : e.value;
    parts.push(v.includes('\n') ? `\n${v.replace(/^/gm, '          ')}` : `${e.path || e.node ? '→ ' : ''}${v}`);
  }
  return parts.join(' ');
}

function indent(text: string, pad: string): string {
  return text.replace(/^/gm, pad);
}

export function renderHuman(
  findings: Finding[],
  errors: CollectionError[],
  analysis: Analysis | undefined,
  o: HumanOptions,
): string {
  const c = paint(o.color);
  const out: string[] = [];
  if (o.chain && analysis && analysis.nodes.length > 0) {
    out.push(
      c.bold('CNI chain per node') +
        c.dim(` (${analysis.paths.label}; runtime conf dir → active config → delegates → plugins)`),
    );
    out.push(renderChain(analysis, o, c));
    out.push('');
  }
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = subjectLabel(f);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(f);
  }
  for (const [label, fs] of groups) {
    out.push(c.bold(esc(label)));
    for (const f of fs) {
      const col = sevColor(c, f.severity);
      out.push(`  ${col(`${ICON[f.severity]} ${f.severity}`)}  ${c.dim(f.id)}`);
      out.push(indent(esc(f.message), '      '));
      for (const e of f.evidence) out.push(c.dim(indent(esc(evidenceLine(e)), '      ')));
      if (f.fix) {
        const [first, ...rest] = esc(f.fix).split('\n');
        out.push(`      ${c.green('fix:')} ${first}`);
        for (const r of rest) out.push(`           ${r}`);
      }
    }
    out.push('');
  }
  if (errors.length > 0) {
    // Gaps no verdict needed (engine.ts AUXILIARY_COLLECTORS) are listed but do not make the result incomplete.
    out.push(
      c.magenta.bold(
        blockingErrors(findings, errors).length
          ? 'Incomplete: some data could not be read'
          : 'Not collected (no verdict depended on it)',
      ),
    );
    for (const e of errors) {
      const where = [e.node && `node ${e.node}`, e.namespace && `namespace ${e.namespace}`, e.resource]
        .filter(Boolean)
        .join(', ');
      out.push(`  ${c.magenta('!')} ${esc(e.collector)}${where ? ` (${esc(where)})` : ''}: ${esc(e.message)}`);
    }
    out.push('');
  }
  const n = (k: Severity) => findings.filter((f) => f.severity === k).length;
  const plural = (x: number, w: string) => `${x} ${w}${x === 1 ? '' : 's'}`;
  const summary = `${plural(n('error'), 'error')}, ${plural(n('warning'), 'warning')}, ${plural(n('info'), 'info')}`;
  const head = findings.length === 0 && errors.length === 0 ? c.green.bold('✔ No problems found') : c.bold('Summary');
  out.push(`${head}: ${summary}${o.scopeNote ? c.dim(` — ${o.scopeNote}`) : ''}`);
  return out.join('\n') + '\n';
}

function tableFor(o: HumanOptions, head: string[]): Table.Table {
  if (o.tty) return new Table({ head, style: { head: [], border: [] }, wordWrap: true });
  return new Table({
    head,
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '   ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
}

/** One row per node: what the runtime reads, what it will use, what that delegates to, what is missing. */
export function renderChain(a: Analysis, o: HumanOptions, c: Paint): string {
  const t = tableFor(o, ['NODE', 'RUNTIME CONF DIR', 'ACTIVE CONFIG', 'DELEGATES', 'PLUGINS']);
  for (const n of a.nodes) {
    if (!n.node.inspection) {
      t.push([esc(n.name), esc(n.confDir), c.dim('not inspected'), '', '']);
      continue;
    }
    if (n.inspectionError) {
      t.push([esc(n.name), esc(n.confDir), c.magenta(`inspection failed: ${esc(n.inspectionError)}`), '', '']);
      continue;
    }
    const active = n.activeConf;
    let activeText =
      n.confListing?.exists === false ? c.red('directory missing') : active ? esc(active.name) : c.red('none');
    if (active && !active.isMultus) activeText += c.yellow(' (not multus)');
    const delegates: string[] = [];
    const types = new Set<string>();
    const mconf = n.multusConf?.config;
    if (mconf?.ok) {
      for (const p of mconf.plugins) {
        const raw = p.raw;
        const dels = Array.isArray(raw['delegates']) ? raw['delegates'] : [];
        for (const d of dels) {
          if (d && typeof d === 'object' && !Array.isArray(d)) {
            const name = typeof d['name'] === 'string' ? d['name'] : '?';
            const plugins = Array.isArray(d['plugins']) ? d['plugins'] : [d];
            const ts = plugins.map((x) =>
              x && typeof x === 'object' && !Array.isArray(x) && typeof x['type'] === 'string' ? x['type'] : '?',
            );
            ts.forEach((x) => types.add(x));
            delegates.push(`${name} [${ts.join('+')}]`);
          }
        }
        if (typeof raw['clusterNetwork'] === 'string') delegates.push(`clusterNetwork ${raw['clusterNetwork']}`);
        if (p.type) types.add(p.type === 'multus-shim' ? 'multus-shim' : 'multus');
      }
    }
    for (const nad of a.nads)
      for (const p of nad.config?.plugins ?? []) {
        if (p.type) types.add(p.type);
        if (p.ipamType) types.add(p.ipamType);
      }
    let plugins = c.dim('bin dir not listed');
    if (n.plugins) {
      const missing = [...types].filter((t) => !n.plugins!.has(t));
      // Multus demonstrably runs there: the listed dirs are evidently not all the runtime uses.
      plugins =
        missing.length === 0
          ? c.green(`all ${types.size} present`)
          : n.multusRuns
            ? c.yellow(`not in ${esc(n.binDirs.join(', '))}: ${esc(missing.join(', '))} (yet multus runs here)`)
            : c.red(`missing: ${esc(missing.join(', '))}`);
    }
    t.push([esc(n.name), esc(n.confDir), activeText, esc(delegates.join(', ') || '-'), plugins]);
  }
  return t.toString();
}
