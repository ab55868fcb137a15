import { describe, expect, it } from 'vitest';
import { podNetworksAnnotationInvalid } from '../../src/checks/pod/pod-networks-annotation-invalid.js';
import { manifests, pod, run, workload } from '../helpers/snapshot.js';

const check = podNetworksAnnotationInvalid;

describe('pod-networks-annotation-invalid', () => {
  it('fires on JSON written with single quotes and says so', () => {
    const fs = run(check, manifests({ workloads: [pod('p', "[{'name': 'lan'}]")] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.fix).toContain('double quotes');
  });

  it('fires on a bare object, a string "ips" and a bad short form', () => {
    const fs = run(
      check,
      manifests({
        workloads: [
          pod('obj', '{"name": "lan"}'),
          pod('ips', '[{"name": "lan", "ips": "10.1.1.1/24"}]'),
          workload('Deployment', 'short', 'Lan_Net@net1'),
          pod('slashes', 'a/b/c'),
        ],
      }),
    );
    expect(fs.map((f) => f.subject.name).sort()).toEqual(['ips', 'obj', 'short', 'slashes']);
    expect(fs.find((f) => f.subject.name === 'obj')!.fix).toContain('wrap the object in [ ]');
    expect(fs.find((f) => f.subject.name === 'ips')!.fix).toContain('"ips" is a list');
  });

  it('points at the annotation in the file', () => {
    const w = pod('p', '[{"name": "lan",}]', { networksOrigin: { file: 'pod.yaml', line: 6, column: 34 } });
    const f = run(check, manifests({ workloads: [w] }))[0]!;
    expect(f.evidence[0]).toMatchObject({ path: 'pod.yaml', line: 6 });
  });

  it('accepts both valid forms, unknown keys and unrendered values', () => {
    const fs = run(
      check,
      manifests({
        workloads: [
          pod('short', 'default/macvlan-conf@eth1, other'),
          pod('json', '[{"name": "lan", "interface": "net1", "gateway": ["10.0.0.1"]}]'),
          pod('tmpl', '${NETWORKS}'),
          pod('none', undefined),
        ],
      }),
    );
    expect(fs).toEqual([]);
  });
});
