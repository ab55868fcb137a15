/** Registry of the pod checks: one import per check file, in CHECKS.md order. */
import type { Check } from '../types.js';
import { podNetworksAnnotationInvalid } from './pod-networks-annotation-invalid.js';
import { podNadNotFound } from './pod-nad-not-found.js';
import { podMacInvalid } from './pod-mac-invalid.js';
import { podMacWithoutCapability } from './pod-mac-without-capability.js';
import { podIpsWithoutCapability } from './pod-ips-without-capability.js';
import { podMacDuplicate } from './pod-mac-duplicate.js';
import { podIpDuplicate } from './pod-ip-duplicate.js';
import { podInterfaceConflict } from './pod-interface-conflict.js';
import { workloadAnnotationMisplaced } from './workload-annotation-misplaced.js';
import { podNamespaceIsolation } from './pod-namespace-isolation.js';
import { podSelectionUnknownKey } from './pod-selection-unknown-key.js';
import { podIpsInvalid } from './pod-ips-invalid.js';
import { podHostNetwork } from './pod-host-network.js';
import { podNetworkStatusMissing } from './pod-network-status-missing.js';
import { podSandboxFailed } from './pod-sandbox-failed.js';

export const podChecks: Check[] = [
  podNetworksAnnotationInvalid,
  podNadNotFound,
  podMacInvalid,
  podMacWithoutCapability,
  podIpsWithoutCapability,
  podMacDuplicate,
  podIpDuplicate,
  podInterfaceConflict,
  workloadAnnotationMisplaced,
  podNamespaceIsolation,
  podSelectionUnknownKey,
  podIpsInvalid,
  podHostNetwork,
  podNetworkStatusMissing,
  podSandboxFailed,
];
