/**
 * Injected faults that are not authorization (403s live in auth.ts): latency per request, a 409
 * Conflict on the first update/patch of a named object, and generic HTTP errors (500, 503, 429…)
 * for matching requests, optionally only the first N times.
 */
import type { RequestInfo } from './request-info.js';
import type { FaultSpec } from './scenario.js';
import { injected, type ApiError } from './status.js';

const has = (list: string[] | undefined, v: string | undefined): boolean =>
  !list || list.includes('*') || (v !== undefined && list.includes(v));

export class Faults {
  latencyMs: number;
  private readonly conflictsLeft: Set<string>;
  private readonly errorCounts: number[];
  private readonly resetCounts: number[];

  constructor(private readonly spec: FaultSpec) {
    this.latencyMs = spec.latencyMs ?? 0;
    this.conflictsLeft = new Set((spec.conflictOnce ?? []).map((c) => `${c.resource}/${c.namespace ?? ''}/${c.name}`));
    this.errorCounts = (spec.errors ?? []).map(() => 0);
    this.resetCounts = (spec.resets ?? []).map(() => 0);
  }

  /** True when this request's response is to be cut off by a connection reset. */
  takeReset(info: RequestInfo): boolean {
    const rules = this.spec.resets ?? [];
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!;
      const res = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
      if (
        !has(r.verbs, info.verb) ||
        !(has(r.resources, res) || has(r.resources, info.resource)) ||
        !has(r.namespaces, info.namespace) ||
        !has(r.names, info.name)
      )
        continue;
      if (this.resetCounts[i]! >= (r.times ?? 1)) continue;
      this.resetCounts[i]!++;
      return true;
    }
    return false;
  }

  /** True once per configured object: the caller answers 409 Conflict. */
  takeConflict(resource: string, namespace: string | undefined, name: string): boolean {
    return this.conflictsLeft.delete(`${resource}/${namespace ?? ''}/${name}`);
  }

  injectedError(info: RequestInfo): ApiError | undefined {
    const rules = this.spec.errors ?? [];
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!;
      const res = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
      if (
        !has(r.verbs, info.verb) ||
        !(has(r.resources, res) || has(r.resources, info.resource)) ||
        !has(r.namespaces, info.namespace) ||
        !has(r.names, info.name)
      )
        continue;
      if (r.times !== undefined && this.errorCounts[i]! >= r.times) continue;
      this.errorCounts[i]!++;
      return injected(r.code, r.message);
    }
    return undefined;
  }
}
