/**
 * What the NetworkAttachmentDefinition checks share: which NADs can be judged at all, evidence
 * inside a plugin of the chain, which nodes matter, which pods use a NAD, and distribution-specific
 * install hints. Not a check itself.
 */
import type { Analysis, NadView, NodeView, WorkloadView } from '../../analysis.js';
import type { Evidence } from '../../types.js';
import { locate, isUnrendered, type CniConfig, type PluginConf, type JsonValue } from '../../../model/cni-config.js';
import { goKey } from '../../../model/go-json.js';
import { MASTER_FIELD } from '../../../model/plugin-fields.js';
import type { HostInterface } from '../../../snapshot/types.js';
import type { NetworkSelection } from '../../../model/networks-annotation.js';

interface JudgeableNad {
  nad: NadView;
  cfg: CniConfig;
}

/**
 * NADs whose spec.config parsed cleanly into an object. Anything else is nad-config-invalid-json's
 * (or nad-config-missing's) to report: the other checks do not pile on.
 */
export function judgeableNads(a: Analysis): JudgeableNad[] {
  const out: JudgeableNad[] = [];
  for (const nad of a.nads) {
    const cfg = nad.config;
    if (!cfg || !cfg.ok || cfg.parsed.problems.length > 0) continue;
    out.push({ nad, cfg });
  }
  return out;
}

/** Evidence at a path inside one plugin of the config (`[]` = the plugin object itself). */
export function pluginEvidence(
  nad: NadView,
  cfg: CniConfig,
  plugin: PluginConf,
  rel: Array<string | number>,
  value?: string,
): Evidence {
  const path = [...plugin.path, ...rel];
  return nad.at(locate(cfg.parsed, path) ?? locate(cfg.parsed, plugin.path), value);
}

/** Evidence at a path inside the plugin's `ipam` object. */
export function ipamEvidence(
  nad: NadView,
  cfg: CniConfig,
  plugin: PluginConf,
  rel: Array<string | number>,
  value?: string,
): Evidence {
  const key = goKey(plugin.raw, 'ipam') ?? 'ipam';
  return pluginEvidence(nad, cfg, plugin, [key, ...rel], value);
}

/** "plugin macvlan" / "plugins[1] (tuning)" for messages. */
export function pluginLabel(cfg: CniConfig, plugin: PluginConf): string {
  return cfg.isConflist
    ? `plugins[${plugin.index}] (${plugin.type ?? 'no type'})`
    : `the ${plugin.type ?? 'untyped'} plugin`;
}

/** The host interface a plugin attaches to: `master` (macvlan/ipvlan/vlan) or `device` (host-device). */
export function masterOf(plugin: PluginConf): { field: string; key?: string; value?: string } | undefined {
  const field = plugin.type && Object.hasOwn(MASTER_FIELD, plugin.type) ? MASTER_FIELD[plugin.type] : undefined;
  if (!field) return undefined;
  const key = goKey(plugin.raw, field);
  const v: JsonValue | undefined = key !== undefined ? plugin.raw[key] : undefined;
  return { field, key, value: typeof v === 'string' && v !== '' ? v : undefined };
}

/** True when the plugin looks its master up inside the pod's namespace (`linkInContainer`). */
export function masterInContainer(plugin: PluginConf): boolean {
  const k = goKey(plugin.raw, 'linkInContainer');
  return k !== undefined && plugin.raw[k] === true;
}

/** A value we may judge: present, a string, and not an unrendered `${VAR}` template. */
export function judgeable(v: unknown): v is string {
  return typeof v === 'string' && !isUnrendered(v);
}

/** Nodes where ordinary pods can land: not cordoned, no NoSchedule/NoExecute taint. */
export function schedulableNodes(a: Analysis): NodeView[] {
  return a.nodes.filter(
    (n) => !n.node.unschedulable && !n.node.taints.some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'),
  );
}

/** The nodes worth judging for interface facts: schedulable ones, or all when none is. */
export function workerNodes(a: Analysis): NodeView[] {
  const s = schedulableNodes(a);
  return s.length ? s : a.nodes;
}

/** Host interfaces of a node, when its inspection collected them (undefined = unknown). */
export function interfacesOf(n: NodeView): HostInterface[] | undefined {
  if (!n.inspected) return undefined;
  return n.node.inspection?.interfaces;
}

/** Nodes whose inspection failed: their interface facts are unknown, and we say so. */
export function failedInspections(a: Analysis): NodeView[] {
  return a.nodes.filter((n) => n.node.inspection?.error !== undefined);
}

interface NadUse {
  workload: WorkloadView;
  selection: NetworkSelection;
}

/** Pods and pod templates whose networks annotation selects this NAD. */
export function usesOf(a: Analysis, nad: NadView): NadUse[] {
  const out: NadUse[] = [];
  for (const w of a.workloads) {
    for (const sel of w.networks?.selections ?? []) {
      if (sel.name === nad.name && (sel.namespace ?? w.namespace) === nad.namespace)
        out.push({ workload: w, selection: sel });
    }
  }
  return out;
}

/** How to install whereabouts on this distribution. */
export function whereaboutsInstall(a: Analysis): string {
  switch (a.distribution) {
    case 'rke2':
      return 'RKE2: enable the bundled chart with a HelmChartConfig for rke2-multus: `rke2-whereabouts: {enabled: true}`.';
    case 'k3s':
      return 'K3s: install whereabouts with K3s paths (rke2-multus chart values `rke2-whereabouts.enabled: true`, `rke2-whereabouts.cniConf.confDir: /var/lib/rancher/k3s/agent/etc/cni/net.d`, `rke2-whereabouts.cniConf.binDir: /var/lib/rancher/k3s/data/cni`).';
    case 'openshift':
      return 'OpenShift: whereabouts ships with the cluster network operator; use `"type": "whereabouts"` in the NAD (no install needed).';
    case 'microk8s':
      return 'MicroK8s: apply the whereabouts DaemonSet and CRDs with the cnibin/cni hostPaths changed to /var/snap/microk8s/current/opt/cni/bin and /var/snap/microk8s/current/args/cni-network.';
    default:
      return `Install whereabouts (its DaemonSet and CRDs from github.com/k8snetworkplumbingwg/whereabouts/doc/crds) so that the binary lands in ${a.paths.recommendedBinDir}.`;
  }
}

/** Where plugin binaries must be on this distribution, for fix texts. */
export function pluginInstallHint(a: Analysis, type: string): string {
  switch (a.distribution) {
    case 'k3s':
      return `K3s: put \`${type}\` in /var/lib/rancher/k3s/data/cni (K3s's own multicall binary does not include most reference plugins; install containernetworking/plugins there or via the rke2-multus chart's cni-plugins init container).`;
    case 'rke2':
      return `RKE2: the rke2-multus chart installs the reference plugins into /opt/cni/bin; a \`${type}\` from another project must be installed there by its own DaemonSet.`;
    case 'openshift':
      return `OpenShift: plugins live in /var/lib/cni/bin and are managed by the cluster network operator; a \`${type}\` from another project needs its operator.`;
    case 'microk8s':
      return `MicroK8s: plugins live in /var/snap/microk8s/current/opt/cni/bin.`;
    case 'kind':
      return `kind: the node image ships only what kindnet needs; copy \`${type}\` into /opt/cni/bin of every node container (e.g. a DaemonSet that installs containernetworking/plugins).`;
    default:
      return `Install \`${type}\` into ${a.paths.recommendedBinDir} on every node.`;
  }
}
