import type { ListReport, Report } from './contract.js';

export function renderJson(r: Report | ListReport<unknown>): string {
  return JSON.stringify(r, null, 2) + '\n';
}
