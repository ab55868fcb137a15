/**
 * The test pod: asks for the NAD in the JSON form of the networks annotation, pinned to its node
 * with nodeName, tolerating every taint (the node was chosen on purpose), labelled so `cleanup`
 * finds it, with an activeDeadlineSeconds backstop, and without privileges: all capabilities
 * dropped except NET_RAW for ping (in containerd's default set, not CRI-O's; allowed by the "baseline"
 * Pod Security level), no privilege escalation, read-only root, no service account token.
 */
import { createHash } from 'node:crypto';
import { NETWORKS_ANNOTATION } from '../model/networks-annotation.js';
import { MANAGED_BY, RUN_ID_LABEL } from '../collect/inspector-pod.js';

export { RUN_ID_LABEL };
export const COMPONENT_LABEL = 'app.kubernetes.io/component';
const PROBE_COMPONENT = 'probe';
/** Everything this tool creates (probe and node-inspector pods) carries this label. */
export const MANAGED_SELECTOR = 'app.kubernetes.io/managed-by=kubectl-multus';
export const PROBE_CONTAINER = 'probe';
/** Which NAD a test pod probes (for `cleanup` output and people reading `kubectl get pods`). */
export const NAD_ANNOTATION = 'kubectl-multus.io/probe-nad';

export interface ProbePodPlan {
  name: string;
  namespace: string;
  /** Undefined when nodes could not be listed: the scheduler places the pod. */
  node?: string;
  nad: { namespace: string; name: string };
  interface: string;
  mac?: string;
  ips?: string[];
}

export function probePodName(runId: string, index: number, node: string | undefined): string {
  // The node's hash keeps names short and valid whatever the node is called.
  const h = createHash('sha256')
    .update(node ?? '')
    .digest('hex')
    .slice(0, 6);
  return `kubectl-multus-probe-${runId}-${index}-${h}`;
}

function networksValue(p: ProbePodPlan): string {
  const el: Record<string, unknown> = { name: p.nad.name, namespace: p.nad.namespace, interface: p.interface };
  if (p.mac) el['mac'] = p.mac;
  if (p.ips?.length) el['ips'] = p.ips;
  return JSON.stringify([el]);
}

export function probePodManifest(
  p: ProbePodPlan,
  o: { image: string; runId: string; deadlineSeconds: number; ping: boolean },
): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: p.namespace,
      labels: { ...MANAGED_BY, [COMPONENT_LABEL]: PROBE_COMPONENT, [RUN_ID_LABEL]: o.runId },
      annotations: { [NETWORKS_ANNOTATION]: networksValue(p), [NAD_ANNOTATION]: `${p.nad.namespace}/${p.nad.name}` },
    },
    spec: {
      ...(p.node ? { nodeName: p.node } : {}),
      restartPolicy: 'Never',
      activeDeadlineSeconds: o.deadlineSeconds,
      terminationGracePeriodSeconds: 0,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      tolerations: [{ operator: 'Exists' }],
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: PROBE_CONTAINER,
          image: o.image,
          command: ['sleep', String(o.deadlineSeconds)],
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } },
          securityContext: {
            privileged: false,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'], ...(o.ping ? { add: ['NET_RAW'] } : {}) },
          },
        },
      ],
    },
  };
}
