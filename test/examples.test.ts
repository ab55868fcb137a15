/**
 * The demo data users see first: every example snapshot is valid and, checked through the built
 * CLI, names the problem of its situation; the fixed cluster is clean; the example NADs lint
 * clean except the deliberately broken one.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSnapshotText } from '../src/snapshot/validate.js';
import { ROOT, runCli } from './helpers/cli.js';

interface JsonFinding {
  id: string;
  severity: 'error' | 'warning' | 'info';
  subject: { kind: string; name: string; namespace?: string; node?: string };
  message: string;
  evidence: Array<{ path?: string; line?: number; column?: number; value?: string; node?: string }>;
  fix: string;
}
interface JsonReport {
  apiVersion: string;
  findings: JsonFinding[];
  summary: { errors: number; warnings: number; infos: number };
  errors: Array<{ collector: string; message: string; resource?: string }>;
}

const SNAPSHOTS = join(ROOT, 'examples', 'snapshots');
const NADS = join(ROOT, 'examples', 'nads');

function checkSnapshot(file: string): { code: number; report: JsonReport; stderr: string } {
  const r = runCli(['check', '--snapshot', join('examples', 'snapshots', file), '-o', 'json']);
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

const errorIds = (rep: JsonReport) => new Set(rep.findings.filter((f) => f.severity === 'error').map((f) => f.id));
const text = (fs: JsonFinding[]) => JSON.stringify(fs);

/**
 * The findings (CHECKS.md ids, severity error) that explain each situation. An inner list means
 * "one of": CHECKS.md lets either check own that root cause (one finding per cause, not two).
 */
const EXPECTED_ERRORS: Record<string, Array<string | string[]>> = {
  'k3s-upstream-thin.json': [
    ['multus-conf-wrong-dir', 'multus-conf-missing'],
    'multus-pods-not-ready',
    'pod-network-status-missing',
  ],
  'flannel-service-cidr-dhcp.json': ['dhcp-daemon-missing'],
  'rke2-thick-on-k3s.json': [['cni-plugin-missing', 'multus-thick-config-mismatch']],
  'multus-402-nested-delegates.json': ['multus-conf-nested-delegates'],
  'cilium-exclusive.json': ['cilium-cni-exclusive', 'multus-conf-missing', 'pod-network-status-missing'],
};

describe('example snapshots', () => {
  const files = readdirSync(SNAPSHOTS).filter((f) => f.endsWith('.json'));

  it('has the six situations', () => {
    expect(files.sort()).toEqual([
      'cilium-exclusive.json',
      'flannel-service-cidr-dhcp.json',
      'k3s-fixed.json',
      'k3s-upstream-thin.json',
      'multus-402-nested-delegates.json',
      'rke2-thick-on-k3s.json',
    ]);
  });

  it.each(files)('%s is a valid snapshot that the CLI reads without collection errors', (file) => {
    expect(() => parseSnapshotText(readFileSync(join(SNAPSHOTS, file), 'utf8'))).not.toThrow();
    const { code, report, stderr } = checkSnapshot(file);
    expect(stderr).toBe('');
    expect(report.errors).toEqual([]);
    expect(code).not.toBe(2);
  });

  it.each(Object.entries(EXPECTED_ERRORS))('%s reports the errors that explain it', (file, ids) => {
    const { code, report } = checkSnapshot(file);
    const got = errorIds(report);
    const missing = ids
      .filter((id) => (Array.isArray(id) ? !id.some((x) => got.has(x)) : !got.has(id)))
      .map((id) => [id].flat().join(' or '));
    expect(missing, `missing in ${file}; got ${[...got].join(', ') || 'no errors'}`).toEqual([]);
    expect(code).toBe(1);
  });

  it('k3s-upstream-thin: the fix names the K3s conf dir and the thin entrypoint log is the evidence', () => {
    const { report } = checkSnapshot('k3s-upstream-thin.json');
    const wrongDir = report.findings.filter((f) => f.id === 'multus-conf-wrong-dir' || f.id === 'multus-conf-missing');
    expect(wrongDir.length).toBeGreaterThan(0);
    expect(text(wrongDir)).toContain('/var/lib/rancher/k3s/agent/etc/cni/net.d');
    const notReady = report.findings.filter((f) => f.id === 'multus-pods-not-ready');
    expect(text(notReady)).toContain('cannot find valid master CNI config');
  });

  it('k3s-fixed: the same cluster after the fix is clean (exit 0, no errors, no warnings)', () => {
    const { code, report } = checkSnapshot('k3s-fixed.json');
    const loud = report.findings.filter((f) => f.severity !== 'info').map((f) => `${f.severity} ${f.id}: ${f.message}`);
    expect(loud).toEqual([]);
    expect(report.summary.errors + report.summary.warnings).toBe(0);
    expect(code).toBe(0);
  });

  it('rke2-thick-on-k3s: the missing flannel is reported on the node that lacks it, not on the other', () => {
    const { report } = checkSnapshot('rke2-thick-on-k3s.json');
    const missing = report.findings.filter(
      (f) => f.severity === 'error' && (f.id === 'cni-plugin-missing' || f.id === 'multus-thick-config-mismatch'),
    );
    expect(missing.length).toBeGreaterThan(0);
    expect(text(missing)).toContain('flannel');
    expect(text(missing)).toContain('k3s-node-b');
    expect(text(missing)).not.toContain('k3s-node-a');
  });

  it('flannel-service-cidr-dhcp: flannel leaving out the services is flagged, with a Network that covers both', () => {
    // DHCP takes the default route only if the server hands out a router: a warning at least.
    const { report } = checkSnapshot('flannel-service-cidr-dhcp.json');
    const f = report.findings.filter((x) => x.id === 'flannel-network-excludes-service-cidr');
    expect(f.length).toBe(1);
    expect(['warning', 'error']).toContain(f[0]!.severity);
    expect(f[0]!.fix).toContain('10.42.0.0/15');
  });

  it('npm run demo prints the diagnosis as a table', () => {
    const r = runCli(['check', '--snapshot', 'examples/snapshots/k3s-upstream-thin.json']);
    expect(r.stdout).toContain('k3s-server-1');
    expect(r.stdout).toContain('multus-conf-wrong-dir');
    // eslint-disable-next-line no-control-regex -- the ANSI escape is what this test looks for
    expect(r.stdout).not.toMatch(/\u001b\[/);
    expect(r.code).toBe(1);
  });
});

describe('docs/snapshot.md', () => {
  it('its JSON examples are valid snapshots', () => {
    const md = readFileSync(join(ROOT, 'docs', 'snapshot.md'), 'utf8');
    const blocks = [...md.matchAll(/```json\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .filter((b) => b.includes('"kind": "Snapshot"'));
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const b of blocks) expect(() => parseSnapshotText(b)).not.toThrow();
  });
});

describe('example NADs', () => {
  const lint = (args: string[]) => {
    const r = runCli(['lint', ...args, '-o', 'json']);
    return { code: r.code, report: JSON.parse(r.stdout) as JsonReport };
  };
  const good = readdirSync(NADS).filter((f) => f.endsWith('.yaml') && !f.startsWith('broken'));

  it('has correct NADs of each kind and a Deployment using one', () => {
    const all = good.map((f) => readFileSync(join(NADS, f), 'utf8')).join('\n');
    for (const s of [
      '"type": "macvlan"',
      '"type": "host-local"',
      '"type": "dhcp"',
      '"mac": true',
      '"type": "ipvlan"',
      '"type": "whereabouts"',
      '"type": "bridge"',
      '"type": "static"',
      'kind: Deployment',
    ]) {
      expect(all).toContain(s);
    }
  });

  it.each(good)('%s lints clean', (file) => {
    const { code, report } = lint(['-f', join('examples', 'nads', file)]);
    const loud = report.findings.filter((f) => f.severity !== 'info').map((f) => `${f.severity} ${f.id}: ${f.message}`);
    expect(loud).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(code).toBe(0);
  });

  it('the Deployment finds its NAD when the directory is linted together', () => {
    const { code, report } = lint(['-f', 'examples/nads']);
    const outsideBroken = report.findings.filter(
      (f) => f.severity !== 'info' && !f.evidence.some((e) => e.path?.includes('broken-macvlan.yaml')),
    );
    expect(outsideBroken).toEqual([]);
    expect(code).toBe(1);
  });

  it('broken-macvlan.yaml: the missing comma is an error at its line, and the bad mode is caught', () => {
    const { code, report } = lint(['-f', 'examples/nads/broken-macvlan.yaml']);
    const json = report.findings.find((f) => f.id === 'nad-config-invalid-json');
    expect(json?.severity).toBe('error');
    expect(json?.subject.name).toBe('macvlan-typo');
    expect(json?.evidence[0]).toMatchObject({ path: 'examples/nads/broken-macvlan.yaml', line: 14 });
    const mode = report.findings.find((f) => f.id === 'nad-mode-invalid');
    expect(mode?.severity).toBe('error');
    expect(mode?.subject.name).toBe('macvlan-bad-mode');
    expect(code).toBe(1);
  });
});
