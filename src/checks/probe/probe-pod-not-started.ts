import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import type { Analysis } from '../analysis.js';
import { classifyEventMessage, isSandboxFailureEvent, type EventClassification } from '../../model/events.js';
import { probePodViews, explainingEvent, multusLogsHint, compact, type ProbePodView } from './lib/probe-common.js';
import { classifyPodTrouble, type PodTrouble } from '../../model/pod-events.js';

/** Causes outside the CNI chain that the pod-trouble classifier names better than the reason alone. */
const NOT_CNI = new Set(['runtime', 'image-pull', 'mount', 'scheduling']);

/**
 * A test pod that never reached Running: the attachment could not be set up (or the pod could
 * not even be scheduled). The event that explains it is the evidence a person needs, so we pick
 * the most telling Warning event and show it verbatim.
 */
export const probePodNotStarted = defineCheck(
  {
    id: 'probe-pod-not-started',
    title: 'Test pod did not start',
    severity: 'error',
    category: 'probe',
    scope: 'cluster',
    distributions: 'all',
    doc: "The probe creates a test pod that asks for the NetworkAttachmentDefinition. When it does not reach Running before the timeout, pods that use this NAD cannot start either; the pod's Warning event (usually FailedCreatePodSandBox from multus) names the reason.",
  },
  (a) =>
    probePodViews(a)
      .filter((v) => !v.pod.started)
      .map((v) => notStarted(a, v)),
);

function notStarted(a: Analysis, v: ProbePodView): Finding {
  const ev = explainingEvent(v.pod.events);
  const phase = v.pod.phase ? ` (phase ${v.pod.phase})` : '';
  const evidence: Evidence[] = [];
  if (ev) {
    evidence.push({
      label: `event ${ev.reason}${ev.count && ev.count > 1 ? ` ×${ev.count}` : ''}`,
      value: compact(ev.message, 1000),
      ...(v.pod.node ? { node: v.pod.node } : {}),
    });
  }
  if (v.pod.error) evidence.push({ label: 'probe', value: compact(v.pod.error, 400) });
  // The shared classifier turns multus's long error chain into one sentence and the check that explains it.
  const cls = ev && isSandboxFailureEvent(ev) ? classifyEventMessage(ev.message) : undefined;
  const known = cls && cls.cause !== 'unknown' ? cls : undefined;
  // Not every pod that does not start is a CNI story: the runtime, the image, a volume, the scheduler.
  const t = ev ? classifyPodTrouble({ events: v.pod.events }) : undefined;
  const trouble = t && NOT_CNI.has(t.cause) && (!known || known.cause === 'runtime-unavailable') ? t : undefined;
  const why = trouble
    ? `: ${trouble.summary} (${trouble.event?.reason ?? ev!.reason})`
    : known
      ? `: ${known.summary}`
      : ev
        ? `: ${ev.reason}`
        : v.pod.error
          ? `: ${compact(v.pod.error, 160)}`
          : ' and has no Warning event that says why';
  return finding(
    probePodNotStarted.meta,
    v.subject,
    `The ${v.label} for NAD ${v.nadKey} did not reach Running${phase}${why}.`,
    evidence,
    fixFor(a, v, ev?.reason, known, trouble),
  );
}

function fixFor(
  a: Analysis,
  v: ProbePodView,
  reason: string | undefined,
  cls: EventClassification | undefined,
  trouble?: PodTrouble,
): string {
  if (trouble?.cause === 'runtime') {
    return `The container runtime on ${v.pod.node ?? 'the node'} cannot create pod sandboxes: not a multus problem, and no pod starts there. Read the runtime's log on that node (containerd or CRI-O, and the kubelet's), then re-run the probe.`;
  }
  if (trouble?.cause === 'mount')
    return 'A volume of the test pod cannot be mounted on that node (see the event): this says nothing about multus yet; fix the node and re-run the probe.';
  switch (reason) {
    case 'FailedScheduling':
      return 'The scheduler could not place the test pod (taints, node selector, resources): this says nothing about multus yet. Check `kubectl describe node` for taints and make sure at least one schedulable node can run a plain pod, then re-run the probe.';
    case 'ErrImagePull':
    case 'Failed':
    case 'BackOff':
      return "The test pod's image could not be pulled or its container failed: make sure the nodes can pull the probe image (registry access, proxy, air-gapped mirror); it needs `ip` and `ping` inside.";
    case 'FailedCreatePodSandBox':
    case 'NoNetworkFound':
      return (
        (cls?.checkId
          ? `This is the failure \`${cls.checkId}\` detects: \`kubectl multus check\` gives the fix for this cluster (background: \`kubectl multus explain ${cls.checkId}\`). `
          : '') +
        `The sandbox network setup failed; the event text above is multus's (or the plugin's) own error. ` +
        `Run \`kubectl multus check\` to match it to the failing piece (plugin binaries in ${a.paths.binDirs[0]}, the config in ${a.paths.confDir}, the NAD), ` +
        `and read the multus log on ${v.pod.node ?? 'the node'}: \`${multusLogsHint(a, v.pod.node)}\`. Pods retry by themselves once it is fixed.`
      );
    default:
      return `Describe the test pod while it is pending (\`kubectl -n ${v.pod.namespace} describe pod ${v.pod.name}\`) and run \`kubectl multus check\`; the multus log on the node: \`${multusLogsHint(a, v.pod.node)}\`.`;
  }
}
