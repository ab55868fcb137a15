/**
 * What `attach`/`detach` print for a person: what changes (the annotation diff, hostNetwork),
 * warnings, the equivalent `kubectl patch` command, and what happened. Every piece that came from
 * the cluster is escaped before it reaches the terminal.
 */
import type { Finding } from '../checks/types.js';
import { NETWORKS_ANNOTATION } from '../model/networks-annotation.js';
import { escapeTerminal as e } from '../report/escape.js';
import type { Outcome } from './apply.js';
import type { Note, Plan, Refusal } from './types.js';
import type { PodCheck } from './verify.js';

import type { Paint } from '../report/paint.js';
export { paint, type Paint } from '../report/paint.js';

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

function what(plan: Plan): string {
  const x = plan.expected;
  if (plan.action === 'detach') return `detach ${plan.network.namespace}/${plan.network.name}`;
  if (!x) return 'attach';
  return `attach ${x.network.namespace}/${x.network.name} as ${x.interface}${x.mac ? `, mac ${x.mac}` : ''}${x.ips?.length ? `, ips ${x.ips.join(',')}` : ''}`;
}

function notesText(notes: Note[], c: Paint): string {
  return notes
    .map((n) => {
      const tag = n.severity === 'warning' ? c.yellow('warning') : c.cyan('info');
      const id = n.id ? ` [${n.id}]` : '';
      return `${tag}${id}: ${e(n.message)}${n.fix ? `\n${indent(`fix: ${e(n.fix)}`, '  ')}` : ''}`;
    })
    .join('\n');
}

/** The change itself: diff of the annotation and the hostNetwork switch. */
function renderChange(plan: Plan, c: Paint): string {
  const out: string[] = [`${c.bold(e(plan.ref))} in namespace ${e(plan.subject.namespace)}: ${e(what(plan))}`];
  if (plan.diff.length) {
    out.push(`  ${NETWORKS_ANNOTATION} (${plan.annotationPath}):`);
    for (const d of plan.diff) {
      const line = `    ${d.op} ${e(d.text)}`;
      out.push(d.op === '+' ? c.green(line) : d.op === '-' ? c.red(line) : line);
    }
    if (plan.after === undefined) out.push(c.red('    (annotation removed)'));
  }
  if (plan.hostNetwork) out.push(`  ${plan.hostNetwork.path}: ${plan.hostNetwork.from} → ${plan.hostNetwork.to}`);
  return out.join('\n') + '\n';
}

export function renderOutcome(o: Extract<Outcome, { plan: Plan }>, c: Paint): string {
  const plan = o.plan;
  const parts: string[] = [];
  if (o.status === 'unchanged') {
    parts.push(
      `${c.bold(e(plan.ref))} unchanged: ${plan.action === 'attach' ? `it already has ${e(what(plan).replace(/^attach /, ''))}` : 'nothing to detach'}\n`,
    );
  } else {
    parts.push(renderChange(plan, c));
  }
  if (plan.notes.length) parts.push(notesText(plan.notes, c) + '\n');
  for (const w of o.warnings) parts.push(`${c.yellow('warning')}: ${e(w)}\n`);
  if (plan.command) parts.push(`equivalent command:\n  ${e(plan.command)}\n`);
  const retried = o.conflicts
    ? ` (after ${o.conflicts} conflict${o.conflicts === 1 ? '' : 's'}: re-read and re-applied)`
    : '';
  if (o.status === 'patched') parts.push(`${c.green(e(plan.ref))} patched${retried}\n`);
  if (o.status === 'dry-run')
    parts.push(
      `${e(plan.ref)} patched (${o.dryRun === 'server' ? 'server dry run' : 'dry run'}: nothing was written)\n`,
    );
  return parts.join('');
}

export function renderRefusal(verb: string, ref: string, refusals: Refusal[], notes: Note[], c: Paint): string {
  const out = [`${c.red('error')}: refused to ${verb} ${e(ref)}; nothing was written.`];
  for (const r of refusals) {
    out.push(`  ${c.bold(`[${r.checkId}]`)} ${e(r.message)}${r.forceable ? ' (--force proceeds anyway)' : ''}`);
    out.push(indent(`fix: ${e(r.fix)}`, '    '));
  }
  const n = notesText(notes, c);
  return out.join('\n') + '\n' + (n ? n + '\n' : '');
}

export function renderVerification(checks: PodCheck[], findings: Finding[], c: Paint): string {
  const out: string[] = [];
  for (const k of checks)
    out.push(
      `${k.ok ? c.green('verified') : c.red('failed')}: pod ${e(k.pod)}${k.node ? ` on ${e(k.node)}` : ''}: ${e(k.summary)}`,
    );
  for (const f of findings) {
    const tag =
      f.severity === 'error' ? c.red('error') : f.severity === 'warning' ? c.yellow('warning') : c.cyan('info');
    const who = `${f.subject.kind} ${f.subject.namespace ? `${f.subject.namespace}/` : ''}${f.subject.name}`;
    out.push(`${tag} [${f.id}] ${e(who)}: ${e(f.message)}`);
    for (const ev of f.evidence) if (ev.value) out.push(`  ${e(ev.label ?? 'evidence')}: ${e(ev.value)}`);
    out.push(indent(`fix: ${e(f.fix)}`, '  '));
  }
  return out.length ? out.join('\n') + '\n' : '';
}
