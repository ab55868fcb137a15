import { describe, expect, it } from 'vitest';
import { workloadAnnotationMisplaced } from '../../src/checks/pod/workload-annotation-misplaced.js';
import { manifests, pod, run, snapshot, workload } from '../helpers/snapshot.js';
import { labJson } from './lab.js';
import { itCorpus } from '../helpers/corpus.js';

const check = workloadAnnotationMisplaced;
const NET = 'k8s.v1.cni.cncf.io/networks';

describe('workload-annotation-misplaced', () => {
  itCorpus('fires on the lab Deployment that carries the annotation on its own metadata', () => {
    const d = labJson('annotation-misplaced__deployment.json');
    const w = workload('Deployment', d.metadata.name, undefined, {
      annotations: d.metadata.annotations,
      podAnnotations: d.spec.template.metadata.annotations ?? {},
      replicas: d.spec.replicas,
    });
    const fs = run(check, snapshot({ workloads: [w] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.subject).toMatchObject({ kind: 'Deployment', name: 'lab-misplaced' });
    expect(fs[0]!.fix).toContain('spec.template.metadata.annotations');
    expect(fs[0]!.fix).toContain('"macvlan-lan"');
  });

  it('names the CronJob template path', () => {
    const w = workload('CronJob', 'job', undefined, { annotations: { [NET]: 'lan' } });
    expect(run(check, manifests({ workloads: [w] }))[0]!.fix).toContain(
      'spec.jobTemplate.spec.template.metadata.annotations',
    );
  });

  it('does not fire when the template has it, or for pods', () => {
    const ok = workload('StatefulSet', 'db', 'lan', { annotations: { [NET]: 'lan' } });
    const p = pod('p', 'lan', { annotations: { [NET]: 'lan' } });
    expect(run(check, manifests({ workloads: [ok, p, workload('Deployment', 'plain', 'lan')] }))).toEqual([]);
  });
});
