/** Redaction, path mapping, runtime config, owners, service-CIDR answers: the pure parts of collection. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { SHARED } from '../helpers/cli.js';
import { redactText, jwtClaims } from '../../src/collect/redact.js';
import { containerToHost, hostToContainer } from '../../src/model/mount-paths.js';
import { containerdCni, crioCni, runtimeCniConfig } from '../../src/collect/runtime-config.js';
import { controllerToWorkload, podToWorkload, resolveOwner, keptAnnotations } from '../../src/collect/workloads.js';
import { rangeFromDryRunError, flagValue } from '../../src/collect/service-cidr.js';
import { toNadObject } from '../../src/collect/nads.js';
import { toNodeInfo, clusterFacts } from '../../src/collect/nodes.js';
import { inspectorPodSpec } from '../../src/collect/inspector-pod.js';
import { itCorpus } from '../helpers/corpus.js';

const jwt = (claims: object) =>
  `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2lnbmF0dXJl`;

describe('redaction', () => {
  itCorpus('the lab multus.kubeconfig shape: token and CA data replaced, server kept', () => {
    const lab = readFileSync(join(SHARED, 'corpus', 'lab', 'multus.kubeconfig.redacted'), 'utf8');
    const real = lab
      .replace(/token: .*/, `token: ${jwt({ exp: 1900000000, iat: 1800000000 })}`)
      .replace(/certificate-authority-data: .*/, 'certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t');
    const r = redactText(real);
    expect(r.redacted).toBe(true);
    expect(r.jwtExp).toBe(1900000000);
    expect(r.text).toMatch(/token: REDACTED:jwt:exp=1900000000/);
    expect(r.text).toMatch(/certificate-authority-data: REDACTED/);
    expect(r.text).not.toContain('LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t');
    expect(r.text).toMatch(/server: https:\/\//);
  });

  it('client keys, passwords in JSON configs, PEM blocks, bearer tokens in logs', () => {
    const kc =
      'users:\n- name: u\n  user:\n    client-certificate-data: Y2VydA==\n    client-key-data: "a2V5"\n    password: hunter2\n';
    expect(redactText(kc).text).toBe(
      'users:\n- name: u\n  user:\n    client-certificate-data: REDACTED\n    client-key-data: "REDACTED"\n    password: REDACTED\n',
    );
    const wb =
      '{"datastore":"etcd","etcd_password":"s3cret","kubernetes":{"kubeconfig":"/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig"}}';
    const w = redactText(wb).text;
    expect(w).toContain('"etcd_password":"REDACTED"');
    expect(w).toContain('whereabouts.kubeconfig');
    expect(redactText('-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n').text).toBe(
      'REDACTED (rsa private key)\n',
    );
    expect(redactText('GET /api Authorization: Bearer abcdefghijkl123').text).toBe(
      'GET /api Authorization: Bearer REDACTED',
    );
    expect(redactText(`error getting pod: token ${jwt({ exp: 5 })} expired`).text).toBe(
      'error getting pod: token REDACTED:jwt:exp=5 expired',
    );
  });

  it('leaves CNI configs without secrets untouched and is idempotent', () => {
    const conf =
      '{"cniVersion":"0.3.1","name":"multus-cni-network","type":"multus","kubeconfig":"/etc/cni/net.d/multus.d/multus.kubeconfig","delegates":[{"type":"flannel"}]}';
    expect(redactText(conf)).toEqual({ text: conf, redacted: false });
    fc.assert(
      fc.property(fc.string(), (s) => {
        const once = redactText(s).text;
        expect(redactText(once).text).toBe(once);
      }),
    );
  });

  it('reads only exp/iat of a JWT, and nothing from non-JWT tokens', () => {
    expect(jwtClaims(jwt({ exp: 10, iat: 1, sub: 'x' }))).toEqual({ exp: 10, iat: 1 });
    expect(jwtClaims('plain-static-token')).toBeUndefined();
    expect(redactText('token: plain-static-token').text).toBe('token: REDACTED');
  });
});

describe('host ↔ container paths through hostPath mounts', () => {
  const upstream = [
    { hostPath: '/etc/cni/net.d', mountPath: '/host/etc/cni/net.d' },
    { hostPath: '/opt/cni/bin/', mountPath: '/host/opt/cni/bin' },
  ];
  const thick = [...upstream, { hostPath: '/', mountPath: '/hostroot' }, { hostPath: '/run', mountPath: '/host/run' }];
  it('uses the most specific mount', () => {
    expect(hostToContainer('/etc/cni/net.d/multus.d/multus.kubeconfig', upstream)).toBe(
      '/host/etc/cni/net.d/multus.d/multus.kubeconfig',
    );
    expect(hostToContainer('/opt/cni/bin', upstream)).toBe('/host/opt/cni/bin');
    expect(hostToContainer('/var/lib/rancher/k3s/agent/etc/cni/net.d', upstream)).toBeUndefined();
    expect(hostToContainer('/etc/cni/net.dx', upstream)).toBeUndefined();
    expect(hostToContainer('/var/lib/rancher/k3s/agent/etc/cni/net.d', thick)).toBe(
      '/hostroot/var/lib/rancher/k3s/agent/etc/cni/net.d',
    );
    expect(hostToContainer('/run/multus/multus.sock', thick)).toBe('/host/run/multus/multus.sock');
    expect(hostToContainer('/', thick)).toBe('/hostroot');
  });
  it('maps back from the container', () => {
    expect(containerToHost('/host/run/multus/', thick)).toBe('/run/multus');
    expect(containerToHost('/hostroot/var/lib/rancher/k3s/agent/etc/cni/net.d', thick)).toBe(
      '/var/lib/rancher/k3s/agent/etc/cni/net.d',
    );
    expect(containerToHost('/tmp/multus-conf/70-multus.conf', upstream)).toBeUndefined();
  });
  it('round-trips every visible path', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z0-9.-]{1,8}$/), { maxLength: 5 }),
        fc.constantFrom('/etc/cni/net.d', '/opt/cni/bin', '/run', '/var'),
        (segs, base) => {
          const host = [base, ...segs.filter((s) => s !== '.' && s !== '..')].join('/');
          const c = hostToContainer(host, thick);
          expect(c).toBeDefined();
          expect(containerToHost(c!, thick)).toBe(host.replace(/\/+$/, ''));
        },
      ),
    );
  });
});

describe('container runtime CNI settings', () => {
  it('containerd 1.x (K3s) and 2.x layouts', () => {
    expect(
      containerdCni(
        'version = 2\n[plugins."io.containerd.grpc.v1.cri".cni]\n  bin_dir = "/var/lib/rancher/k3s/data/cni"\n  conf_dir = "/var/lib/rancher/k3s/agent/etc/cni/net.d"\n',
      ),
    ).toEqual({
      confDir: '/var/lib/rancher/k3s/agent/etc/cni/net.d',
      binDirs: ['/var/lib/rancher/k3s/data/cni'],
    });
    expect(
      containerdCni(
        "version = 3\n[plugins.'io.containerd.cri.v1.runtime'.cni]\n  bin_dirs = [\n    '/opt/cni/bin',\n    \"/usr/libexec/cni\", # extra\n  ]\n  conf_dir = '/etc/cni/net.d/'\n",
      ),
    ).toEqual({
      confDir: '/etc/cni/net.d',
      binDirs: ['/opt/cni/bin', '/usr/libexec/cni'],
    });
    expect(
      containerdCni('version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "x"\n'),
    ).toBeUndefined();
    // containerd config v1, as K3s wrote it before 2023
    expect(
      containerdCni(
        '[plugins.cri.cni]\n  bin_dir = "/var/lib/rancher/k3s/data/9de9/bin"\n  conf_dir = "/var/lib/rancher/k3s/agent/etc/cni/net.d"\n',
      ),
    ).toEqual({
      confDir: '/var/lib/rancher/k3s/agent/etc/cni/net.d',
      binDirs: ['/var/lib/rancher/k3s/data/9de9/bin'],
    });
  });
  it("MicroK8s's template names the snap's dirs with variables", () => {
    expect(
      containerdCni(
        '[plugins."io.containerd.grpc.v1.cri".cni]\n  bin_dir = "${SNAP_DATA}/opt/cni/bin"\n  conf_dir = "${SNAP_DATA}/args/cni-network"\n',
      ),
    ).toEqual({
      confDir: '/var/snap/microk8s/current/args/cni-network',
      binDirs: ['/var/snap/microk8s/current/opt/cni/bin'],
    });
  });
  it('CRI-O, drop-ins overriding the main file', () => {
    expect(
      crioCni(
        '[crio.network]\nnetwork_dir = "/etc/kubernetes/cni/net.d/"\nplugin_dirs = ["/var/lib/cni/bin", "/usr/libexec/cni"]\n',
      ),
    ).toEqual({ confDir: '/etc/kubernetes/cni/net.d', binDirs: ['/var/lib/cni/bin', '/usr/libexec/cni'] });
    const rt = runtimeCniConfig(
      {
        '/etc/crio/crio.conf': { exists: true, content: '[crio.network]\nnetwork_dir = "/etc/cni/net.d/"\n' },
        '/etc/crio/crio.conf.d/00-default.conf': {
          exists: true,
          content: '[crio.network]\nnetwork_dir = "/etc/kubernetes/cni/net.d/"\nplugin_dirs = ["/var/lib/cni/bin"]\n',
        },
      },
      'openshift',
      'cri-o://1.31.3',
    );
    expect(rt).toEqual({
      kind: 'crio',
      configFile: '/etc/crio/crio.conf.d/00-default.conf',
      configFrom: 'default-path',
      configReason: expect.stringContaining('command line was not read'),
      confDir: '/etc/kubernetes/cni/net.d',
      binDirs: ['/var/lib/cni/bin'],
    });
  });
  it('reads the file of the detected distribution; nothing when it was not read', () => {
    const files = {
      '/var/lib/rancher/rke2/agent/etc/containerd/config.toml': {
        exists: true,
        content: '[plugins."io.containerd.grpc.v1.cri".cni]\nconf_dir = "/etc/cni/net.d"\n',
      },
    };
    expect(runtimeCniConfig(files, 'rke2', 'containerd://1.7.23-k3s2')).toEqual({
      kind: 'containerd',
      configFile: '/var/lib/rancher/rke2/agent/etc/containerd/config.toml',
      configFrom: 'default-path',
      configReason: expect.stringContaining('RKE2 default'),
      confDir: '/etc/cni/net.d',
    });
    expect(runtimeCniConfig(files, 'k3s', 'containerd://1.7.23-k3s2')).toBeUndefined();
  });
  it("the running runtime's command line decides which file is read (issue 15)", () => {
    const files = {
      '/etc/containerd/config.toml': {
        exists: true,
        content: '[plugins."io.containerd.grpc.v1.cri".cni]\nbin_dir = "/usr/lib/cni"\n',
      },
      '/etc/containerd/lab.toml': {
        exists: true,
        content: '[plugins."io.containerd.grpc.v1.cri".cni]\nbin_dir = "/opt/cni/bin"\n',
      },
    };
    const custom = runtimeCniConfig(files, 'kubeadm', 'containerd://1.6.20', [
      { pid: 688, comm: 'containerd', args: ['/usr/bin/containerd', '--config', '/etc/containerd/lab.toml'] },
    ]);
    expect(custom).toMatchObject({
      configFile: '/etc/containerd/lab.toml',
      configFrom: 'cmdline',
      binDirs: ['/opt/cni/bin'],
    });
    expect(custom!.configReason).toBe('containerd (pid 688) was started with --config /etc/containerd/lab.toml');
    expect(
      runtimeCniConfig(files, 'kubeadm', 'containerd://1.6.20', [
        { pid: 9, comm: 'containerd', args: ['/usr/bin/containerd', '-c=/etc/containerd/lab.toml'] },
      ]),
    ).toMatchObject({ configFile: '/etc/containerd/lab.toml' });
    const dflt = runtimeCniConfig(files, 'kubeadm', 'containerd://1.6.20', [
      { pid: 688, comm: 'containerd', args: ['/usr/bin/containerd'] },
    ]);
    expect(dflt).toMatchObject({
      configFile: '/etc/containerd/config.toml',
      configFrom: 'cmdline',
      binDirs: ['/usr/lib/cni'],
    });
    expect(dflt!.configReason).toContain('without --config');
    // K3s's own containerd next to a docker-owned one: the one started with K3s's file wins
    const k3s = {
      '/var/lib/rancher/k3s/agent/etc/containerd/config.toml': {
        exists: true,
        content: '[plugins."io.containerd.grpc.v1.cri".cni]\nbin_dir = "/var/lib/rancher/k3s/data/cni"\n',
      },
      ...files,
    };
    const two = [
      { pid: 5, comm: 'containerd', args: ['/usr/bin/containerd'] },
      {
        pid: 77,
        comm: 'containerd',
        args: [
          'containerd',
          '-c',
          '/var/lib/rancher/k3s/agent/etc/containerd/config.toml',
          '-a',
          '/run/k3s/containerd/containerd.sock',
        ],
      },
    ];
    expect(runtimeCniConfig(k3s, 'k3s', 'containerd://1.7.23-k3s2', two)).toMatchObject({
      configFile: '/var/lib/rancher/k3s/agent/etc/containerd/config.toml',
      binDirs: ['/var/lib/rancher/k3s/data/cni'],
    });
  });
});

describe('pods, workloads and owners', () => {
  const pod = {
    metadata: {
      name: 'web-7d9c5b8f6-x2x9k',
      namespace: 'apps',
      labels: { 'pod-template-hash': '7d9c5b8f6' },
      annotations: {
        'k8s.v1.cni.cncf.io/networks': 'lan',
        'kubectl.kubernetes.io/restartedAt': 'now',
        'prometheus.io/scrape': 'true',
      },
      ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d9c5b8f6', controller: true }],
    },
    spec: { nodeName: 'n1' },
    status: {
      phase: 'Pending',
      containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ContainerCreating' } } }],
    },
  };
  it('keeps only multus annotations and resolves ReplicaSet → Deployment', () => {
    const maps = { replicaSets: new Map([['apps/web-7d9c5b8f6', 'web']]), jobs: new Map() };
    expect(podToWorkload(pod, maps)).toEqual({
      kind: 'Pod',
      name: 'web-7d9c5b8f6-x2x9k',
      namespace: 'apps',
      podAnnotations: { 'k8s.v1.cni.cncf.io/networks': 'lan' },
      hostNetwork: false,
      owner: { kind: 'Deployment', name: 'web' },
      nodeName: 'n1',
      phase: 'Pending',
      waitingReason: 'ContainerCreating',
    });
  });
  it('falls back to the pod-template-hash naming rule when ReplicaSets could not be listed', () => {
    expect(resolveOwner(pod, undefined)).toEqual({ kind: 'Deployment', name: 'web' });
    // a known standalone ReplicaSet stays a ReplicaSet
    expect(resolveOwner(pod, { replicaSets: new Map([['apps/web-7d9c5b8f6', '']]), jobs: new Map() })).toEqual({
      kind: 'ReplicaSet',
      name: 'web-7d9c5b8f6',
    });
    // Job → CronJob
    const jobPod = {
      metadata: { namespace: 'b', ownerReferences: [{ kind: 'Job', name: 'backup-2900', controller: true }] },
    };
    expect(resolveOwner(jobPod, { replicaSets: new Map(), jobs: new Map([['b/backup-2900', 'backup']]) })).toEqual({
      kind: 'CronJob',
      name: 'backup',
    });
  });
  it('drops pods that have nothing to do with multus', () => {
    expect(
      podToWorkload({ metadata: { name: 'x', annotations: { a: 'b' } }, status: { phase: 'Running' } }, undefined),
    ).toBeUndefined();
    expect(
      keptAnnotations({ 'v1.multus-cni.io/default-network': 'x', 'kubectl-multus.io/ignore': 'y', other: 'z' }),
    ).toEqual({ 'v1.multus-cni.io/default-network': 'x', 'kubectl-multus.io/ignore': 'y' });
  });
  itCorpus('a Deployment with the annotation on its own metadata (the misplaced-annotation case)', () => {
    const lab = JSON.parse(
      readFileSync(join(SHARED, 'corpus', 'lab', 'annotation-misplaced__deployment.json'), 'utf8'),
    );
    const w = controllerToWorkload(lab, 'Deployment')!;
    expect(w.annotations?.['k8s.v1.cni.cncf.io/networks']).toBeDefined();
    expect(w.podAnnotations['k8s.v1.cni.cncf.io/networks']).toBeUndefined();
    expect(w.replicas).toBe(lab.spec.replicas ?? 1);
  });
});

describe('service CIDR answers', () => {
  it('reads the range from a dry-run refusal (single and dual stack)', () => {
    expect(
      rangeFromDryRunError(
        'Service "p" is invalid: spec.clusterIPs: Invalid value: []string{"1.1.1.1"}: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.43.0.0/16',
      ),
    ).toEqual(['10.43.0.0/16']);
    expect(rangeFromDryRunError('... The range of valid IPs is 10.96.0.0/12,fd00:10:96::/108')).toEqual([
      '10.96.0.0/12',
      'fd00:10:96::/108',
    ]);
    expect(
      rangeFromDryRunError('spec.clusterIPs[0]: Invalid value: "1.1.1.1": may not be in IPv4 in an IPv6-only cluster'),
    ).toBeUndefined();
  });
  it('reads kube-apiserver flags in both forms', () => {
    expect(flagValue(['kube-apiserver', '--service-cluster-ip-range=10.96.0.0/12'], 'service-cluster-ip-range')).toBe(
      '10.96.0.0/12',
    );
    expect(flagValue(['--cluster-cidr', '10.244.0.0/16'], 'cluster-cidr')).toBe('10.244.0.0/16');
  });
});

describe('objects as the checks see them', () => {
  itCorpus('NADs keep spec.config verbatim and say when it is not a string', () => {
    const nads = JSON.parse(
      readFileSync(join(SHARED, 'corpus', 'lab', 'healthy__network-attachment-definitions.json'), 'utf8'),
    );
    const n = toNadObject(nads.items[0]);
    expect(n.config).toBe(nads.items[0].spec.config);
    expect(n.specKeys).toEqual(['config']);
    expect(n.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBeUndefined();
    expect(toNadObject({ metadata: { name: 'x' }, spec: { config: { type: 'macvlan' } } })).toMatchObject({
      configNotString: 'object',
      namespace: 'default',
    });
  });
  itCorpus('nodes from the lab capture, and the distribution they give away', () => {
    const list = JSON.parse(readFileSync(join(SHARED, 'corpus', 'lab', 'k3s-hostpath-only__nodes.json'), 'utf8'));
    const nodes = list.items.map(toNodeInfo);
    expect(nodes[0]).toMatchObject({ name: 'lab-node', ready: true });
    expect(clusterFacts(nodes, [], 'v1.20.2').distribution).toBe('k3s');
  });
  it('the node-inspector pod is read-only, pinned, tolerant, labelled and bounded in time', () => {
    const spec = inspectorPodSpec({
      name: 'p',
      namespace: 'kube-system',
      node: 'n1',
      image: 'busybox',
      runId: 'abc123',
    }) as any;
    expect(spec.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'kubectl-multus',
      'kubectl-multus.io/run-id': 'abc123',
    });
    expect(spec.spec).toMatchObject({
      nodeName: 'n1',
      hostNetwork: true,
      tolerations: [{ operator: 'Exists' }],
      automountServiceAccountToken: false,
    });
    expect(spec.spec.activeDeadlineSeconds).toBeGreaterThan(0);
    expect(spec.spec.containers[0].volumeMounts).toEqual([{ name: 'host', mountPath: '/host', readOnly: true }]);
    expect(spec.spec.volumes[0].hostPath.path).toBe('/');
  });
});
