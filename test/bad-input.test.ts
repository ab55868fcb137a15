/**
 * `lint` on input that is not what it expects: each bad input gives one clear message naming the
 * file, the rest is still linted, and the exit code is 2 when some input could not be processed.
 * Big and binary files are generated here at test time, never committed.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'km-bad-input-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Report {
  findings: Array<{
    id: string;
    severity: string;
    subject: { name: string };
    message: string;
    evidence: Array<{ path?: string; line?: number }>;
  }>;
  errors: Array<{ collector: string; message: string; resource?: string }>;
}

const BROKEN_NAD = `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: still-linted
  namespace: lan
spec:
  config: '{"cniVersion": "0.3.1", "type": "macvlan" "master": "eth1"}'
`;

function write(rel: string, content: string | Buffer): string {
  const p = join(tmp, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, content);
  return p;
}

const control = write('control.yaml', BROKEN_NAD);

function lint(...files: string[]): { code: number; report: Report; stderr: string } {
  const r = runCli(['lint', '-o', 'json', ...files.flatMap((f) => ['-f', f])]);
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

/** The control file's finding is there: one bad input did not stop the rest. */
function restLinted(rep: Report): boolean {
  return rep.findings.some((f) => f.id === 'nad-config-invalid-json' && f.subject.name === 'still-linted');
}

describe('lint with bad input', () => {
  it('a path that does not exist', () => {
    const missing = join(tmp, 'nope', 'nads.yaml');
    const { code, report, stderr } = lint(missing, control);
    expect(code).toBe(2);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]!.message).toBe(`${missing}: no such file or directory`);
    expect(restLinted(report)).toBe(true);
    expect(stderr).toBe('');
  });

  it.skipIf(process.getuid?.() === 0)('a file it may not read', () => {
    const locked = write('locked.yaml', BROKEN_NAD);
    chmodSync(locked, 0o000);
    const { code, report } = lint(locked, control);
    expect(code).toBe(2);
    expect(report.errors[0]!.message).toBe(`${locked}: permission denied`);
    expect(restLinted(report)).toBe(true);
  });

  it('a directory of mixed files: only manifests are read, the rest is ignored silently', () => {
    const dir = join(tmp, 'mixed');
    write('mixed/nad.yaml', BROKEN_NAD);
    write('mixed/README.md', '# notes\n\nkind: NetworkAttachmentDefinition\n');
    write('mixed/commands.txt', 'kubectl apply -f nad.yaml\n');
    write('mixed/00-multus.conf', '{"cniVersion": "0.3.1", "type": "multus"}\n');
    write('mixed/daemon-config.json', '{"chrootDir": "/hostroot", "cniVersion": "0.3.1"}\n');
    write('mixed/configmap.yml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n');
    write('mixed/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]));
    write('mixed/sub/deep.yaml', BROKEN_NAD.replace('still-linted', 'deep'));
    const { code, report } = lint(dir);
    expect(report.errors).toEqual([]);
    expect(restLinted(report)).toBe(true);
    const names = report.findings.map((f) => f.subject.name);
    expect(names).not.toContain('deep');
    expect(code).toBe(1);
    const recursive = runCli(['lint', '-o', 'json', '-R', '-f', dir]);
    expect((JSON.parse(recursive.stdout) as Report).findings.map((f) => f.subject.name)).toContain('deep');
  });

  it('a binary file', () => {
    const bin = write(
      'image.yaml',
      Buffer.concat([Buffer.from('apiVersion: v1\n'), Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0])]),
    );
    const { code, report } = lint(bin, control);
    expect(code).toBe(2);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]!.message).toContain(bin);
    expect(report.errors[0]!.message).toContain('binary');
    expect(restLinted(report)).toBe(true);
  });

  it('invalid YAML names the file and the line; the documents before it are still linted', () => {
    const text = BROKEN_NAD.replace('still-linted', 'first-doc') + '---\nkind: Pod\nmetadata:\n  name: [unclosed\n';
    const bad = write('invalid.yaml', text);
    const { code, report } = lint(bad, control);
    expect(code).toBe(2);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]!.message).toMatch(
      new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid YAML at line \\d+`),
    );
    expect(report.findings.map((f) => f.subject.name)).toContain('first-doc');
    expect(restLinted(report)).toBe(true);
  });

  it('a file over the 64 MiB limit is refused by size, naming the file', () => {
    const big = write('big.yaml', BROKEN_NAD);
    // sparse: the size is all that is looked at before reading
    truncateSync(big, 65 * 1024 * 1024);
    const { code, report } = lint(big, control);
    expect(code).toBe(2);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]!.message).toContain(big);
    expect(report.errors[0]!.message).toMatch(/65\.0 MiB.*64 MiB limit/);
    expect(restLinted(report)).toBe(true);
  });

  it('a NAD whose spec.config is a YAML map is an error at its line, not a crash', () => {
    const map = write(
      'map.yaml',
      'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: as-map\nspec:\n  config:\n    cniVersion: 0.3.1\n    type: macvlan\n',
    );
    const { code, report } = lint(map, control);
    const f = report.findings.find((x) => x.subject.name === 'as-map' && x.id === 'nad-config-invalid-json');
    expect(f?.severity).toBe('error');
    expect(f?.message).toContain('YAML map');
    expect(f?.evidence[0]).toMatchObject({ path: map, line: 7 });
    expect(report.errors).toEqual([]);
    expect(restLinted(report)).toBe(true);
    expect(code).toBe(1);
  });

  it('an empty directory is an input error (nothing was linted)', () => {
    mkdirSync(join(tmp, 'empty'));
    const { code, report } = lint(join(tmp, 'empty'));
    expect(code).toBe(2);
    expect(report.errors[0]!.message).toContain(join(tmp, 'empty'));
  });

  it('a file named twice (directly and through its directory) is linted once', () => {
    const dir = join(tmp, 'twice');
    const file = write('twice/nad.yaml', BROKEN_NAD);
    const { report } = lint(dir, file, join(dir, '.', 'nad.yaml'));
    expect(report.findings.filter((f) => f.id === 'nad-config-invalid-json')).toHaveLength(1);
  });

  it('terminal escapes in names from files are neutralised in the table', () => {
    const evil = write('evil.yaml', BROKEN_NAD.replace('name: still-linted', 'name: "evil\\e[2J\\e[31m"'));
    const r = runCli(['lint', '-f', evil], { env: { FORCE_COLOR: '1' } });
    expect(r.stdout).toContain('\\x1b[2J');
    expect(r.stdout).not.toContain('\u001b[2J');
  });

  it('YAML that kubectl accepts (a quoted config whose lines sit at the key column) is read, with positions in the file', () => {
    const text = [
      'apiVersion: k8s.cni.cncf.io/v1',
      'kind: NetworkAttachmentDefinition',
      'metadata:',
      '  name: flush',
      'spec:',
      "  config: '{",
      '  "cniVersion": "0.3.1",',
      '  "type": "macvlan"',
      '  "master": "eth1"',
      "  }'",
      '',
    ].join('\n');
    const flush = write('flush.yaml', text);
    const { code, report } = lint(flush);
    expect(report.errors).toEqual([]);
    const f = report.findings.find((x) => x.id === 'nad-config-invalid-json');
    expect(f?.evidence[0]).toMatchObject({ path: flush, line: 9, column: 3 });
    expect(code).toBe(1);
  });
});
