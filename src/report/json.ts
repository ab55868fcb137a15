import type { Report } from './contract.js';

export function renderJson(r: Report): string {
  return JSON.stringify(r, null, 2) + '\n';
}
