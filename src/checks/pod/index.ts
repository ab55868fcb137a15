/** Registry of the pod checks: one import per check file, in CHECKS.md order. */
import type { Check } from '../types.js';

export const podChecks: Check[] = [];
