/** Registry of the flannel checks: one import per check file, in CHECKS.md order. */
import type { Check } from '../types.js';

export const flannelChecks: Check[] = [];
