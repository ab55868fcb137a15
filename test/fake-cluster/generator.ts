/**
 * Programmatic scenarios for scale tests (e.g. 500 nodes, 2,000 NADs, 20,000 pods at 20 ms per
 * request): a healthy kubeadm-style cluster with upstream thin multus on every node, NADs spread
 * over namespaces and pods that request them. Node host files are shared via nodeDefaults, and
 * nothing is written to disk until a pod is exec'd into.
 */
import type { KObj, NodeSpec, ScenarioInput } from './scenario.js';

export interface GeneratorOptions {
  nodes: number;
  nads: number;
  /** total pods including the multus DaemonSet's (one per node) */
  pods: number;
  namespaces?: number;
  latencyMs?: number;
  version?: string;
  /** image of the multus DaemonSet; matched against `distroless` to mark it shell-less */
  multusImage?: string;
  distroless?: boolean;
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

function upstreamThinDaemonSet(image: string): KObj {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {
      name: 'kube-multus-ds',
      namespace: 'kube-system',
      labels: { tier: 'node', app: 'multus', name: 'multus' },
    },
    spec: {
      selector: { matchLabels: { name: 'multus' } },
      updateStrategy: { type: 'RollingUpdate' },
      template: {
        metadata: { labels: { tier: 'node', app: 'multus', name: 'multus' } },
        spec: {
          hostNetwork: true,
          tolerations: [
            { operator: 'Exists', effect: 'NoSchedule' },
            { operator: 'Exists', effect: 'NoExecute' },
          ],
          serviceAccountName: 'multus',
          containers: [
            {
              name: 'kube-multus',
              image,
              command: ['/thin_entrypoint'],
              args: [
                '--multus-conf-file=auto',
                '--multus-autoconfig-dir=/host/etc/cni/net.d',
                '--cni-conf-dir=/host/etc/cni/net.d',
              ],
              resources: { requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '100m', memory: '50Mi' } },
              securityContext: { privileged: true },
              terminationMessagePolicy: 'FallbackToLogsOnError',
              volumeMounts: [
                { name: 'cni', mountPath: '/host/etc/cni/net.d' },
                { name: 'cnibin', mountPath: '/host/opt/cni/bin' },
              ],
            },
          ],
          initContainers: [
            {
              name: 'install-multus-binary',
              image,
              command: ['/install_multus'],
              args: ['--type', 'thin'],
              securityContext: { privileged: true },
              volumeMounts: [{ name: 'cnibin', mountPath: '/host/opt/cni/bin', mountPropagation: 'Bidirectional' }],
            },
          ],
          terminationGracePeriodSeconds: 30,
          volumes: [
            { name: 'cni', hostPath: { path: '/etc/cni/net.d' } },
            { name: 'cnibin', hostPath: { path: '/opt/cni/bin' } },
          ],
        },
      },
    },
  };
}

const FLANNEL = JSON.stringify(
  {
    name: 'cbr0',
    cniVersion: '0.3.1',
    plugins: [
      { type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  },
  null,
  2,
);

function multusConf(): string {
  const delegate = JSON.parse(FLANNEL);
  return JSON.stringify({
    cniVersion: '0.3.1',
    name: 'multus-cni-network',
    type: 'multus',
    capabilities: { portMappings: true },
    kubeconfig: '/etc/cni/net.d/multus.d/multus.kubeconfig',
    delegates: [delegate],
  });
}

export function generateScenario(o: GeneratorOptions): ScenarioInput {
  const nsCount = o.namespaces ?? 20;
  const width = String(o.nodes).length;
  const image = o.multusImage ?? 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.4';
  const nodeDefaults: NodeSpec = {
    files: {
      '/etc/cni/net.d/00-multus.conf': { content: multusConf(), mode: '0600' },
      '/etc/cni/net.d/10-flannel.conflist': FLANNEL,
      '/etc/cni/net.d/multus.d/multus.kubeconfig': { content: 'apiVersion: v1\nkind: Config\n', mode: '0600' },
      '/run/flannel/subnet.env': 'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n',
      ...Object.fromEntries(
        [
          'multus',
          'bridge',
          'flannel',
          'host-local',
          'loopback',
          'macvlan',
          'ipvlan',
          'portmap',
          'static',
          'tuning',
        ].map((b) => [`/opt/cni/bin/${b}`, { size: b === 'multus' ? 57129534 : 4000000, mode: '0755' }]),
      ),
    },
  };
  const nodes: Record<string, NodeSpec> = {};
  for (let i = 0; i < o.nodes; i++) {
    nodes[`node-${pad(i + 1, width)}`] = {
      interfaces: [
        { name: 'eth0', addresses: [`10.0.${Math.floor((i + 10) / 250)}.${((i + 10) % 250) + 1}/16`] },
        { name: 'flannel.1', kind: 'vxlan', mtu: 1450 },
        { name: 'cni0', kind: 'bridge', mtu: 1450 },
      ],
      ...(i < 3 ? { roles: ['control-plane'] } : {}),
    };
  }
  const objects: KObj[] = [
    upstreamThinDaemonSet(image),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'multus', namespace: 'kube-system' } },
  ];
  const namespaces = Array.from({ length: nsCount }, (_, i) => `team-${pad(i + 1, 2)}`);
  for (const ns of namespaces) objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (let i = 0; i < o.nads; i++) {
    const third = i % 250;
    objects.push({
      apiVersion: 'k8s.cni.cncf.io/v1',
      kind: 'NetworkAttachmentDefinition',
      metadata: { name: `lan-${pad(i + 1, 5)}`, namespace: namespaces[i % nsCount] },
      spec: {
        config: JSON.stringify({
          cniVersion: '0.3.1',
          type: 'macvlan',
          master: 'eth0',
          mode: 'bridge',
          ipam: {
            type: 'host-local',
            subnet: `192.168.${third}.0/24`,
            rangeStart: `192.168.${third}.100`,
            rangeEnd: `192.168.${third}.200`,
          },
        }),
      },
    });
  }
  const nodeNames = Object.keys(nodes);
  const appPods = Math.max(0, o.pods - o.nodes);
  for (let i = 0; i < appPods; i++) {
    const ns = namespaces[i % nsCount]!;
    const nadsInNs = Math.max(1, Math.floor(o.nads / nsCount));
    const nad = `lan-${pad((((Math.floor(i / nsCount) % nadsInNs) * nsCount + (i % nsCount)) % Math.max(1, o.nads)) + 1, 5)}`;
    objects.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `app-${pad(i + 1, 6)}`,
        namespace: ns,
        labels: { app: 'load' },
        annotations: { 'k8s.v1.cni.cncf.io/networks': nad },
      },
      spec: {
        nodeName: nodeNames[i % nodeNames.length],
        containers: [{ name: 'app', image: 'docker.io/library/busybox:1.36', command: ['sleep', 'infinity'] }],
      },
    });
  }
  return {
    name: `generated-${o.nodes}n-${o.nads}nad-${o.pods}p`,
    description: 'generated by generateScenario()',
    cluster: { version: o.version ?? 'v1.32.2', distribution: 'kubeadm' },
    crds: ['network-attachment-definitions.k8s.cni.cncf.io'],
    nodeDefaults,
    nodes,
    images: o.distroless ? [{ image: '*multus-cni*', shell: false }] : [],
    faults: { latencyMs: o.latencyMs ?? 0 },
    objects,
  };
}
