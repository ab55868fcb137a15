/**
 * REST semantics of the resource endpoints: get/list (pagination with limit/continue, label and
 * field selectors, Table output), watch, create/update/patch/delete/deletecollection with
 * server-side dry-run, resourceVersion preconditions, ownerReference cascading, pod logs and
 * access reviews. Transport, authentication and exec live in server.ts.
 */
import type { ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { Auth, UserInfo } from './auth.js';
import type { Faults } from './faults.js';
import { apiVersionOf, hasGeneration, nowIso, stampNew } from './meta.js';
import { jsonPatch, mergePatch, strategicMerge } from './patch.js';
import { containerRunning } from './pods.js';
import { daemonSetPods, dsStatus, podDefaults, settlePod } from './populate.js';
import type { RequestInfo } from './request-info.js';
import type { ResourceType } from './resources.js';
import type { KObj } from './scenario.js';
import { fieldSelector, labelSelector } from './selectors.js';
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  methodNotAllowed,
  notFound,
  notFoundPath,
  unsupportedMediaType,
} from './status.js';
import type { StoreEvent } from './store.js';
import { toTable, wantsTable } from './tables.js';
import { validateAndDefault } from './validate.js';
import type { World } from './world.js';

export interface Reply {
  code: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  /** streaming body (watch); the function owns the response */
  stream?: (res: ServerResponse) => void;
}

export interface RestRequest {
  method: string;
  url: URL;
  info: RequestInfo;
  accept: string | undefined;
  contentType: string;
  body: Buffer;
  user: UserInfo;
}

const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

function encodeContinue(key: string, rv: number): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: `${key}\u0000` })).toString('base64');
}
function decodeContinue(token: string): string {
  try {
    const o = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (typeof o.start !== 'string') throw new Error('no start');
    return o.start;
  } catch {
    throw badRequest(`continue key is not valid: ${JSON.stringify(token)}`);
  }
}

/** Binary search: first index whose key is >= k. */
function lowerBound(keys: string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class Rest {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly watches = new Set<() => void>();

  constructor(
    private readonly w: World,
    private readonly auth: Auth,
    private readonly faults: Faults,
  ) {}

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const stop of [...this.watches]) stop();
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private out(rt: ResourceType, version: string, o: KObj): KObj {
    o['apiVersion'] = apiVersionOf(rt, version);
    o['kind'] = rt.kind;
    return o;
  }

  private parseBody(r: RestRequest): unknown {
    // Typed Go clients may send protobuf; the fake only decodes JSON and YAML.
    if (r.contentType.includes('protobuf')) throw unsupportedMediaType(['application/json', 'application/yaml']);
    const text = r.body.toString('utf8');
    try {
      return r.contentType.includes('yaml') ? parseYaml(text) : JSON.parse(text);
    } catch (e) {
      throw badRequest(`the body of the request could not be decoded: ${(e as Error).message}`);
    }
  }

  handle(r: RestRequest): Reply {
    const { info } = r;
    const rt = this.w.catalogue.find(info.group, info.version, info.resource);
    if (!rt) throw notFoundPath();
    if (info.subresource && !rt.subresources.includes(info.subresource)) throw notFoundPath();
    const ns = rt.namespaced ? info.namespace : undefined;
    if (rt.namespaced === false && info.namespace) throw notFoundPath();
    if (info.subresource === 'log') return this.logs(r, rt, ns!);
    if (info.subresource === 'exec') throw badRequest('Upgrade request required');
    if (rt.virtual) {
      if (r.method !== 'POST') throw methodNotAllowed();
      return this.review(r, rt);
    }
    switch (info.verb) {
      case 'get':
        return this.get(r, rt, ns, info.name!);
      case 'list':
        return this.list(r, rt, ns);
      case 'watch':
        return this.watch(r, rt, ns);
      case 'create':
        if (info.name) throw methodNotAllowed();
        return this.create(r, rt, ns);
      case 'update':
        if (!info.name) throw methodNotAllowed();
        return this.update(r, rt, ns, info.name, this.parseBody(r) as KObj);
      case 'patch':
        if (!info.name) throw methodNotAllowed();
        return this.patch(r, rt, ns, info.name);
      case 'delete':
        return this.remove(r, rt, ns, info.name!);
      case 'deletecollection':
        return this.removeCollection(r, rt, ns);
      default:
        throw methodNotAllowed();
    }
  }

  private dryRun(r: RestRequest): boolean {
    const d = r.url.searchParams.getAll('dryRun');
    for (const v of d)
      if (v !== 'All')
        throw new ApiError(400, 'BadRequest', `dryRun: Unsupported value: "${v}": supported values: "All"`);
    return d.length > 0;
  }

  // ---- reads ----

  private get(r: RestRequest, rt: ResourceType, ns: string | undefined, name: string): Reply {
    const gr = this.w.gr(rt);
    const o = this.w.store.get(gr, ns, name);
    if (!o) throw notFound(rt.group, rt.resource, name);
    this.out(rt, r.info.version, o);
    if (wantsTable(r.accept))
      return {
        code: 200,
        json: toTable(
          rt,
          gr,
          [o],
          { resourceVersion: o['metadata'].resourceVersion },
          r.url.searchParams.get('includeObject') ?? undefined,
        ),
        contentType: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      };
    return { code: 200, json: o };
  }

  private selectors(r: RestRequest, rt: ResourceType): (o: KObj) => boolean {
    const l = labelSelector(r.url.searchParams.get('labelSelector') ?? undefined);
    const f = fieldSelector(r.url.searchParams.get('fieldSelector') ?? undefined, this.w.gr(rt), !!rt.crd);
    return (o) => l(o) && f(o);
  }

  private list(r: RestRequest, rt: ResourceType, ns: string | undefined): Reply {
    const gr = this.w.gr(rt);
    const q = r.url.searchParams;
    const match = this.selectors(r, rt);
    const filtered = q.has('labelSelector') || q.has('fieldSelector');
    const limitRaw = q.get('limit');
    const limit = limitRaw ? Number(limitRaw) : 0;
    if (limitRaw && (!Number.isInteger(limit) || limit < 0))
      throw badRequest(`limit: Invalid value: "${limitRaw}": must be a non-negative integer`);
    const keys = this.w.store.keys(gr);
    const prefix = ns ? `${ns}/` : '';
    let i = lowerBound(keys, prefix);
    const cont = q.get('continue');
    if (cont) i = Math.max(i, lowerBound(keys, decodeContinue(cont)));
    const items: KObj[] = [];
    let lastKey: string | undefined;
    for (; i < keys.length; i++) {
      const k = keys[i]!;
      if (prefix && !k.startsWith(prefix)) break;
      if (limit && items.length >= limit) break;
      const o = this.w.store.peekKey(gr, k)!;
      if (!match(o)) continue;
      // shallow: the reply is serialised before anything can change the stored object
      items.push({ ...o, apiVersion: apiVersionOf(rt, r.info.version), kind: rt.kind });
      lastKey = k;
    }
    const rv = String(this.w.store.resourceVersion);
    const meta: KObj = { resourceVersion: rv };
    const more = i < keys.length && (!prefix || keys[i]!.startsWith(prefix));
    if (limit && more && lastKey !== undefined) {
      meta['continue'] = encodeContinue(lastKey, this.w.store.resourceVersion);
      if (!filtered) {
        let remaining = 0;
        for (let j = i; j < keys.length && (!prefix || keys[j]!.startsWith(prefix)); j++) remaining++;
        meta['remainingItemCount'] = remaining;
      }
    }
    if (wantsTable(r.accept)) {
      return {
        code: 200,
        json: toTable(rt, gr, items, meta, q.get('includeObject') ?? undefined),
        contentType: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      };
    }
    return {
      code: 200,
      json: { kind: `${rt.kind}List`, apiVersion: apiVersionOf(rt, r.info.version), metadata: meta, items },
    };
  }

  private watch(r: RestRequest, rt: ResourceType, ns: string | undefined): Reply {
    const gr = this.w.gr(rt);
    const match = this.selectors(r, rt);
    const q = r.url.searchParams;
    const name = q.get('fieldSelector')?.match(/^metadata\.name=([^,]+)$/)?.[1];
    const rvParam = q.get('resourceVersion');
    const timeout = Number(q.get('timeoutSeconds') ?? '0');
    const relevant = (e: StoreEvent): boolean =>
      e.gr === gr &&
      (!ns || e.object['metadata']?.namespace === ns) &&
      (!name || e.object['metadata']?.name === name) &&
      match(e.object);
    return {
      code: 200,
      stream: (res) => {
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Transfer-Encoding': 'chunked',
          'Cache-Control': 'no-cache',
        });
        const send = (type: string, o: KObj): void => {
          res.write(JSON.stringify({ type, object: this.out(rt, r.info.version, structuredClone(o)) }) + '\n');
        };
        if (rvParam && rvParam !== '0') {
          const past = this.w.store.since(Number(rvParam));
          if (!past) {
            res.write(
              JSON.stringify({
                type: 'ERROR',
                object: new ApiError(
                  410,
                  'Expired',
                  `too old resource version: ${rvParam} (${this.w.store.resourceVersion})`,
                ).status(),
              }) + '\n',
            );
            res.end();
            return;
          }
          for (const e of past) if (relevant(e)) send(e.type, e.object);
        } else {
          for (const o of this.w.store.peekAll(gr, ns))
            if (match(o) && (!name || o['metadata']?.name === name)) send('ADDED', o);
        }
        const unsubscribe = this.w.store.subscribe((e) => relevant(e) && send(e.type, e.object));
        let timer: NodeJS.Timeout | undefined;
        const stop = (): void => {
          unsubscribe();
          if (timer) clearTimeout(timer);
          this.watches.delete(stop);
          res.end();
        };
        this.watches.add(stop);
        if (timeout > 0) timer = setTimeout(stop, timeout * 1000);
        res.on('close', stop);
      },
    };
  }

  // ---- writes ----

  private checkNamespace(rt: ResourceType, ns: string | undefined): void {
    if (rt.namespaced && ns && !this.w.store.peek('namespaces', undefined, ns)) throw notFound('', 'namespaces', ns);
  }

  private checkBody(r: RestRequest, rt: ResourceType, body: unknown): KObj {
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw badRequest('the body of the request was not an object');
    const o = body as KObj;
    const want = apiVersionOf(rt, r.info.version);
    if (o['apiVersion'] && o['apiVersion'] !== want)
      throw badRequest(
        `the API version in the data (${o['apiVersion']}) does not match the expected API version (${want})`,
      );
    if (o['kind'] && o['kind'] !== rt.kind)
      throw badRequest(`the kind in the data (${o['kind']}) does not match the expected kind (${rt.kind})`);
    return o;
  }

  private create(r: RestRequest, rt: ResourceType, ns: string | undefined, bodyIn?: KObj): Reply {
    const dry = this.dryRun(r);
    const obj = this.checkBody(r, rt, bodyIn ?? this.parseBody(r));
    const md = (obj['metadata'] ??= {});
    if (rt.namespaced && md.namespace && ns && md.namespace !== ns)
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    this.checkNamespace(rt, ns);
    const gr = this.w.gr(rt);
    stampNew(obj, rt, ns, { now: nowIso() });
    if (md.name && this.w.store.peek(gr, rt.namespaced ? ns : undefined, md.name))
      throw alreadyExists(rt.group, rt.resource, md.name);
    validateAndDefault(this.w, rt, obj, undefined, dry);
    this.out(rt, rt.versions[0]!, obj);
    if (gr === 'pods') {
      obj['spec'] = podDefaults(obj['spec']);
      this.schedule(obj);
    }
    if (dry) return { code: 201, json: this.out(rt, r.info.version, obj) };
    const stored = this.w.store.put(gr, obj);
    if (gr === 'customresourcedefinitions.apiextensions.k8s.io') this.w.syncCrds();
    if (gr === 'pods') this.startPod(stored);
    if (gr === 'daemonsets.apps') this.startDaemonSet(stored);
    return { code: 201, json: this.out(rt, r.info.version, stored) };
  }

  /** Pods created through the API: bound to a node, then Running after `createdPods.delayMs`. */
  private schedule(pod: KObj): void {
    const spec = pod['spec'];
    if (!spec.nodeName) {
      const nodes = this.w.store
        .peekAll('nodes')
        .filter((n) => Object.entries(spec.nodeSelector ?? {}).every(([k, v]) => n['metadata']?.labels?.[k] === v));
      if (nodes[0]) spec.nodeName = nodes[0]['metadata'].name;
    }
    settlePod(this.w, pod, 'ContainerCreating', nowIso());
  }

  private startPod(pod: KObj): void {
    const { phase, delayMs } = this.w.scenario.createdPods;
    if (phase !== 'Running' || !pod['spec']?.nodeName) return;
    const run = (): void => {
      const cur = this.w.store.get('pods', pod['metadata'].namespace, pod['metadata'].name);
      if (!cur || cur['metadata'].uid !== pod['metadata'].uid) return;
      settlePod(this.w, cur, 'Running', nowIso());
      this.w.store.put('pods', cur);
    };
    if (delayMs > 0) this.later(delayMs, run);
    else run();
  }

  private startDaemonSet(ds: KObj): void {
    const pods = daemonSetPods(this.w, ds, nowIso());
    for (const p of pods) this.w.store.put('pods', p);
    const desired = pods.length;
    this.w.store.put('daemonsets.apps', { ...ds, status: dsStatus(ds, pods, desired) });
  }

  private update(
    r: RestRequest,
    rt: ResourceType,
    ns: string | undefined,
    name: string,
    body: KObj,
    precondition?: string,
  ): Reply {
    const dry = this.dryRun(r);
    const gr = this.w.gr(rt);
    const cur = this.w.store.get(gr, ns, name);
    const obj = this.checkBody(r, rt, body);
    if (!cur) throw notFound(rt.group, rt.resource, name);
    const md = (obj['metadata'] ??= {});
    if (md.name && md.name !== name) throw badRequest('the name of the object does not match the name on the URL');
    const rv = precondition ?? md.resourceVersion;
    if (rv && rv !== cur['metadata'].resourceVersion) throw conflict(rt.group, rt.resource, name);
    if (this.faults.takeConflict(rt.resource, ns, name)) throw conflict(rt.group, rt.resource, name);
    Object.assign(md, { name, uid: cur['metadata'].uid, creationTimestamp: cur['metadata'].creationTimestamp });
    if (rt.namespaced) md.namespace = ns;
    const statusOnly = r.info.subresource === 'status';
    let next: KObj;
    if (statusOnly) next = { ...cur, status: obj['status'] };
    else {
      next = obj;
      if (rt.subresources.includes('status')) next['status'] = cur['status'];
      validateAndDefault(this.w, rt, next, cur, dry);
      if (hasGeneration(rt) && JSON.stringify(next['spec']) !== JSON.stringify(cur['spec']))
        md.generation = (cur['metadata'].generation ?? 1) + 1;
      else if (hasGeneration(rt)) md.generation = cur['metadata'].generation;
    }
    this.out(rt, r.info.version, next);
    if (dry)
      return {
        code: 200,
        json: { ...next, metadata: { ...next['metadata'], resourceVersion: cur['metadata'].resourceVersion } },
      };
    const stored = this.w.store.put(gr, next);
    if (gr === 'customresourcedefinitions.apiextensions.k8s.io') this.w.syncCrds();
    return { code: 200, json: this.out(rt, r.info.version, stored) };
  }

  private patch(r: RestRequest, rt: ResourceType, ns: string | undefined, name: string): Reply {
    const ct = r.contentType.split(';')[0]!.trim();
    const gr = this.w.gr(rt);
    const allowed = rt.crd ? PATCH_TYPES.filter((t) => !t.startsWith('application/strategic')) : PATCH_TYPES;
    if (!allowed.includes(ct)) throw unsupportedMediaType(allowed);
    const cur = this.w.store.get(gr, ns, name);
    const body = this.parseBody(r);
    if (!cur) {
      if (ct === 'application/apply-patch+yaml')
        return this.create(r, rt, ns, { ...(body as KObj), metadata: { ...(body as KObj)['metadata'], name } });
      throw notFound(rt.group, rt.resource, name);
    }
    let next: unknown;
    if (ct === 'application/json-patch+json') next = jsonPatch(cur, body);
    else if (ct === 'application/strategic-merge-patch+json') next = strategicMerge(cur, body);
    else next = mergePatch(cur, body);
    if (!next || typeof next !== 'object') throw badRequest('the patch did not produce an object');
    // a patch that sets metadata.resourceVersion is a precondition, like a PUT with one
    const b = body as KObj;
    const setsRv = Array.isArray(b)
      ? b.some((op: KObj) => op?.['path'] === '/metadata/resourceVersion')
      : b?.['metadata']?.resourceVersion !== undefined;
    const asUpdate = next as KObj;
    const precondition = setsRv ? String(asUpdate['metadata']?.resourceVersion ?? '') : undefined;
    if (asUpdate['metadata']) delete asUpdate['metadata'].resourceVersion;
    return this.update(r, rt, ns, name, asUpdate, precondition);
  }

  /** Deletes an object and, unless orphaned, everything it owns (garbage collection, at once). */
  private cascade(gr: string, o: KObj): void {
    const uid = o['metadata']?.uid;
    if (gr === 'services' && o['spec']?.clusterIP && o['spec'].clusterIP !== 'None')
      this.w.releaseServiceIP(o['spec'].clusterIP);
    if (gr === 'namespaces') {
      for (const g of this.w.store.groupResources())
        for (const x of this.w.store.peekAll(g, o['metadata'].name))
          this.w.store.delete(g, x['metadata'].namespace, x['metadata'].name);
      return;
    }
    for (const g of this.w.store.groupResources()) {
      for (const x of this.w.store.peekAll(g)) {
        if ((x['metadata']?.ownerReferences ?? []).some((ref: KObj) => ref.uid === uid)) {
          const gone = this.w.store.delete(g, x['metadata'].namespace, x['metadata'].name);
          if (gone) this.cascade(g, gone);
        }
      }
    }
  }

  private remove(r: RestRequest, rt: ResourceType, ns: string | undefined, name: string): Reply {
    const dry = this.dryRun(r);
    const gr = this.w.gr(rt);
    const cur = this.w.store.get(gr, ns, name);
    if (!cur) throw notFound(rt.group, rt.resource, name);
    if (dry) return { code: 200, json: this.out(rt, r.info.version, cur) };
    const gone = this.w.store.delete(gr, ns, name)!;
    const body = r.body.length ? (this.parseBody(r) as KObj) : {};
    const policy = r.url.searchParams.get('propagationPolicy') ?? body?.['propagationPolicy'];
    if (policy !== 'Orphan') this.cascade(gr, gone);
    if (gr === 'customresourcedefinitions.apiextensions.k8s.io') {
      const def = this.w.catalogue.byGroupResource(`${gone['spec']?.names?.plural}.${gone['spec']?.group}`);
      if (def)
        for (const x of this.w.store.peekAll(this.w.gr(def)))
          this.w.store.delete(this.w.gr(def), x['metadata'].namespace, x['metadata'].name);
      this.w.syncCrds();
    }
    if (gr === 'pods')
      return {
        code: 200,
        json: this.out(rt, r.info.version, {
          ...gone,
          metadata: { ...gone['metadata'], deletionTimestamp: nowIso(), deletionGracePeriodSeconds: 0 },
        }),
      };
    return { code: 200, json: this.out(rt, r.info.version, gone) };
  }

  private removeCollection(r: RestRequest, rt: ResourceType, ns: string | undefined): Reply {
    const dry = this.dryRun(r);
    const gr = this.w.gr(rt);
    const match = this.selectors(r, rt);
    const victims = this.w.store
      .peekAll(gr, ns)
      .filter(match)
      .map((o) => structuredClone(o));
    if (!dry) {
      for (const v of victims) {
        const gone = this.w.store.delete(gr, v['metadata'].namespace, v['metadata'].name);
        if (gone) this.cascade(gr, gone);
      }
    }
    return {
      code: 200,
      json: {
        kind: `${rt.kind}List`,
        apiVersion: apiVersionOf(rt, r.info.version),
        metadata: { resourceVersion: String(this.w.store.resourceVersion) },
        items: victims.map((v) => this.out(rt, r.info.version, v)),
      },
    };
  }

  // ---- subresources and reviews ----

  private logs(r: RestRequest, rt: ResourceType, ns: string): Reply {
    const name = r.info.name!;
    const pod = this.w.store.get('pods', ns, name);
    if (!pod) throw notFound(rt.group, rt.resource, name);
    const q = r.url.searchParams;
    const mains: string[] = (pod['spec']?.containers ?? []).map((c: KObj) => c.name);
    const inits: string[] = (pod['spec']?.initContainers ?? []).map((c: KObj) => c.name);
    let c = q.get('container') ?? '';
    if (!c) {
      if (mains.length === 1 && !inits.length) c = mains[0]!;
      else if (mains.length === 1 && inits.length) c = mains[0]!;
      else
        throw badRequest(
          `a container name must be specified for pod ${name}, choose one of: [${mains.join(' ')}]${inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : ''}`,
        );
    }
    if (!mains.includes(c) && !inits.includes(c)) throw badRequest(`container ${c} is not valid for pod ${name}`);
    const b = this.w.behaviour(pod);
    let text: string;
    if (['true', '1'].includes(q.get('previous') ?? '')) {
      const prev = b.previousLogs?.[c];
      if (prev === undefined) throw badRequest(`previous terminated container "${c}" in pod "${name}" not found`);
      text = prev;
    } else {
      const st: KObj | undefined = [
        ...(pod['status']?.containerStatuses ?? []),
        ...(pod['status']?.initContainerStatuses ?? []),
      ].find((s: KObj) => s.name === c);
      const waiting = st?.state?.waiting?.reason;
      if (waiting && waiting !== 'CrashLoopBackOff' && !st?.lastState?.terminated && !containerRunning(pod, c)) {
        throw badRequest(`container "${c}" in pod "${name}" is waiting to start: ${waiting}`);
      }
      text = b.logs?.[c] ?? '';
    }
    if (text && !text.endsWith('\n')) text += '\n';
    const tail = q.get('tailLines');
    if (tail !== null && /^\d+$/.test(tail)) {
      const lines = text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      text = lines
        .slice(Math.max(0, lines.length - Number(tail)))
        .map((l) => l + '\n')
        .join('');
    }
    if (['true', '1'].includes(q.get('timestamps') ?? '')) {
      const ts = (pod['status']?.startTime ?? nowIso()).replace('Z', '.000000000Z');
      text = text
        .split('\n')
        .map((l, i, a) => (i === a.length - 1 && l === '' ? l : `${ts} ${l}`))
        .join('\n');
    }
    const limitBytes = q.get('limitBytes');
    if (limitBytes && /^\d+$/.test(limitBytes))
      text = Buffer.from(text).subarray(0, Number(limitBytes)).toString('utf8');
    return { code: 200, text, contentType: 'text/plain' };
  }

  private review(r: RestRequest, rt: ResourceType): Reply {
    if (rt.resource === 'selfsubjectreviews') {
      // its body carries nothing the answer depends on (kubectl sends it as protobuf)
      // `kubectl auth whoami`: who the server thinks the caller is
      const userInfo = { username: r.user.name, groups: [...r.user.groups, 'system:authenticated'] };
      return {
        code: 201,
        json: {
          kind: rt.kind,
          apiVersion: apiVersionOf(rt, r.info.version),
          metadata: { creationTimestamp: null },
          status: { userInfo },
        },
      };
    }
    const body = this.checkBody(r, rt, this.parseBody(r));
    const spec = body['spec'] ?? {};
    const self = rt.resource === 'selfsubjectaccessreviews';
    const user: UserInfo = self ? r.user : { name: spec.user ?? '', groups: spec.groups ?? [] };
    let allowed: boolean;
    if (spec.resourceAttributes) {
      const a = spec.resourceAttributes;
      allowed = this.auth.allowed(user, {
        verb: a.verb ?? '',
        group: a.group ?? '',
        resource: a.resource ?? '',
        subresource: a.subresource || undefined,
        namespace: a.namespace || undefined,
        name: a.name || undefined,
      });
    } else if (spec.nonResourceAttributes) {
      allowed = this.auth.allowedPath(
        user,
        spec.nonResourceAttributes.path ?? '',
        spec.nonResourceAttributes.verb ?? '',
      );
    } else {
      throw new ApiError(
        422,
        'Invalid',
        `${rt.kind}.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified`,
        {
          group: 'authorization.k8s.io',
          kind: rt.kind,
          causes: [
            {
              reason: 'FieldValueInvalid',
              field: 'spec.resourceAttributes',
              message:
                'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
            },
          ],
        },
      );
    }
    const status: KObj = { allowed };
    return {
      code: 201,
      json: {
        kind: rt.kind,
        apiVersion: apiVersionOf(rt, r.info.version),
        metadata: { creationTimestamp: null },
        spec,
        status,
      },
    };
  }
}
