/**
 * The three patch types kubectl and client libraries send: JSON merge patch (RFC 7386), JSON
 * patch (RFC 6902) and strategic merge patch (lists of containers, volumes, env, … merged by
 * their merge key, `$patch` directives) for built-in kinds.
 */
import type { KObj } from './scenario.js';
import { ApiError } from './status.js';

const isObj = (v: unknown): v is KObj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return patch;
  const out: KObj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

// ---- JSON patch ----

const rejected = (): ApiError =>
  new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});

function pointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw rejected();
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, path: string[]): { parent: KObj | unknown[]; key: string } {
  let cur: unknown = doc;
  for (const seg of path.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isObj(cur)) cur = cur[seg];
    else throw rejected();
    if (cur === undefined) throw rejected();
  }
  if (!Array.isArray(cur) && !isObj(cur)) throw rejected();
  return { parent: cur, key: path[path.length - 1]! };
}

function getAt(doc: unknown, path: string[]): unknown {
  let cur = doc;
  for (const seg of path) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isObj(cur)) cur = cur[seg];
    else throw rejected();
    if (cur === undefined) throw rejected();
  }
  return cur;
}

function index(arr: unknown[], key: string, forAdd: boolean): number {
  if (forAdd && key === '-') return arr.length;
  if (!/^\d+$/.test(key)) throw rejected();
  const i = Number(key);
  if (i > arr.length || (!forAdd && i >= arr.length)) throw rejected();
  return i;
}

function add(doc: unknown, path: string[], value: unknown): unknown {
  if (!path.length) return value;
  const { parent, key } = parentOf(doc, path);
  if (Array.isArray(parent)) parent.splice(index(parent, key, true), 0, value);
  else parent[key] = value;
  return doc;
}

function remove(doc: unknown, path: string[]): unknown {
  if (!path.length) throw rejected();
  const { parent, key } = parentOf(doc, path);
  if (Array.isArray(parent)) parent.splice(index(parent, key, false), 1);
  else {
    if (!(key in parent)) throw rejected();
    delete parent[key];
  }
  return doc;
}

export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw new ApiError(400, 'BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let d = structuredClone(doc);
  for (const op of ops) {
    if (!isObj(op) || typeof op['path'] !== 'string') throw rejected();
    const path = pointer(op['path']);
    switch (op['op']) {
      case 'add':
        d = add(d, path, structuredClone(op['value']));
        break;
      case 'remove':
        d = remove(d, path);
        break;
      case 'replace':
        getAt(d, path);
        d = path.length ? add(remove(d, path), path, structuredClone(op['value'])) : structuredClone(op['value']);
        break;
      case 'move': {
        const from = pointer(String(op['from']));
        const v = getAt(d, from);
        d = add(remove(d, from), path, v);
        break;
      }
      case 'copy':
        d = add(d, path, structuredClone(getAt(d, pointer(String(op['from'])))));
        break;
      case 'test':
        if (JSON.stringify(getAt(d, path)) !== JSON.stringify(op['value'])) throw rejected();
        break;
      default:
        throw rejected();
    }
  }
  return d;
}

// ---- strategic merge patch ----

/** Merge keys of list fields in core/apps/batch types (by field name; `ports` depends on the item). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  env: 'name',
  imagePullSecrets: 'name',
  conditions: 'type',
  hostAliases: 'ip',
  ownerReferences: 'uid',
  taints: 'key',
};
/** Primitive lists whose patch strategy is merge (union) rather than replace. */
const MERGE_PRIMITIVES = new Set(['finalizers']);

function mergeKeyFor(field: string, sample: KObj | undefined): string | undefined {
  if (field === 'ports') return sample && 'containerPort' in sample ? 'containerPort' : 'port';
  return MERGE_KEYS[field];
}

function mergeList(field: string, orig: unknown, patch: unknown[]): unknown[] {
  const base = Array.isArray(orig) ? [...orig] : [];
  if (patch.some((p) => isObj(p) && p['$patch'] === 'replace'))
    return patch.filter((p) => !(isObj(p) && p['$patch'] === 'replace'));
  if (MERGE_PRIMITIVES.has(field)) return [...base, ...patch.filter((p) => !base.includes(p))];
  const key = mergeKeyFor(field, patch.find(isObj) ?? base.find(isObj));
  if (!key || !patch.every(isObj)) return patch;
  for (const p of patch as KObj[]) {
    const i = base.findIndex((b) => isObj(b) && b[key] === p[key]);
    if (p['$patch'] === 'delete') {
      if (i >= 0) base.splice(i, 1);
    } else if (i >= 0) base[i] = strategicMerge(base[i], p);
    else base.push(strategicMerge(undefined, p));
  }
  return base;
}

export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return patch;
  if (patch['$patch'] === 'replace') {
    const { $patch: _, ...rest } = patch;
    return rest;
  }
  const out: KObj = isObj(target) ? { ...target } : {};
  const retain = Array.isArray(patch['$retainKeys']) ? (patch['$retainKeys'] as string[]) : undefined;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const f = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[f]) && Array.isArray(v)) out[f] = (out[f] as unknown[]).filter((x) => !v.includes(x));
      continue;
    }
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = mergeList(k, out[k], v);
    else if (isObj(v)) {
      if (v['$patch'] === 'delete') delete out[k];
      else out[k] = strategicMerge(out[k], v);
    } else out[k] = v;
  }
  if (retain) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  return out;
}
