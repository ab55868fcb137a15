/** Registry of the probe checks: one import per check file, in CHECKS.md order. */
import type { Check } from '../types.js';
import { probePodNotStarted } from './probe-pod-not-started.js';
import { probeInterfaceMissing } from './probe-interface-missing.js';
import { probeAddressMissing } from './probe-address-missing.js';
import { probeAddressOutOfRange } from './probe-address-out-of-range.js';
import { probeMacMismatch } from './probe-mac-mismatch.js';
import { probeStatusMismatch } from './probe-status-mismatch.js';
import { probePeerUnreachable } from './probe-peer-unreachable.js';

export const probeChecks: Check[] = [
  probePodNotStarted,
  probeInterfaceMissing,
  probeAddressMissing,
  probeAddressOutOfRange,
  probeMacMismatch,
  probeStatusMismatch,
  probePeerUnreachable,
];
