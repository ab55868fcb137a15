/**
 * What every probe check needs about one test pod: its NAD, its parsed `ip` output, the
 * interface it asked for, its parsed network-status. Parsed once per pod (the snapshot is
 * immutable during a run, so a WeakMap on the pod object is a safe cache).
 */
import type { EventRecord, ProbePod, ProbeResult } from '../../../snapshot/types.js';
import type { Analysis, NadView } from '../../analysis.js';
import { nadKey } from '../../analysis.js';
import type { Evidence, Subject } from '../../types.js';
import { parseIpOutput, findInterface, type IpInterface, type IpOutput } from '../../../model/ip-output.js';
import { parseJsonText, isObject } from '../../../model/cni-config.js';
import {
  parseNetworkStatus,
  statusNameMatches,
  type NetworkStatusEntry,
  type NetworkStatusResult,
} from '../../../model/network-status.js';
import { own } from '../../../model/own.js';

export interface ProbePodView {
  probe: ProbeResult;
  pod: ProbePod;
  subject: Subject;
  /** `namespace/name` of the NAD under test. */
  nadKey: string;
  /** The NAD, when the snapshot carries it. */
  nad?: NadView;
  /** The interface the attachment was requested as (`net1` unless the probe asked otherwise). */
  ifname: string;
  /** Parsed `ip` output; undefined when none was collected. */
  ip?: IpOutput;
  /** The requested interface in that output (undefined when absent or no output). */
  iface?: IpInterface;
  /** Parsed network-status; undefined when not collected. `entries: []` when the pod had none. */
  status?: NetworkStatusResult;
  /** The network-status entry for the NAD under test, if any. */
  statusEntry?: NetworkStatusEntry;
  /** `device-info.type` of that entry (`pci`, `vdpa`, `vhost-user`, `memif`): a device, maybe without a kernel interface. */
  statusDeviceType?: string;
  /** "test pod default/probe-a on node n1" for messages. */
  label: string;
}

interface Parsed {
  ip?: IpOutput;
  status?: NetworkStatusResult;
}

const cache = new WeakMap<ProbePod, Parsed>();

function parsed(pod: ProbePod): Parsed {
  let p = cache.get(pod);
  if (!p) {
    p = {
      ip: typeof pod.ipOutput === 'string' ? parseIpOutput(pod.ipOutput) : undefined,
      // An empty string means "read, and the pod has no network-status annotation".
      status:
        typeof pod.networkStatus === 'string'
          ? pod.networkStatus.trim() === ''
            ? { entries: [] }
            : parseNetworkStatus(pod.networkStatus)
          : undefined,
    };
    cache.set(pod, p);
  }
  return p;
}

/** `device-info.type` of a network-status entry (not in the shared model: only the probe needs it). */
function deviceType(pod: ProbePod, entry: NetworkStatusEntry): string | undefined {
  const list = parseJsonText(pod.networkStatus ?? '').value;
  if (!Array.isArray(list)) return undefined;
  const el = list.find(
    (x) =>
      isObject(x) && x['name'] === entry.name && (entry.interface === undefined || x['interface'] === entry.interface),
  );
  const info = isObject(el) ? el['device-info'] : undefined;
  return isObject(info) && typeof info['type'] === 'string' ? info['type'] : undefined;
}

export function probePodViews(a: Analysis): ProbePodView[] {
  const out: ProbePodView[] = [];
  for (const probe of a.snapshot.probes ?? []) {
    const key = nadKey(probe.nad.namespace, probe.nad.name);
    for (const pod of probe.pods ?? []) {
      const ifname = pod.interface || 'net1';
      const { ip, status } = parsed(pod);
      const iface = ip ? findInterface(ip, ifname) : undefined;
      // Prefer the entry that names our interface: a pod may attach one NAD twice.
      const matching =
        status?.entries.filter((e) => statusNameMatches(e.name, probe.nad.namespace, probe.nad.name)) ?? [];
      const statusEntry = matching.find((e) => e.interface === ifname) ?? matching[0];
      const statusDeviceType = statusEntry ? deviceType(pod, statusEntry) : undefined;
      out.push({
        probe,
        pod,
        subject: { kind: 'Pod', name: pod.name, namespace: pod.namespace, ...(pod.node ? { node: pod.node } : {}) },
        nadKey: key,
        nad: a.nadIndex.get(key),
        ifname,
        ip,
        iface,
        status,
        statusEntry,
        statusDeviceType,
        label: `test pod ${pod.namespace}/${pod.name}${pod.node ? ` on node ${pod.node}` : ''}`,
      });
    }
  }
  return out;
}

/** Evidence: the interfaces `ip` showed, as `name addr,addr`. */
export function ipEvidence(v: ProbePodView, label = 'ip addr in the test pod'): Evidence {
  const shown = (v.ip?.interfaces ?? [])
    .map(
      (i) =>
        `${i.name}${i.link ? '@' + i.link : ''}${i.addresses.length ? ' ' + i.addresses.map((x) => x.cidr).join(',') : ''}`,
    )
    .join('; ');
  return { label, value: shown || '(no interface)', ...(v.pod.node ? { node: v.pod.node } : {}) };
}

export function statusEvidence(v: ProbePodView): Evidence | undefined {
  if (typeof v.pod.networkStatus !== 'string') return undefined;
  if (v.pod.networkStatus.trim() === '')
    return { label: 'network-status annotation', value: '(no network-status annotation)' };
  // The NAD's own entry says what matters; the whole list only when the NAD is not in it.
  if (v.statusEntry)
    return { label: `network-status entry for ${v.nadKey}`, value: compact(JSON.stringify(v.statusEntry), 400) };
  return { label: 'network-status annotation', value: compact(v.pod.networkStatus, 400) };
}

export function compact(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}

/** `kubectl logs` command for the multus pods of this install (names differ per distribution and chart). */
export function multusLogsHint(a: Analysis, node?: string): string {
  const m = a.multus[0];
  const ns = m?.namespace ?? (a.distribution === 'openshift' ? 'openshift-multus' : 'kube-system');
  const ds =
    m?.name ??
    (a.distribution === 'openshift' ? 'multus' : a.distribution === 'rke2' ? 'rke2-multus' : 'kube-multus-ds');
  const pod = node ? m?.pods?.find((p) => p.node === node)?.name : undefined;
  return pod ? `kubectl -n ${ns} logs ${pod} --all-containers` : `kubectl -n ${ns} logs ds/${ds} --all-containers`;
}

const REASON_RANK: Record<string, number> = {
  FailedCreatePodSandBox: 10,
  NoNetworkFound: 11,
  FailedScheduling: 8,
  FailedMount: 7,
  ErrImagePull: 6,
  Failed: 6,
  BackOff: 5,
  FailedKillPod: 1,
};

/** The event that best explains why a pod did not start: the most telling Warning, latest first. */
export function explainingEvent(events: EventRecord[] | undefined): EventRecord | undefined {
  const warnings = (events ?? []).filter((e) => e.type !== 'Normal');
  if (warnings.length === 0) return undefined;
  return [...warnings].sort((x, y) => {
    const r = (own(REASON_RANK, y.reason) ?? 2) - (own(REASON_RANK, x.reason) ?? 2);
    if (r !== 0) return r;
    return (y.lastTimestamp ?? '').localeCompare(x.lastTimestamp ?? '');
  })[0];
}
