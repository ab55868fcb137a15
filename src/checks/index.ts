/** The check registry: every check in CHECKS.md, grouped as the catalogue groups them. */
import type { Check } from './types.js';
import { installChecks } from './install/index.js';
import { nadChecks } from './nad/index.js';
import { podChecks } from './pod/index.js';
import { flannelChecks } from './flannel/index.js';
import { probeChecks } from './probe/index.js';

export const ALL_CHECKS: Check[] = [...installChecks, ...nadChecks, ...podChecks, ...flannelChecks, ...probeChecks];

export function findCheck(id: string): Check | undefined {
  return ALL_CHECKS.find((c) => c.meta.id === id);
}

export const CHECK_IDS: string[] = ALL_CHECKS.map((c) => c.meta.id);
