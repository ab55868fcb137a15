import { describe, expect, it } from 'vitest';
import { nadTypeMissing } from '../../src/checks/nad/nad-type-missing.js';
import { manifests, nad, run } from '../helpers/snapshot.js';

describe('nad-type-missing', () => {
  it('fires on a single-plugin config without "type"', () => {
    const fs = run(nadTypeMissing, manifests({ nads: [nad('lan', { cniVersion: '0.3.1', master: 'eth1' })] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
  });

  it('fires on a conflist plugin without "type" and points at that plugin', () => {
    const cfg =
      '{\n  "cniVersion": "0.3.1",\n  "name": "x",\n  "plugins": [\n    {"type": "macvlan"},\n    {"capabilities": {"mac": true}}\n  ]\n}';
    const fs = run(nadTypeMissing, manifests({ nads: [nad('lan', cfg)] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('plugins[1]');
    expect(fs[0]!.evidence[0]).toMatchObject({ line: 6 });
  });

  it('fires on an empty plugins list', () => {
    expect(run(nadTypeMissing, manifests({ nads: [nad('x', { cniVersion: '0.3.1', plugins: [] })] }))).toHaveLength(1);
  });

  it('accepts "Type" (Go matches keys case-insensitively) and a complete conflist', () => {
    const ok = [
      nad('a', { cniVersion: '0.3.1', Type: 'macvlan' }),
      nad('b', { cniVersion: '0.3.1', plugins: [{ type: 'macvlan' }, { type: 'tuning' }] }),
    ];
    expect(run(nadTypeMissing, manifests({ nads: ok }))).toEqual([]);
  });

  it('does not pile on a config that is not valid JSON', () => {
    expect(run(nadTypeMissing, manifests({ nads: [nad('bad', '{"cniVersion": "0.3.1",}')] }))).toEqual([]);
  });
});
