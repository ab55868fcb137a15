import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import type { ContainerState, MultusPod } from '../../snapshot/types.js';
import { classifyLog, type LogCause } from '../../model/multus-logs.js';
import { dsSubject } from '../../model/install-nodes.js';
import { shq } from '../fixes.js';

const BAD_REASONS = /CrashLoopBackOff|Error|ImagePullBackOff|ErrImagePull|CreateContainerConfigError|CreateContainerError|RunContainerError|OOMKilled|ContainerCannotRun|InvalidImageName/;

function containerTrouble(c: ContainerState): string | undefined {
  if (c.reason && BAD_REASONS.test(c.reason)) {
    const last = c.lastTerminationReason ? `, last exit: ${c.lastTerminationReason}${c.lastExitCode !== undefined ? ` (code ${c.lastExitCode})` : ''}` : '';
    return `${c.init ? 'init ' : ''}container ${c.name}: ${c.reason}${last}${c.restartCount ? `, ${c.restartCount} restarts` : ''}`;
  }
  if (c.init && c.state === 'running') return undefined;
  if (!c.init && c.ready === false && c.state === 'waiting') return `container ${c.name}: waiting${c.reason ? ` (${c.reason})` : ''}`;
  return undefined;
}

function podTrouble(p: MultusPod): string | undefined {
  for (const c of p.containers) {
    const t = containerTrouble(c);
    if (t) return t;
  }
  if (p.phase && p.phase !== 'Running') return `pod ${p.phase}`;
  if (p.ready === false) return 'not ready';
  return undefined;
}

/** Last log lines worth showing: the ones that say why, else the tail. */
function telling(p: MultusPod): { lines: string[]; cause?: LogCause } {
  const all = [...(p.previousLogs ?? []), ...(p.logs ?? [])];
  const hit = all.find((l) => classifyLog(l));
  if (hit) return { lines: [hit], cause: classifyLog(hit) };
  return { lines: all.slice(-3) };
}

/**
 * DaemonSet desired ≠ ready, or a multus pod crash-looping/erroring. One finding per install,
 * naming the nodes, the container state and the log line that explains it (the thin entrypoint
 * exits 0 after printing its reason, so "Completed" restarts are failures too).
 */
export const multusPodsNotReady = defineCheck(
  {
    id: 'multus-pods-not-ready',
    title: 'Multus pods are not ready',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'On a node whose multus pod is not running, multus never writes (or refreshes) its config, or — thick plugin — the shim has no daemon to talk to: pods there lose their secondary networks or fail to start.',
  },
  (a) => {
    const meta = multusPodsNotReady.meta;
    const out: Finding[] = [];
    for (const m of a.multus) {
      const bad = (m.pods ?? []).map((p) => ({ p, why: podTrouble(p) })).filter((x) => x.why);
      const st = m.status;
      const gap = st && st.ready < st.desired;
      if (!bad.length && !gap) continue;
      const evidence: Evidence[] = [];
      const causes = new Map<string, LogCause>();
      for (const { p, why } of bad.slice(0, 8)) {
        evidence.push({ label: `pod ${p.name}`, node: p.node, value: why });
        const t = telling(p);
        if (t.cause) causes.set(t.cause.check, t.cause);
        for (const line of t.lines) evidence.push({ label: 'log', node: p.node, value: line });
      }
      const nodes = bad.map((x) => x.p.node ?? `(unscheduled ${x.p.name})`);
      const oom = bad.some(({ p }) => p.containers.some((c) => c.reason === 'OOMKilled' || c.lastTerminationReason === 'OOMKilled'));
      const completed = bad.some(({ p }) => p.containers.some((c) => c.lastTerminationReason === 'Completed' && c.lastExitCode === 0));
      const counts = st ? `${st.ready}/${st.desired} multus pods are ready` : `${bad.length} multus pod${bad.length > 1 ? 's are' : ' is'} not ready`;
      const why = [...causes.values()].map((c) => c.says);
      if (oom) why.push('a container was OOMKilled');
      const msg = `${counts}${nodes.length ? ` (not ready on ${listNames(nodes)})` : ''}${why.length ? `: ${why.join('; ')}` : ''}.`;
      const see = [...causes.keys(), ...(oom ? ['multus-oomkilled'] : [])].filter((id) => id !== meta.id);
      const first = bad[0]?.p;
      const fixLines: string[] = [];
      if (see.length) fixLines.push(`See ${[...new Set(see)].join(', ')} for the cause and its fix (\`kubectl multus explain <id>\`).`);
      if (causes.has('multus-pods-not-ready')) fixLines.push('Use the manifest that matches the image version (v4: /install_multus in the init container, /thin_entrypoint or multus-daemon in the main one).');
      if (completed) fixLines.push('The thin entrypoint exits with code 0 after printing its error, so the restarts look like "Completed": the reason is in the log.');
      if (first) fixLines.push(`Inspect: kubectl -n ${shq(m.namespace)} logs ${shq(first.name)} --all-containers --previous; kubectl -n ${shq(m.namespace)} describe pod ${shq(first.name)}`);
      else fixLines.push(`Inspect: kubectl -n ${shq(m.namespace)} describe ds ${shq(m.name)} (pods that cannot be scheduled or created show their reason in events).`);
      out.push(finding(meta, dsSubject(m), msg, evidence, fixLines.join('\n')));
    }
    return out;
  },
);
