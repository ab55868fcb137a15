/**
 * REST behaviour a client notices: authentication, discovery, pagination, selectors, patches,
 * dry-run, preconditions and Status bodies (reason, code and message as kube-apiserver sends).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS, startFakeCluster, type FakeCluster } from './index.js';
import { api } from './testkit.js';

describe('REST API', () => {
  let fc: FakeCluster;
  let k3s: FakeCluster;
  let limited: FakeCluster;

  beforeAll(async () => {
    [fc, k3s, limited] = await Promise.all([
      startFakeCluster(join(SCENARIOS, 'kubeadm-healthy-thin.yaml')),
      startFakeCluster(join(SCENARIOS, 'k3s-upstream-thin.yaml')),
      startFakeCluster(join(SCENARIOS, 'distroless-forbidden.yaml')),
    ]);
  });
  afterAll(async () => {
    await Promise.all([fc?.close(), k3s?.close(), limited?.close()]);
  });

  describe('authentication', () => {
    it('rejects a request without credentials with 401 Unauthorized', async () => {
      const r = await api(fc, 'GET', '/api/v1/nodes', { auth: 'none' });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    });

    it('accepts the token and the client certificate, and serves /version to anyone', async () => {
      expect((await api(fc, 'GET', '/api/v1/nodes', { auth: 'token' })).status).toBe(200);
      expect((await api(fc, 'GET', '/api/v1/nodes', { auth: 'cert' })).status).toBe(200);
      const v = await api(k3s, 'GET', '/version', { auth: 'none' });
      expect(v.json).toMatchObject({ major: '1', minor: '31', gitVersion: 'v1.31.4+k3s1' });
    });
  });

  describe('discovery', () => {
    it('lists the NAD group only when its CRD exists, and a created CRD appears at once', async () => {
      const groups = (await api(fc, 'GET', '/apis')).json.groups.map((g: { name: string }) => g.name);
      expect(groups).toContain('k8s.cni.cncf.io');
      expect(groups).not.toContain('whereabouts.cni.cncf.io');
      const crd = await api(fc, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
        body: {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: 'ippools.whereabouts.cni.cncf.io' },
          spec: {
            group: 'whereabouts.cni.cncf.io',
            scope: 'Namespaced',
            names: { kind: 'IPPool', plural: 'ippools', singular: 'ippool' },
            versions: [{ name: 'v1alpha1', served: true, storage: true }],
          },
        },
      });
      expect(crd.status).toBe(201);
      const list = await api(fc, 'GET', '/apis/whereabouts.cni.cncf.io/v1alpha1');
      expect(list.json.resources[0]).toMatchObject({ name: 'ippools', kind: 'IPPool', namespaced: true });
      expect((await api(fc, 'GET', '/apis/whereabouts.cni.cncf.io/v1alpha1/ippools')).json).toMatchObject({
        kind: 'IPPoolList',
        items: [],
      });
    });

    it('serves servicecidrs from 1.33 on, not before', async () => {
      const v133 = await startFakeCluster({
        name: 'v133',
        cluster: { version: 'v1.33.1', serviceCIDR: '10.96.0.0/16' },
      });
      try {
        const r = await api(v133, 'GET', '/apis/networking.k8s.io/v1/servicecidrs');
        expect(r.json.items.map((i: { spec: unknown }) => i.spec)).toEqual([{ cidrs: ['10.96.0.0/16'] }]);
      } finally {
        await v133.close();
      }
      expect((await api(fc, 'GET', '/apis/networking.k8s.io/v1/servicecidrs')).status).toBe(404);
    });
  });

  describe('list', () => {
    it('pages with limit/continue, reports remainingItemCount, and loses nothing', async () => {
      const seen: string[] = [];
      let cont = '';
      let pages = 0;
      const remaining: number[] = [];
      do {
        const r = await api(fc, 'GET', `/api/v1/pods?limit=3${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
        expect(r.json.kind).toBe('PodList');
        seen.push(
          ...r.json.items.map(
            (p: { metadata: { namespace: string; name: string } }) => `${p.metadata.namespace}/${p.metadata.name}`,
          ),
        );
        cont = r.json.metadata.continue ?? '';
        if (r.json.metadata.remainingItemCount !== undefined) remaining.push(r.json.metadata.remainingItemCount);
        pages++;
      } while (cont);
      expect(pages).toBe(3);
      expect(remaining).toEqual([4, 1]);
      expect(seen).toEqual([...seen].sort());
      expect(new Set(seen).size).toBe(7);
    });

    it('filters by label selector (=, !=, in, notin, exists, !exists)', async () => {
      const names = async (sel: string): Promise<string[]> =>
        (await api(fc, 'GET', `/api/v1/pods?labelSelector=${encodeURIComponent(sel)}`)).json.items
          .map((p: { metadata: { name: string } }) => p.metadata.name)
          .sort();
      expect(await names('name=multus')).toEqual([
        'kube-multus-ds-7xk2p',
        'kube-multus-ds-b9qzl',
        'kube-multus-ds-hn4wd',
      ]);
      expect((await names('app in (flannel, multus),tier=node')).length).toBe(6);
      expect(await names('app notin (flannel,multus)')).toEqual(['net-demo']);
      expect(await names('!tier')).toEqual(['net-demo']);
      expect((await names('tier,name!=multus')).length).toBe(3);
    });

    it('filters by field selector on spec.nodeName and involvedObject.uid', async () => {
      const onWorker1 = await api(fc, 'GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dworker-1');
      expect(onWorker1.json.items.map((p: { metadata: { name: string } }) => p.metadata.name).sort()).toEqual([
        'kube-flannel-ds-8fswf',
        'kube-multus-ds-b9qzl',
        'net-demo',
      ]);
      const pod = (await api(fc, 'GET', '/api/v1/namespaces/default/pods/net-demo')).json;
      const ev = await api(
        fc,
        'GET',
        `/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent(`involvedObject.uid=${pod.metadata.uid},reason=AddedInterface`)}`,
      );
      expect(ev.json.items.map((e: { message: string }) => e.message)).toEqual([
        'Add eth0 [10.244.1.5/24] from cbr0',
        'Add net1 [192.168.77.100/24] from default/macvlan-lan',
      ]);
      const byName = await api(
        fc,
        'GET',
        '/api/v1/events?fieldSelector=involvedObject.kind%3DPod,involvedObject.name%3Dnet-demo',
      );
      expect(byName.json.items).toHaveLength(2);
    });

    it('rejects an unsupported field label like the apiserver', async () => {
      const r = await api(fc, 'GET', '/api/v1/pods?fieldSelector=spec.foo%3Dbar');
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ reason: 'BadRequest', code: 400, message: 'field label not supported: spec.foo' });
      const cr = await api(
        fc,
        'GET',
        '/apis/k8s.cni.cncf.io/v1/network-attachment-definitions?fieldSelector=spec.config%3Dx',
      );
      expect(cr.json.message).toBe(
        '"spec.config" is not a known field selector: only "metadata.name", "metadata.namespace"',
      );
    });

    it('answers kubectl-style Table requests', async () => {
      const r = await api(fc, 'GET', '/api/v1/namespaces/kube-system/pods?labelSelector=name%3Dmultus', {
        accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
      });
      expect(r.headers['content-type']).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
      expect(r.json.columnDefinitions.map((c: { name: string }) => c.name).slice(0, 5)).toEqual([
        'Name',
        'Ready',
        'Status',
        'Restarts',
        'Age',
      ]);
      expect(r.json.rows[0].cells.slice(0, 4)).toEqual(['kube-multus-ds-7xk2p', '1/1', 'Running', '0']);
      const crash = await api(k3s, 'GET', '/api/v1/namespaces/kube-system/pods/kube-multus-ds-jcndw', {
        accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      });
      expect(crash.json.rows[0].cells[1]).toBe('0/1');
      expect(crash.json.rows[0].cells[2]).toBe('CrashLoopBackOff');
      expect(crash.json.rows[0].cells[3]).toMatch(/^3 \(\d+\S* ago\)$/);
    });
  });

  describe('Status errors', () => {
    it('NotFound names the resource and object', async () => {
      const r = await api(fc, 'GET', '/apis/apps/v1/namespaces/kube-system/daemonsets/nope');
      expect(r.status).toBe(404);
      expect(r.json).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'daemonsets.apps "nope" not found',
        reason: 'NotFound',
        details: { name: 'nope', group: 'apps', kind: 'daemonsets' },
        code: 404,
      });
      expect((await api(fc, 'GET', '/api/v1/namespaces/default/pods/x')).json.message).toBe('pods "x" not found');
      expect((await api(fc, 'GET', '/apis/nope.example.com/v1/things')).json).toMatchObject({
        reason: 'NotFound',
        message: 'the server could not find the requested resource',
      });
    });

    it('Forbidden: scenario RBAC for a get, a 403 fault for a list', async () => {
      const get = await api(limited, 'GET', '/api/v1/namespaces/default/secrets/s', { user: 'viewer', auth: 'token' });
      expect(get.status).toBe(403);
      expect(get.json).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'secrets "s" is forbidden: User "viewer" cannot get resource "secrets" in API group "" in the namespace "default"',
        reason: 'Forbidden',
        details: { name: 's', kind: 'secrets' },
        code: 403,
      });
      const list = await api(limited, 'GET', '/apis/apps/v1/daemonsets', { user: 'viewer', auth: 'token' });
      expect(list.status).toBe(200);
      const nodesWatch = await api(limited, 'GET', '/api/v1/namespaces/kube-system/pods', {
        user: 'viewer',
        auth: 'token',
      });
      expect(nodesWatch.json.message).toBe(
        'pods is forbidden: User "viewer" cannot list resource "pods" in API group "" in the namespace "kube-system"',
      );
      const cluster = await api(limited, 'POST', '/api/v1/namespaces', {
        user: 'viewer',
        auth: 'token',
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } },
      });
      expect(cluster.json.message).toBe(
        'namespaces is forbidden: User "viewer" cannot create resource "namespaces" in API group "" at the cluster scope',
      );
    });

    it('an injected 500 fails once, then the request succeeds', async () => {
      const first = await api(limited, 'GET', '/api/v1/events');
      expect(first.status).toBe(500);
      expect(first.json).toMatchObject({ reason: 'InternalError', message: 'etcdserver: request timed out' });
      expect((await api(limited, 'GET', '/api/v1/events')).status).toBe(200);
    });

    it('Invalid for a ClusterIP outside the service range names the range (dry-run too)', async () => {
      const r = await api(k3s, 'POST', '/api/v1/namespaces/default/services?dryRun=All', {
        body: {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'cidr-probe' },
          spec: { clusterIP: '1.1.1.1', ports: [{ port: 80 }] },
        },
      });
      expect(r.status).toBe(422);
      expect(r.json).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'Service "cidr-probe" is invalid: spec.clusterIPs: Invalid value: []string{"1.1.1.1"}: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.43.0.0/16',
        reason: 'Invalid',
        details: {
          name: 'cidr-probe',
          kind: 'Service',
          causes: [
            {
              reason: 'FieldValueInvalid',
              message:
                'Invalid value: []string{"1.1.1.1"}: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.43.0.0/16',
              field: 'spec.clusterIPs',
            },
          ],
        },
        code: 422,
      });
    });
  });

  describe('writes', () => {
    const nad = (name: string): object => ({
      apiVersion: 'k8s.cni.cncf.io/v1',
      kind: 'NetworkAttachmentDefinition',
      metadata: { name },
      spec: { config: '{"cniVersion":"0.3.1","type":"macvlan","master":"eth1","ipam":{"type":"dhcp"}}' },
    });
    const NADS = '/apis/k8s.cni.cncf.io/v1/namespaces/default/network-attachment-definitions';

    it('dry-run create returns the object but stores nothing; a real create stores it', async () => {
      const dry = await api(fc, 'POST', `${NADS}?dryRun=All`, { body: nad('dry') });
      expect(dry.status).toBe(201);
      expect(dry.json.metadata).toMatchObject({ name: 'dry', namespace: 'default' });
      expect((await api(fc, 'GET', `${NADS}/dry`)).status).toBe(404);
      const real = await api(fc, 'POST', NADS, { body: nad('real') });
      expect(real.status).toBe(201);
      expect((await api(fc, 'GET', `${NADS}/real`)).json.metadata.uid).toBe(real.json.metadata.uid);
      const again = await api(fc, 'POST', NADS, { body: nad('real') });
      expect(again.status).toBe(409);
      expect(again.json).toMatchObject({
        reason: 'AlreadyExists',
        message: 'network-attachment-definitions.k8s.cni.cncf.io "real" already exists',
      });
    });

    it('rejects a NAD whose spec.config is not a string, as the CRD schema does', async () => {
      const r = await api(fc, 'POST', NADS, { body: { ...nad('obj'), spec: { config: { type: 'macvlan' } } } });
      expect(r.status).toBe(422);
      expect(r.json.message).toBe(
        'NetworkAttachmentDefinition.k8s.cni.cncf.io "obj" is invalid: spec.config: Invalid value: "object": spec.config in body must be of type string: "object"',
      );
    });

    it('strategic merge patch adds a pod-template annotation and merges containers by name', async () => {
      const path = '/apis/apps/v1/namespaces/kube-system/daemonsets/kube-multus-ds';
      const before = (await api(fc, 'GET', path)).json;
      const r = await api(fc, 'PATCH', path, {
        contentType: 'application/strategic-merge-patch+json',
        body: {
          spec: {
            template: {
              metadata: { annotations: { 'k8s.v1.cni.cncf.io/networks': 'macvlan-lan' } },
              spec: { containers: [{ name: 'kube-multus', resources: { limits: { memory: '256Mi' } } }] },
            },
          },
        },
      });
      expect(r.status).toBe(200);
      const c = r.json.spec.template.spec.containers;
      expect(c).toHaveLength(1);
      expect(c[0].image).toBe('ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.4');
      expect(c[0].resources.limits).toEqual({ cpu: '100m', memory: '256Mi' });
      expect(r.json.spec.template.metadata.annotations).toEqual({ 'k8s.v1.cni.cncf.io/networks': 'macvlan-lan' });
      expect(r.json.metadata.generation).toBe(before.metadata.generation + 1);
      expect(Number(r.json.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
    });

    it('merge patch and json patch; a CR refuses strategic merge patch with 415', async () => {
      const path = '/api/v1/namespaces/default/pods/net-demo';
      const m = await api(fc, 'PATCH', path, {
        contentType: 'application/merge-patch+json',
        body: { metadata: { labels: { a: 'b' } } },
      });
      expect(m.json.metadata.labels).toEqual({ a: 'b' });
      const j = await api(fc, 'PATCH', path, {
        contentType: 'application/json-patch+json',
        body: [
          { op: 'add', path: '/metadata/labels/c', value: 'd' },
          { op: 'remove', path: '/metadata/labels/a' },
        ],
      });
      expect(j.json.metadata.labels).toEqual({ c: 'd' });
      const bad = await api(fc, 'PATCH', path, {
        contentType: 'application/json-patch+json',
        body: [{ op: 'replace', path: '/metadata/nope/x', value: 1 }],
      });
      expect(bad.status).toBe(422);
      const smp = await api(fc, 'PATCH', `${NADS}/macvlan-lan`, {
        contentType: 'application/strategic-merge-patch+json',
        body: { metadata: { labels: { x: 'y' } } },
      });
      expect(smp.status).toBe(415);
      expect(smp.json.message).toBe(
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      );
    });

    it('409 Conflict on a stale resourceVersion, for PUT and for a patch that carries it', async () => {
      const path = '/api/v1/namespaces/kube-system/configmaps/multus-cni-config';
      const cm = (await api(fc, 'GET', path)).json;
      const ok = await api(fc, 'PUT', path, { body: { ...cm, data: { ...cm.data, extra: '1' } } });
      expect(ok.status).toBe(200);
      const stale = await api(fc, 'PUT', path, { body: { ...cm, data: { extra: '2' } } });
      expect(stale.status).toBe(409);
      expect(stale.json).toMatchObject({
        reason: 'Conflict',
        code: 409,
        message:
          'Operation cannot be fulfilled on configmaps "multus-cni-config": the object has been modified; please apply your changes to the latest version and try again',
        details: { name: 'multus-cni-config', kind: 'configmaps' },
      });
      const p = await api(fc, 'PATCH', path, {
        contentType: 'application/merge-patch+json',
        body: { metadata: { resourceVersion: cm.metadata.resourceVersion }, data: { extra: '3' } },
      });
      expect(p.status).toBe(409);
      expect((await api(fc, 'GET', path)).json.data.extra).toBe('1');
    });

    it('conflictOnce fault: the first update of the named object is refused, the retry works', async () => {
      const once = await startFakeCluster({
        name: 'conflict-once',
        nodes: { n1: {} },
        faults: { conflictOnce: [{ resource: 'deployments', namespace: 'default', name: 'app' }] },
        objects: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'app', namespace: 'default' },
            spec: {
              selector: { matchLabels: { a: 'b' } },
              template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
            },
          },
        ],
      });
      try {
        const patch = {
          contentType: 'application/strategic-merge-patch+json',
          body: { spec: { template: { metadata: { annotations: { 'k8s.v1.cni.cncf.io/networks': 'lan' } } } } },
        };
        const first = await api(once, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/app', patch);
        expect(first.status).toBe(409);
        expect(first.json.message).toBe(
          'Operation cannot be fulfilled on deployments.apps "app": the object has been modified; please apply your changes to the latest version and try again',
        );
        const second = await api(once, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/app', patch);
        expect(second.status).toBe(200);
        expect(second.json.spec.template.metadata.annotations).toEqual({ 'k8s.v1.cni.cncf.io/networks': 'lan' });
      } finally {
        await once.close();
      }
    });

    it('created pods are scheduled and run; deleting a DaemonSet removes its pods', async () => {
      const created = await api(fc, 'POST', '/api/v1/namespaces/default/pods', {
        body: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { generateName: 'probe-' },
          spec: { containers: [{ name: 'c', image: 'busybox' }] },
        },
      });
      expect(created.status).toBe(201);
      expect(created.json.metadata.name).toMatch(/^probe-[a-z0-9]{5}$/);
      const got = (await api(fc, 'GET', `/api/v1/namespaces/default/pods/${created.json.metadata.name}`)).json;
      expect(got.spec.nodeName).toBe('cp-1');
      expect(got.status.phase).toBe('Running');
      const del = await api(fc, 'DELETE', '/apis/apps/v1/namespaces/kube-flannel/daemonsets/kube-flannel-ds');
      expect(del.status).toBe(200);
      expect((await api(fc, 'GET', '/api/v1/namespaces/kube-flannel/pods')).json.items).toEqual([]);
    });

    it('deletecollection by label selector', async () => {
      for (const n of ['a', 'b']) {
        await api(fc, 'POST', '/api/v1/namespaces/default/configmaps', {
          body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `tmp-${n}`, labels: { run: 'x1' } } },
        });
      }
      const r = await api(fc, 'DELETE', '/api/v1/namespaces/default/configmaps?labelSelector=run%3Dx1');
      expect(r.json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['tmp-a', 'tmp-b']);
      expect((await api(fc, 'GET', '/api/v1/namespaces/default/configmaps?labelSelector=run%3Dx1')).json.items).toEqual(
        [],
      );
    });
  });

  describe('pod logs', () => {
    const LOG = '/api/v1/namespaces/kube-system/pods/kube-multus-ds-jcndw/log';
    it('tailLines and previous', async () => {
      expect((await api(k3s, 'GET', `${LOG}?container=kube-multus&tailLines=1`)).text).toBe(
        'kubeconfig file is created.\n',
      );
      expect((await api(k3s, 'GET', `${LOG}?container=kube-multus&previous=true&tailLines=2`)).text).toBe(
        'kubeconfig is created in /host/etc/cni/net.d/multus.d/multus.kubeconfig\nkubeconfig file is created.\n',
      );
    });
    it('unknown container and missing previous instance are 400s with the apiserver wording', async () => {
      const bad = await api(k3s, 'GET', `${LOG}?container=nope`);
      expect(bad.json).toMatchObject({
        code: 400,
        message: 'container nope is not valid for pod kube-multus-ds-jcndw',
      });
      const prev = await api(k3s, 'GET', `${LOG}?container=install-multus-binary&previous=true`);
      expect(prev.json.message).toBe(
        'previous terminated container "install-multus-binary" in pod "kube-multus-ds-jcndw" not found',
      );
    });
  });

  describe('access reviews', () => {
    it('SelfSubjectAccessReview and SubjectAccessReview answer from the scenario RBAC and faults', async () => {
      const review = async (spec: object, self = true): Promise<boolean> =>
        (
          await api(
            limited,
            'POST',
            `/apis/authorization.k8s.io/v1/${self ? 'selfsubjectaccessreviews' : 'subjectaccessreviews'}`,
            {
              user: self ? 'viewer' : 'admin',
              auth: 'token',
              body: {
                apiVersion: 'authorization.k8s.io/v1',
                kind: self ? 'SelfSubjectAccessReview' : 'SubjectAccessReview',
                spec,
              },
            },
          )
        ).json.status.allowed;
      expect(await review({ resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'default' } })).toBe(true);
      expect(await review({ resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'kube-system' } })).toBe(
        false,
      );
      expect(
        await review({
          resourceAttributes: { verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'kube-system' },
        }),
      ).toBe(false);
      expect(
        await review(
          {
            user: 'viewer',
            resourceAttributes: {
              verb: 'get',
              resource: 'network-attachment-definitions',
              group: 'k8s.cni.cncf.io',
              namespace: 'x',
            },
          },
          false,
        ),
      ).toBe(true);
      expect(
        await review(
          { user: 'admin', groups: ['system:masters'], resourceAttributes: { verb: 'delete', resource: 'nodes' } },
          false,
        ),
      ).toBe(true);
    });
  });

  it('counts requests by verb and resource', async () => {
    const c = await startFakeCluster({ name: 'count', nodes: { n1: {} } });
    try {
      await api(c, 'GET', '/api/v1/nodes');
      await api(c, 'GET', '/api/v1/nodes/n1');
      await api(c, 'GET', '/api/v1/namespaces/default/pods');
      const s = (await api(c, 'GET', '/__fake/stats')).json;
      expect(s.byVerb).toEqual({ list: 2, get: 1, discovery: 1 });
      expect(s.byResource).toEqual({ 'list nodes': 1, 'get nodes': 1, 'list pods': 1 });
      expect(c.stats().requests).toBe(4);
    } finally {
      await c.close();
    }
  });
});
