/**
 * "Did you mean …?" for misspelled keys and plugin names: edit distance with transpositions,
 * ignoring case and `-`/`_` differences first, because those are the usual slips
 * (`rangestart`, `range_start`, `host_local`, `mastr`, `macvlna`).
 */

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), or plain
 * Levenshtein with `transpositions: false` (what NAD-name and check-id suggestions use).
 */
export function editDistance(a: string, b: string, opts: { transpositions?: boolean } = {}): number {
  const transpositions = opts.transpositions ?? true;
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => {
    const row = new Array<number>(n + 1).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j <= n; j++) d[0]![j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (transpositions && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[m]![n]!;
}

/** Lower-case and drop `-`/`_`, so `range_start`, `rangeStart` and `RangeStart` compare equal. */
export function normalizeKey(s: string): string {
  return s.toLowerCase().replace(/[-_]/g, '');
}

/** Largest edit distance still treated as a slip, by length: short words need a closer match. */
function tolerance(len: number): number {
  if (len <= 3) return 0;
  if (len <= 5) return 1;
  return 2;
}

/**
 * The candidate the word most likely meant, or undefined when nothing is close enough.
 * Exact candidates are never returned (the caller already knows those are fine).
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const nw = normalizeKey(word);
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c === word) return undefined;
    const nc = normalizeKey(c);
    const d = nc === nw ? 0 : editDistance(nw, nc);
    if (d < bestD && d <= tolerance(Math.min(nw.length, nc.length))) {
      best = c;
      bestD = d;
    }
  }
  return best;
}
