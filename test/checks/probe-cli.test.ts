/** The probe checks as a user meets them: `check --snapshot` on a snapshot that carries probe results (built CLI). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { healthyHostLocal, lab, labEvents, probe, probePod, probeSnapshot } from './probe-fixtures.js';
import { itCorpus } from '../helpers/corpus.js';

const tmp = mkdtempSync(join(tmpdir(), 'km-probe-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('probe findings through the CLI', () => {
  itCorpus('reports the pod without net1 and the pod that did not start, and nothing for the healthy pod', () => {
    const s = probeSnapshot(
      [
        probe('macvlan-lan', [
          probePod('probe-a', { ipOutput: lab('conf-not-first__ip-j-addr.json'), networkStatus: '' }),
          healthyHostLocal({ name: 'probe-b' }),
        ]),
        probe('lan-dhcp-nodaemon', [
          probePod('probe-c', { started: false, phase: 'Pending', events: labEvents('dhcp-no-daemon') }),
        ]),
      ],
      { cluster: { distribution: 'k3s' } },
    );
    const file = join(tmp, 'snap.json');
    writeFileSync(file, JSON.stringify(s));
    const r = runCli(['check', '--snapshot', file, '-o', 'json']);
    expect(r.stderr).not.toMatch(/not valid/);
    const out = JSON.parse(r.stdout) as {
      findings: Array<{ id: string; severity: string; subject: { name: string } }>;
    };
    const probeFindings = out.findings
      .filter((f) => f.id.startsWith('probe-'))
      .map((f) => `${f.id} ${f.subject.name} ${f.severity}`);
    expect(probeFindings.sort()).toEqual([
      'probe-interface-missing probe-a error',
      'probe-pod-not-started probe-c error',
    ]);
    expect(r.code).toBe(1);
  });

  it('explains every probe check', () => {
    for (const id of [
      'probe-pod-not-started',
      'probe-interface-missing',
      'probe-address-missing',
      'probe-address-out-of-range',
      'probe-mac-mismatch',
      'probe-status-mismatch',
      'probe-peer-unreachable',
    ]) {
      const r = runCli(['explain', id]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(id);
    }
    expect(runCli(['explain', 'probe-peer-unreachable']).stdout).toContain(
      'A host cannot reach its own macvlan children',
    );
  });
});
