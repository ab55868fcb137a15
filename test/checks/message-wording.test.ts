/**
 * Messages are read by people: no doubled word ("whereabouts whereabouts has no range"), and no
 * value rendered from a JavaScript prototype ("function Object() { [native code] }") when a NAD
 * names a type, field or interface like an Object.prototype member. Runs every check over the
 * example snapshots, the example NADs, and fixtures written to reach many message templates.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/engine.js';
import { parseSnapshotText } from '../../src/snapshot/validate.js';
import { loadManifests } from '../../src/manifests/load.js';
import type { Finding } from '../../src/checks/types.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { ROOT } from '../helpers/cli.js';
import { dir, inspection, manifests, multus, nad, node, pod, snapshot, workload } from '../helpers/snapshot.js';

/** A word repeated with only a space between ("the the"); numbers and hex pieces are not words here. */
const DOUBLED = /\b([A-Za-z][\w-]*) \1\b/i;
/** Genuine repetitions, e.g. a name that equals a word next to it would go here (none needed yet). */
const ALLOWED: RegExp[] = [];

function texts(f: Finding): string[] {
  return [f.message, f.fix ?? '', ...(f.evidence ?? []).map((e) => `${e.label ?? ''} ${e.value ?? ''}`)];
}

function problems(fs: Finding[]): string[] {
  const out: string[] = [];
  for (const f of fs) {
    for (const t of texts(f)) {
      if (t.includes('[native code]') || t.includes('[object Object]')) out.push(`${f.id}: prototype value: ${t}`);
    }
    const m = DOUBLED.exec(f.message);
    if (m && !ALLOWED.some((r) => r.test(f.message))) out.push(`${f.id}: doubled "${m[1]}": ${f.message}`);
  }
  return out;
}

const proto = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];

/** NADs that reach the IPAM, plugin and field messages, including Object.prototype names everywhere a name can be. */
function fixtureNads() {
  const nads = [
    nad('wa-norange', { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1', ipam: { type: 'whereabouts' } }),
    nad('hl-nosubnet', { cniVersion: '0.3.1', type: 'bridge', bridge: 'br0', ipam: { type: 'host-local' } }),
    nad('st-noaddr', { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1', ipam: { type: 'static' } }),
    nad('no-config', undefined),
  ];
  for (const p of proto) {
    nads.push(nad(`type-${p.toLowerCase().replace(/_/g, 'x')}`, { cniVersion: '0.3.1', type: p, master: p, ipam: { type: p } }));
    nads.push(nad(`ipam-${p.toLowerCase().replace(/_/g, 'x')}`, { cniVersion: '0.3.1', type: 'macvlan', master: p, mode: p, [p]: 1, ipam: { type: p, [p]: 1 } }));
    nads.push(nad(`cni-${p.toLowerCase().replace(/_/g, 'x')}`, { cniVersion: p, type: 'ipvlan', master: 'eth1', mode: p, ipam: { type: 'host-local', subnet: '10.9.0.0/24' } }));
  }
  return nads;
}

function fixtureWorkloads() {
  const names = fixtureNads().map((n) => n.name);
  return [
    pod('uses-all', names.map((name) => ({ name, mac: '02:00:00:00:00:01', ips: ['10.9.0.5/24'] }))),
    workload('Deployment', 'web', [{ name: 'wa-norange', ips: ['10.9.0.6/24'] }, { name: 'constructor' }], { replicas: 2 }),
    pod('weird', [{ name: 'toString', interface: 'constructor', constructor: 'x' }]),
  ];
}

function clusterFixture(): Snapshot {
  const s = snapshot({
    cluster: { distribution: 'k3s' },
    nads: fixtureNads(),
    workloads: fixtureWorkloads(),
    multus: [multus()],
    nodes: [node('n1', { inspection: inspection({ dirs: { '/etc/cni/net.d': dir([]), '/opt/cni/bin': dir(['constructor', 'toString']) } }) })],
    events: [],
  });
  return s;
}

const cases: Array<[string, () => Snapshot]> = [
  ['lint fixtures', () => manifests({ nads: fixtureNads(), workloads: fixtureWorkloads() })],
  ['cluster fixtures', clusterFixture],
  ...readdirSync(join(ROOT, 'examples', 'snapshots'))
    .filter((f) => f.endsWith('.json'))
    .map((f): [string, () => Snapshot] => [`examples/snapshots/${f}`, () => parseSnapshotText(readFileSync(join(ROOT, 'examples', 'snapshots', f), 'utf8'))]),
  ['examples/nads', () => loadManifests([join(ROOT, 'examples', 'nads')], true, () => '').snapshot],
];

describe('message wording', () => {
  it.each(cases)('%s: no doubled words, no prototype values', (_name, make) => {
    const { findings, errors } = runChecks(make());
    expect(errors.filter((e) => e.collector.startsWith('check/'))).toEqual([]);
    expect(findings.length).toBeGreaterThan(0);
    expect(problems(findings)).toEqual([]);
  });
});
