import { stringify } from 'yaml';
import type { ListReport, Report } from './contract.js';

export function renderYaml(r: Report | ListReport<unknown>): string {
  return stringify(r, { lineWidth: 0 });
}
