/**
 * The user-facing contract of the built CLI (CHECKS.md § Output contract): the JSON/YAML/SARIF
 * shapes, exit codes and --fail-on, --ignore, colour rules, `explain`, a malformed snapshot, and
 * suppression by annotation and by `.kubectl-multus.yaml`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';

// eslint-disable-next-line no-control-regex -- the ANSI escape is what this test looks for
const ESC = /\u001b\[/;
const tmp = mkdtempSync(join(tmpdir(), 'km-contract-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

const nadYaml = (name: string, config: string, annotations: Record<string, string> = {}) =>
  [
    'apiVersion: k8s.cni.cncf.io/v1',
    'kind: NetworkAttachmentDefinition',
    'metadata:',
    `  name: ${name}`,
    '  namespace: lan',
    ...(Object.keys(annotations).length
      ? ['  annotations:', ...Object.entries(annotations).map(([k, v]) => `    ${k}: "${v}"`)]
      : []),
    'spec:',
    '  config: |',
    ...config.split('\n').map((l) => `    ${l}`),
    '',
  ].join('\n');

const GOOD_CONFIG =
  '{\n  "cniVersion": "0.3.1",\n  "name": "good",\n  "type": "bridge",\n  "bridge": "br-lab",\n  "ipam": { "type": "static", "addresses": [ { "address": "10.30.0.5/24" } ] }\n}';
// Missing comma after "bridge" on line 4 of the config, i.e. line 12 of the file.
const BAD_CONFIG = '{\n  "cniVersion": "0.3.1",\n  "name": "bad",\n  "type": "bridge"\n  "bridge": "br-lab"\n}';
// Only a warning: no cniVersion (CHECKS.md nad-cniversion-missing, W).
const WARN_CONFIG =
  '{\n  "name": "old",\n  "type": "bridge",\n  "bridge": "br-lab",\n  "ipam": { "type": "static", "addresses": [ { "address": "10.30.0.6/24" } ] }\n}';

const good = write('good.yaml', nadYaml('good', GOOD_CONFIG));
const bad = write('bad.yaml', nadYaml('bad', BAD_CONFIG));
const warnOnly = write('warn.yaml', nadYaml('old', WARN_CONFIG));

const FINDING_KEYS = ['id', 'severity', 'subject', 'message', 'evidence', 'fix'];

describe('-o json', () => {
  it('has apiVersion kubectl-multus/v1 and every array even when there is nothing to report', () => {
    const r = runCli(['lint', '-f', good, '-o', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['apiVersion', 'findings', 'summary', 'errors']);
    expect(j.apiVersion).toBe('kubectl-multus/v1');
    expect(j.findings).toEqual([]);
    expect(j.errors).toEqual([]);
    expect(j.summary).toEqual({ errors: 0, warnings: 0, infos: 0 });
  });

  it('a finding has exactly id/severity/subject/message/evidence/fix, with file:line evidence', () => {
    const r = runCli(['lint', '-f', bad, '-o', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.findings.length).toBeGreaterThan(0);
    for (const f of j.findings) {
      expect(Object.keys(f)).toEqual(FINDING_KEYS);
      expect(['error', 'warning', 'info']).toContain(f.severity);
      expect(typeof f.subject.kind).toBe('string');
      expect(typeof f.subject.name).toBe('string');
      expect(Array.isArray(f.evidence)).toBe(true);
      expect(typeof f.fix).toBe('string');
    }
    const e = j.findings.find((f: { id: string }) => f.id === 'nad-config-invalid-json');
    expect(e.subject).toMatchObject({ kind: 'NetworkAttachmentDefinition', name: 'bad', namespace: 'lan' });
    expect(e.evidence[0]).toMatchObject({ path: bad, line: 12 });
    expect(j.summary.errors).toBe(j.findings.filter((f: { severity: string }) => f.severity === 'error').length);
  });

  it('check --snapshot has the same envelope', () => {
    const r = runCli(['check', '--snapshot', 'examples/snapshots/k3s-upstream-thin.json', '-o', 'json']);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['apiVersion', 'findings', 'summary', 'errors']);
    for (const f of j.findings) expect(Object.keys(f)).toEqual(FINDING_KEYS);
  });

  it('reads manifests from stdin with -f -', () => {
    const r = runCli(['lint', '-f', '-', '-o', 'json'], { input: readFileSync(bad, 'utf8') });
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.findings.find((f: { id: string }) => f.id === 'nad-config-invalid-json').evidence[0]).toMatchObject({
      path: '<stdin>',
      line: 12,
    });
  });
});

describe('-o yaml', () => {
  it('is the JSON report as YAML', () => {
    const y = runCli(['lint', '-f', bad, '-f', good, '-o', 'yaml']);
    const j = runCli(['lint', '-f', bad, '-f', good, '-o', 'json']);
    expect(y.code).toBe(j.code);
    expect(parseYaml(y.stdout)).toEqual(JSON.parse(j.stdout));
  });

  it('keeps empty arrays', () => {
    const y = parseYaml(runCli(['lint', '-f', good, '-o', 'yaml']).stdout);
    expect(y).toMatchObject({ apiVersion: 'kubectl-multus/v1', findings: [], errors: [] });
  });
});

describe('-o sarif', () => {
  const ids = (JSON.parse(runCli(['explain', '--list', '-o', 'json']).stdout) as Array<{ id: string }>).map(
    (c) => c.id,
  );

  it('is SARIF 2.1.0 with a rule and help text for every registered check', () => {
    const r = runCli(['lint', '-f', good, '-o', 'sarif']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.version).toBe('2.1.0');
    expect(s.$schema).toContain('sarif');
    const rules = s.runs[0].tool.driver.rules as Array<{
      id: string;
      help: { text: string };
      shortDescription: { text: string };
    }>;
    expect(rules.map((x) => x.id).sort()).toEqual([...ids].sort());
    for (const rule of rules) {
      expect(rule.help.text.length, rule.id).toBeGreaterThan(20);
      expect(rule.shortDescription.text, rule.id).not.toBe('');
    }
    expect(s.runs[0].results).toEqual([]);
  });

  it('locates lint findings at file and line', () => {
    const r = runCli(['lint', '-f', 'examples/nads/broken-macvlan.yaml', '-o', 'sarif']);
    const s = JSON.parse(r.stdout);
    const res = s.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'nad-config-invalid-json');
    expect(res.level).toBe('error');
    const loc = res.locations[0].physicalLocation;
    expect(loc.artifactLocation.uri).toBe('examples/nads/broken-macvlan.yaml');
    expect(loc.region.startLine).toBe(14);
    expect(s.runs[0].tool.driver.rules[res.ruleIndex].id).toBe('nad-config-invalid-json');
  });
});

describe('exit codes and --fail-on', () => {
  it('0 clean, 1 errors, 2 unreadable input, 3 bad usage', () => {
    expect(runCli(['lint', '-f', good]).code).toBe(0);
    expect(runCli(['lint', '-f', bad]).code).toBe(1);
    expect(runCli(['lint', '-f', join(tmp, 'does-not-exist.yaml')]).code).toBe(2);
    expect(runCli(['lint', '-f', good, '--no-such-flag']).code).toBe(3);
    expect(runCli(['lint', '-f', good, '--fail-on', 'sometimes']).code).toBe(3);
    expect(runCli(['lint']).code).toBe(3);
    expect(runCli(['frobnicate']).code).toBe(3);
  });

  it('2 beats 1: incomplete input wins over findings, and the findings are still reported', () => {
    const r = runCli(['lint', '-f', bad, '-f', join(tmp, 'missing.yaml'), '-o', 'json']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j.findings.some((f: { id: string }) => f.id === 'nad-config-invalid-json')).toBe(true);
    expect(j.errors).toHaveLength(1);
  });

  it('warnings fail only with --fail-on warning; --fail-on never always exits 0', () => {
    const w = JSON.parse(runCli(['lint', '-f', warnOnly, '-o', 'json']).stdout);
    expect(w.findings.map((f: { id: string; severity: string }) => `${f.severity} ${f.id}`)).toContain(
      'warning nad-cniversion-missing',
    );
    expect(w.summary.errors).toBe(0);
    expect(runCli(['lint', '-f', warnOnly]).code).toBe(0);
    expect(runCli(['lint', '-f', warnOnly, '--fail-on', 'warning']).code).toBe(1);
    expect(runCli(['lint', '-f', good, '--fail-on', 'warning']).code).toBe(0);
    expect(runCli(['lint', '-f', bad, '--fail-on', 'never']).code).toBe(0);
  });
});

describe('--ignore', () => {
  it('drops the ignored check (comma-separated or repeated)', () => {
    const j = JSON.parse(
      runCli([
        'lint',
        '-f',
        bad,
        '-f',
        warnOnly,
        '-o',
        'json',
        '--ignore',
        'nad-config-invalid-json,nad-cniversion-missing',
      ]).stdout,
    );
    expect(
      j.findings.filter((f: { id: string }) => f.id === 'nad-config-invalid-json' || f.id === 'nad-cniversion-missing'),
    ).toEqual([]);
    const r = runCli(['lint', '-f', bad, '--ignore', 'nad-config-invalid-json', '--ignore', 'nad-cniversion-missing']);
    expect(r.stdout).not.toContain('nad-config-invalid-json');
  });

  it('refuses an unknown id with exit 3 and names it', () => {
    const r = runCli(['lint', '-f', good, '--ignore', 'nad-config-invalid-jsn']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('nad-config-invalid-jsn');
    expect(r.stdout).toBe('');
  });
});

describe('colour', () => {
  const args = ['lint', '-f', bad];
  it('none when piped, with NO_COLOR or with --no-color', () => {
    expect(runCli(args).stdout).not.toMatch(ESC);
    expect(runCli(args, { env: { NO_COLOR: '1' } }).stdout).not.toMatch(ESC);
    expect(runCli([...args, '--no-color'], { env: { FORCE_COLOR: '1' } }).stdout).not.toMatch(ESC);
    expect(runCli(args, { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toMatch(ESC);
  });

  it('FORCE_COLOR=1 colours the table, never machine output', () => {
    expect(runCli(args, { env: { FORCE_COLOR: '1' } }).stdout).toMatch(ESC);
    for (const o of ['json', 'yaml', 'sarif'])
      expect(runCli([...args, '-o', o], { env: { FORCE_COLOR: '1' } }).stdout).not.toMatch(ESC);
  });
});

describe('explain', () => {
  it('prints the check page', () => {
    const r = runCli(['explain', 'nad-config-invalid-json']);
    expect(r.code).toBe(0);
    const page = readFileSync(join(ROOT, 'docs', 'checks', 'nad-config-invalid-json.md'), 'utf8');
    expect(r.stdout).toContain(page.split('\n')[0]!);
    expect(r.stdout.length).toBeGreaterThan(page.length / 2);
  });

  it('an unknown id exits 3 with a suggestion', () => {
    const r = runCli(['explain', 'nad-config-invalid-jsn']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('did you mean "nad-config-invalid-json"');
    expect(r.stdout).toBe('');
  });
});

describe('check --snapshot with a bad snapshot', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['not JSON', '{"apiVersion": ', /not valid JSON/],
    ['wrong apiVersion', JSON.stringify({ apiVersion: 'v9', kind: 'Snapshot' }), /unsupported apiVersion "v9"/],
    [
      'a missing field',
      JSON.stringify({
        apiVersion: 'kubectl-multus.io/v1alpha1',
        kind: 'Snapshot',
        source: 'cluster',
        cluster: { distribution: 'k3s' },
        nads: [],
        workloads: [],
        errors: [],
        nodes: [{ name: 'a' }],
      }),
      /snapshot\.nodes\[0\]\.labels is required/,
    ],
    [
      'a wrong type',
      JSON.stringify({
        apiVersion: 'kubectl-multus.io/v1alpha1',
        kind: 'Snapshot',
        source: 'cluster',
        cluster: { distribution: 'k3s' },
        nads: {},
        workloads: [],
        errors: [],
      }),
      /snapshot\.nads must be a list/,
    ],
  ];
  it.each(cases)('%s: one clear line, exit 2, no stack trace', (_name, text, re) => {
    const p = write(`snap-${_name.replace(/\W/g, '-')}.json`, text);
    const r = runCli(['check', '--snapshot', p]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(re);
    expect(lines[0]).toContain(p);
  });

  it('a missing snapshot file: one line, exit 2', () => {
    const r = runCli(['check', '--snapshot', join(tmp, 'nope.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('nope.json');
  });
});

describe('suppression', () => {
  it('the kubectl-multus.io/ignore annotation silences that check on that object only', () => {
    const both = write(
      'both.yaml',
      nadYaml('quiet', BAD_CONFIG, { 'kubectl-multus.io/ignore': 'nad-config-invalid-json' }) +
        '---\n' +
        nadYaml('loud', BAD_CONFIG),
    );
    const j = JSON.parse(runCli(['lint', '-f', both, '-o', 'json']).stdout);
    const names = j.findings
      .filter((f: { id: string }) => f.id === 'nad-config-invalid-json')
      .map((f: { subject: { name: string } }) => f.subject.name);
    expect(names).toEqual(['loud']);
  });

  it('.kubectl-multus.yaml in the working directory: ignore list, per-object ignores and failOn', () => {
    const dir = mkdtempSync(join(tmp, 'cfg-'));
    const file = join(dir, 'nads.yaml');
    writeFileSync(file, nadYaml('a', BAD_CONFIG) + '---\n' + nadYaml('b', BAD_CONFIG));
    const lint = () => runCli(['lint', '-f', file, '-o', 'json'], { cwd: dir });
    const names = (out: string) =>
      JSON.parse(out)
        .findings.filter((f: { id: string }) => f.id === 'nad-config-invalid-json')
        .map((f: { subject: { name: string } }) => f.subject.name);

    expect(names(lint().stdout)).toEqual(['a', 'b']);

    writeFileSync(
      join(dir, '.kubectl-multus.yaml'),
      'objects:\n  - {kind: NetworkAttachmentDefinition, namespace: lan, name: a, ignore: [nad-config-invalid-json]}\n',
    );
    expect(names(lint().stdout)).toEqual(['b']);

    writeFileSync(join(dir, '.kubectl-multus.yaml'), 'ignore: [nad-config-invalid-json]\n');
    const r = lint();
    expect(names(r.stdout)).toEqual([]);

    writeFileSync(join(dir, '.kubectl-multus.yaml'), 'failOn: never\n');
    expect(lint().code).toBe(0);

    writeFileSync(join(dir, '.kubectl-multus.yaml'), 'ignore: [no-such-check]\n');
    const u = lint();
    expect(u.code).toBe(3);
    expect(u.stderr).toContain('no-such-check');
  });

  it('--config names the file explicitly', () => {
    const cfg = write('team.yaml', 'ignore: [nad-config-invalid-json]\n');
    const j = JSON.parse(runCli(['lint', '-f', bad, '-o', 'json', '--config', cfg]).stdout);
    expect(j.findings.filter((f: { id: string }) => f.id === 'nad-config-invalid-json')).toEqual([]);
  });
});

describe('explain --list', () => {
  it('has a FIXABLE column that agrees with the fixable list of -o json', () => {
    const json = JSON.parse(runCli(['explain', '--list', '-o', 'json']).stdout) as Array<{
      id: string;
      fixable: string[];
    }>;
    const lines = runCli(['explain', '--list']).stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+SEVERITY\s+SCOPE\s+FIXABLE\s+TITLE$/);
    const column = new Map(lines.slice(1).map((l) => [l.split(/\s+/)[0], l.split(/\s+/)[3]]));
    for (const c of json) {
      expect(Array.isArray(c.fixable), c.id).toBe(true);
      expect(column.get(c.id), c.id).toBe(c.fixable.length ? c.fixable.join(',') : '-');
    }
  });
});
