/** Registry of the NetworkAttachmentDefinition checks: one import per check file, in CHECKS.md order. */
import type { Check } from '../types.js';
import { nadConfigInvalidJson } from './nad-config-invalid-json.js';

export const nadChecks: Check[] = [nadConfigInvalidJson];
