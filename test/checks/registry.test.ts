/**
 * The registry keeps itself honest: every check has its file, its page, a test and a
 * sentence-case title; every id that code can show a user has a page that `explain` prints.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { runExplain } from '../../src/cli/explain.js';
import type { Io } from '../../src/cli/io.js';
import { defineCheck } from '../../src/checks/types.js';
import { runChecks } from '../../src/engine.js';
import { snapshot } from '../helpers/snapshot.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const here = fileURLToPath(import.meta.url);

function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, ext));
    else if (p.endsWith(ext)) out.push(p);
  }
  return out;
}

/** `explain ID` as a user runs it: what it prints, or the usage error it throws. */
function explain(id: string): string {
  let text = '';
  const io: Io = {
    out: (s) => (text += s),
    err: () => undefined,
    stdoutIsTTY: false,
    env: {},
    readStdin: async () => '',
    cwd: root,
  };
  try {
    runExplain(io, id, false, 'text');
  } catch (e) {
    return `ERROR ${(e as Error).message}`;
  }
  return text;
}

/**
 * The three sections every page has, in this order and no others. The fix heading says whether the
 * fix differs by distribution (`Fix per distribution`) or not (`Fix (every distribution)`, older
 * pages: `Fix`); those spellings are what `explain` prints today, so they stay.
 */
const FIX_HEADINGS = ['## Fix per distribution', '## Fix (every distribution)', '## Fix'];
/**
 * Pages whose sections differ, with the reason. Renaming a heading changes `explain` output,
 * which the behaviour-unchanged refactor of issue 12 does not do.
 */
const PAGE_LAYOUT_EXCEPTIONS: Record<string, string> = {
  'probe-peer-unreachable': 'the fix is a set of macvlan rules and per-plugin notes, kept as their own sections',
};

/** Helpers still in a check folder, with where they go. */

function headings(page: string): string[] {
  return page.split('\n').filter((l) => l.startsWith('## '));
}

/**
 * Sentence case: the first word capitalised, unless it is written as in the config or code
 * (`cniVersion`, `macvlan`, `spec.config`, …); later words lower case unless they are names or
 * acronyms (NAD, MAC, K3s, ContainerCreating), i.e. not Title Case.
 */
const CODE_WORDS = new Set([
  'cniVersion',
  'flannel',
  'hostNetwork',
  'host-local',
  'ipvlan',
  'macvlan',
  'macvlan/ipvlan',
  'master',
  'mtu',
  'network-status',
  'spec.config',
  'static',
  'whereabouts',
]);
const TITLE_WORDS =
  /^(Another|The|A|An|No|Multus|Multus's|Test|Attachment|Requested|Field|Config|Invalid|Overlapping|Unknown|Cilium)$/;
function sentenceCaseProblem(title: string): string | undefined {
  const words = title.split(' ');
  const first = words[0]!;
  if (!/^[A-Z]/.test(first) && !CODE_WORDS.has(first)) return `starts with "${first}"`;
  for (const w of words.slice(1)) {
    // A capitalised later word is fine when it is an acronym or a name (a second capital, a digit).
    if (/^[A-Z][a-z']+[,:)]?$/.test(w) && TITLE_WORDS.test(w.replace(/[,:)]$/, '')))
      return `"${w}" is capitalised mid-sentence`;
  }
  if (/\.$/.test(title)) return 'ends with a full stop';
  return undefined;
}

describe('check registry', () => {
  const testFiles = filesUnder(join(root, 'test'), '.ts').filter((f) => f !== here);
  const testText = testFiles.map((f) => readFileSync(f, 'utf8')).join('\n');

  it('ids are unique', () => {
    const ids = ALL_CHECKS.map((c) => c.meta.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('every check lives in src/checks/<category>/<id>.ts', () => {
    const missing = ALL_CHECKS.map((c) => `src/checks/${c.meta.category}/${c.meta.id}.ts`).filter(
      (p) => !existsSync(join(root, p)),
    );
    expect(missing).toEqual([]);
  });

  it('every file under a check folder is a check (or the folder index)', () => {
    const ids = new Set(ALL_CHECKS.map((c) => c.meta.id));
    const strays: string[] = [];
    for (const group of readdirSync(join(root, 'src', 'checks'))) {
      const dir = join(root, 'src', 'checks', group);
      if (!statSync(dir).isDirectory()) continue;
      for (const f of readdirSync(dir)) {
        if (statSync(join(dir, f)).isDirectory()) continue;
        const path = `src/checks/${group}/${f}`;
        if (f !== 'index.ts' && !ids.has(f.replace(/\.ts$/, ''))) strays.push(path);
      }
    }
    expect(strays).toEqual([]);
  });

  it('every check has docs/checks/<id>.md with What, Why it matters and a Fix section', () => {
    const bad: string[] = [];
    for (const { meta } of ALL_CHECKS) {
      const p = join(root, 'docs', 'checks', `${meta.id}.md`);
      if (!existsSync(p)) {
        bad.push(`${meta.id}: no page`);
        continue;
      }
      const page = readFileSync(p, 'utf8');
      if (!page.startsWith(`# ${meta.id}\n`)) bad.push(`${meta.id}: the page does not start with "# ${meta.id}"`);
      if (PAGE_LAYOUT_EXCEPTIONS[meta.id]) continue;
      const h = headings(page);
      if (h.length !== 3 || h[0] !== '## What' || h[1] !== '## Why it matters' || !FIX_HEADINGS.includes(h[2]!)) {
        bad.push(`${meta.id}: sections ${JSON.stringify(h)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('every check is named by a test', () => {
    expect(ALL_CHECKS.map((c) => c.meta.id).filter((id) => !testText.includes(id))).toEqual([]);
  });

  it('every title is in sentence case', () => {
    const bad = ALL_CHECKS.flatMap(({ meta }) => {
      const p = sentenceCaseProblem(meta.title);
      return p ? [`${meta.id}: "${meta.title}" ${p}`] : [];
    });
    expect(bad).toEqual([]);
  });

  it('every id the code emits has a page that explain prints', () => {
    // Ids reach users as a finding's id or a refusal's checkId; collect every literal one in src/.
    const emitted = new Map<string, string>();
    for (const f of filesUnder(join(root, 'src'), '.ts')) {
      if (f.includes(`${join('src', 'generated')}`)) continue;
      for (const m of readFileSync(f, 'utf8').matchAll(/\b(?:id|checkId)\s*:\s*'([a-z0-9]+(?:-[a-z0-9]+)+)'/g)) {
        emitted.set(m[1]!, relative(root, f));
      }
    }
    for (const c of ALL_CHECKS) emitted.set(c.meta.id, 'src/checks/index.ts');
    for (const id of [
      'attach-bare-pod',
      'attach-owned-by-controller',
      'attach-template-immutable',
      'attach-entry-differs',
      'attach-entry-ambiguous',
    ]) {
      expect(emitted.get(id), `${id} is no longer emitted`).toMatch(/^src\/attach\//);
    }
    const bad: string[] = [];
    for (const [id, from] of emitted) {
      const text = explain(id);
      if (!text.startsWith(`# ${id}\n`))
        bad.push(`${id} (${from}): explain prints ${JSON.stringify(text.slice(0, 80))}`);
      else if (!existsSync(join(root, 'docs', 'checks', `${id}.md`)))
        bad.push(`${id} (${from}): no docs/checks/${id}.md`);
    }
    expect(bad).toEqual([]);
  });

  it('a refusal page is printed by explain, and a near miss suggests it', () => {
    expect(explain('attach-bare-pod')).toContain('## Fix (every distribution)');
    expect(explain('attach-bare-pd')).toContain('did you mean "attach-bare-pod"?');
  });

  it('the engine runs a check only on the distributions its metadata names', () => {
    const k3sOnly = defineCheck(
      {
        id: 'test-k3s-only',
        title: 'Test',
        severity: 'info',
        category: 'install',
        scope: 'cluster',
        distributions: ['k3s'],
        doc: '',
      },
      () => [
        {
          id: 'test-k3s-only',
          severity: 'info',
          subject: { kind: 'Cluster', name: 'c' },
          message: 'ran',
          evidence: [],
          fix: '',
        },
      ],
    );
    const on = (distribution: 'k3s' | 'kubeadm') =>
      runChecks(snapshot({ cluster: { ...snapshot().cluster, distribution } }), { checks: [k3sOnly] }).findings.map(
        (f) => f.id,
      );
    expect(on('k3s')).toEqual(['test-k3s-only']);
    expect(on('kubeadm')).toEqual([]);
  });
});
