/** `kubectl multus explain CHECK-ID`: the check's page (what, why, fix per distribution). */
import { ALL_CHECKS, CHECK_IDS, findCheck } from '../checks/index.js';
import { editDistance } from '../model/suggest.js';
import { CHECK_PAGES } from '../generated/check-pages.js';
import { UsageError } from './exit.js';
import type { Io } from './io.js';

/** The nearest known id (a check, or another id with a page such as attach's refusals), if close enough. */
function closest(id: string): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const known of [...CHECK_IDS, ...Object.keys(CHECK_PAGES).filter((p) => !findCheck(p))]) {
    const x = editDistance(id, known, { transpositions: false });
    if (x < bestD) [best, bestD] = [known, x];
  }
  return bestD <= Math.max(3, id.length / 3) ? best : undefined;
}

export function runExplain(io: Io, id: string | undefined, list: boolean, output: 'text' | 'json'): number {
  if (list || !id) {
    if (output === 'json') {
      io.out(
        JSON.stringify(
          ALL_CHECKS.map((c) => ({ ...c.meta, fixable: c.meta.fixable ?? [] })),
          null,
          2,
        ) + '\n',
      );
      return 0;
    }
    const w = Math.max(...ALL_CHECKS.map((c) => c.meta.id.length));
    // FIXABLE: what `--fix` can apply (files: lint --fix, cluster: check --fix); '-' means print-only.
    const fixable = (c: (typeof ALL_CHECKS)[number]) => (c.meta.fixable?.length ? c.meta.fixable.join(',') : '-');
    io.out(`${'ID'.padEnd(w)}  SEVERITY  SCOPE    FIXABLE        TITLE\n`);
    for (const c of ALL_CHECKS)
      io.out(
        `${c.meta.id.padEnd(w)}  ${c.meta.severity.padEnd(8)}  ${c.meta.scope.padEnd(7)}  ${fixable(c).padEnd(13)}  ${c.meta.title}\n`,
      );
    return 0;
  }
  const check = findCheck(id);
  const page = CHECK_PAGES[id];
  if (!check && page) {
    // An id that is not a registry check but that users see (attach/detach refusals): its page.
    if (output === 'json') io.out(JSON.stringify({ id, page }, null, 2) + '\n');
    else io.out(page.endsWith('\n') ? page : page + '\n');
    return 0;
  }
  if (!check) {
    const s = closest(id);
    throw new UsageError(
      `unknown check id "${id}"${s ? `; did you mean "${s}"?` : ''} (list them with \`kubectl multus explain --list\`)`,
    );
  }
  if (output === 'json') {
    io.out(JSON.stringify({ ...check.meta, page: CHECK_PAGES[id] ?? '' }, null, 2) + '\n');
    return 0;
  }
  if (page) io.out(page.endsWith('\n') ? page : page + '\n');
  else io.out(`# ${id}: ${check.meta.title}\n\nSeverity: ${check.meta.severity}\n\n${check.meta.doc}\n`);
  return 0;
}
