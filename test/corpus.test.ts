/**
 * Lint what people really wrote: every NAD and pod-bearing manifest of the shared corpus, through
 * the built CLI, in one process. No crash; exit 2 only for unrendered templates (and files that are
 * not YAML at all); no error on a file INDEX.tsv does not mark BROKEN unless
 * test/corpus-known-errors.tsv says why the tool is right; an error on every BROKEN file.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, SHARED, runCli } from './helpers/cli.js';

const CORPUS = join(SHARED, 'corpus');
const MANIFEST = /\.(ya?ml|json)$/i;
const WORKLOAD_OR_NAD =
  /^\s*"?kind"?\s*:\s*"?(NetworkAttachmentDefinition|Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|CronJob|ReplicationController|List)\b/m;

interface Finding {
  id: string;
  severity: string;
  subject: { kind: string; name: string; namespace?: string };
  message: string;
  evidence: Array<{ path?: string; line?: number }>;
}
interface Report {
  findings: Finding[];
  errors: Array<{ collector: string; message: string; resource?: string }>;
}

/** INDEX.tsv: corpus-relative path → source repository and note. */
function readIndex(): Map<string, { repo: string; note: string }> {
  const m = new Map<string, { repo: string; note: string }>();
  const lines = readFileSync(join(CORPUS, 'INDEX.tsv'), 'utf8').split('\n').slice(1);
  for (const l of lines) {
    const cols = l.split('\t');
    if (cols.length >= 6) m.set(cols[0]!, { repo: cols[1]!, note: cols[5]! });
  }
  return m;
}

/** test/corpus-known-errors.tsv: errors the tool is right about on files not marked BROKEN. */
function readKnownErrors(): Array<{ path: string; id: string; reason: string }> {
  const f = join(ROOT, 'test', 'corpus-known-errors.tsv');
  if (!existsSync(f)) return [];
  return readFileSync(f, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [path, id, reason] = l.split('\t');
      return { path: path!.trim(), id: id!.trim(), reason: (reason ?? '').trim() };
    });
}

/** Corpus files to lint: all manifests under nads/ and pod-annotations/, and NAD/pod-bearing ones elsewhere. */
function corpusFiles(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(CORPUS, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const name of readdirSync(join(CORPUS, dir.name)).sort()) {
      if (!MANIFEST.test(name)) continue;
      const rel = `${dir.name}/${name}`;
      if (dir.name === 'nads' || dir.name === 'pod-annotations') out.push(rel);
      else if (WORKLOAD_OR_NAD.test(readFileSync(join(CORPUS, rel), 'utf8'))) out.push(rel);
    }
  }
  return out;
}

const index = readIndex();
const known = readKnownErrors();
const files = corpusFiles();
const note = (rel: string) => index.get(rel)?.note ?? '';
const repoOf = (rel: string) => index.get(rel)?.repo ?? rel;
const isTemplate = (rel: string) => note(rel).startsWith('TEMPLATE');
const isBroken = (rel: string) => note(rel).startsWith('BROKEN');
/**
 * Files that are not YAML (prose in a .YAML; tabs as indentation, which kubectl rejects too): the
 * loader must refuse them, naming the file. BROKEN ones say so in INDEX.tsv; others are listed in
 * corpus-known-errors.tsv with the pseudo-id `invalid-yaml`.
 */
const isUnparseable = (rel: string) =>
  (isBroken(rel) && note(rel).includes('yaml-parse-error')) ||
  known.some((k) => k.path === rel && k.id === 'invalid-yaml');
const cliPath = (rel: string) => relative(ROOT, join(CORPUS, rel));
const relOf = (p: string) => relative(CORPUS, resolve(ROOT, p)).split('\\').join('/');

describe('corpus lint', () => {
  const batch = files.filter((f) => !isTemplate(f) && !isUnparseable(f));
  let code = -1;
  let stderr = '';
  let report: Report = { findings: [], errors: [] };
  /** Findings per corpus file, as judged within the file's own repository (see beforeAll). */
  const byFile = new Map<string, Finding[]>();
  const unmapped: Finding[] = [];

  const lint = (rels: string[]) => {
    const r = runCli(['lint', '-o', 'json', ...rels.flatMap((f) => ['-f', cliPath(f)])]);
    return { code: r.code, stderr: r.stderr, report: JSON.parse(r.stdout) as Report };
  };
  const group = (rep: Report): Map<string, Finding[]> => {
    const m = new Map<string, Finding[]>();
    for (const f of rep.findings) {
      const p = f.evidence.find((e) => e.path)?.path;
      if (!p) {
        unmapped.push(f);
        continue;
      }
      const rel = relOf(p);
      if (!m.has(rel)) m.set(rel, []);
      m.get(rel)!.push(f);
    }
    return m;
  };
  const isKnown = (rel: string, id: string) => known.some((k) => k.path === rel && k.id === id);

  beforeAll(() => {
    const all = lint(batch);
    code = all.code;
    stderr = all.stderr;
    report = all.report;
    for (const [rel, fs] of group(report)) byFile.set(rel, fs);
    // One process sees every file as one world, so checks that compare objects (same master,
    // overlapping ranges, duplicate MACs) pair NADs of unrelated projects. Where that produced an
    // unexpected error, judge the file again together with its own repository's files only.
    const suspects = [...byFile].filter(
      ([rel, fs]) => !isBroken(rel) && fs.some((f) => f.severity === 'error' && !isKnown(rel, f.id)),
    );
    for (const repo of new Set(suspects.map(([rel]) => repoOf(rel)))) {
      const own = batch.filter((f) => repoOf(f) === repo);
      const alone = group(lint(own).report);
      for (const rel of own) {
        if (alone.has(rel)) byFile.set(rel, alone.get(rel)!);
        else byFile.delete(rel);
      }
    }
  });

  it('covers the corpus', () => {
    expect(files.filter((f) => f.startsWith('nads/')).length).toBeGreaterThanOrEqual(100);
    expect(files.filter((f) => f.startsWith('pod-annotations/')).length).toBeGreaterThanOrEqual(20);
    expect(files.some((f) => f.startsWith('lab/'))).toBe(true);
    expect(files.some((f) => f.startsWith('daemonsets/'))).toBe(true);
  });

  it('lints every file in one process without crashing or refusing input', () => {
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(report.errors).toEqual([]);
    expect([0, 1]).toContain(code);
  });

  it('every finding points at the file it is about', () => {
    expect(unmapped.map((f) => `${f.id} ${f.subject.kind}/${f.subject.name}`)).toEqual([]);
    for (const rel of byFile.keys()) expect(batch).toContain(rel);
  });

  it('reports no error on files that work (test/corpus-known-errors.tsv lists where the tool is right)', () => {
    const unexpected: string[] = [];
    for (const [rel, fs] of byFile) {
      if (isBroken(rel)) continue;
      for (const f of fs.filter((x) => x.severity === 'error')) {
        if (!known.some((k) => k.path === rel && k.id === f.id))
          unexpected.push(`${rel}\t${f.id}\t${f.subject.name}: ${f.message}`);
      }
    }
    expect(unexpected).toEqual([]);
  });

  it('every known error still happens (the list does not go stale) and has a reason', () => {
    for (const k of known) {
      expect(k.reason, `${k.path} ${k.id}`).not.toBe('');
      expect(files, `${k.path} is not a linted corpus file`).toContain(k.path);
      if (k.id === 'invalid-yaml') continue; // checked by its own run below
      expect(isBroken(k.path), `${k.path} is BROKEN in INDEX.tsv: no need to list it`).toBe(false);
      const fs = byFile.get(k.path) ?? [];
      expect(
        fs.some((f) => f.id === k.id && f.severity === 'error'),
        `${k.path} ${k.id}`,
      ).toBe(true);
    }
  });

  it('reports an error on every BROKEN file', () => {
    const silent = batch.filter((f) => isBroken(f) && !(byFile.get(f) ?? []).some((x) => x.severity === 'error'));
    expect(silent).toEqual([]);
  });

  it.each(files.filter(isTemplate))('%s (TEMPLATE) exits 2 with one "unrendered template" message', (rel) => {
    const r = runCli(['lint', '-o', 'json', '-f', cliPath(rel)]);
    expect(r.code).toBe(2);
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.errors).toHaveLength(1);
    expect(rep.errors[0]!.message).toContain('unrendered template');
    expect(rep.errors[0]!.message).toContain(cliPath(rel));
    expect(rep.findings).toEqual([]);
  });

  it.each(files.filter(isUnparseable))('%s (not YAML) exits 2 naming the file and the line', (rel) => {
    const r = runCli(['lint', '-o', 'json', '-f', cliPath(rel)]);
    expect(r.code).toBe(2);
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.errors).toHaveLength(1);
    expect(rep.errors[0]!.message).toMatch(/invalid YAML at line \d+/);
    expect(rep.errors[0]!.message).toContain(cliPath(rel));
  });
});
