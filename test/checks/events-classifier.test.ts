import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyEventMessage, isSandboxFailureEvent } from '../../src/model/events.js';
import { LAB, labJson } from './lab.js';

describe('event classifier on the lab captures', () => {
  const files = readdirSync(LAB).filter((f) => f.endsWith('events.json'));
  const failures = files.flatMap((f) =>
    (labJson(f).items as Array<{ reason: string; message: string }>).filter(isSandboxFailureEvent).map((e) => ({ file: f, message: e.message })),
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
    ['plugin type="multus" name="multus-cni-network" failed (add): failed to find plugin "multus" in path [/var/lib/rancher/k3s/3ccf8a82/bin]', 'plugin-missing', 'multus-binary-missing'],
    ['plugin type="multus-shim" name="multus-cni-network" failed (add): CmdAdd (shim): failed to send CNI request: Post "http://dummy/cni": dial unix /run/multus/multus.sock: connect: connection refused', 'thick-socket-unreachable', 'multus-thick-socket-missing'],
    ['CmdAdd (shim): CNI request failed with status 400: \'ContainerID:"x" Netns:"/var/run/netns/y" ERRORED: error configuring pod [ns/p] networking: [ns/p/uid:lan]: error adding container to network "lan": failed to lookup master "eth1": Link not found\'', 'master-missing', 'nad-master-missing'],
    ['error adding container to network "macvlan-conf": failed to lookup master "": Link not found', 'master-missing', 'nad-master-missing'],
    ['[ns/p/uid:lan]: error adding container to network "lan": failed to set "net1" address to "e7:d1:44:8d:65:b0": cannot assign requested address', 'mac-rejected', 'pod-mac-invalid'],
    ['parsePodNetworkAnnotation: failed to mac: address f1:fd:00:00:00:zz: invalid MAC address', 'mac-invalid', 'pod-mac-invalid'],
    ['error adding container to network "lan": failed to create macvlan: address already in use', 'mac-in-use', 'pod-mac-duplicate'],
    ['delegateAdd: cannot set "" interface name to "net1": validateIfName: interface name net1 already exists', 'interface-exists', 'pod-interface-conflict'],
    ["failed to add route '0.0.0.0/0 via 192.168.1.1 dev net1 metric 0 (Scope: 0, Table: 0)': file exists", 'route-exists', 'nad-default-route'],
    ['Multus: error getting k8s client: GetK8sClient: failed to get context for the kubeconfig /etc/cni/net.d/multus.d/multus.kubeconfig: stat /etc/cni/net.d/multus.d/multus.kubeconfig: no such file or directory', 'kubeconfig-missing', 'multus-kubeconfig-missing'],
    ['error dialing DHCP daemon: dial unix /run/cni/dhcp.sock: connect: connection refused', 'dhcp-daemon-unreachable', 'dhcp-daemon-missing'],
    ['error calling DHCP.Allocate: failed to Statfs "/var/run/netns/cni-1234": no such file or directory', 'dhcp-daemon-netns', 'dhcp-daemon-missing'],
    ['cannot find valid master CNI config in "/host/etc/cni/net.d"', 'master-config-missing', 'cni-primary-missing'],
    ['Multus: [ns/p/uid]: error getting pod: Unauthorized', 'unauthorized', 'multus-kubeconfig-token-expired'],
    ['GetNetworkDelegates: namespace isolation enabled, annotation violates permission, pod is in namespace app but refers to target namespace other', 'namespace-isolation', 'pod-namespace-isolation'],
    ['multus does not support ECMP for default-route', 'default-route-ecmp', 'pod-selection-unknown-key'],
    ['Multus: error in invoke Delegate add - "flannel": open /run/flannel/subnet.env: no such file or directory', 'flannel-not-ready', undefined],
    ['error adding container to network "cbr0": unsupported CNI result version "1.0.0"', 'cni-result-version', 'multus-cniversion-mismatch'],
    ['incompatible CNI versions; config is "1.1.0", plugin supports ["0.1.0" "0.2.0" "0.3.0" "0.3.1" "0.4.0" "1.0.0"]', 'cni-version-unsupported', 'nad-cniversion-unsupported'],
    ['requested ip 10.1.1.1 is subnet\'s gateway', 'ip-is-gateway', 'pod-ips-invalid'],
    ['requested IP address 10.1.1.5 is not available in range set 10.1.1.2-10.1.1.254', 'ip-unavailable', 'pod-ip-duplicate'],
    ["the 'ip' field is expected to be in CIDR notation, got: '10.1.1.5'", 'ip-not-cidr', 'pod-ips-invalid'],
    ['no IP addresses available in range set: 10.1.1.2-10.1.1.3', 'ipam-exhausted', undefined],
    ['GetNetworkDelegates: failed getting the delegate: getKubernetesDelegate: cannot find a network-attachment-definition (lan) in namespace (app): network-attachment-definitions.k8s.cni.cncf.io "lan" is forbidden: User "system:serviceaccount:kube-system:multus" cannot get resource', 'nad-forbidden', 'multus-rbac-insufficient'],
    ['unknown macvlan mode: "bridged"', 'mode-invalid', 'nad-mode-invalid'],
    ['invalid MTU 9000, must be [0, master MTU(1500)]', 'mtu-invalid', 'nad-mtu-exceeds-master'],
    ['GetCNIConfig: err in getCNIConfigFromSpec: failed to unmarshal Spec.Config: invalid character', 'nad-config-invalid', 'nad-config-invalid-json'],
    ['still waiting for readinessindicatorfile @ /run/flannel/subnet.env. pollimmediate error: timed out waiting for the condition', 'readiness-indicator-missing', 'multus-readiness-indicator-missing'],
    ['error adding container to network "lan": config file not found', 'whereabouts-config-missing', 'whereabouts-missing'],
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
    expect(c).toMatchObject({ cause: 'interface-exists', checkId: 'multus-conf-nested-delegates', subject: 'net1', network: 'macvlan-conf' });
  });
});
