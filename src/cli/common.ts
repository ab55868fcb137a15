import { CHECK_IDS } from '../checks/index.js';
import { UsageError } from './exit.js';

/** Split comma lists and refuse unknown ids: a typo in an ignore list should not silently do nothing. */
export function validateIgnoreIds(ids: string[]): string[] {
  const flat = ids
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  const known = new Set(CHECK_IDS);
  const unknown = flat.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown check id${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (see \`kubectl multus explain --list\`)`,
    );
  }
  return flat;
}
