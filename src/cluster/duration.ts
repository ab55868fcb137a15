/**
 * The longest duration a Node timer can wait: setTimeout takes a signed 32-bit millisecond count,
 * and anything larger (≥ 2^31 ms, about 596 h) fires at once, so `--timeout 600h` would cancel
 * the run immediately. Longer durations are refused (exit 3) instead of wrapping.
 */
const MAX_DURATION_MS = 2 ** 31 - 1;

/** A duration over MAX_DURATION_MS; the CLI reports it as bad usage (exit 3). */
export class DurationTooLong extends Error {}

/**
 * kubectl's durations: `0` (none), a bare number of seconds, or Go-style `30s`, `1m`, `1h2m`, `500ms`.
 * Throws DurationTooLong above MAX_DURATION_MS; `flag` names the flag in that message.
 */
export function parseDuration(text: string, flag?: string): number | undefined {
  const ms = parseDurationUnbounded(text);
  if (ms !== undefined && ms > MAX_DURATION_MS) {
    const what = flag ? `--${flag} "${text}"` : `duration "${text}"`;
    throw new DurationTooLong(
      `${what} is too long: the longest is 596h (2^31-1 ms); use 0 for no limit where the flag allows it`,
    );
  }
  return ms;
}

function parseDurationUnbounded(text: string): number | undefined {
  const t = text.trim();
  if (t === '0') return 0;
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(parseFloat(t) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t))) {
    const n = parseFloat(m[1]!);
    total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
    pos = re.lastIndex;
  }
  return pos === t.length && pos > 0 ? Math.round(total) : undefined;
}
