/**
 * The decision of `attach` and `detach`, pure: given the workload as read, the NAD(s) and what
 * else runs in the namespace, either refuse (with the check id and the fix) or produce the plan:
 * the new annotation (JSON form), the before/after diff, the hostNetwork change, warnings, the
 * merge patch, the equivalent `kubectl patch` command and the object as it will be.
 * No I/O: randomness comes in through `ctx.random`, so tests can pin it.
 */
import type { KubeObject } from '../cluster/client.js';
import type { NadObject } from '../snapshot/types.js';
import type { JsonObject, JsonValue } from '../model/cni-config.js';
import { NETWORKS_ANNOTATION } from '../model/networks-annotation.js';
import { podNetworkStatus, statusNameMatches } from '../model/network-status.js';
import type { KindInfo } from './kinds.js';
import { normaliseMac, randomMac, stableMac, stableMacSeed } from './mac.js';
import { applyMergePatch } from './merge-patch.js';
import {
  diffLines,
  effectiveInterface,
  entryInterface,
  entryIps,
  entryMac,
  entryNetwork,
  isNetwork,
  readEntries,
  sameEntries,
  type NetworkRef,
} from './entries.js';
import { capabilityPath, FORCEABLE, introducedFindings, nadFindings } from './validate.js';
import { attachArgs, kubectl, networkArg } from './commands.js';
import { containerHostPorts, guard, hostKeptNote, managedNotes, rolloutOf, surgeNotes } from './guards.js';
import { describe, hostNetworkPath, isObj, subjectOf, templateOf, workloadObject } from './workload.js';
import type {
  AttachRequest,
  DetachRequest,
  Expected,
  Note,
  Plan,
  PlanContext,
  PlanResult,
  Refusal,
  Rollout,
} from './types.js';

/** Workload-level marker: attach switched hostNetwork off, so the last detach turns it back on. */
export const HOST_NETWORK_MARKER = 'kubectl-multus.io/host-network-before-attach';

// ---------------------------------------------------------------- patch

function patchFor(
  kind: KindInfo,
  annotations: Record<string, string | null> | undefined,
  hostNetwork: boolean | undefined,
  ownAnnotations?: Record<string, string | null>,
): JsonObject {
  const inner: JsonObject = {};
  if (annotations) inner['metadata'] = { annotations } as JsonObject;
  if (hostNetwork !== undefined) inner['spec'] = { hostNetwork };
  let patch: JsonObject = inner;
  for (const p of [...kind.template].reverse()) patch = { [p]: patch };
  if (ownAnnotations && Object.keys(ownAnnotations).length) {
    const md = (isObj(patch['metadata']) ? patch['metadata'] : {}) as JsonObject;
    const a = (isObj(md['annotations']) ? md['annotations'] : {}) as JsonObject;
    patch = { ...patch, metadata: { ...md, annotations: { ...a, ...(ownAnnotations as JsonObject) } } };
  }
  return patch;
}

/** A bare pod printed for `kubectl replace --force -f -`/`create`: drop what the server sets. */
function forRecreate(pod: KubeObject): KubeObject {
  const out = structuredClone(pod) as KubeObject & { status?: unknown };
  const md = out.metadata as Record<string, unknown> | undefined;
  if (md) for (const k of ['resourceVersion', 'uid', 'creationTimestamp', 'managedFields', 'generation']) delete md[k];
  delete out.status;
  return out;
}

interface Change {
  action: Plan['action'];
  network: NetworkRef;
  before: string | undefined;
  after: string | undefined;
  /** The elements as written before (for the diff) and the elements after. */
  shownBefore: string[];
  entriesAfter: JsonObject[];
  host?: Plan['hostNetwork'];
  notes: Note[];
  rollout: Rollout;
  noop: boolean;
  /** Annotations on the object's own metadata (the hostNetwork marker). */
  ownAnnotations?: Record<string, string | null>;
  expected?: Expected;
}

/** Turn a decided change into the plan: diff, merge patch, resulting object, kubectl command. */
function finish(ctx: PlanContext, c: Change): Plan {
  const {
    action,
    network,
    before,
    after,
    shownBefore,
    entriesAfter,
    host,
    notes,
    rollout,
    noop,
    ownAnnotations,
    expected,
  } = c;
  const s = subjectOf(ctx.object, ctx.kind);
  const tpl = ctx.kind.template.length ? `${ctx.kind.template.join('.')}.` : '';
  const plan: Plan = {
    action,
    subject: s,
    network,
    ref: `${ctx.kind.display}/${s.name}`,
    annotationPath: `${tpl}metadata.annotations`,
    noop,
    before,
    after,
    diff:
      noop || before === after
        ? []
        : diffLines(shownBefore, after === undefined ? [] : entriesAfter.map((e) => JSON.stringify(e))),
    hostNetwork: host,
    notes,
    result: ctx.object,
    rollout,
  };
  if (expected) plan.expected = expected;
  if (noop) return plan;
  const patch = patchFor(
    ctx.kind,
    before === after ? undefined : { [NETWORKS_ANNOTATION]: after ?? null },
    host ? host.to : undefined,
    ownAnnotations,
  );
  plan.patch = patch;
  const result = applyMergePatch(ctx.object, patch);
  plan.result = ctx.kind.kind === 'Pod' ? forRecreate(result) : result;
  if (ctx.kind.kind !== 'Pod')
    plan.command = kubectl(ctx, ['patch', plan.ref, '-n', s.namespace, '--type', 'merge', '-p', JSON.stringify(patch)]);
  return plan;
}

// ---------------------------------------------------------------- attach

function runningPodMac(
  ctx: PlanContext,
  nad: NetworkRef,
  iface: string | undefined,
): { mac: string; pod: string } | undefined {
  const s = subjectOf(ctx.object, ctx.kind);
  const mine = (ctx.neighbours ?? [])
    .filter((w) => w.kind === 'Pod' && (w.namespace ?? 'default') === s.namespace && w.phase === 'Running')
    .filter((w) => (ctx.kind.kind === 'Pod' ? w.name === s.name : w.owner?.kind === s.kind && w.owner.name === s.name))
    .sort((x, y) => (x.createdAt ?? '').localeCompare(y.createdAt ?? '') || x.name.localeCompare(y.name));
  for (const p of mine) {
    const st = podNetworkStatus(p.podAnnotations);
    const entries = (st?.entries ?? []).filter(
      (e) => !e.default && e.mac && statusNameMatches(e.name, nad.namespace, nad.name),
    );
    const e = (iface ? entries.find((x) => x.interface === iface) : undefined) ?? entries[0];
    if (e?.mac) return { mac: normaliseMac(e.mac), pod: p.name };
  }
  return undefined;
}

function sameIps(a: string[], b: string[]): boolean {
  const norm = (l: string[]) => [...new Set(l.map((x) => x.trim().toLowerCase()))].sort().join(',');
  return norm(a) === norm(b);
}

/** Build the new element: the existing one's keys kept, the requested fields set, in a readable key order. */
function buildEntry(
  existing: JsonObject | undefined,
  nad: NetworkRef,
  explicitNs: boolean,
  iface: string | undefined,
  mac: string | undefined,
  ips: string[] | undefined,
): JsonObject {
  const e: JsonObject = { name: nad.name };
  if (existing && existing['namespace'] !== undefined) e['namespace'] = existing['namespace']!;
  else if (explicitNs) e['namespace'] = nad.namespace;
  const ifn = iface ?? (existing ? entryInterface(existing) : undefined);
  if (ifn !== undefined) e['interface'] = ifn;
  const m = mac ?? (existing ? entryMac(existing) : undefined);
  if (m !== undefined) e['mac'] = m;
  const i = ips ?? (existing ? entryIps(existing) : undefined);
  if (i !== undefined) e['ips'] = i;
  for (const [k, v] of Object.entries(existing ?? {})) if (!(k in e) && k !== 'interfaceRequest') e[k] = v as JsonValue;
  return e;
}

export function planAttach(ctx: PlanContext, req: AttachRequest): PlanResult {
  const o = ctx.object;
  const s = subjectOf(o, ctx.kind);
  const ref = `${ctx.kind.display}/${s.name}`;
  const refuse = (refusals: Refusal[], notes: Note[] = []): PlanResult => ({
    ok: false,
    refusals,
    notes,
    subject: s,
    ref,
  });
  const guarded = guard(ctx, 'attach', attachArgs(req), !!req.renderOnly);
  if (guarded.length) return refuse(guarded);
  const nad: NetworkRef = { namespace: req.network.namespace ?? s.namespace, name: req.network.name };
  if (ctx.nadCrdMissing) {
    return refuse([
      {
        checkId: 'nad-crd-missing',
        message: `The API server does not serve NetworkAttachmentDefinitions (CRD network-attachment-definitions.k8s.cni.cncf.io is missing), so network ${nad.namespace}/${nad.name} cannot exist.`,
        fix: 'Install multus (its manifest creates the CRD), then create the NAD; `kubectl multus check` shows what else is missing.',
      },
    ]);
  }
  const tpl = templateOf(o, ctx.kind);
  const before = tpl.annotations[NETWORKS_ANNOTATION];
  const current = readEntries(before);
  const notes: Note[] = [];
  let entries = current.entries;
  if (current.error) {
    if (!req.overwrite) {
      return refuse([
        {
          checkId: 'pod-networks-annotation-invalid',
          message: `The networks annotation of ${describe(s)} cannot be parsed (${current.error}), so it cannot be merged with.`,
          fix: 'Fix it by hand, or re-run with --overwrite to replace it with this network alone (the old value is shown in the diff).',
        },
      ]);
    }
    notes.push({
      severity: 'warning',
      message: `The unparsable networks annotation is replaced (--overwrite): ${current.error}.`,
    });
    entries = [];
  }

  // Which element is "the entry for that network".
  const matches = entries.map((e, i) => ({ e, i })).filter((x) => isNetwork(x.e, s.namespace, nad));
  let target: { e: JsonObject; i: number } | undefined;
  if (matches.length > 1) {
    target = req.interface ? matches.find((x) => entryInterface(x.e) === req.interface) : undefined;
    if (!target) {
      const names = matches.map((x) => effectiveInterface(x.e, x.i)).join(', ');
      return refuse([
        {
          checkId: 'attach-entry-ambiguous',
          message: `${describe(s)} attaches ${nad.namespace}/${nad.name} ${matches.length} times (${names}); it is not clear which one to change.`,
          fix: `Name the attachment with --interface (one of ${names}).`,
        },
      ]);
    }
  } else target = matches[0];

  // The MAC to write.
  let mac: string | undefined;
  const existingMac = target ? entryMac(target.e) : undefined;
  const ifaceForMac = req.interface ?? (target ? effectiveInterface(target.e, target.i) : undefined);
  const stable = () => stableMac(stableMacSeed(s, nad));
  switch (req.mac?.mode) {
    case 'explicit':
      mac = normaliseMac(req.mac.value!);
      break;
    case 'stable':
      mac = stable();
      break;
    case 'auto':
      // Re-running keeps the MAC a previous run generated (idempotent); --overwrite draws a new one.
      mac = existingMac && !req.overwrite ? normaliseMac(existingMac) : randomMac(ctx.random);
      break;
    case 'keep': {
      const running = existingMac ? undefined : runningPodMac(ctx, nad, ifaceForMac);
      if (existingMac) mac = normaliseMac(existingMac);
      else if (running) {
        mac = running.mac;
        notes.push({
          severity: 'info',
          message: `Keeping MAC ${running.mac}, which pod ${running.pod} has on ${nad.namespace}/${nad.name} today.`,
        });
      } else {
        mac = stable();
        notes.push({
          severity: 'info',
          message: `No running pod of ${describe(s)} has an interface on ${nad.namespace}/${nad.name} yet: using the stable MAC ${mac} (the same on every re-run).`,
        });
      }
      break;
    }
  }

  // Requested values that differ from what the entry already says need --overwrite.
  if (target) {
    const diffs: string[] = [];
    const had = target.e;
    const hadIf = entryInterface(had);
    if (req.interface !== undefined && hadIf !== undefined && hadIf !== req.interface)
      diffs.push(`interface ${hadIf} → ${req.interface}`);
    if (mac !== undefined && existingMac !== undefined && normaliseMac(existingMac) !== mac)
      diffs.push(`mac ${existingMac} → ${mac}`);
    const hadIps = entryIps(had);
    if (req.ips && hadIps && !sameIps(hadIps, req.ips)) diffs.push(`ips ${hadIps.join(',')} → ${req.ips.join(',')}`);
    if (diffs.length && !req.overwrite) {
      return refuse([
        {
          checkId: 'attach-entry-differs',
          message: `${describe(s)} already attaches ${nad.namespace}/${nad.name} with other settings (${diffs.join('; ')}).`,
          fix: 'Re-run with --overwrite to replace them (other attachments and annotations are kept).',
        },
      ]);
    }
  }

  const entry = buildEntry(target?.e, nad, req.network.namespace !== undefined, req.interface, mac, req.ips);
  const after = [...entries];
  if (target) after[target.i] = entry;
  else after.push(entry);
  const index = target ? target.i : after.length - 1;

  const wasHost = tpl.spec['hostNetwork'] === true;
  const host =
    wasHost && req.hostNetwork === 'false' ? { path: hostNetworkPath(ctx.kind), from: true, to: false } : undefined;
  // Same meaning: keep the value as written (a working short form is not rewritten for nothing).
  const sameMeaning = !current.error && sameEntries(current.entries, after, s.namespace);
  const noop = sameMeaning && !host;
  const afterValue = sameMeaning ? before : JSON.stringify(after);
  const expected: Expected = {
    network: nad,
    interface: effectiveInterface(entry, index),
    ...(entryMac(entry) ? { mac: normaliseMac(entryMac(entry)!) } : {}),
    ...(entryIps(entry) ? { ips: entryIps(entry) } : {}),
  };
  if (noop) {
    if (wasHost) notes.push(hostKeptNote(s));
    return {
      ok: true,
      plan: finish(ctx, {
        action: 'attach',
        network: nad,
        before,
        after: before,
        shownBefore: current.shown,
        entriesAfter: after,
        notes,
        rollout: 'none',
        noop: true,
        expected,
      }),
    };
  }

  // Judge the change with the checks.
  const refusals: Refusal[] = [];
  // The workload's own pods run the old template: judged with them, a changed MAC would read as "not applied".
  const others = (ctx.neighbours ?? []).filter(
    (w) =>
      (w.namespace ?? 'default') !== s.namespace ||
      !(
        (w.kind === s.kind && w.name === s.name) ||
        (w.kind === 'Pod' && w.owner?.kind === s.kind && w.owner.name === s.name)
      ),
  );
  const beforeW = workloadObject(o, ctx.kind, current.error ? undefined : before, wasHost);
  const afterW = workloadObject(o, ctx.kind, afterValue, host ? false : wasHost);
  const nadObj = ctx.nads.find((n) => (n.namespace ?? 'default') === nad.namespace && n.name === nad.name);
  for (const f of introducedFindings(beforeW, afterW, ctx.nads, others)) {
    // Duplicates the check only suspects (warning: maybe separate segments) are told, not refused.
    const risky =
      (FORCEABLE.has(f.id) && f.severity === 'error') ||
      (f.severity === 'warning' && nadObj !== undefined && unknownPath(f.id, nadObj));
    if (f.severity === 'error' || risky) {
      if (risky && req.force)
        notes.push({ id: f.id, severity: 'warning', message: `${f.message} (--force)`, fix: f.fix });
      else refusals.push({ checkId: f.id, message: f.message, fix: f.fix, forceable: risky });
    } else
      notes.push({ id: f.id, severity: f.severity === 'info' ? 'info' : 'warning', message: f.message, fix: f.fix });
  }
  if (nadObj) {
    for (const f of nadFindings(nadObj, ctx.nads).filter((x) => x.severity === 'error')) {
      if (req.force) notes.push({ id: f.id, severity: 'warning', message: `${f.message} (--force)`, fix: f.fix });
      else
        refusals.push({
          checkId: f.id,
          message: `NAD ${nad.namespace}/${nad.name} cannot work as configured: ${f.message}`,
          fix: f.fix,
          forceable: true,
        });
    }
  }
  if (refusals.length) return refuse(refusals, notes);

  // What else a person should know before the pods change.
  if (host) {
    notes.push({
      id: 'pod-host-network',
      severity: 'warning',
      message: `hostNetwork: true is switched to false (multus is never called for host-network pods): the pods leave the node's network namespace, get a cluster-network address, and use ${expected.interface} for the secondary network.`,
    });
    const hostPorts = containerHostPorts(tpl.spec);
    if (hostPorts.length)
      notes.push({
        severity: 'warning',
        message: `Containers keep hostPort ${hostPorts.join(', ')} (set when they used the host network): those ports stay published on the node; remove them if the pods only need the secondary network.`,
      });
  } else if (wasHost) notes.push(hostKeptNote(s));
  if (entryMac(entry) || entryIps(entry)) notes.push(...surgeNotes(ctx, entryMac(entry) ? 'MAC' : 'IP'));
  const ownAnn = o.metadata?.annotations ?? {};
  if (ownAnn[NETWORKS_ANNOTATION] !== undefined && ctx.kind.kind !== 'Pod') {
    notes.push({
      id: 'workload-annotation-misplaced',
      severity: 'warning',
      message: `${describe(s)} also carries the networks annotation on its own metadata, where multus never looks (it reads pods).`,
      fix: `Remove it: ${kubectl(ctx, ['annotate', ref, '-n', s.namespace, `${NETWORKS_ANNOTATION}-`])}`,
    });
  }
  const ro = rolloutOf(ctx);
  if (ro.note) notes.push(ro.note);
  notes.push(...managedNotes(ctx));
  const own = host && ctx.kind.kind !== 'Pod' ? { [HOST_NETWORK_MARKER]: 'true' } : undefined;
  return {
    ok: true,
    plan: finish(ctx, {
      action: 'attach',
      network: nad,
      before,
      after: afterValue,
      shownBefore: current.error ? [before!] : current.shown,
      entriesAfter: after,
      host,
      notes,
      rollout: ro.rollout,
      noop: false,
      ownAnnotations: own,
      expected,
    }),
  };
}

function unknownPath(id: string, nad: NadObject): boolean {
  if (id === 'pod-mac-without-capability') return capabilityPath(nad, 'mac') === 'unknown';
  if (id === 'pod-ips-without-capability') return capabilityPath(nad, 'ips') === 'unknown';
  return false;
}

// ---------------------------------------------------------------- detach

export function planDetach(ctx: PlanContext, req: DetachRequest): PlanResult {
  const o = ctx.object;
  const s = subjectOf(o, ctx.kind);
  const ref = `${ctx.kind.display}/${s.name}`;
  const args = ['--network', networkArg(req.network), ...(req.interface ? ['--interface', req.interface] : [])];
  const guarded = guard(ctx, 'detach', args, !!req.renderOnly);
  if (guarded.length) return { ok: false, refusals: guarded, notes: [], subject: s, ref };
  const nad: NetworkRef = { namespace: req.network.namespace ?? s.namespace, name: req.network.name };
  const tpl = templateOf(o, ctx.kind);
  const before = tpl.annotations[NETWORKS_ANNOTATION];
  const current = readEntries(before);
  if (current.error) {
    return {
      ok: false,
      refusals: [
        {
          checkId: 'pod-networks-annotation-invalid',
          message: `The networks annotation of ${describe(s)} cannot be parsed (${current.error}), so the entry for ${nad.namespace}/${nad.name} cannot be found in it.`,
          fix: `Fix or remove it by hand: ${kubectl(ctx, ['patch', ref, '-n', s.namespace, '--type', 'merge', '-p', JSON.stringify(patchFor(ctx.kind, { [NETWORKS_ANNOTATION]: null }, undefined))])}`,
        },
      ],
      notes: [],
      subject: s,
      ref,
    };
  }
  const notes: Note[] = [];
  const drop = (e: JsonObject, i: number) =>
    isNetwork(e, s.namespace, nad) && (req.interface === undefined || effectiveInterface(e, i) === req.interface);
  const kept = current.entries.filter((e, i) => !drop(e, i));
  if (kept.length === current.entries.length) {
    notes.push({
      severity: 'info',
      message: `${describe(s)} does not attach ${nad.namespace}/${nad.name}${req.interface ? ` as ${req.interface}` : ''}: nothing to remove.`,
    });
    return {
      ok: true,
      plan: finish(ctx, {
        action: 'detach',
        network: nad,
        before,
        after: before,
        shownBefore: current.shown,
        entriesAfter: current.entries,
        notes,
        rollout: 'none',
        noop: true,
      }),
    };
  }
  // Unnamed attachments are called net<position>: removing one before them renames them.
  const keptIdx = current.entries.map((e, i) => ({ e, i })).filter((x) => !drop(x.e, x.i));
  keptIdx.forEach((x, j) => {
    if (entryInterface(x.e) === undefined && j !== x.i) {
      notes.push({
        severity: 'warning',
        message: `The unnamed attachment of ${entryNetwork(x.e, s.namespace).namespace}/${String(x.e['name'])} becomes net${j + 1} (it was net${x.i + 1}); give it "interface": "net${x.i + 1}" if something relies on the name.`,
      });
    }
  });
  const after = kept.length ? JSON.stringify(kept) : undefined;
  let host: Plan['hostNetwork'];
  let own: Record<string, string | null> | undefined;
  if (!kept.length && o.metadata?.annotations?.[HOST_NETWORK_MARKER] === 'true' && tpl.spec['hostNetwork'] !== true) {
    host = { path: hostNetworkPath(ctx.kind), from: false, to: true };
    own = { [HOST_NETWORK_MARKER]: null };
    notes.push({
      severity: 'warning',
      message: `hostNetwork is switched back to true, as it was before \`attach\` turned it off.`,
    });
  }
  const ro = rolloutOf(ctx);
  if (ro.note) notes.push(ro.note);
  notes.push(...managedNotes(ctx));
  return {
    ok: true,
    plan: finish(ctx, {
      action: 'detach',
      network: nad,
      before,
      after,
      shownBefore: current.shown,
      entriesAfter: kept,
      host,
      notes,
      rollout: ro.rollout,
      noop: false,
      ownAnnotations: own,
    }),
  };
}
