/** The shapes `attach`/`detach` decide with: request, context, refusal, note, plan. */
import type { KubeObject } from '../cluster/client.js';
import type { NadObject, WorkloadObject } from '../snapshot/types.js';
import type { JsonObject } from '../model/cni-config.js';
import type { KindInfo } from './kinds.js';
import type { NetworkRef } from './entries.js';

export type MacMode = 'keep' | 'auto' | 'stable' | 'explicit';

export interface AttachRequest {
  /** `[ns/]name` as given; no namespace = the workload's. */
  network: { namespace?: string; name: string };
  interface?: string;
  mac?: { mode: MacMode; value?: string };
  ips?: string[];
  hostNetwork: 'false' | 'keep';
  overwrite: boolean;
  force: boolean;
  /** Only print the resulting object (`--dry-run=client -o json|yaml`): allowed for a bare Pod, to pipe into `kubectl replace --force`. */
  renderOnly?: boolean;
}

export interface DetachRequest {
  network: { namespace?: string; name: string };
  interface?: string;
  renderOnly?: boolean;
}

export interface PlanContext {
  /** The object as read from the API server. */
  object: KubeObject;
  kind: KindInfo;
  /** NADs of the network's namespace that were read (the one attached, and its neighbours for "did you mean"). */
  nads: NadObject[];
  /** The NAD CRD is not served: no NAD can exist. */
  nadCrdMissing?: boolean;
  /** Pods and workloads of the workload's namespace (collector view); undefined when not read. */
  neighbours?: WorkloadObject[];
  random: (n: number) => Uint8Array;
  /** Global kubectl flags to repeat in printed commands (`--context X`, `--kubeconfig F`). */
  kubectlFlags?: string[];
}

export interface Refusal {
  checkId: string;
  message: string;
  fix: string;
  /** Refused because it is risky rather than impossible: `--force` proceeds. */
  forceable?: boolean;
}

export interface Note {
  id?: string;
  severity: 'warning' | 'info';
  message: string;
  fix?: string;
}

export interface Expected {
  network: NetworkRef;
  interface: string;
  mac?: string;
  ips?: string[];
}

export type Rollout =
  'rolling' | 'recreate' | 'on-delete' | 'paused' | 'none' | 'next-run' | 'on-resume' | 'recreate-pod';

export interface Plan {
  action: 'attach' | 'detach';
  subject: { kind: string; namespace: string; name: string };
  /** The network attached or detached. */
  network: NetworkRef;
  /** `deployment.apps/web` */
  ref: string;
  /** Where the annotation lives: `spec.template.metadata.annotations`. */
  annotationPath: string;
  noop: boolean;
  before?: string;
  /** undefined: the annotation is (or stays) absent. */
  after?: string;
  diff: Array<{ op: ' ' | '-' | '+'; text: string }>;
  hostNetwork?: { path: string; from: boolean; to: boolean };
  notes: Note[];
  /** Merge patch to send (without the resourceVersion precondition); absent for a no-op. */
  patch?: JsonObject;
  /** The equivalent `kubectl patch` command, quoted for a POSIX shell. */
  command?: string;
  /** The object as it will be after the patch. */
  result: KubeObject;
  /** attach: what a new pod's network-status should show. */
  expected?: Expected;
  rollout: Rollout;
}

export type PlanResult =
  { ok: true; plan: Plan } | { ok: false; refusals: Refusal[]; notes: Note[]; subject: Plan['subject']; ref: string };
