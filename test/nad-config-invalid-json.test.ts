import { describe, expect, it } from 'vitest';
import { nadConfigInvalidJson } from '../src/checks/nad/nad-config-invalid-json.js';
import { manifests, nad, run } from './helpers/snapshot.js';

describe('nad-config-invalid-json', () => {
  it('fires on a missing comma and points at it', () => {
    const cfg = '{\n  "cniVersion": "0.3.1",\n  "type": "macvlan"\n  "master": "eth1"\n}';
    const fs = run(nadConfigInvalidJson, manifests({ nads: [nad('lan', cfg)] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain("expected ','");
    expect(fs[0]!.evidence[0]).toMatchObject({ line: 4, column: 3 });
  });

  it('treats comments and trailing commas as errors (CNI reads strict JSON)', () => {
    const fs = run(
      nadConfigInvalidJson,
      manifests({
        nads: [nad('lan', '{"cniVersion":"0.3.1","type":"macvlan",}'), nad('c', '{// hi\n"type":"bridge"}')],
      }),
    );
    expect(fs.map((f) => f.subject.name).sort()).toEqual(['c', 'lan']);
  });

  it('fires on an empty config and on a YAML map', () => {
    const fs = run(
      nadConfigInvalidJson,
      manifests({ nads: [nad('empty', ''), { name: 'map', namespace: 'x', configNotString: 'map' }] }),
    );
    expect(fs).toHaveLength(2);
    expect(fs.find((f) => f.subject.name === 'map')!.message).toContain('YAML map');
  });

  it('does not fire on valid JSON', () => {
    expect(
      run(
        nadConfigInvalidJson,
        manifests({ nads: [nad('ok', { cniVersion: '0.3.1', type: 'macvlan', master: 'eth1' })] }),
      ),
    ).toEqual([]);
  });
});
