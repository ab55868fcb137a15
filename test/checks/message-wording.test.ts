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

/** Text outside backtick code spans and indented command/patch lines. */
function prose(t: string): string {
  return t
    .replace(/`[^`]*`/g, ' ')
    .split('\n')
    .filter((l) => !/^\s{2,}/.test(l))
    .join('\n');
}

function problems(fs: Finding[]): string[] {
  const out: string[] = [];
  for (const f of fs) {
    for (const t of texts(f)) {
      if (t.includes('[native code]') || t.includes('[object Object]')) out.push(`${f.id}: prototype value: ${t}`);
    }
    // Commands in backticks may repeat a word (`helm upgrade cilium cilium/cilium`); prose may not.
    for (const t of [f.message, f.fix ?? ''].map(prose)) {
      const m = DOUBLED.exec(t);
      if (m && !ALLOWED.some((r) => r.test(t))) out.push(`${f.id}: doubled "${m[1]}": ${t}`);
    }
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
    nads.push(
      nad(`type-${p.toLowerCase().replace(/_/g, 'x')}`, { cniVersion: '0.3.1', type: p, master: p, ipam: { type: p } }),
    );
    nads.push(
      nad(`ipam-${p.toLowerCase().replace(/_/g, 'x')}`, {
        cniVersion: '0.3.1',
        type: 'macvlan',
        master: p,
        mode: p,
        [p]: 1,
        ipam: { type: p, [p]: 1 },
      }),
    );
    nads.push(
      nad(`cni-${p.toLowerCase().replace(/_/g, 'x')}`, {
        cniVersion: p,
        type: 'ipvlan',
        master: 'eth1',
        mode: p,
        ipam: { type: 'host-local', subnet: '10.9.0.0/24' },
      }),
    );
  }
  return nads;
}

function fixtureWorkloads() {
  const names = fixtureNads().map((n) => n.name);
  return [
    pod(
      'uses-all',
      names.map((name) => ({ name, mac: '02:00:00:00:00:01', ips: ['10.9.0.5/24'] })),
      { nodeName: 'n1', phase: 'Running' },
    ),
    pod(
      'also-all',
      names.map((name) => ({ name, ips: ['10.9.0.5/24'] })),
      {
        nodeName: 'n2',
        phase: 'Pending',
        waitingReason: 'ContainerCreating',
        owner: { kind: 'StatefulSet', name: 'constructor' },
      },
    ),
    pod(
      'also-all-2',
      names.map((name) => ({ name, ips: ['10.9.0.5/24'] })),
      { nodeName: 'n2', phase: 'Running', owner: { kind: 'StatefulSet', name: 'constructor' } },
    ),
    workload('Deployment', 'web', [{ name: 'wa-norange', ips: ['10.9.0.6/24'] }, { name: 'constructor' }], {
      replicas: 2,
    }),
    pod('weird', [{ name: 'toString', interface: 'constructor', constructor: 'x' }]),
  ];
}

function clusterFixture(): Snapshot {
  const s = snapshot({
    cluster: { distribution: 'k3s' },
    nads: fixtureNads(),
    workloads: fixtureWorkloads(),
    multus: [
      multus({
        status: { desired: 2, ready: 0 },
        pods: [
          {
            name: 'm-1',
            node: 'n1',
            phase: 'Pending',
            ready: false,
            containers: [{ name: 'kube-multus', state: 'waiting', reason: 'ContainerCreating' }],
            events: [
              {
                involvedObject: { kind: 'Pod', name: 'm-1' },
                reason: 'FailedMount',
                type: 'Warning',
                count: 3,
                message:
                  'MountVolume.SetUp failed for volume "cni" : hostPath type check failed: /etc/cni/net.d is not a directory',
              },
            ],
          },
          {
            name: 'm-2',
            node: 'n2',
            phase: 'Pending',
            ready: false,
            containers: [{ name: 'kube-multus', state: 'waiting', reason: 'ImagePullBackOff' }],
            events: [
              {
                involvedObject: { kind: 'Pod', name: 'm-2' },
                reason: 'Failed',
                type: 'Warning',
                message: 'Failed to pull image "constructor": rpc error: code = NotFound desc = not found',
              },
            ],
          },
        ],
      }),
    ],
    nodes: [
      node('n1', {
        inspection: inspection({
          dirs: {
            '/etc/cni/net.d': dir([]),
            '/opt/cni/bin': dir(['constructor', 'toString']),
            '/etc/cni/multus/net.d': dir([]),
          },
        }),
      }),
      node('n2'),
    ],
    events: [],
  });
  return s;
}

const cases: Array<[string, () => Snapshot]> = [
  ['lint fixtures', () => manifests({ nads: fixtureNads(), workloads: fixtureWorkloads() })],
  ['cluster fixtures', clusterFixture],
  ...readdirSync(join(ROOT, 'examples', 'snapshots'))
    .filter((f) => f.endsWith('.json'))
    .map((f): [string, () => Snapshot] => [
      `examples/snapshots/${f}`,
      () => parseSnapshotText(readFileSync(join(ROOT, 'examples', 'snapshots', f), 'utf8')),
    ]),
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
