/** Structural comparison of parsed JSON: the first path where two values differ (key order ignored). */
import type { JsonValue } from './cni-config.js';

interface JsonDifference {
  path: Array<string | number>;
  left: JsonValue | undefined;
  right: JsonValue | undefined;
}

function kind(v: JsonValue | undefined): string {
  return v === undefined ? 'undefined' : v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

export function firstDifference(
  left: JsonValue | undefined,
  right: JsonValue | undefined,
  ignore: Set<string> = new Set(),
  path: Array<string | number> = [],
): JsonDifference | undefined {
  if (kind(left) !== kind(right)) return { path, left, right };
  if (Array.isArray(left) && Array.isArray(right)) {
    for (let i = 0; i < Math.max(left.length, right.length); i++) {
      const d = firstDifference(left[i], right[i], ignore, [...path, i]);
      if (d) return d;
    }
    return undefined;
  }
  if (kind(left) === 'object') {
    const l = left as Record<string, JsonValue>;
    const r = right as Record<string, JsonValue>;
    for (const k of [...new Set([...Object.keys(l), ...Object.keys(r)])].sort()) {
      if (path.length === 0 && ignore.has(k)) continue;
      const d = firstDifference(l[k], r[k], ignore, [...path, k]);
      if (d) return d;
    }
    return undefined;
  }
  return left === right ? undefined : { path, left, right };
}
