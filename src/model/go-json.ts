/**
 * How CNI plugins (all Go, encoding/json) read object keys: a key matches a struct field by exact
 * name or, failing that, case-insensitively, and when several keys match one field the last one
 * in the document wins. Checks must read configs the same way, or they judge a value the plugin
 * never sees (or miss one it does): `"rangestart"` *is* host-local's `rangeStart`.
 */
import type { JsonObject, JsonValue } from './cni-config.js';

/** The key in `obj` that a Go struct field named `field` would be filled from, if any. */
export function goKey(obj: JsonObject, field: string): string | undefined {
  const folded = field.toLowerCase();
  let found: string | undefined;
  for (const k of Object.keys(obj)) {
    if (k === field || k.toLowerCase() === folded) found = k;
  }
  return found;
}

/** The value a Go struct field named `field` would receive from `obj`. */
export function goGet(obj: JsonObject, field: string): JsonValue | undefined {
  const k = goKey(obj, field);
  return k === undefined ? undefined : obj[k];
}

/** A string field as Go would read it (undefined when absent or not a string). */
export function goString(obj: JsonObject, field: string): string | undefined {
  const v = goGet(obj, field);
  return typeof v === 'string' ? v : undefined;
}
