import { describe, expect, it } from 'vitest';
import { planAttach, planDetach, HOST_NETWORK_MARKER } from '../../src/attach/plan.js';
import type { AttachRequest, PlanContext, PlanResult, Plan } from '../../src/attach/types.js';
import { kindByName } from '../../src/attach/kinds.js';
import type { KubeObject } from '../../src/cluster/client.js';
import type { WorkloadObject } from '../../src/snapshot/types.js';
import { nad, pod } from '../helpers/snapshot.js';

const NETWORKS = 'k8s.v1.cni.cncf.io/networks';
const STATUS = 'k8s.v1.cni.cncf.io/network-status';

const MACVLAN_MAC = nad('lan', {
  cniVersion: '0.3.1',
  type: 'macvlan',
  master: 'eth1',
  capabilities: { mac: true },
  ipam: { type: 'dhcp' },
});
const MACVLAN_PLAIN = nad('plain', {
  cniVersion: '0.3.1',
  type: 'macvlan',
  master: 'eth1',
  ipam: { type: 'host-local', subnet: '192.168.77.0/24', rangeStart: '192.168.77.100', rangeEnd: '192.168.77.150' },
});
const STATIC = nad('static', {
  cniVersion: '0.3.1',
  type: 'macvlan',
  master: 'eth1',
  capabilities: { mac: true, ips: true },
  ipam: { type: 'static' },
});
const IPVLAN = nad('ipv', {
  cniVersion: '0.3.1',
  type: 'ipvlan',
  master: 'eth1',
  ipam: { type: 'host-local', subnet: '192.168.78.0/24' },
});
const VENDOR = nad('vendor', { cniVersion: '0.3.1', type: 'vendor-cni', ipam: { type: 'dhcp' } });
const OTHER = nad('other', {
  cniVersion: '0.3.1',
  type: 'bridge',
  bridge: 'br0',
  ipam: { type: 'host-local', subnet: '10.9.0.0/24' },
});
const ALL_NADS = [MACVLAN_MAC, MACVLAN_PLAIN, STATIC, IPVLAN, VENDOR, OTHER];

function deployment(
  p: {
    name?: string;
    replicas?: number;
    annotations?: Record<string, string>;
    hostNetwork?: boolean;
    own?: Record<string, string>;
    strategy?: object;
    labels?: Record<string, string>;
  } = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: p.name ?? 'web',
      namespace: 'default',
      resourceVersion: '7',
      ...(p.own ? { annotations: p.own } : {}),
      ...(p.labels ? { labels: p.labels } : {}),
    },
    spec: {
      replicas: p.replicas ?? 1,
      ...(p.strategy ? { strategy: p.strategy } : {}),
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' }, ...(p.annotations ? { annotations: p.annotations } : {}) },
        spec: {
          ...(p.hostNetwork !== undefined ? { hostNetwork: p.hostNetwork } : {}),
          containers: [{ name: 'c', image: 'nginx' }],
        },
      },
    },
  };
}

function ctx(object: KubeObject, type = 'deploy', p: Partial<PlanContext> = {}): PlanContext {
  return {
    object,
    kind: kindByName(type)!,
    nads: ALL_NADS,
    neighbours: [],
    random: () => new Uint8Array([0xff, 0x13, 0x37, 0x42, 0x00, 0x01]),
    ...p,
  };
}

function req(p: Partial<AttachRequest> = {}): AttachRequest {
  return { network: { name: 'lan' }, hostNetwork: 'false', overwrite: false, force: false, ...p };
}

function ok(r: PlanResult): Plan {
  if (!r.ok) throw new Error(`refused: ${r.refusals.map((x) => `${x.checkId}: ${x.message}`).join('; ')}`);
  return r.plan;
}

function refused(r: PlanResult): Array<{ checkId: string; forceable?: boolean; fix: string; message: string }> {
  if (r.ok) throw new Error(`not refused: ${JSON.stringify(r.plan.patch)}`);
  return r.refusals;
}

const templateAnn = (o: KubeObject): Record<string, string> => (o as any).spec.template.metadata.annotations;
const parsed = (p: Plan) => JSON.parse(p.after!);

describe('merging into the networks annotation', () => {
  it('reads the short form and writes the JSON form, keeping other entries and other annotations', () => {
    const p = ok(
      planAttach(
        ctx(deployment({ annotations: { [NETWORKS]: 'other, infra/lan2@net7', 'prometheus.io/scrape': 'true' } })),
        req({ interface: 'lan0' }),
      ),
    );
    expect(parsed(p)).toEqual([
      { name: 'other' },
      { name: 'lan2', namespace: 'infra', interface: 'net7' },
      { name: 'lan', interface: 'lan0' },
    ]);
    expect(templateAnn(p.result)['prometheus.io/scrape']).toBe('true');
    expect(templateAnn(p.result)[NETWORKS]).toBe(p.after);
    expect(p.diff.map((d) => d.op)).toEqual(['-', '-', '+', '+', '+']);
  });

  it('reads the JSON form and keeps unknown and vendor keys of the other entries', () => {
    const before = JSON.stringify([
      { name: 'other', 'default-route': ['10.9.0.1'], 'example.com/x': 1, 'cni-args': { a: 'b' } },
    ]);
    const p = ok(planAttach(ctx(deployment({ annotations: { [NETWORKS]: before } })), req()));
    expect(parsed(p)).toEqual([
      { name: 'other', 'default-route': ['10.9.0.1'], 'example.com/x': 1, 'cni-args': { a: 'b' } },
      { name: 'lan' },
    ]);
    expect(p.diff).toEqual([
      { op: ' ', text: JSON.stringify(JSON.parse(before)[0]) },
      { op: '+', text: '{"name":"lan"}' },
    ]);
  });

  it('sends a merge patch of spec.template.metadata.annotations only (no other field of the object)', () => {
    const p = ok(planAttach(ctx(deployment()), req()));
    expect(p.patch).toEqual({ spec: { template: { metadata: { annotations: { [NETWORKS]: '[{"name":"lan"}]' } } } } });
    expect(p.annotationPath).toBe('spec.template.metadata.annotations');
  });

  it('writes the namespace only when the network was given with one', () => {
    expect(parsed(ok(planAttach(ctx(deployment()), req({ network: { namespace: 'default', name: 'lan' } }))))).toEqual([
      { name: 'lan', namespace: 'default' },
    ]);
  });

  it('puts a CronJob annotation on spec.jobTemplate.spec.template', () => {
    const cj: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'default' },
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [] } } } } },
    };
    const p = ok(planAttach(ctx(cj, 'cj'), req()));
    expect(p.patch).toEqual({
      spec: { jobTemplate: { spec: { template: { metadata: { annotations: { [NETWORKS]: '[{"name":"lan"}]' } } } } } },
    });
    expect(p.command).toContain('patch cronjob.batch/nightly');
    expect(p.rollout).toBe('next-run');
  });
});

describe('idempotence', () => {
  it('running the plan on its own result changes nothing and writes nothing', () => {
    for (const r of [
      req(),
      req({ mac: { mode: 'stable' } }),
      req({ mac: { mode: 'auto' } }),
      req({ network: { name: 'static' }, ips: ['192.168.9.5/24'], interface: 'lan0' }),
    ]) {
      const first = ok(planAttach(ctx(deployment({ annotations: { [NETWORKS]: 'other' }, hostNetwork: true })), r));
      const second = ok(planAttach(ctx(first.result), r));
      expect(second.noop).toBe(true);
      expect(second.patch).toBeUndefined();
      expect(second.command).toBeUndefined();
    }
  });

  it('does not rewrite a short-form annotation that already attaches the network', () => {
    const p = ok(planAttach(ctx(deployment({ annotations: { [NETWORKS]: 'other,lan@net2' } })), req()));
    expect(p.noop).toBe(true);
    expect(p.after).toBe('other,lan@net2');
  });

  it('treats an explicit namespace equal to the pod namespace as the same entry', () => {
    const p = ok(
      planAttach(
        ctx(
          deployment({
            annotations: { [NETWORKS]: '[{"name":"lan","namespace":"default","mac":"02:AA:bb:cc:dd:ee"}]' },
          }),
        ),
        req({ mac: { mode: 'explicit', value: '02-aa-bb-cc-dd-ee' } }),
      ),
    );
    expect(p.noop).toBe(true);
  });
});

describe('refusals', () => {
  it('pod-nad-not-found: the NAD is not in that namespace (with a "did you mean")', () => {
    const [r] = refused(planAttach(ctx(deployment()), req({ network: { name: 'lam' } })));
    expect(r!.checkId).toBe('pod-nad-not-found');
    expect(r!.message).toContain('"lan"');
    const [r2] = refused(planAttach(ctx(deployment()), req({ network: { namespace: 'infra', name: 'lan' } })));
    expect(r2!.checkId).toBe('pod-nad-not-found');
    expect(r2!.forceable).toBeFalsy();
  });

  it('nad-crd-missing: no NAD can exist', () => {
    expect(
      refused(planAttach(ctx(deployment(), 'deploy', { nads: [], nadCrdMissing: true }), req())).map((r) => r.checkId),
    ).toEqual(['nad-crd-missing']);
  });

  it('pod-mac-without-capability: ipvlan can never take a MAC, even with --force', () => {
    const rs = refused(
      planAttach(ctx(deployment()), req({ network: { name: 'ipv' }, mac: { mode: 'auto' }, force: true })),
    );
    expect(rs.map((r) => r.checkId)).toEqual(['pod-mac-without-capability']);
    expect(rs[0]!.forceable).toBe(false);
  });

  it('pod-mac-without-capability: a plugin not known to read the MAC is refused unless --force', () => {
    const rs = refused(planAttach(ctx(deployment()), req({ network: { name: 'vendor' }, mac: { mode: 'stable' } })));
    expect(rs.map((r) => [r.checkId, r.forceable])).toEqual([['pod-mac-without-capability', true]]);
    const p = ok(
      planAttach(ctx(deployment()), req({ network: { name: 'vendor' }, mac: { mode: 'stable' }, force: true })),
    );
    expect(p.notes.some((n) => n.id === 'pod-mac-without-capability' && n.message.includes('--force'))).toBe(true);
  });

  it('near miss: macvlan without the capability applies the MAC through MAC= (a warning, not a refusal)', () => {
    const p = ok(planAttach(ctx(deployment()), req({ network: { name: 'plain' }, mac: { mode: 'stable' } })));
    expect(p.notes.find((n) => n.id === 'pod-mac-without-capability')?.severity).toBe('warning');
  });

  it('pod-ips-without-capability: dhcp never honours a requested address', () => {
    const rs = refused(planAttach(ctx(deployment()), req({ ips: ['192.168.1.20/24'] })));
    expect(rs.map((r) => r.checkId)).toEqual(['pod-ips-without-capability']);
  });

  it('pod-ips-invalid: an address outside the host-local range', () => {
    const rs = refused(planAttach(ctx(deployment()), req({ network: { name: 'plain' }, ips: ['192.168.77.200/24'] })));
    expect(rs.map((r) => r.checkId)).toEqual(['pod-ips-invalid']);
    expect(rs[0]!.message).toContain('192.168.77.100-192.168.77.150');
    // near miss: inside the range is fine (legacy IP= path: a warning)
    const p = ok(planAttach(ctx(deployment()), req({ network: { name: 'plain' }, ips: ['192.168.77.120/24'] })));
    expect(p.notes.find((n) => n.id === 'pod-ips-without-capability')?.severity).toBe('warning');
  });

  it('pod-mac-duplicate: a fixed MAC on several replicas or a DaemonSet, unless --force', () => {
    const multi = deployment({ replicas: 3 });
    const rs = refused(planAttach(ctx(multi), req({ mac: { mode: 'stable' } })));
    expect(rs.map((r) => [r.checkId, r.forceable])).toEqual([['pod-mac-duplicate', true]]);
    const ds: KubeObject = {
      ...deployment(),
      kind: 'DaemonSet',
      apiVersion: 'apps/v1',
      metadata: { name: 'agent', namespace: 'default' },
    };
    expect(refused(planAttach(ctx(ds, 'ds'), req({ mac: { mode: 'auto' } }))).map((r) => r.checkId)).toEqual([
      'pod-mac-duplicate',
    ]);
    const forced = ok(planAttach(ctx(multi), req({ mac: { mode: 'stable' }, force: true })));
    expect(forced.notes.some((n) => n.id === 'pod-mac-duplicate')).toBe(true);
    // near miss: one replica is fine
    expect(
      ok(
        planAttach(ctx(deployment({ strategy: { type: 'Recreate' } })), req({ mac: { mode: 'stable' } })),
      ).notes.filter((n) => n.id === 'pod-mac-duplicate'),
    ).toEqual([]);
  });

  it('pod-ip-duplicate: a fixed IP on several replicas, and an IP another workload already asks for', () => {
    expect(
      refused(
        planAttach(ctx(deployment({ replicas: 2 })), req({ network: { name: 'static' }, ips: ['192.168.9.5/24'] })),
      ).map((r) => r.checkId),
    ).toEqual(['pod-ip-duplicate']);
    const neighbour: WorkloadObject = {
      kind: 'Deployment',
      name: 'db',
      namespace: 'default',
      replicas: 1,
      hostNetwork: false,
      podAnnotations: { [NETWORKS]: '[{"name":"static","ips":["192.168.9.5/24"]}]' },
    };
    const rs = refused(
      planAttach(
        ctx(deployment(), 'deploy', { neighbours: [neighbour] }),
        req({ network: { name: 'static' }, ips: ['192.168.9.5/24'] }),
      ),
    );
    expect(rs.map((r) => r.checkId)).toEqual(['pod-ip-duplicate']);
    expect(rs[0]!.message).toContain('Deployment default/db');
  });

  it('pod-interface-conflict: the interface name eth0 or one another attachment has', () => {
    expect(refused(planAttach(ctx(deployment()), req({ interface: 'eth0' }))).map((r) => r.checkId)).toEqual([
      'pod-interface-conflict',
    ]);
    expect(
      refused(planAttach(ctx(deployment({ annotations: { [NETWORKS]: 'other' } })), req({ interface: 'net1' }))).map(
        (r) => r.checkId,
      ),
    ).toEqual(['pod-interface-conflict']);
  });

  it('does not refuse for problems the workload already had with other entries', () => {
    const p = ok(
      planAttach(ctx(deployment({ annotations: { [NETWORKS]: '[{"name":"gone","namespace":"elsewhere"}]' } })), req()),
    );
    expect(parsed(p)).toEqual([{ name: 'gone', namespace: 'elsewhere' }, { name: 'lan' }]);
  });

  it('attach-entry-differs: a different MAC, interface or IP needs --overwrite, which keeps the rest', () => {
    const w = deployment({
      annotations: {
        [NETWORKS]:
          '[{"name":"static","interface":"lan0","mac":"02:00:00:00:00:01","ips":["192.168.9.5/24"],"example.com/k":"v"}]',
      },
    });
    const rs = refused(
      planAttach(
        ctx(w),
        req({ network: { name: 'static' }, mac: { mode: 'explicit', value: '02:00:00:00:00:02' }, interface: 'lan1' }),
      ),
    );
    expect(rs[0]!.checkId).toBe('attach-entry-differs');
    expect(rs[0]!.message).toContain('interface lan0 → lan1');
    expect(rs[0]!.message).toContain('mac 02:00:00:00:00:01 → 02:00:00:00:00:02');
    const p = ok(
      planAttach(
        ctx(w),
        req({
          network: { name: 'static' },
          mac: { mode: 'explicit', value: '02:00:00:00:00:02' },
          interface: 'lan1',
          overwrite: true,
        }),
      ),
    );
    expect(parsed(p)).toEqual([
      { name: 'static', interface: 'lan1', mac: '02:00:00:00:00:02', ips: ['192.168.9.5/24'], 'example.com/k': 'v' },
    ]);
    // adding a field the entry does not have is not a difference
    expect(
      parsed(
        ok(
          planAttach(
            ctx(deployment({ annotations: { [NETWORKS]: 'lan' } })),
            req({ mac: { mode: 'explicit', value: '02:00:00:00:00:03' } }),
          ),
        ),
      ),
    ).toEqual([{ name: 'lan', mac: '02:00:00:00:00:03' }]);
  });

  it('attach-entry-ambiguous: the network is attached twice and --interface does not say which', () => {
    const w = deployment({ annotations: { [NETWORKS]: 'lan@a1,lan@a2' } });
    expect(refused(planAttach(ctx(w), req({ mac: { mode: 'stable' } }))).map((r) => r.checkId)).toEqual([
      'attach-entry-ambiguous',
    ]);
    expect(
      parsed(ok(planAttach(ctx(w), req({ interface: 'a2', mac: { mode: 'explicit', value: '02:00:00:00:00:04' } })))),
    ).toEqual([
      { name: 'lan', interface: 'a1' },
      { name: 'lan', interface: 'a2', mac: '02:00:00:00:00:04' },
    ]);
  });

  it('pod-networks-annotation-invalid: an unparsable annotation is not merged with, unless --overwrite replaces it', () => {
    const w = deployment({ annotations: { [NETWORKS]: '[{"name": "lan",}]' } });
    expect(refused(planAttach(ctx(w), req())).map((r) => r.checkId)).toEqual(['pod-networks-annotation-invalid']);
    const p = ok(planAttach(ctx(w), req({ overwrite: true })));
    expect(parsed(p)).toEqual([{ name: 'lan' }]);
    expect(p.diff[0]).toEqual({ op: '-', text: '[{"name": "lan",}]' });
  });

  it('a NAD whose config cannot work is refused unless --force', () => {
    const broken = nad('broken', '{"cniVersion": "0.3.1", "type": "macvlan",');
    const rs = refused(
      planAttach(ctx(deployment(), 'deploy', { nads: [broken] }), req({ network: { name: 'broken' } })),
    );
    expect(rs.every((r) => r.forceable)).toBe(true);
    expect(rs.map((r) => r.checkId)).toContain('nad-config-invalid-json');
    expect(
      ok(planAttach(ctx(deployment(), 'deploy', { nads: [broken] }), req({ network: { name: 'broken' }, force: true })))
        .after,
    ).toBe('[{"name":"broken"}]');
  });
});

describe('objects whose template cannot usefully change', () => {
  const barePod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'bare', namespace: 'default', resourceVersion: '9', uid: 'u1' },
    spec: { containers: [{ name: 'c' }] },
    status: { phase: 'Running' },
  };

  it('attach-bare-pod: refused, with the command that recreates it', () => {
    const [r] = refused(planAttach(ctx(barePod, 'pod'), req({ mac: { mode: 'stable' } })));
    expect(r!.checkId).toBe('attach-bare-pod');
    expect(r!.message).toContain('only when a pod is created');
    expect(r!.fix).toContain(
      'kubectl multus attach pod/bare -n default --network lan --mac=stable --dry-run=client -o json | kubectl replace --force -f -',
    );
  });

  it('renders the recreated pod for that pipeline (no server-set fields)', () => {
    const p = ok(planAttach(ctx(barePod, 'pod'), req({ renderOnly: true })));
    expect((p.result.metadata as any).annotations[NETWORKS]).toBe('[{"name":"lan"}]');
    expect(p.result.metadata?.resourceVersion).toBeUndefined();
    expect(p.result.metadata?.uid).toBeUndefined();
    expect((p.result as any).status).toBeUndefined();
    expect(p.rollout).toBe('recreate-pod');
  });

  it('attach-owned-by-controller: a pod of a Deployment, a ReplicaSet of a Deployment, a Job of a CronJob', () => {
    const owned: KubeObject = {
      ...barePod,
      metadata: {
        name: 'web-5d8f7c9b6d-x7k2p',
        namespace: 'default',
        labels: { 'pod-template-hash': '5d8f7c9b6d' },
        ownerReferences: [{ kind: 'ReplicaSet', name: 'web-5d8f7c9b6d', controller: true }],
      },
    };
    const [r] = refused(planAttach(ctx(owned, 'pod'), req({ renderOnly: true })));
    expect(r!.checkId).toBe('attach-owned-by-controller');
    expect(r!.fix).toContain('kubectl multus attach deployment/web -n default --network lan');
    const rs: KubeObject = {
      ...deployment({ name: 'web-5d8f7c9b6d' }),
      kind: 'ReplicaSet',
      metadata: {
        name: 'web-5d8f7c9b6d',
        namespace: 'default',
        ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }],
      },
    };
    expect(refused(planAttach(ctx(rs, 'rs'), req()))[0]!.fix).toContain('attach deployment/web');
    const job: KubeObject = {
      ...deployment(),
      kind: 'Job',
      metadata: {
        name: 'nightly-29000',
        namespace: 'default',
        ownerReferences: [{ kind: 'CronJob', name: 'nightly', controller: true }],
      },
    };
    expect(refused(planAttach(ctx(job, 'job'), req()))[0]!.fix).toContain('attach cronjob/nightly');
  });

  it('attach-template-immutable: a started Job; a suspended, never started Job is fine', () => {
    const job = (spec: object, status?: object): KubeObject => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'once', namespace: 'default' },
      spec: { ...spec, template: { spec: { containers: [] } } },
      ...(status ? { status } : {}),
    });
    expect(refused(planAttach(ctx(job({}, { startTime: '2025-01-01T00:00:00Z' }), 'job'), req()))[0]!.checkId).toBe(
      'attach-template-immutable',
    );
    expect(
      refused(planAttach(ctx(job({ suspend: true }, { startTime: '2025-01-01T00:00:00Z' }), 'job'), req()))[0]!.checkId,
    ).toBe('attach-template-immutable');
    const p = ok(planAttach(ctx(job({ suspend: true }), 'job'), req()));
    expect(p.rollout).toBe('on-resume');
  });

  it('ReplicaSets do not replace their pods: said, with the command that does', () => {
    const rs: KubeObject = { ...deployment({ name: 'standalone' }), kind: 'ReplicaSet' };
    const p = ok(planAttach(ctx(rs, 'rs'), req()));
    expect(p.rollout).toBe('none');
    expect(p.notes.some((n) => n.message.includes('kubectl delete pod -n default -l app=web'))).toBe(true);
  });

  it('warns when Helm or an owner manages the object', () => {
    const p = ok(planAttach(ctx(deployment({ labels: { 'app.kubernetes.io/managed-by': 'Helm' } })), req()));
    expect(p.notes.some((n) => n.message.includes('managed by Helm'))).toBe(true);
  });
});

describe('MAC modes', () => {
  const macOf = (p: Plan) => parsed(p).find((e: { name: string }) => e.name === 'lan').mac as string;

  it('explicit: normalised to lowercase with colons', () => {
    expect(
      macOf(ok(planAttach(ctx(deployment()), req({ mac: { mode: 'explicit', value: '02-AB-cd-EF-00-11' } })))),
    ).toBe('02:ab:cd:ef:00:11');
  });

  it('stable: the same on every run, different per workload and per network, locally administered unicast', () => {
    const a = macOf(ok(planAttach(ctx(deployment()), req({ mac: { mode: 'stable' } }))));
    const again = macOf(
      ok(planAttach(ctx(deployment({ annotations: { 'x/y': 'z' } })), req({ mac: { mode: 'stable' } }))),
    );
    const other = macOf(ok(planAttach(ctx(deployment({ name: 'api' })), req({ mac: { mode: 'stable' } }))));
    expect(again).toBe(a);
    expect(other).not.toBe(a);
    expect(parseInt(a.slice(0, 2), 16) & 0b11).toBe(0b10);
  });

  it('auto: drawn from the random source with the locally administered bit set and the multicast bit cleared', () => {
    // 0xff would be a multicast, globally administered first octet
    expect(macOf(ok(planAttach(ctx(deployment()), req({ mac: { mode: 'auto' } }))))).toBe('fe:13:37:42:00:01');
  });

  it('auto: a re-run keeps the MAC a previous run drew; --overwrite draws a new one', () => {
    const w = deployment({ annotations: { [NETWORKS]: '[{"name":"lan","mac":"02:00:00:00:00:aa"}]' } });
    expect(ok(planAttach(ctx(w), req({ mac: { mode: 'auto' } }))).noop).toBe(true);
    expect(macOf(ok(planAttach(ctx(w), req({ mac: { mode: 'auto' }, overwrite: true }))))).toBe('fe:13:37:42:00:01');
  });

  it('keep: the MAC the running pod has on that network (network-status), as seed 001 reads it by hand', () => {
    const running = pod('web-5d8f7c9b6d-x7k2p', 'lan', {
      phase: 'Running',
      owner: { kind: 'Deployment', name: 'web' },
      podAnnotations: {
        [NETWORKS]: 'lan',
        [STATUS]: JSON.stringify([
          { name: 'cbr0', interface: 'eth0', ips: ['10.244.1.5'], mac: 'b2:97:b1:a8:93:c7', default: true },
          { name: 'default/lan', interface: 'net1', ips: ['192.168.77.100'], mac: '5E:8A:D8:38:88:30' },
        ]),
      },
    });
    const p = ok(
      planAttach(
        ctx(deployment({ annotations: { [NETWORKS]: 'lan' } }), 'deploy', { neighbours: [running] }),
        req({ mac: { mode: 'keep' } }),
      ),
    );
    expect(macOf(p)).toBe('5e:8a:d8:38:88:30');
    expect(p.notes.some((n) => n.message.includes('web-5d8f7c9b6d-x7k2p'))).toBe(true);
    // a pod of another workload does not count
    const stranger = { ...running, name: 'x', owner: { kind: 'Deployment', name: 'api' } };
    const q = ok(planAttach(ctx(deployment(), 'deploy', { neighbours: [stranger] }), req({ mac: { mode: 'keep' } })));
    expect(macOf(q)).toBe(macOf(ok(planAttach(ctx(deployment()), req({ mac: { mode: 'stable' } })))));
  });
});

describe('hostNetwork', () => {
  it('is switched to false with a warning and a marker, and the last detach switches it back', () => {
    const p = ok(planAttach(ctx(deployment({ hostNetwork: true })), req()));
    expect(p.hostNetwork).toEqual({ path: 'spec.template.spec.hostNetwork', from: true, to: false });
    expect((p.result as any).spec.template.spec.hostNetwork).toBe(false);
    expect(p.result.metadata?.annotations?.[HOST_NETWORK_MARKER]).toBe('true');
    expect(p.notes.some((n) => n.id === 'pod-host-network' && n.severity === 'warning')).toBe(true);
    const d = ok(planDetach(ctx(p.result), { network: { name: 'lan' } }));
    expect((d.result as any).spec.template.spec.hostNetwork).toBe(true);
    expect(d.result.metadata?.annotations?.[HOST_NETWORK_MARKER]).toBeUndefined();
    expect(templateAnn(d.result)[NETWORKS]).toBeUndefined();
  });

  it('--host-network=keep leaves it and warns that the attachment is ignored', () => {
    const p = ok(planAttach(ctx(deployment({ hostNetwork: true })), req({ hostNetwork: 'keep' })));
    expect(p.hostNetwork).toBeUndefined();
    expect(p.patch).toEqual({ spec: { template: { metadata: { annotations: { [NETWORKS]: '[{"name":"lan"}]' } } } } });
    expect(p.notes.find((n) => n.id === 'pod-host-network')!.message).toContain('ignored');
  });
});

describe('detach', () => {
  it('removes the entry and keeps the others (JSON form)', () => {
    const d = ok(
      planDetach(ctx(deployment({ annotations: { [NETWORKS]: 'other@o1,lan,infra/x' } })), {
        network: { name: 'lan' },
      }),
    );
    expect(d.after).toBe('[{"name":"other","interface":"o1"},{"name":"x","namespace":"infra"}]');
    // infra/x was net3 and becomes net2
    expect(d.notes.some((n) => n.message.includes('becomes net2 (it was net3)'))).toBe(true);
  });

  it('removes the annotation when it becomes empty', () => {
    const d = ok(
      planDetach(ctx(deployment({ annotations: { [NETWORKS]: 'lan', keep: 'me' } })), { network: { name: 'lan' } }),
    );
    expect(d.patch).toEqual({ spec: { template: { metadata: { annotations: { [NETWORKS]: null } } } } });
    expect(templateAnn(d.result)).toEqual({ keep: 'me' });
  });

  it('is a no-op when the network is not attached', () => {
    const d = ok(planDetach(ctx(deployment({ annotations: { [NETWORKS]: 'other' } })), { network: { name: 'lan' } }));
    expect(d.noop).toBe(true);
    expect(d.patch).toBeUndefined();
  });

  it('with --interface removes only that attachment', () => {
    const d = ok(
      planDetach(ctx(deployment({ annotations: { [NETWORKS]: 'lan@a1,lan@a2' } })), {
        network: { name: 'lan' },
        interface: 'a2',
      }),
    );
    expect(d.after).toBe('[{"name":"lan","interface":"a1"}]');
  });
});

describe('the equivalent kubectl patch command', () => {
  it('is one merge patch, and a POSIX shell passes exactly the intended words', async () => {
    const { spawnSync } = await import('node:child_process');
    const hostile = 'it\'s $(touch /tmp/pwned) `id` "q" \\ ;|&\n*';
    const flags = ['--context', hostile, '--kubeconfig', "$HOME/it's", '--user', '-'];
    const p = ok(
      planAttach(
        ctx(deployment({ annotations: { [NETWORKS]: 'other' } }), 'deploy', { kubectlFlags: flags }),
        req({ interface: "a'b$x" }),
      ),
    );
    const r = spawnSync('sh', ['-c', `args() { printf '%s\\0' "$@"; }; ${p.command!.replace(/^kubectl /, 'args ')}`], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const words = r.stdout.split('\0').slice(0, -1);
    expect(words).toEqual([
      'patch',
      'deployment.apps/web',
      '-n',
      'default',
      '--type',
      'merge',
      '-p',
      JSON.stringify(p.patch),
      ...flags,
    ]);
    expect(JSON.parse(words[7]!)).toEqual(p.patch);
  });
});

describe('near misses that must not be refused', () => {
  it('the same IP as a workload on another network is only a warning (the segments may differ)', () => {
    const neighbour: WorkloadObject = {
      kind: 'Deployment',
      name: 'db',
      namespace: 'default',
      replicas: 1,
      hostNetwork: false,
      podAnnotations: { [NETWORKS]: '[{"name":"plain","ips":["192.168.77.120/24"]}]' },
    };
    const p = ok(
      planAttach(
        ctx(deployment({ strategy: { type: 'Recreate' } }), 'deploy', { neighbours: [neighbour] }),
        req({ network: { name: 'static' }, ips: ['192.168.77.120/24'] }),
      ),
    );
    expect(p.notes.find((n) => n.id === 'pod-ip-duplicate')?.severity).toBe('warning');
  });

  it('a fixed MAC on one replica with the Recreate strategy: no duplicate warning at all', () => {
    const p = ok(
      planAttach(
        ctx(deployment({ strategy: { type: 'Recreate' } })),
        req({ mac: { mode: 'explicit', value: '02:00:00:00:00:05' } }),
      ),
    );
    expect(p.notes.filter((n) => n.severity === 'warning')).toEqual([]);
  });
});
