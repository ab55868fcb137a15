import { describe, expect, it } from 'vitest';
import { nadModeInvalid } from '../../src/checks/nad/nad-mode-invalid.js';
import { manifests, nad, run } from '../helpers/snapshot.js';

const mv = (name: string, type: string, mode: unknown) =>
  nad(name, { cniVersion: '0.3.1', type, master: 'eth1', mode });

describe('nad-mode-invalid', () => {
  it('fires on a capitalised mode (the plugin compares exactly) and suggests the lower-case one', () => {
    const fs = run(nadModeInvalid, manifests({ nads: [mv('x', 'macvlan', 'Bridge')] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('unknown macvlan mode: "Bridge"');
    expect(fs[0]!.fix).toContain('"mode": "bridge"');
  });

  it('fires on the kernel-only macvlan mode "source" and an unknown ipvlan mode', () => {
    const fs = run(nadModeInvalid, manifests({ nads: [mv('a', 'macvlan', 'source'), mv('b', 'ipvlan', 'l4')] }));
    expect(fs.map((f) => f.subject.name)).toEqual(['a', 'b']);
  });

  it('accepts every valid mode, an empty mode, and modes of other plugins', () => {
    const ok = [
      ...['bridge', 'private', 'vepa', 'passthru', ''].map((m, i) => mv(`m${i}`, 'macvlan', m)),
      ...['l2', 'l3', 'l3s'].map((m, i) => mv(`i${i}`, 'ipvlan', m)),
      mv('s', 'sriov', 'whatever'),
    ];
    expect(run(nadModeInvalid, manifests({ nads: ok }))).toEqual([]);
  });
});
