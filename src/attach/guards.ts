/**
 * What is true of a workload whatever the change: objects whose template cannot usefully change
 * (bare or owned pods, owned ReplicaSets/Jobs, started Jobs), what a template change does to
 * running pods, and who else manages the object.
 */
import { resolveOwner } from '../collect/workloads.js';
import { kindOf } from './kinds.js';
import { kubectl } from './commands.js';
import { at, describe, isObj, subjectOf, type Obj } from './workload.js';
import type { Note, PlanContext, Refusal, Rollout, Plan } from './types.js';

/** Objects whose template cannot usefully be changed: bare or owned pods, owned ReplicaSets/Jobs, started Jobs. */
export function guard(ctx: PlanContext, verb: 'attach' | 'detach', args: string[], renderOnly: boolean): Refusal[] {
  const o = ctx.object;
  const s = subjectOf(o, ctx.kind);
  const refs = o.metadata?.ownerReferences ?? [];
  const ctrl = refs.find((r) => r.controller) ?? refs[0];
  const nsArgs = ['-n', s.namespace];
  if (ctrl && ['Pod', 'ReplicaSet', 'ReplicationController', 'Job'].includes(ctx.kind.kind)) {
    const owner = ctx.kind.kind === 'Pod' ? (resolveOwner(o, undefined) ?? ctrl) : ctrl;
    const ok = kindOf(owner.kind);
    const how =
      ok && ok.kind !== 'Pod'
        ? `\n  ${kubectl(ctx, ['multus', verb, `${ok.names[0]}/${owner.name}`, ...nsArgs, ...args])}`
        : ` (the pod template of ${owner.kind} ${owner.name})`;
    return [
      {
        checkId: 'attach-owned-by-controller',
        message: `${describe(s)} is managed by ${owner.kind} ${owner.name}, which would ${ctx.kind.kind === 'Pod' ? 'replace its pods from its own template' : 'undo the change (it owns this template)'}.`,
        fix: `Change the owner instead:${how}`,
      },
    ];
  }
  if (ctx.kind.kind === 'Pod' && !renderOnly) {
    return [
      {
        checkId: 'attach-bare-pod',
        message: `${describe(s)} is a bare pod: multus reads the networks annotation only when a pod is created, so changing it on an existing pod does nothing.`,
        fix: `Recreate the pod with the new annotation (this deletes the running pod):\n  ${kubectl(ctx, ['multus', verb, `pod/${s.name}`, ...nsArgs, ...args, '--dry-run=client', '-o', 'json'])} | ${kubectl(ctx, ['replace', '--force', '-f', '-'])}`,
      },
    ];
  }
  if (ctx.kind.kind === 'Job') {
    const suspended = at(o, ['spec', 'suspend']) === true;
    const started = at(o, ['status', 'startTime']) !== undefined;
    if (!suspended || started) {
      return [
        {
          checkId: 'attach-template-immutable',
          message: `${describe(s)} has ${started ? 'started' : 'been created unsuspended'}: the API server refuses changes to a Job's pod template except while it is suspended and has never started.`,
          fix: `Create the Job suspended (spec.suspend: true), ${verb} it, then resume it (\`kubectl patch job ${s.name} -n ${s.namespace} -p '{"spec":{"suspend":false}}'\`); or delete and recreate it with the annotation in spec.template.metadata.annotations. For recurring work, ${verb} its CronJob.`,
        },
      ];
    }
  }
  return [];
}

/** What changing the template does to running pods. */
export function rolloutOf(ctx: PlanContext): { rollout: Rollout; note?: Note } {
  const o = ctx.object;
  const s = subjectOf(o, ctx.kind);
  const sel = at(o, ['spec', 'selector', 'matchLabels']);
  const selector = isObj(sel)
    ? Object.entries(sel)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(',')
    : '';
  switch (ctx.kind.kind) {
    case 'Deployment':
      if (at(o, ['spec', 'paused']) === true) {
        return {
          rollout: 'paused',
          note: {
            severity: 'warning',
            message: `${describe(s)} is paused: its pods change only after \`kubectl rollout resume deployment/${s.name} -n ${s.namespace}\`.`,
          },
        };
      }
      return at(o, ['spec', 'strategy', 'type']) === 'Recreate' ? { rollout: 'recreate' } : { rollout: 'rolling' };
    case 'StatefulSet':
    case 'DaemonSet':
      if (at(o, ['spec', 'updateStrategy', 'type']) === 'OnDelete') {
        return {
          rollout: 'on-delete',
          note: {
            severity: 'warning',
            message: `${describe(s)} uses updateStrategy OnDelete: running pods keep their networks until you delete them${selector ? ` (\`kubectl delete pod -n ${s.namespace} -l ${selector}\`)` : ''}.`,
          },
        };
      }
      return { rollout: 'rolling' };
    case 'ReplicaSet':
    case 'ReplicationController':
      return {
        rollout: 'none',
        note: {
          severity: 'warning',
          message: `A ${ctx.kind.kind} does not replace running pods when its template changes: only pods created from now on get the network${selector ? `; delete the old ones to replace them (\`kubectl delete pod -n ${s.namespace} -l ${selector}\`)` : ''}.`,
        },
      };
    case 'Job':
      return {
        rollout: 'on-resume',
        note: {
          severity: 'info',
          message: `${describe(s)} is suspended: its pods get the network when it is resumed.`,
        },
      };
    case 'CronJob':
      return {
        rollout: 'next-run',
        note: {
          severity: 'info',
          message: `Jobs the CronJob starts from now on get the network; Jobs already running keep their pods.`,
        },
      };
    case 'Pod':
      return { rollout: 'recreate-pod' };
    default:
      return { rollout: 'none' };
  }
}

/** Something else owns the object's spec and may put it back (an operator, Helm, Argo CD, Flux). */
export function managedNotes(ctx: PlanContext): Note[] {
  const o = ctx.object;
  const notes: Note[] = [];
  const refs = o.metadata?.ownerReferences ?? [];
  const ctrl = refs.find((r) => r.controller) ?? refs[0];
  if (ctrl && !['Pod', 'ReplicaSet', 'ReplicationController', 'Job'].includes(ctx.kind.kind)) {
    notes.push({
      severity: 'warning',
      message: `${ctx.kind.kind} ${o.metadata?.name} is owned by ${ctrl.kind} ${ctrl.name}, which may put its own template back; if it does, set the annotation through ${ctrl.kind} ${ctrl.name} instead.`,
    });
  }
  const labels = o.metadata?.labels ?? {};
  const ann = o.metadata?.annotations ?? {};
  const tool =
    labels['app.kubernetes.io/managed-by'] ??
    (ann['argocd.argoproj.io/tracking-id']
      ? 'Argo CD'
      : labels['kustomize.toolkit.fluxcd.io/name']
        ? 'Flux'
        : undefined);
  if (tool)
    notes.push({
      severity: 'warning',
      message: `The object is managed by ${tool}: the next sync or upgrade puts the old template back unless the annotation is added to its source too.`,
    });
  return notes;
}

export function hostKeptNote(s: Plan['subject']): Note {
  return {
    id: 'pod-host-network',
    severity: 'warning',
    message: `${describe(s)} keeps hostNetwork: true (--host-network=keep): multus is never called for host-network pods, so the attachment is ignored.`,
    fix: 'Re-run without --host-network=keep to switch hostNetwork off.',
  };
}

export function containerHostPorts(spec: Obj): number[] {
  const out: number[] = [];
  for (const list of [spec['containers'], spec['initContainers']]) {
    if (!Array.isArray(list)) continue;
    for (const c of list)
      for (const p of (isObj(c) && Array.isArray(c['ports']) ? c['ports'] : []) as unknown[])
        if (isObj(p) && typeof p['hostPort'] === 'number') out.push(p['hostPort']);
  }
  return out;
}

/** A rolling update runs old and new pods side by side: two copies of one fixed MAC/IP for a while. */
export function surgeNotes(ctx: PlanContext, what: 'MAC' | 'IP'): Note[] {
  const o = ctx.object;
  const id = what === 'MAC' ? 'pod-mac-duplicate' : 'pod-ip-duplicate';
  const s = subjectOf(o, ctx.kind);
  if (ctx.kind.kind === 'Deployment' && at(o, ['spec', 'strategy', 'type']) !== 'Recreate') {
    const surge = at(o, ['spec', 'strategy', 'rollingUpdate', 'maxSurge']);
    if (surge === 0 || surge === '0%') return [];
    return [
      {
        id,
        severity: 'warning',
        message: `${describe(s)} rolls out with a surge: during every rollout the new pod starts while the old one still holds the fixed ${what}.`,
        fix: `Use the Recreate strategy: ${kubectl(ctx, ['patch', `deployment.apps/${s.name}`, '-n', s.namespace, '--type', 'merge', '-p', '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}'])}`,
      },
    ];
  }
  if (ctx.kind.kind === 'DaemonSet') {
    const surge = at(o, ['spec', 'updateStrategy', 'rollingUpdate', 'maxSurge']);
    if (surge !== undefined && surge !== 0 && surge !== '0%') {
      return [
        {
          id,
          severity: 'warning',
          message: `${describe(s)} sets maxSurge ${String(surge)}: during a rollout two pods on one node hold the fixed ${what}.`,
          fix: 'Set spec.updateStrategy.rollingUpdate.maxSurge to 0.',
        },
      ];
    }
  }
  return [];
}
