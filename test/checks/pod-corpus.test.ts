/**
 * No false errors on real manifests: lint the corpus (NADs, pod annotations and the lab's
 * objects) with the pod, flannel and nad-default-route checks; no error may land on a file that
 * corpus/INDEX.tsv does not mark BROKEN.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifests/load.js';
import { runChecks } from '../../src/engine.js';
import { podChecks } from '../../src/checks/pod/index.js';
import { flannelChecks } from '../../src/checks/flannel/index.js';
import { nadDefaultRoute } from '../../src/checks/nad/nad-default-route.js';
import { SHARED } from '../helpers/cli.js';

const CORPUS = join(SHARED, 'corpus');
const broken = new Set(
  readFileSync(join(CORPUS, 'INDEX.tsv'), 'utf8')
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((c) => (c[5] ?? '').startsWith('BROKEN'))
    .map((c) => c[0]!),
);

describe('pod and routing checks on the real-world corpus', () => {
  const dirs = ['nads', 'pod-annotations', 'lab'].map((d) => join(CORPUS, d));
  const { snapshot } = loadManifests(dirs, false, () => '');
  const { findings } = runChecks(snapshot, {
    scopes: ['objects'],
    checks: [...podChecks, ...flannelChecks, nadDefaultRoute],
  });
  const fileOf = (f: (typeof findings)[number]) => relative(CORPUS, f.evidence.find((e) => e.path)?.path ?? '');

  it('loads workloads with networks annotations', () => {
    expect(
      snapshot.workloads.filter((w) => w.podAnnotations['k8s.v1.cni.cncf.io/networks'] !== undefined).length,
    ).toBeGreaterThanOrEqual(30);
  });

  it('raises no error on a file that is not marked BROKEN', () => {
    const wrong = findings
      .filter((f) => f.severity === 'error' && !broken.has(fileOf(f)))
      .map((f) => `${fileOf(f)}: ${f.id}: ${f.message}`);
    expect(wrong).toEqual([]);
  });

  it('still catches the broken lab Deployment (annotation on the wrong metadata)', () => {
    expect(
      findings.some(
        (f) => f.id === 'workload-annotation-misplaced' && fileOf(f) === 'lab/annotation-misplaced__deployment.json',
      ),
    ).toBe(true);
  });

  it('flags the "gateway" key of multus\'s old macvlan example as ignored', () => {
    expect(
      findings.some(
        (f) =>
          f.id === 'pod-selection-unknown-key' &&
          fileOf(f) === 'nads/k8snetworkplumbingwg__multus-cni__macvlan-pod.yml',
      ),
    ).toBe(true);
  });
});
