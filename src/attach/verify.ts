/**
 * `attach --wait`: did the new pods get what was asked for? Judged from each pod's
 * network-status (what multus reports), with the probe checks' ids so a finding reads like the
 * one `probe` would give. A pod that never started is handed to the probe-pod-not-started check
 * itself, which picks and classifies the event that explains it.
 */
import type { EventRecord, ProbePod } from '../snapshot/types.js';
import { snapshot } from '../snapshot/build.js';
import { analyze } from '../checks/analysis.js';
import type { Finding, Subject } from '../checks/types.js';
import { probePodNotStarted } from '../checks/probe/probe-pod-not-started.js';
import { NETWORK_STATUS_ANNOTATION, LEGACY_NETWORKS_STATUS_ANNOTATION } from '../model/networks-annotation.js';
import { parseNetworkStatus, statusNameMatches } from '../model/network-status.js';
import type { PodObject } from '../collect/multus-install.js';
import type { Expected } from './types.js';
import { normaliseMac } from './mac.js';

export interface PodCheck {
  pod: string;
  node?: string;
  ok: boolean;
  /** One line for the person waiting: `net1 on default/lan, mac …, 192.168.1.20`. */
  summary: string;
}

const ipOnly = (s: string) => s.split('/')[0]!.trim().toLowerCase();

function podSubject(p: PodObject): Subject {
  return {
    kind: 'Pod',
    name: p.metadata?.name ?? '',
    namespace: p.metadata?.namespace ?? 'default',
    ...(p.spec?.nodeName ? { node: p.spec.nodeName } : {}),
  };
}

/** A running pod's network-status against what was asked for. */
export function verifyRunningPod(
  p: PodObject,
  want: Expected,
  owner: string,
): { findings: Finding[]; check: PodCheck } {
  const subject = podSubject(p);
  const nadKey = `${want.network.namespace}/${want.network.name}`;
  const label = `pod ${subject.namespace}/${subject.name} of ${owner}${subject.node ? ` on node ${subject.node}` : ''}`;
  const raw =
    p.metadata?.annotations?.[NETWORK_STATUS_ANNOTATION] ??
    p.metadata?.annotations?.[LEGACY_NETWORKS_STATUS_ANNOTATION];
  const check: PodCheck = { pod: subject.name, node: subject.node, ok: false, summary: '' };
  const f = (id: string, severity: Finding['severity'], message: string, value: string, fix: string): Finding => ({
    id,
    severity,
    subject,
    message,
    evidence: [{ label: 'network-status annotation', value, ...(subject.node ? { node: subject.node } : {}) }],
    fix,
  });
  const checkFix = `Run \`kubectl multus check\`: it finds why multus did not set the network up on ${subject.node ? `node ${subject.node}` : 'the node'} (multus-conf-missing, multus-conf-not-first, multus-pods-not-ready, ...).`;
  if (raw === undefined || raw.trim() === '') {
    check.summary = 'no network-status: multus was not called';
    return {
      findings: [
        f(
          'probe-interface-missing',
          'error',
          `The new ${label} is running without a network-status annotation: multus was never called for it, so it has no ${want.interface}.`,
          '(no network-status annotation)',
          checkFix,
        ),
      ],
      check,
    };
  }
  const st = parseNetworkStatus(raw);
  if (st.error) {
    check.summary = st.error;
    return {
      findings: [
        f(
          'probe-interface-missing',
          'error',
          `The network-status of the new ${label} cannot be read: ${st.error}.`,
          raw.slice(0, 400),
          checkFix,
        ),
      ],
      check,
    };
  }
  const entries = st.entries.filter(
    (e) => !e.default && statusNameMatches(e.name, want.network.namespace, want.network.name),
  );
  const entry = entries.find((e) => e.interface === want.interface) ?? entries[0];
  if (!entry) {
    check.summary = `${nadKey} not attached`;
    const names = st.entries.map((e) => e.name).join(', ') || 'nothing';
    return {
      findings: [
        f(
          'probe-interface-missing',
          'error',
          `The new ${label} has no ${want.interface}: multus ran (network-status lists ${names}) but did not attach ${nadKey}.`,
          raw.slice(0, 400),
          `${checkFix} The multus log of that node says why the attachment was skipped.`,
        ),
      ],
      check,
    };
  }
  const findings: Finding[] = [];
  const shown = JSON.stringify(entry);
  if (entry.interface && entry.interface !== want.interface) {
    findings.push(
      f(
        'probe-interface-missing',
        'warning',
        `The new ${label} has ${nadKey} as ${entry.interface}, not ${want.interface}.`,
        shown,
        `Multus named the interface differently; set "interface": "${want.interface}" on the element if the name matters.`,
      ),
    );
  }
  if (want.mac && (!entry.mac || normaliseMac(entry.mac) !== want.mac)) {
    findings.push(
      f(
        'probe-mac-mismatch',
        'error',
        `${entry.interface ?? want.interface} in the new ${label} has MAC ${entry.mac ?? '(none reported)'}, not the requested ${want.mac}.`,
        shown,
        `The plugin did not apply the MAC: NAD ${nadKey} needs "capabilities": {"mac": true} on the plugin that creates the interface (or a chained tuning plugin with it) and plugins recent enough to honour it (macvlan ≥ v0.8.7, bridge ≥ v1.0.0); ipvlan and host-device cannot take a per-pod MAC at all. \`kubectl multus check\` names the cause.`,
      ),
    );
  }
  if (want.ips?.length) {
    const got = new Set(entry.ips.map(ipOnly));
    const missing = want.ips.filter((ip) => !got.has(ipOnly(ip)));
    if (missing.length) {
      findings.push(
        f(
          'probe-address-missing',
          'error',
          `${entry.interface ?? want.interface} in the new ${label} does not have the requested ${missing.join(', ')} (network-status shows ${entry.ips.join(', ') || 'no address'}).`,
          shown,
          `The IPAM did not honour the request: NAD ${nadKey} needs "capabilities": {"ips": true} on its plugin and an IPAM that takes requested addresses (static, or host-local with a range that contains them; dhcp never does). \`kubectl multus check\` names the cause.`,
        ),
      );
    }
  }
  check.ok = !findings.some((x) => x.severity === 'error');
  check.summary = `${entry.interface ?? want.interface} on ${nadKey}${entry.mac ? `, mac ${entry.mac}` : ''}${entry.ips.length ? `, ${entry.ips.join(', ')}` : ''}`;
  return { findings, check };
}

function waitingReason(p: PodObject): string | undefined {
  for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])])
    if (s.state?.waiting?.reason) return s.state.waiting.reason;
  return undefined;
}

/** New pods that did not reach Running: the probe check explains them from their events. */
export function notStartedFindings(pods: PodObject[], events: EventRecord[], want: Expected): Finding[] {
  if (pods.length === 0) return [];
  const probePods: ProbePod[] = pods.map((p) => {
    const name = p.metadata?.name ?? '';
    const pp: ProbePod = {
      name,
      namespace: p.metadata?.namespace ?? 'default',
      interface: want.interface,
      started: false,
      events: events.filter((e) => e.involvedObject.name === name),
    };
    if (p.spec?.nodeName) pp.node = p.spec.nodeName;
    const phase = waitingReason(p) ?? p.status?.phase;
    if (phase) pp.phase = phase;
    if (want.mac) pp.requestedMac = want.mac;
    if (want.ips) pp.requestedIps = want.ips;
    return pp;
  });
  const a = analyze(
    snapshot({ cluster: { distribution: 'unknown' }, probes: [{ nad: want.network, pods: probePods, pings: [] }] }),
  );
  // The probe check speaks of "the test pod"; these are the workload's own pods.
  const own = (t: string) => t.replace(/\btest pod\b/g, 'new pod').replace(/ the probe\b/g, ' attach --wait');
  return probePodNotStarted.run(a).map((f) => ({ ...f, message: own(f.message), fix: own(f.fix) }));
}
