/**
 * Classifier for the events kubelet and multus write when a pod's networks cannot be set up
 * (`FailedCreatePodSandBox`, `NoNetworkFound`). It maps the event text to a cause and to the
 * check id whose page explains the fix. Patterns are the exact strings multus, libcni, the
 * reference plugins and the kernel produce (research/failure-modes.md §A, corpus/lab/*events.json).
 *
 * Order matters: the text is one long wrapped chain ("failed to setup network for sandbox …:
 * plugin type="multus" failed (add): … error adding container to network "x": <real error>"),
 * so the most specific inner error is tested first.
 */

const SANDBOX_FAILURE_REASONS = new Set(['FailedCreatePodSandBox', 'NoNetworkFound']);

type EventCause =
  | 'nad-forbidden'
  | 'unauthorized'
  | 'nad-not-found'
  | 'plugin-missing'
  | 'multus-binary-missing'
  | 'kubeconfig-missing'
  | 'readiness-indicator-missing'
  | 'thick-socket-unreachable'
  | 'dhcp-daemon-unreachable'
  | 'dhcp-daemon-netns'
  | 'dhcp-no-offer'
  | 'namespace-isolation'
  | 'default-route-ecmp'
  | 'mac-invalid'
  | 'annotation-invalid'
  | 'mac-unsupported'
  | 'mac-rejected'
  | 'mac-in-use'
  | 'route-exists'
  | 'interface-exists'
  | 'master-config-missing'
  | 'flannel-not-ready'
  | 'cni-result-version'
  | 'cni-version-unsupported'
  | 'ip-is-gateway'
  | 'ip-unavailable'
  | 'ip-out-of-range'
  | 'ip-not-cidr'
  | 'ipam-exhausted'
  | 'master-missing'
  | 'mode-invalid'
  | 'mtu-invalid'
  | 'master-busy'
  | 'nad-config-invalid'
  | 'nad-type-missing'
  | 'nad-config-missing'
  | 'bridge-address-conflict'
  | 'whereabouts-config-missing'
  | 'whereabouts-range-invalid'
  | 'runtime-unavailable'
  | 'unknown';

export interface EventClassification {
  cause: EventCause;
  /** The check whose page explains this cause and its fix, when one exists. */
  checkId?: string;
  /** One sentence naming what failed, with the names pulled out of the text. */
  summary: string;
  /** `error adding container to network "x"`: the attachment that failed. */
  network?: string;
  /** The plugin named by the error (`failed to find plugin "x"`). */
  plugin?: string;
  /** Directories libcni searched, de-duplicated. */
  searchPath?: string[];
  /** NAD named by a not-found/forbidden error. */
  nad?: { namespace: string; name: string };
  /** Interface, MAC, IP, socket or file path the error names. */
  subject?: string;
}

interface Rule {
  cause: EventCause;
  test: RegExp;
  build(m: RegExpExecArray, text: string): Omit<EventClassification, 'cause' | 'network'>;
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}

const RULES: Rule[] = [
  {
    cause: 'nad-forbidden',
    test: /network-attachment-definitions(?:\.k8s\.cni\.cncf\.io)? "?([^"\s]*)"? is forbidden|cannot (?:get|list) resource "network-attachment-definitions"/,
    build: (m) => ({
      checkId: 'multus-rbac-insufficient',
      summary: `multus's service account is not allowed to read NetworkAttachmentDefinition${m[1] ? ` "${m[1]}"` : 's'} (RBAC)`,
    }),
  },
  {
    cause: 'unauthorized',
    test: /\bUnauthorized\b/,
    build: () => ({
      checkId: 'multus-kubeconfig-token-expired',
      summary:
        "the API server rejected multus's credentials (Unauthorized): the token in multus.d/multus.kubeconfig has probably expired",
    }),
  },
  {
    cause: 'nad-not-found',
    test: /cannot find a network-attachment-definition \(([^)]*)\) in namespace \(([^)]*)\)/,
    build: (m) => ({
      checkId: 'pod-nad-not-found',
      nad: { namespace: m[2]!, name: m[1]! },
      summary: `NetworkAttachmentDefinition "${m[1]}" does not exist in namespace "${m[2]}"`,
    }),
  },
  {
    cause: 'kubeconfig-missing',
    test: /failed to get context for the kubeconfig (\S+?):|GetK8sClient: failed to get context for the kubeconfig (\S+)/,
    build: (m) => ({
      checkId: 'multus-kubeconfig-missing',
      subject: m[1] ?? m[2],
      summary: `multus cannot read its kubeconfig ${m[1] ?? m[2]} on the node`,
    }),
  },
  {
    cause: 'readiness-indicator-missing',
    test: /still waiting for readinessindicatorfile @ (\S+?)\.?(?:\s|$)/,
    build: (m) => ({
      checkId: 'multus-readiness-indicator-missing',
      subject: m[1],
      summary: `multus is waiting for the readiness indicator file ${m[1]}, which does not appear (the primary CNI is not ready)`,
    }),
  },
  {
    // Checked before the generic "plugin missing" rule: the shim names the daemon socket.
    cause: 'thick-socket-unreachable',
    test: /dial unix (\S*multus\S*\.sock): connect: ([a-z ]+)|\(shim\): failed to send CNI request/,
    build: (m) => ({
      checkId: 'multus-thick-socket-missing',
      subject: m[1],
      summary: `the multus-shim cannot reach the multus daemon${m[1] ? ` at ${m[1]} (${m[2]?.trim()})` : ''}: the thick daemon is not running on this node`,
    }),
  },
  {
    cause: 'plugin-missing',
    test: /failed to find plugin "([^"]+)" in path \[([^\]]*)\]/,
    build: (m) => {
      const plugin = m[1]!;
      const searchPath = uniq(m[2]!.split(/\s+/).filter(Boolean));
      const isMultus = plugin === 'multus' || plugin === 'multus-shim';
      return {
        checkId: isMultus ? 'multus-binary-missing' : 'cni-plugin-missing',
        plugin,
        searchPath,
        summary: `CNI plugin "${plugin}" is not in the bin dir${searchPath.length === 1 ? '' : 's'} ${searchPath.join(', ')}`,
      };
    },
  },
  {
    cause: 'dhcp-daemon-unreachable',
    test: /error dialing DHCP daemon(?:: dial unix (\S+): connect: ([a-z ]+))?/,
    build: (m) => ({
      checkId: 'dhcp-daemon-missing',
      subject: m[1],
      summary: `the CNI dhcp daemon is not listening${m[1] ? ` on ${m[1]} (${m[2]?.trim()})` : ''}: no dhcp daemon runs on this node`,
    }),
  },
  {
    cause: 'dhcp-daemon-netns',
    test: /failed to Statfs "(\/var\/run\/netns\/[^"]*)"/,
    build: (m) => ({
      checkId: 'dhcp-daemon-missing',
      subject: m[1],
      summary:
        'the CNI dhcp daemon cannot see the pod network namespace (its /run/netns mount lacks HostToContainer propagation)',
    }),
  },
  {
    cause: 'dhcp-no-offer',
    test: /no DHCP packet received within|error calling DHCP\.Allocate: .*(?:timed out|timeout)/,
    build: () => ({
      summary:
        "no DHCP server answered on the attachment's segment (no server, wrong VLAN, or the hypervisor drops frames from extra MACs)",
    }),
  },
  {
    cause: 'namespace-isolation',
    test: /namespace isolation enabled, annotation violates permission, pod is in namespace (\S+) but refers to target namespace (\S+)/,
    build: (m) => ({
      checkId: 'pod-namespace-isolation',
      subject: m[2],
      summary: `multus namespace isolation refuses a NAD in namespace "${m[2]}" for a pod in "${m[1]}"`,
    }),
  },
  {
    cause: 'default-route-ecmp',
    test: /does not support ECMP for default-route/,
    build: () => ({
      checkId: 'pod-selection-unknown-key',
      summary: 'more than one default-route gateway per IP family was requested; multus refuses ECMP default routes',
    }),
  },
  {
    cause: 'mac-invalid',
    test: /failed to mac: address ([^:\s]+(?::[^:\s]+)*): invalid MAC address|invalid MAC address/,
    build: (m) => ({
      checkId: 'pod-mac-invalid',
      subject: m[1],
      summary: `the requested MAC${m[1] ? ` ${m[1]}` : ''} is not a valid MAC address`,
    }),
  },
  {
    cause: 'annotation-invalid',
    test: /parsePodNetworkAnnotation|parsePodNetworkObjectName|Invalid network object/,
    build: () => ({
      checkId: 'pod-networks-annotation-invalid',
      summary: "multus cannot parse the pod's k8s.v1.cni.cncf.io/networks annotation",
    }),
  },
  {
    cause: 'mac-unsupported',
    test: /SIOCSIFHWADDR: (?:Operation not supported|operation not supported|Operation not permitted|operation not permitted)/,
    build: () => ({
      checkId: 'pod-mac-without-capability',
      summary: 'the interface type cannot take a per-pod MAC address (SIOCSIFHWADDR refused)',
    }),
  },
  {
    cause: 'mac-rejected',
    test: /failed to set "[^"]*" address to "([^"]+)": cannot assign requested address|SIOCSIFHWADDR: [Cc]annot assign requested address|failed to create macvlan: cannot assign requested address/,
    build: (m) => ({
      checkId: 'pod-mac-invalid',
      subject: m[1],
      summary: `the kernel refused the requested MAC${m[1] ? ` ${m[1]}` : ''} (cannot assign requested address): a multicast or reserved address`,
    }),
  },
  {
    cause: 'mac-in-use',
    // macvlan: the kernel returns EADDRINUSE when another child of the master already has the MAC.
    test: /(?<!bind: )address already in use/,
    build: () => ({
      checkId: 'pod-mac-duplicate',
      summary: 'the MAC address is already used by another interface on the same master (address already in use)',
    }),
  },
  {
    cause: 'route-exists',
    test: /failed to add route '([^']*)': file exists/,
    build: (m) => ({
      checkId: 'nad-default-route',
      subject: m[1],
      summary: `the attachment's IPAM adds a route that already exists in the pod (${m[1]})`,
    }),
  },
  {
    cause: 'interface-exists',
    test: /interface name \S+ already exists|failed to rename \S+ (?:link )?to "[^"]+": file exists|validateIfName/,
    build: (_m, text) => {
      const name =
        /interface name (\S+) already exists/.exec(text)?.[1] ??
        /failed to rename \S+ (?:link )?to "([^"]+)": file exists/.exec(text)?.[1];
      // Multus calling a delegate that itself adds networks (two "error adding container" levels) is
      // the nested-delegates bug (00-multus.conf wrapping itself), not a pod mistake.
      const nested = (text.match(/error adding container to network "/g) ?? []).length >= 2;
      return {
        checkId: nested ? 'multus-conf-nested-delegates' : 'pod-interface-conflict',
        subject: name,
        summary: nested
          ? `interface name ${name ? `${name} ` : ''}is already taken because the multus config delegates to itself and adds the networks twice`
          : `interface name ${name ? `${name} ` : ''}is already taken in the pod (two attachments with one name)`,
      };
    },
  },
  {
    cause: 'master-config-missing',
    test: /cannot find valid master CNI config in "?([^"\s]*)"?|could not find a plugin configuration in (\S+)|failed to find the cluster master CNI plugin/,
    build: (m) => ({
      checkId: 'cni-primary-missing',
      subject: m[1] ?? m[2],
      summary: `multus found no primary CNI configuration to delegate to${(m[1] ?? m[2]) ? ` in ${m[1] ?? m[2]}` : ''}`,
    }),
  },
  {
    cause: 'flannel-not-ready',
    test: /open (\/run\/flannel\/subnet\.env): no such file or directory/,
    build: (m) => ({
      subject: m[1],
      summary: 'flannel is not running (or not ready) on this node: /run/flannel/subnet.env is missing',
    }),
  },
  {
    cause: 'cni-result-version',
    test: /unsupported CNI result version "([^"]+)"/,
    build: (m) => ({
      checkId: 'multus-cniversion-mismatch',
      subject: m[1],
      summary: `multus cannot read a CNI result of version ${m[1]} (multus v3.x with a cniVersion 1.0.0 config)`,
    }),
  },
  {
    cause: 'cni-version-unsupported',
    test: /incompatible CNI versions; config is "([^"]+)", plugin supports (\[[^\]]*\])/,
    build: (m) => ({
      checkId: 'nad-cniversion-unsupported',
      subject: m[1],
      summary: `the plugin does not support cniVersion ${m[1]} (it supports ${m[2]})`,
    }),
  },
  {
    cause: 'ip-is-gateway',
    test: /requested ip (\S+) is subnet's gateway/,
    build: (m) => ({
      checkId: 'pod-ips-invalid',
      subject: m[1],
      summary: `the requested IP ${m[1]} is the subnet's gateway`,
    }),
  },
  {
    // host-local: the address is inside the range but already reserved by another container.
    cause: 'ip-unavailable',
    test: /requested IP address (\S+) is not available in range set/,
    build: (m) => ({
      checkId: 'pod-ip-duplicate',
      subject: m[1],
      summary: `the requested IP ${m[1]} is already allocated to another pod`,
    }),
  },
  {
    cause: 'ip-out-of-range',
    test: /(\S+) not in range set /,
    build: (m) => ({
      checkId: 'pod-ips-invalid',
      subject: m[1],
      summary: `the requested IP ${m[1]} is outside the NAD's IPAM range`,
    }),
  },
  {
    cause: 'ip-not-cidr',
    test: /is expected to be in CIDR notation, got: '([^']*)'|NOT in CIDR notation, got: '([^']*)'/,
    build: (m) => ({
      checkId: 'pod-ips-invalid',
      subject: m[1] ?? m[2],
      summary: `static IPAM needs the requested IP in CIDR form (got ${m[1] ?? m[2]})`,
    }),
  },
  {
    cause: 'ipam-exhausted',
    test: /no IP addresses available in range set|Could not allocate IP in range/,
    build: () => ({ summary: 'the IPAM range is exhausted (or leaked reservations fill it)' }),
  },
  {
    cause: 'master-missing',
    test: /failed to lookup master "([^"]*)"|Link not found|failed to find host device/,
    build: (m) => ({
      checkId: 'nad-master-missing',
      subject: m[1],
      summary:
        m[1] !== undefined
          ? `the master interface "${m[1]}" does not exist on the node`
          : 'the master/host interface named by the NAD does not exist on the node (Link not found)',
    }),
  },
  {
    cause: 'mode-invalid',
    test: /unknown (macvlan|ipvlan) mode: "?([^"\s]*)"?/,
    build: (m) => ({ checkId: 'nad-mode-invalid', subject: m[2], summary: `"${m[2]}" is not a ${m[1]} mode` }),
  },
  {
    cause: 'mtu-invalid',
    test: /invalid MTU (\d+), must be \[0, master MTU\((\d+)\)\]/,
    build: (m) => ({
      checkId: 'nad-mtu-exceeds-master',
      subject: m[1],
      summary: `the NAD's MTU ${m[1]} exceeds the master's MTU ${m[2]}`,
    }),
  },
  {
    cause: 'master-busy',
    test: /failed to create (?:macvlan|ipvlan): device or resource busy/,
    build: () => ({
      checkId: 'nad-macvlan-ipvlan-same-master',
      summary: 'the master already carries children of the other kind (macvlan and ipvlan cannot share a parent)',
    }),
  },
  {
    cause: 'nad-config-invalid',
    test: /failed to unmarshal Spec\.Config|getCNIConfigFromSpec/,
    build: () => ({
      checkId: 'nad-config-invalid-json',
      summary: "the NetworkAttachmentDefinition's spec.config is not valid JSON",
    }),
  },
  {
    cause: 'nad-type-missing',
    test: /must have the 'type'|no 'type'; perhaps this is a \.conflist/,
    build: () => ({
      checkId: 'nad-type-missing',
      summary: 'the NAD configuration (or one of its plugins) has no "type"',
    }),
  },
  {
    cause: 'nad-config-missing',
    test: /No networks found in (\S+)|no network available in the name (\S+)/,
    build: (m) => ({
      checkId: 'nad-config-missing',
      subject: m[1] ?? m[2],
      summary: "the NAD has no spec.config and no matching file exists in multus's confDir on the node",
    }),
  },
  {
    cause: 'bridge-address-conflict',
    test: /"([^"]+)" already has an IP address different from (\S+)/,
    build: (m) => ({
      subject: m[1],
      summary: `bridge "${m[1]}" already has another address than ${m[2]} (two networks share one bridge name)`,
    }),
  },
  {
    cause: 'whereabouts-config-missing',
    test: /config file not found|you have not configured the storage engine/,
    build: () => ({
      checkId: 'whereabouts-missing',
      summary: 'whereabouts cannot find its configuration (whereabouts.conf / kubeconfig)',
    }),
  },
  {
    cause: 'whereabouts-range-invalid',
    test: /invalid CIDR \(do you have the 'range' parameter set for Whereabouts\?\)|invalid range start for CIDR/,
    build: () => ({ checkId: 'nad-ipam-range-invalid', summary: 'the whereabouts range in the NAD is invalid' }),
  },
  {
    // Not a multus problem: the kubelet could not reach the container runtime at all.
    cause: 'runtime-unavailable',
    test: /code = Unavailable desc = connection error: .*dial unix (\S+\.sock)/,
    build: (m) => ({
      subject: m[1],
      summary: `the kubelet could not reach the container runtime at ${m[1]} (runtime restarting or not running)`,
    }),
  },
];

/** Event text may be folded over lines by whoever stored it; match on one line. */
function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Classify one event message. Never throws; unknown text yields cause `unknown`. */
export function classifyEventMessage(message: string): EventClassification {
  const text = normalise(message ?? '');
  // Nested errors name several networks; the innermost (last) is the attachment that failed.
  const networks = [...text.matchAll(/error adding container to network "([^"]+)"/g)].map((m) => m[1]!);
  const network = networks[networks.length - 1];
  for (const r of RULES) {
    const m = r.test.exec(text);
    if (!m) continue;
    const out: EventClassification = { cause: r.cause, ...r.build(m, text) };
    if (network) out.network = network;
    return out;
  }
  const out: EventClassification = {
    cause: 'unknown',
    summary: 'the pod sandbox could not be created (unrecognised error text)',
  };
  if (network) out.network = network;
  return out;
}

/** Is this event one that says the pod's networking failed? */
export function isSandboxFailureEvent(e: { reason: string }): boolean {
  return SANDBOX_FAILURE_REASONS.has(e.reason);
}
