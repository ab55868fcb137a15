/**
 * Keys that come from users or clusters (a NAD's "type", an interface name, a label) are never
 * looked up through a plain object's prototype: `RESERVED["constructor"]` is Object itself, and
 * `out["__proto__"] = v` replaces a prototype instead of storing a key.
 */

/** `table[key]` when `key` is the table's own property, else undefined. */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** An empty record without a prototype, for maps keyed by user data. */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
