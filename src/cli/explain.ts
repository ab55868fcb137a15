/** `kubectl multus explain CHECK-ID`: the check's page (what, why, fix per distribution). */
import { ALL_CHECKS, findCheck } from '../checks/index.js';
import { CHECK_PAGES } from '../generated/check-pages.js';
import { UsageError } from './exit.js';
import type { Io } from './io.js';

function closest(id: string): string | undefined {
  const dist = (a: string, b: string) => {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0]![j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++)
        d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length]![b.length]!;
  };
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of ALL_CHECKS) {
    const x = dist(id, c.meta.id);
    if (x < bestD) [best, bestD] = [c.meta.id, x];
  }
  return bestD <= Math.max(3, id.length / 3) ? best : undefined;
}

export function runExplain(io: Io, id: string | undefined, list: boolean, output: 'text' | 'json'): number {
  if (list || !id) {
    if (output === 'json') {
      io.out(JSON.stringify(ALL_CHECKS.map((c) => c.meta), null, 2) + '\n');
      return 0;
    }
    const w = Math.max(...ALL_CHECKS.map((c) => c.meta.id.length));
    io.out(`${'ID'.padEnd(w)}  SEVERITY  SCOPE    TITLE\n`);
    for (const c of ALL_CHECKS) io.out(`${c.meta.id.padEnd(w)}  ${c.meta.severity.padEnd(8)}  ${c.meta.scope.padEnd(7)}  ${c.meta.title}\n`);
    return 0;
  }
  const check = findCheck(id);
  if (!check) {
    const s = closest(id);
    throw new UsageError(`unknown check id "${id}"${s ? `; did you mean "${s}"?` : ''} (list them with \`kubectl multus explain --list\`)`);
  }
  if (output === 'json') {
    io.out(JSON.stringify({ ...check.meta, page: CHECK_PAGES[id] ?? '' }, null, 2) + '\n');
    return 0;
  }
  const page = CHECK_PAGES[id];
  if (page) io.out(page.endsWith('\n') ? page : page + '\n');
  else io.out(`# ${id}: ${check.meta.title}\n\nSeverity: ${check.meta.severity}\n\n${check.meta.doc}\n`);
  return 0;
}
