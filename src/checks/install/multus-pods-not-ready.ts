import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import type { ContainerState, MultusPod } from '../../snapshot/types.js';
import { classifyLog, type LogCause } from '../../model/multus-logs.js';
import { dsSubject } from '../../model/install-nodes.js';
import { shellQuote } from '../../model/shell.js';
import {
  classifyPodTrouble,
  compactEventMessage,
  eventLabel,
  latestWarnings,
  type PodTrouble,
} from '../../model/pod-events.js';
import type { Distribution } from '../../snapshot/types.js';

/** Where the container runtime logs, per distribution (a sandbox that cannot start is the runtime's story). */
function runtimeLogHint(d: Distribution): string {
  switch (d) {
    case 'k3s':
      return '`journalctl -u k3s` (agents: `k3s-agent`) and /var/lib/rancher/k3s/agent/containerd/containerd.log';
    case 'rke2':
      return '`journalctl -u rke2-server` (agents: `rke2-agent`) and /var/lib/rancher/rke2/agent/containerd/containerd.log';
    case 'microk8s':
      return '`journalctl -u snap.microk8s.daemon-containerd`';
    case 'openshift':
      return '`oc adm node-logs <node> -u crio`';
    default:
      return '`journalctl -u containerd` (or `-u crio`) and `journalctl -u kubelet`';
  }
}

/** One fix line per cause found in the pods' events and states. */
function troubleFix(t: PodTrouble, d: Distribution): string | undefined {
  switch (t.cause) {
    case 'runtime':
      return `The container runtime cannot start pod sandboxes on the node(s) named above: not a multus problem, and every new pod there fails the same way. Read the runtime's log: ${runtimeLogHint(d)}; a runc/kernel mismatch, a full disk or a broken cgroup setup are the usual causes.`;
    case 'image-pull':
      return `Make the image pullable from the nodes${t.image ? ` (${t.image})` : ''}: check the name and tag, registry access and proxy, imagePullSecrets; air-gapped clusters need it in their mirror.`;
    case 'mount':
      return 'A volume of the DaemonSet cannot be mounted: a hostPath with `type: Directory`/`File` that does not exist on the node, or a ConfigMap/Secret that is missing. Create it, or fix the volume in the DaemonSet.';
    case 'scheduling':
      return "The scheduler cannot place the pod: compare the DaemonSet's tolerations and nodeSelector with the node's taints and labels (`kubectl describe node`), and its resource requests with what is free.";
    case 'sandbox-network':
      return t.network?.checkId
        ? `The sandbox's network setup fails: see \`kubectl multus explain ${t.network.checkId}\`.`
        : undefined;
    case 'config':
      return 'A container cannot be created from its spec (a missing ConfigMap/Secret key, a bad command): `kubectl describe pod` shows which.';
    default:
      return undefined;
  }
}

const BAD_REASONS =
  /CrashLoopBackOff|Error|ImagePullBackOff|ErrImagePull|CreateContainerConfigError|CreateContainerError|RunContainerError|OOMKilled|ContainerCannotRun|InvalidImageName/;

function containerTrouble(c: ContainerState): string | undefined {
  if (c.reason && BAD_REASONS.test(c.reason)) {
    const last = c.lastTerminationReason
      ? `, last exit: ${c.lastTerminationReason}${c.lastExitCode !== undefined ? ` (code ${c.lastExitCode})` : ''}`
      : '';
    return `${c.init ? 'init ' : ''}container ${c.name}: ${c.reason}${last}${c.restartCount ? `, ${c.restartCount} restarts` : ''}`;
  }
  if (c.init && c.state === 'running') return undefined;
  if (!c.init && c.ready === false && c.state === 'waiting')
    return `container ${c.name}: waiting${c.reason ? ` (${c.reason})` : ''}`;
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
      const troubles = new Map<string, { t: PodTrouble; nodes: string[] }>();
      for (const { p, why } of bad.slice(0, 8)) {
        evidence.push({ label: `pod ${p.name}`, node: p.node, value: why });
        const t = telling(p);
        if (t.cause) causes.set(t.cause.check, t.cause);
        // The pod's latest Warning events: what `kubectl describe pod` would show at the bottom.
        for (const e of latestWarnings(p.events, 2))
          evidence.push({ label: eventLabel(e), node: p.node, value: compactEventMessage(e.message) });
        for (const line of t.lines) evidence.push({ label: 'log', node: p.node, value: line });
        const tr = classifyPodTrouble({
          events: p.events,
          containers: p.containers,
          logs: p.logs,
          previousLogs: p.previousLogs,
        });
        // A crash loop or OOM is already told by the log cause and the OOM note below.
        if (!tr || tr.cause === 'oom' || (tr.cause === 'crashloop' && t.cause)) continue;
        const k = `${tr.cause}|${tr.summary}`;
        const prev = troubles.get(k);
        if (prev) prev.nodes.push(p.node ?? p.name);
        else troubles.set(k, { t: tr, nodes: [p.node ?? p.name] });
      }
      const nodes = bad.map((x) => x.p.node ?? `(unscheduled ${x.p.name})`);
      const oom = bad.some(({ p }) =>
        p.containers.some((c) => c.reason === 'OOMKilled' || c.lastTerminationReason === 'OOMKilled'),
      );
      const completed = bad.some(({ p }) =>
        p.containers.some((c) => c.lastTerminationReason === 'Completed' && c.lastExitCode === 0),
      );
      const counts = st
        ? `${st.ready}/${st.desired} multus pods are ready`
        : `${bad.length} multus pod${bad.length > 1 ? 's are' : ' is'} not ready`;
      const why = [...causes.values()].map((c) => c.says);
      for (const { t, nodes: on } of troubles.values())
        why.push(on.length < bad.length ? `on ${listNames(on, 3)}, ${t.summary}` : t.summary);
      if (oom) why.push('a container was OOMKilled');
      const msg = `${counts}${nodes.length ? ` (not ready on ${listNames(nodes)})` : ''}${why.length ? `: ${why.join('; ')}` : ''}.`;
      const see = [...causes.keys(), ...(oom ? ['multus-oomkilled'] : [])].filter((id) => id !== meta.id);
      const first = bad[0]?.p;
      const fixLines: string[] = [];
      for (const line of new Set(
        [...troubles.values()].map(({ t }) => troubleFix(t, a.distribution)).filter((x): x is string => !!x),
      ))
        fixLines.push(line);
      if (see.length)
        fixLines.push(
          `See ${[...new Set(see)].join(', ')} for the cause and its fix (\`kubectl multus explain <id>\`).`,
        );
      if (causes.has('multus-pods-not-ready'))
        fixLines.push(
          'Use the manifest that matches the image version (v4: /install_multus in the init container, /thin_entrypoint or multus-daemon in the main one).',
        );
      if (completed)
        fixLines.push(
          'The thin entrypoint exits with code 0 after printing its error, so the restarts look like "Completed": the reason is in the log.',
        );
      if (first)
        fixLines.push(
          `Inspect: kubectl -n ${shellQuote(m.namespace)} logs ${shellQuote(first.name)} --all-containers --previous; kubectl -n ${shellQuote(m.namespace)} describe pod ${shellQuote(first.name)}`,
        );
      else
        fixLines.push(
          `Inspect: kubectl -n ${shellQuote(m.namespace)} describe ds ${shellQuote(m.name)} (pods that cannot be scheduled or created show their reason in events).`,
        );
      out.push(finding(meta, dsSubject(m), msg, evidence, fixLines.join('\n')));
    }
    return out;
  },
);
