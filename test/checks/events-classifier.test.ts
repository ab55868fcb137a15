import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyEventMessage, isSandboxFailureEvent } from '../../src/model/events.js';
import { LAB, labJson } from './lab.js';
import { classifyPodTrouble, compactEventMessage, latestWarnings } from '../../src/model/pod-events.js';
import type { ContainerState, EventRecord } from '../../src/snapshot/types.js';

describe('event classifier on the lab captures', () => {
  const files = readdirSync(LAB).filter((f) => f.endsWith('events.json'));
  const failures = files.flatMap((f) =>
    (labJson(f).items as Array<{ reason: string; message: string }>)
      .filter(isSandboxFailureEvent)
      .map((e) => ({ file: f, message: e.message })),
  );

  it('finds the failure events', () => {
    expect(failures.length).toBeGreaterThanOrEqual(8);
  });

  it.each(failures.map((f) => [f.file, f.message]))('%s classifies to a specific cause', (_file, message) => {
    const c = classifyEventMessage(message);
    expect(c.cause).not.toBe('unknown');
    expect(c.summary.length).toBeGreaterThan(10);
  });

  const expected: Record<string, { cause: string; checkId?: string }> = {
    'plugin-missing__events.json': { cause: 'plugin-missing', checkId: 'cni-plugin-missing' },
    'nad-not-found__events.json': { cause: 'nad-not-found', checkId: 'pod-nad-not-found' },
    'master-missing__events.json': { cause: 'master-missing', checkId: 'nad-master-missing' },
    'dhcp-no-daemon__events.json': { cause: 'dhcp-daemon-unreachable', checkId: 'dhcp-daemon-missing' },
    'k3s-hostpath-only__events.json': { cause: 'kubeconfig-missing', checkId: 'multus-kubeconfig-missing' },
    'k3s-upstream-thin__multus-pod-events.json': { cause: 'runtime-unavailable' },
  };
  it.each(Object.entries(expected))('%s → %o', (file, want) => {
    const msgs = (labJson(file).items as Array<{ reason: string; message: string }>).filter(isSandboxFailureEvent);
    expect(msgs.length).toBeGreaterThan(0);
    for (const m of msgs) {
      const c = classifyEventMessage(m.message);
      expect(c.cause).toBe(want.cause);
      expect(c.checkId).toBe(want.checkId);
    }
  });

  it('pulls names out of the text', () => {
    const plugin = classifyEventMessage(labJson('plugin-missing__events.json').items[2].message);
    expect(plugin).toMatchObject({ plugin: 'macvlan', searchPath: ['/opt/cni/bin'], network: 'macvlan-lan' });
    const nad = classifyEventMessage(labJson('nad-not-found__events.json').items[1].message);
    expect(nad.nad).toEqual({ namespace: 'default', name: 'macvlan-lann' });
    const dhcp = classifyEventMessage(labJson('dhcp-no-daemon__events.json').items[2].message);
    expect(dhcp.subject).toBe('/run/cni/dhcp-absent.sock');
    expect(dhcp.network).toBe('lan-dhcp-nodaemon');
  });
});

describe('event classifier on strings from multus, libcni and the plugins', () => {
  const cases: Array<[string, string, string | undefined]> = [
    [
      'plugin type="multus" name="multus-cni-network" failed (add): failed to find plugin "multus" in path [/var/lib/rancher/k3s/3ccf8a82/bin]',
      'plugin-missing',
      'multus-binary-missing',
    ],
    [
      'plugin type="multus-shim" name="multus-cni-network" failed (add): CmdAdd (shim): failed to send CNI request: Post "http://dummy/cni": dial unix /run/multus/multus.sock: connect: connection refused',
      'thick-socket-unreachable',
      'multus-thick-socket-missing',
    ],
    [
      'CmdAdd (shim): CNI request failed with status 400: \'ContainerID:"x" Netns:"/var/run/netns/y" ERRORED: error configuring pod [ns/p] networking: [ns/p/uid:lan]: error adding container to network "lan": failed to lookup master "eth1": Link not found\'',
      'master-missing',
      'nad-master-missing',
    ],
    [
      'error adding container to network "macvlan-conf": failed to lookup master "": Link not found',
      'master-missing',
      'nad-master-missing',
    ],
    [
      '[ns/p/uid:lan]: error adding container to network "lan": failed to set "net1" address to "e7:d1:44:8d:65:b0": cannot assign requested address',
      'mac-rejected',
      'pod-mac-invalid',
    ],
    [
      'parsePodNetworkAnnotation: failed to mac: address f1:fd:00:00:00:zz: invalid MAC address',
      'mac-invalid',
      'pod-mac-invalid',
    ],
    [
      'error adding container to network "lan": failed to create macvlan: address already in use',
      'mac-in-use',
      'pod-mac-duplicate',
    ],
    [
      'delegateAdd: cannot set "" interface name to "net1": validateIfName: interface name net1 already exists',
      'interface-exists',
      'pod-interface-conflict',
    ],
    [
      "failed to add route '0.0.0.0/0 via 192.168.1.1 dev net1 metric 0 (Scope: 0, Table: 0)': file exists",
      'route-exists',
      'nad-default-route',
    ],
    [
      'Multus: error getting k8s client: GetK8sClient: failed to get context for the kubeconfig /etc/cni/net.d/multus.d/multus.kubeconfig: stat /etc/cni/net.d/multus.d/multus.kubeconfig: no such file or directory',
      'kubeconfig-missing',
      'multus-kubeconfig-missing',
    ],
    [
      'error dialing DHCP daemon: dial unix /run/cni/dhcp.sock: connect: connection refused',
      'dhcp-daemon-unreachable',
      'dhcp-daemon-missing',
    ],
    [
      'error calling DHCP.Allocate: failed to Statfs "/var/run/netns/cni-1234": no such file or directory',
      'dhcp-daemon-netns',
      'dhcp-daemon-missing',
    ],
    ['cannot find valid master CNI config in "/host/etc/cni/net.d"', 'master-config-missing', 'cni-primary-missing'],
    ['Multus: [ns/p/uid]: error getting pod: Unauthorized', 'unauthorized', 'multus-kubeconfig-token-expired'],
    [
      'GetNetworkDelegates: namespace isolation enabled, annotation violates permission, pod is in namespace app but refers to target namespace other',
      'namespace-isolation',
      'pod-namespace-isolation',
    ],
    ['multus does not support ECMP for default-route', 'default-route-ecmp', 'pod-selection-unknown-key'],
    [
      'Multus: error in invoke Delegate add - "flannel": open /run/flannel/subnet.env: no such file or directory',
      'flannel-not-ready',
      undefined,
    ],
    [
      'error adding container to network "cbr0": unsupported CNI result version "1.0.0"',
      'cni-result-version',
      'multus-cniversion-mismatch',
    ],
    [
      'incompatible CNI versions; config is "1.1.0", plugin supports ["0.1.0" "0.2.0" "0.3.0" "0.3.1" "0.4.0" "1.0.0"]',
      'cni-version-unsupported',
      'nad-cniversion-unsupported',
    ],
    ["requested ip 10.1.1.1 is subnet's gateway", 'ip-is-gateway', 'pod-ips-invalid'],
    [
      'requested IP address 10.1.1.5 is not available in range set 10.1.1.2-10.1.1.254',
      'ip-unavailable',
      'pod-ip-duplicate',
    ],
    ["the 'ip' field is expected to be in CIDR notation, got: '10.1.1.5'", 'ip-not-cidr', 'pod-ips-invalid'],
    ['no IP addresses available in range set: 10.1.1.2-10.1.1.3', 'ipam-exhausted', undefined],
    [
      'GetNetworkDelegates: failed getting the delegate: getKubernetesDelegate: cannot find a network-attachment-definition (lan) in namespace (app): network-attachment-definitions.k8s.cni.cncf.io "lan" is forbidden: User "system:serviceaccount:kube-system:multus" cannot get resource',
      'nad-forbidden',
      'multus-rbac-insufficient',
    ],
    ['unknown macvlan mode: "bridged"', 'mode-invalid', 'nad-mode-invalid'],
    ['invalid MTU 9000, must be [0, master MTU(1500)]', 'mtu-invalid', 'nad-mtu-exceeds-master'],
    [
      'GetCNIConfig: err in getCNIConfigFromSpec: failed to unmarshal Spec.Config: invalid character',
      'nad-config-invalid',
      'nad-config-invalid-json',
    ],
    [
      'still waiting for readinessindicatorfile @ /run/flannel/subnet.env. pollimmediate error: timed out waiting for the condition',
      'readiness-indicator-missing',
      'multus-readiness-indicator-missing',
    ],
    [
      'error adding container to network "lan": config file not found',
      'whereabouts-config-missing',
      'whereabouts-missing',
    ],
  ];
  it.each(cases)('%s', (text, cause, checkId) => {
    const c = classifyEventMessage(text);
    expect(c.cause).toBe(cause);
    expect(c.checkId).toBe(checkId);
  });

  it('says unknown for text it does not recognise', () => {
    expect(classifyEventMessage('something entirely different').cause).toBe('unknown');
  });
});

describe('event classifier on nested multus configs', () => {
  it('blames the nested-delegates bug when multus adds a network through itself', () => {
    // multus v4.0.2 after a restart (seed 001, multus-cni #1089): 00-multus.conf delegates to a multus config.
    const text =
      'plugin type="multus" name="multus-cni-network" failed (add): [default/ha-0/uid:multus-cni-network]: error adding container to network "multus-cni-network": [default/ha-0/uid:macvlan-conf]: error adding container to network "macvlan-conf": delegateAdd: cannot set "" interface name to "net1": validateIfName: interface name net1 already exists';
    const c = classifyEventMessage(text);
    expect(c).toMatchObject({
      cause: 'interface-exists',
      checkId: 'multus-conf-nested-delegates',
      subject: 'net1',
      network: 'macvlan-conf',
    });
  });
});

// Issue 11 item 5: why a pod (multus, probe or workload pod) is not running, beyond the CNI chain.
// Strings as the kubelet, scheduler and containerd write them (the first two are the lab's own).
describe('pod trouble classifier', () => {
  const ev = (reason: string, message: string, count = 1, lastTimestamp = '2026-01-01T00:00:00Z'): EventRecord => ({
    involvedObject: { kind: 'Pod', name: 'p', namespace: 'kube-system' },
    reason,
    message,
    type: 'Warning',
    count,
    lastTimestamp,
  });
  const waiting = (reason: string): ContainerState => ({ name: 'kube-multus', state: 'waiting', reason, ready: false });

  it('runtime unavailable (lab k3s-upstream-thin multus pod): runtime, not CNI', () => {
    const t = classifyPodTrouble({
      events: [
        ev(
          'FailedCreatePodSandBox',
          'Failed to create pod sandbox: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial unix /run/containerd/containerd.sock: connect: no such file or directory"',
        ),
      ],
    });
    expect(t?.cause).toBe('runtime');
    expect(t?.summary).toContain('/run/containerd/containerd.sock');
  });

  it('runc cannot start the sandbox: runtime, with the innermost clause', () => {
    const msg =
      'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error mounting "proc" to rootfs at "/proc": permission denied: unknown';
    const t = classifyPodTrouble({
      events: [ev('FailedCreatePodSandBox', msg, 120)],
      containers: [waiting('PodInitializing')],
    });
    expect(t).toMatchObject({ cause: 'runtime' });
    expect(t!.summary).toContain('OCI runtime create failed: runc create failed: unable to start container process');
    expect(t!.summary).not.toMatch(/unknown\)$/);
  });

  it('a CNI failure in the sandbox stays a network cause with its check', () => {
    const t = classifyPodTrouble({
      events: [
        ev(
          'FailedCreatePodSandBox',
          'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "abc": plugin type="multus" failed (add): [default/p/uid:lan]: error adding container to network "lan": failed to find plugin "macvlan" in path [/opt/cni/bin]',
        ),
      ],
    });
    expect(t).toMatchObject({ cause: 'sandbox-network', network: { checkId: 'cni-plugin-missing' } });
  });

  it('image pull: names the image and the registry answer', () => {
    const t = classifyPodTrouble({
      containers: [waiting('ImagePullBackOff')],
      events: [
        ev(
          'Failed',
          'Failed to pull image "ghcr.io/k8snetworkplumbingwg/multus-cni:v4.9.9-thick": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/k8snetworkplumbingwg/multus-cni:v4.9.9-thick": failed to resolve reference "ghcr.io/k8snetworkplumbingwg/multus-cni:v4.9.9-thick": ghcr.io/k8snetworkplumbingwg/multus-cni:v4.9.9-thick: not found',
          4,
          '2026-01-01T00:00:01Z',
        ),
        ev(
          'BackOff',
          'Back-off pulling image "ghcr.io/k8snetworkplumbingwg/multus-cni:v4.9.9-thick"',
          30,
          '2026-01-01T00:00:00Z',
        ),
      ],
    });
    expect(t).toMatchObject({ cause: 'image-pull', image: 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.9.9-thick' });
    expect(t!.summary).toContain('not found');
  });

  it('mount: names the volume', () => {
    const t = classifyPodTrouble({
      events: [
        ev(
          'FailedMount',
          'MountVolume.SetUp failed for volume "cni" : hostPath type check failed: /var/lib/rancher/k3s/agent/etc/cni/net.d is not a directory',
          9,
        ),
      ],
      containers: [waiting('ContainerCreating')],
    });
    expect(t).toMatchObject({ cause: 'mount' });
    expect(t!.summary).toBe(
      'volume "cni" cannot be mounted: hostPath type check failed: /var/lib/rancher/k3s/agent/etc/cni/net.d is not a directory',
    );
  });

  it("scheduling: the scheduler's sentence without the preemption tail", () => {
    const t = classifyPodTrouble({
      events: [
        ev(
          'FailedScheduling',
          '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
        ),
      ],
    });
    expect(t).toMatchObject({ cause: 'scheduling' });
    expect(t!.summary).toContain('untolerated taint');
    expect(t!.summary).not.toContain('preemption');
  });

  it('crash loop (lab BackOff event) with the last log line; OOM from the container state', () => {
    const t = classifyPodTrouble({
      events: [ev('BackOff', 'Back-off restarting failed container', 7)],
      previousLogs: [
        '',
        'failed to create multus config: cannot find valid master CNI config in "/host/etc/cni/net.d"',
        '',
      ],
    });
    expect(t).toMatchObject({
      cause: 'crashloop',
      lastLog: 'failed to create multus config: cannot find valid master CNI config in "/host/etc/cni/net.d"',
    });
    const o = classifyPodTrouble({
      containers: [{ name: 'kube-multus', state: 'running', lastTerminationReason: 'OOMKilled', lastExitCode: 137 }],
      events: [ev('BackOff', 'Back-off restarting failed container', 3)],
    });
    expect(o?.cause).toBe('oom');
  });

  it('current container state wins over a stale sandbox event', () => {
    const t = classifyPodTrouble({
      containers: [{ name: 'kube-multus', state: 'waiting', reason: 'CrashLoopBackOff' }],
      events: [
        ev(
          'FailedCreatePodSandBox',
          'Failed to create pod sandbox: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial unix /run/containerd/containerd.sock: connect: no such file or directory"',
        ),
      ],
    });
    expect(t?.cause).toBe('crashloop');
  });

  it('latest warnings are newest first, deduplicated, Normal events dropped', () => {
    const l = latestWarnings([
      ev('A', 'x', 1, '2026-01-01T00:00:01Z'),
      { ...ev('Pulled', 'ok', 1, '2026-01-01T00:00:09Z'), type: 'Normal' },
      ev('B', 'y', 1, '2026-01-01T00:00:05Z'),
      ev('A', 'x', 2, '2026-01-01T00:00:02Z'),
    ]);
    expect(l.map((e) => e.reason)).toEqual(['B', 'A']);
  });

  it('long messages keep their head and the innermost error, cut at a ": " boundary', () => {
    const msg = `Failed to create pod sandbox: rpc error: code = Unknown desc = ${'failed to setup network for sandbox "0123456789abcdef": '.repeat(8)}error adding container to network "lan": failed to lookup master "eth9": Link not found`;
    const c = compactEventMessage(msg, 200);
    expect(c.length).toBeLessThanOrEqual(200);
    expect(c.startsWith('Failed to create pod sandbox: … ')).toBe(true);
    expect(c.endsWith('failed to lookup master "eth9": Link not found')).toBe(true);
  });
});
