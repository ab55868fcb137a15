/**
 * In-memory object store: one map per group/resource, keys in etcd order ("ns/name"), a global
 * resourceVersion counter, and a bounded event history for watches.
 */
import type { KObj } from './scenario.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  gr: string;
  object: KObj;
  rv: number;
}

const HISTORY = 5000;

const keyOf = (namespace: string | undefined, name: string): string => (namespace ? `${namespace}/${name}` : name);

export class Store {
  private rv = 1000;
  private readonly data = new Map<string, Map<string, KObj>>();
  private readonly sortedKeys = new Map<string, string[]>();
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  private readonly history: StoreEvent[] = [];

  get resourceVersion(): number {
    return this.rv;
  }

  nextRv(): number {
    return ++this.rv;
  }

  private table(gr: string): Map<string, KObj> {
    let t = this.data.get(gr);
    if (!t) {
      t = new Map();
      this.data.set(gr, t);
    }
    return t;
  }

  /** The stored object itself: callers must not mutate it (clone first). */
  peek(gr: string, namespace: string | undefined, name: string): KObj | undefined {
    return this.data.get(gr)?.get(keyOf(namespace, name));
  }

  get(gr: string, namespace: string | undefined, name: string): KObj | undefined {
    const o = this.peek(gr, namespace, name);
    return o ? structuredClone(o) : undefined;
  }

  /** Sorted keys (cached until the next write to this resource). */
  keys(gr: string): string[] {
    let k = this.sortedKeys.get(gr);
    if (!k) {
      k = [...this.table(gr).keys()].sort();
      this.sortedKeys.set(gr, k);
    }
    return k;
  }

  /** Stored objects in key order, optionally one namespace (not cloned). */
  peekAll(gr: string, namespace?: string): KObj[] {
    const t = this.table(gr);
    const keys = this.keys(gr);
    const out: KObj[] = [];
    for (const k of keys) {
      const o = t.get(k)!;
      if (!namespace || o['metadata']?.namespace === namespace) out.push(o);
    }
    return out;
  }

  peekKey(gr: string, key: string): KObj | undefined {
    return this.data.get(gr)?.get(key);
  }

  /** Stores (creates or replaces) and stamps a new resourceVersion. Returns a clone. */
  put(gr: string, obj: KObj): KObj {
    const md = obj['metadata'];
    const key = keyOf(md.namespace, md.name);
    const t = this.table(gr);
    const existed = t.has(key);
    const rv = this.nextRv();
    const stored = structuredClone(obj);
    stored['metadata'].resourceVersion = String(rv);
    t.set(key, stored);
    if (!existed) this.sortedKeys.delete(gr);
    this.emit({ type: existed ? 'MODIFIED' : 'ADDED', gr, object: stored, rv });
    return structuredClone(stored);
  }

  /** Like put, but takes ownership of `obj` (no copies): for bulk loading fresh objects. */
  adopt(gr: string, obj: KObj): KObj {
    const md = obj['metadata'];
    const key = keyOf(md.namespace, md.name);
    const t = this.table(gr);
    const existed = t.has(key);
    const rv = this.nextRv();
    md.resourceVersion = String(rv);
    t.set(key, obj);
    if (!existed) this.sortedKeys.delete(gr);
    this.emit({ type: existed ? 'MODIFIED' : 'ADDED', gr, object: obj, rv });
    return obj;
  }

  delete(gr: string, namespace: string | undefined, name: string): KObj | undefined {
    const t = this.table(gr);
    const key = keyOf(namespace, name);
    const o = t.get(key);
    if (!o) return undefined;
    t.delete(key);
    this.sortedKeys.delete(gr);
    const rv = this.nextRv();
    const gone = structuredClone(o);
    gone['metadata'].resourceVersion = String(rv);
    this.emit({ type: 'DELETED', gr, object: gone, rv });
    return structuredClone(gone);
  }

  private emit(e: StoreEvent): void {
    this.history.push(e);
    // trim in batches: splicing one element per write is quadratic on large scenarios
    if (this.history.length > 2 * HISTORY) this.history.splice(0, this.history.length - HISTORY);
    for (const l of this.listeners) l(e);
  }

  /** Events after `rv` still in the history, or undefined when it is too old (410 Gone). */
  since(rv: number): StoreEvent[] | undefined {
    const first = this.history[0];
    if (first && first.rv > rv + 1 && rv < this.rv) return undefined;
    return this.history.filter((e) => e.rv > rv);
  }

  subscribe(fn: (e: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  groupResources(): string[] {
    return [...this.data.keys()];
  }
}
