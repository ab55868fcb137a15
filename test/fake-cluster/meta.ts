/** Metadata the apiserver stamps on new objects (uid, timestamps, generation, generateName). */
import { randomUUID } from 'node:crypto';
import type { ResourceType } from './resources.js';
import type { KObj } from './scenario.js';
import { suffixFor, uidFor } from './pods.js';

export const apiVersionOf = (rt: ResourceType, version: string): string =>
  rt.group ? `${rt.group}/${version}` : version;

/** Kinds whose spec changes bump metadata.generation. */
export function hasGeneration(rt: ResourceType): boolean {
  return rt.crd === true || ['apps', 'batch', 'networking.k8s.io', 'apiextensions.k8s.io'].includes(rt.group);
}

export interface StampOpts {
  now: string;
  /** deterministic uid seed (scenario objects); random when absent */
  seed?: string;
}

/** Fills server-set metadata on an object about to be created (mutates and returns it). */
export function stampNew(obj: KObj, rt: ResourceType, namespace: string | undefined, o: StampOpts): KObj {
  obj['metadata'] ??= {};
  const md = obj['metadata'];
  if (!md.name && md.generateName) md.name = `${md.generateName}${suffixFor(o.seed ?? randomUUID())}`;
  if (rt.namespaced) md.namespace = namespace ?? md.namespace ?? 'default';
  else delete md.namespace;
  md.uid ??= o.seed ? uidFor(o.seed) : randomUUID();
  md.creationTimestamp ??= o.now;
  if (hasGeneration(rt)) md.generation ??= 1;
  delete md.resourceVersion;
  return obj;
}

export const nowIso = (): string => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
