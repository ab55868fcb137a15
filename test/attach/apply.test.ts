import { describe, expect, it } from 'vitest';
import { runOperation, type Operation } from '../../src/attach/apply.js';
import { parseTarget, type Target } from '../../src/attach/kinds.js';
import { applyMergePatch } from '../../src/attach/merge-patch.js';
import { ClusterError } from '../../src/cluster/errors.js';
import type { KubeClient, KubeObject, ResourceRef } from '../../src/cluster/client.js';

const NETWORKS = 'k8s.v1.cni.cncf.io/networks';
const NAD = {
  apiVersion: 'k8s.cni.cncf.io/v1',
  kind: 'NetworkAttachmentDefinition',
  metadata: { name: 'lan', namespace: 'default' },
  spec: { config: '{"cniVersion":"0.3.1","type":"macvlan","master":"eth1","ipam":{"type":"dhcp"}}' },
};

/** An API server in a map: GET/LIST, and PATCH with resourceVersion preconditions and scripted interference. */
function fakeClient(
  o: {
    nadMissing?: 'object' | 'crd';
    interfere?: (obj: KubeObject, attempt: number) => KubeObject | 'conflict' | undefined;
  } = {},
) {
  let dep: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', resourceVersion: '10' },
    spec: { replicas: 1, template: { metadata: { annotations: { [NETWORKS]: 'other' } }, spec: {} } },
  };
  const patches: Array<{ body: any; query?: Record<string, unknown> }> = [];
  let attempt = 0;
  const client = {
    async get(r: ResourceRef) {
      if (r.resource === 'deployments') return structuredClone(dep);
      if (o.nadMissing === 'object')
        throw new ClusterError('not found', 'not-found', 404, undefined, 'x', {
          reason: 'NotFound',
          details: { name: r.name },
        });
      if (o.nadMissing === 'crd')
        throw new ClusterError('not found', 'not-found', 404, undefined, '404 page not found');
      return structuredClone(NAD);
    },
    async list() {
      return o.nadMissing ? [] : [structuredClone(NAD)];
    },
    async request(_m: string, _p: string, _t: unknown, ro: { body: any; query?: Record<string, unknown> }) {
      patches.push({ body: ro.body, query: ro.query });
      attempt++;
      const change = o.interfere?.(dep, attempt);
      if (change === 'conflict')
        throw new ClusterError('conflict', 'invalid', 409, undefined, 'modified', { reason: 'Conflict' });
      if (change) {
        dep = change;
        throw new ClusterError('conflict', 'invalid', 409, undefined, 'modified', { reason: 'Conflict' });
      }
      if (ro.body.metadata.resourceVersion !== dep.metadata!.resourceVersion)
        throw new ClusterError('conflict', 'invalid', 409, undefined, 'modified', { reason: 'Conflict' });
      const { resourceVersion: _rv, ...md } = ro.body.metadata;
      const next = applyMergePatch(dep, { ...ro.body, metadata: md }) as KubeObject;
      if (ro.query?.['dryRun'] === 'All') return next;
      dep = {
        ...next,
        metadata: { ...next.metadata, resourceVersion: String(Number(dep.metadata!.resourceVersion) + 1) },
      };
      return structuredClone(dep);
    },
  };
  return { client: client as unknown as KubeClient, patches, current: () => dep };
}

const target = parseTarget(['deploy/web']) as Target;
const op = (p: Partial<Operation> = {}): Operation => ({
  target,
  namespace: 'default',
  action: { verb: 'attach', req: { network: { name: 'lan' }, hostNetwork: 'false', overwrite: false, force: false } },
  dryRun: 'none',
  kubectlFlags: [],
  ...p,
});
const deps = (client: KubeClient) => ({ client, random: () => new Uint8Array(6), progress: () => undefined });

describe('writing with a resourceVersion precondition', () => {
  it('sends one merge patch carrying the resourceVersion it read', async () => {
    const f = fakeClient();
    const out = await runOperation(op(), deps(f.client));
    expect(out.status).toBe('patched');
    expect(f.patches).toHaveLength(1);
    expect(f.patches[0]!.body.metadata.resourceVersion).toBe('10');
    expect((f.current() as any).spec.template.metadata.annotations[NETWORKS]).toBe('[{"name":"other"},{"name":"lan"}]');
  });

  it("on 409 re-reads and re-plans from the fresh object: a concurrent writer's entry is kept", async () => {
    const f = fakeClient({
      interfere: (d, attempt) =>
        attempt === 1
          ? {
              ...d,
              metadata: { ...d.metadata, resourceVersion: '11' },
              spec: {
                ...(d as any).spec,
                template: { metadata: { annotations: { [NETWORKS]: 'other,third' } }, spec: {} },
              },
            }
          : undefined,
    });
    const out = await runOperation(op(), deps(f.client));
    expect(out.status === 'patched' && out.conflicts).toBe(1);
    expect(f.patches[1]!.body.metadata.resourceVersion).toBe('11');
    expect((f.current() as any).spec.template.metadata.annotations[NETWORKS]).toBe(
      '[{"name":"other"},{"name":"third"},{"name":"lan"}]',
    );
  });

  it('gives up after 5 conflicts in a row with a cluster error, having written nothing', async () => {
    const f = fakeClient({ interfere: () => 'conflict' });
    const err = await runOperation(op(), deps(f.client)).catch((e) => e);
    expect(err).toBeInstanceOf(ClusterError);
    expect(err.message).toContain('kept changing');
    expect(f.patches).toHaveLength(5);
    expect((f.current() as any).spec.template.metadata.annotations[NETWORKS]).toBe('other');
  });
});

describe('dry runs', () => {
  it('client: no request that writes', async () => {
    const f = fakeClient();
    const out = await runOperation(op({ dryRun: 'client' }), deps(f.client));
    expect(out.status).toBe('dry-run');
    expect(f.patches).toEqual([]);
  });

  it('server: the patch is sent with dryRun=All and nothing is stored', async () => {
    const f = fakeClient();
    const out = await runOperation(op({ dryRun: 'server' }), deps(f.client));
    expect(out.status).toBe('dry-run');
    expect(f.patches[0]!.query).toEqual({ dryRun: 'All' });
    expect(f.current().metadata!.resourceVersion).toBe('10');
  });
});

describe('reading the NAD', () => {
  it('a 404 naming the object: the NAD does not exist (pod-nad-not-found)', async () => {
    const out = await runOperation(op(), deps(fakeClient({ nadMissing: 'object' }).client));
    expect(out.status === 'refused' && out.result.refusals.map((r) => r.checkId)).toEqual(['pod-nad-not-found']);
  });

  it('a 404 for the path: the CRD is not served (nad-crd-missing)', async () => {
    const out = await runOperation(op(), deps(fakeClient({ nadMissing: 'crd' }).client));
    expect(out.status === 'refused' && out.result.refusals.map((r) => r.checkId)).toEqual(['nad-crd-missing']);
  });
});
