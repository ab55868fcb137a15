/** Registry of the install checks: one import per check file, in CHECKS.md order. */
import type { Check } from '../types.js';

export const installChecks: Check[] = [];
