import { stringify } from 'yaml';
import type { Report } from './contract.js';

export function renderYaml(r: Report): string {
  return stringify(r, { lineWidth: 0 });
}
