/**
 * Judge a proposed annotation with the same checks `kubectl multus check` runs, so a refusal
 * carries the check's id, message and fix. Only what the change introduces counts: the checks
 * run on the workload before and after, and findings present before (a broken entry for another
 * network, a NAD in a namespace we did not read) are not ours to refuse.
 */
import type { NadObject, Snapshot, WorkloadObject } from '../snapshot/types.js';
import { snapshot } from '../snapshot/build.js';
import { analyze } from '../checks/analysis.js';
import { runChecks } from '../engine.js';
import type { Check, Finding } from '../checks/types.js';
import { chainOf } from '../model/chain.js';
import { podNadNotFound } from '../checks/pod/pod-nad-not-found.js';
import { podMacInvalid } from '../checks/pod/pod-mac-invalid.js';
import { podIpsInvalid } from '../checks/pod/pod-ips-invalid.js';
import { podInterfaceConflict } from '../checks/pod/pod-interface-conflict.js';
import { podMacWithoutCapability } from '../checks/pod/pod-mac-without-capability.js';
import { podIpsWithoutCapability } from '../checks/pod/pod-ips-without-capability.js';
import { podMacDuplicate } from '../checks/pod/pod-mac-duplicate.js';
import { podIpDuplicate } from '../checks/pod/pod-ip-duplicate.js';
import { nadChecks } from '../checks/nad/index.js';
import { LEGACY_IP_IPAMS, LEGACY_MAC_PLUGINS } from '../model/legacy-args.js';

/** Checks about one workload's selections. */
const SELECTION_CHECKS: Check[] = [
  podNadNotFound,
  podMacInvalid,
  podIpsInvalid,
  podInterfaceConflict,
  podMacWithoutCapability,
  podIpsWithoutCapability,
  podMacDuplicate,
  podIpDuplicate,
];

/** Refused unless --force: the change can work, but is risky (copies of one address, a NAD with problems). */
export const FORCEABLE = new Set(['pod-mac-duplicate', 'pod-ip-duplicate']);

function world(nads: NadObject[], workloads: WorkloadObject[]): Snapshot {
  return snapshot({ cluster: { distribution: 'unknown' }, nads, workloads });
}

/** Through the engine, as `check` runs them: a check that throws is isolated, suppression annotations apply. */
function run(checks: Check[], s: Snapshot): Finding[] {
  return runChecks(s, { checks }).findings;
}

const key = (f: Finding) =>
  `${f.id}|${f.severity}|${f.subject.kind}/${f.subject.namespace ?? ''}/${f.subject.name}|${f.message}`;
const about = (f: Finding, s: { kind: string; namespace: string; name: string }) =>
  f.subject.kind === s.kind && f.subject.name === s.name && (f.subject.namespace ?? 'default') === s.namespace;

/** Findings about `after` that the workload in its `before` state did not have. */
export function introducedFindings(
  before: WorkloadObject,
  after: WorkloadObject,
  nads: NadObject[],
  others: WorkloadObject[],
): Finding[] {
  const subject = { kind: after.kind, namespace: after.namespace ?? 'default', name: after.name };
  const old = new Set(
    run(SELECTION_CHECKS, world(nads, [before, ...others]))
      .filter((f) => about(f, subject))
      .map(key),
  );
  return run(SELECTION_CHECKS, world(nads, [after, ...others])).filter((f) => about(f, subject) && !old.has(key(f)));
}

/** Object-level problems of one NAD (config it cannot work with), as `lint` would report them. */
export function nadFindings(nad: NadObject, all: NadObject[]): Finding[] {
  const checks = nadChecks.filter((c) => c.meta.scope === 'objects');
  const ns = nad.namespace ?? 'default';
  return run(checks, world(all, [])).filter(
    (f) =>
      f.subject.kind === 'NetworkAttachmentDefinition' &&
      f.subject.name === nad.name &&
      (f.subject.namespace ?? 'default') === ns,
  );
}

/**
 * How a per-pod value reaches the plugin when the NAD declares no capability for it: `ok` (the
 * capability is declared), `legacy` (multus's MAC=/IP= CNI_ARGS, which these plugins read, as
 * the capability checks explain), `unknown` (nothing says the plugin reads it).
 */
export function capabilityPath(nad: NadObject, what: 'mac' | 'ips'): 'ok' | 'legacy' | 'unknown' {
  const view = analyze(world([nad], [])).nads[0];
  const chain = view ? chainOf(view) : undefined;
  if (!chain) return 'unknown';
  if (chain.hasCapability(what)) return 'ok';
  if (what === 'mac')
    return LEGACY_MAC_PLUGINS.has(chain.main?.type ?? '') || chain.has('tuning') ? 'legacy' : 'unknown';
  return LEGACY_IP_IPAMS.has(chain.ipamType ?? '') ? 'legacy' : 'unknown';
}
