/**
 * Recognise multus DaemonSets and describe them (research/failure-modes.md §B.3): which
 * DaemonSets are multus (by image, container and object name, in any namespace), thin or thick,
 * which packaging (upstream manifest, rke2-multus chart, OpenShift, microk8s addon), the version
 * from the image tag, and the hostPath volume → mountPath map of every container.
 */
import type { DaemonSetSummary, MultusFlavor, MultusInstall, MultusMode, VolumeMountMap } from '../snapshot/types.js';
import type { KubeObject } from '../cluster/client.js';

export interface K8sContainer {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean; subPath?: string }>;
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  env?: Array<{ name: string; value?: string }>;
}

interface PodSpecLike {
  containers?: K8sContainer[];
  initContainers?: K8sContainer[];
  volumes?: Array<{
    name: string;
    hostPath?: { path: string };
    configMap?: { name: string; items?: Array<{ key: string; path: string }> };
  }>;
  nodeSelector?: Record<string, string>;
  tolerations?: MultusInstall['tolerations'];
  serviceAccountName?: string;
  serviceAccount?: string;
  hostNetwork?: boolean;
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

export interface DaemonSetObject extends KubeObject {
  spec?: {
    selector?: LabelSelector;
    template?: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec?: PodSpecLike;
    };
  };
  status?: {
    desiredNumberScheduled?: number;
    numberReady?: number;
    numberAvailable?: number;
    numberMisscheduled?: number;
  };
}

const MULTUS_IMAGE = /multus-cni|hardened-multus|\/multus(?:-thick)?(?:[:@]|$)|\bmultus:/i;
const NOT_MULTUS_IMAGE =
  /dynamic-networks|admission-controller|whereabouts|network-metrics|route-override|multus-networkpolicy|sriov/i;
const MULTUS_CONTAINER = /^kube-(rke2-)?multus$|^multus$|^kube-multus-/;
const MULTUS_DS_NAMES = new Set(['kube-multus-ds', 'kube-multus-ds-amd64', 'rke2-multus', 'multus', 'kube-multus']);

function containers(ds: DaemonSetObject): K8sContainer[] {
  return ds.spec?.template?.spec?.containers ?? [];
}

/** Is this DaemonSet a multus install (and not one of its helpers: DHCP daemon, DNC, whereabouts)? */
export function isMultusDaemonSet(ds: DaemonSetObject): boolean {
  const name = ds.metadata?.name ?? '';
  const labels = ds.metadata?.labels ?? {};
  if (
    /-dhcp$/.test(name) ||
    labels['app'] === 'rke2-multus-dnc' ||
    /additional-cni-plugins|network-metrics|whereabouts/.test(name)
  )
    return false;
  const cs = containers(ds);
  if (cs.length && cs.every((c) => /-dhcp$/.test(c.name))) return false;
  if (cs.some((c) => MULTUS_IMAGE.test(c.image ?? '') && !NOT_MULTUS_IMAGE.test(c.image ?? ''))) return true;
  if (cs.some((c) => MULTUS_CONTAINER.test(c.name))) return true;
  return (
    MULTUS_DS_NAMES.has(name) &&
    (ds.metadata?.namespace === 'openshift-multus' ||
      labels['app'] === 'multus' ||
      labels['app'] === 'rke2-multus' ||
      labels['name'] === 'multus')
  );
}

/** The container that runs multus (the one exec targets). */
export function mainContainer(ds: DaemonSetObject): { container: K8sContainer; index: number } | undefined {
  const cs = containers(ds);
  let i = cs.findIndex((c) => MULTUS_CONTAINER.test(c.name));
  if (i < 0) i = cs.findIndex((c) => MULTUS_IMAGE.test(c.image ?? '') && !NOT_MULTUS_IMAGE.test(c.image ?? ''));
  if (i < 0) i = cs.length ? 0 : -1;
  return i < 0 ? undefined : { container: cs[i]!, index: i };
}

function multusMode(c: K8sContainer): MultusMode {
  const all = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
  if (/multus-daemon/.test(all)) return 'thick';
  if (/thin_entrypoint|\/entrypoint\.sh|\bmultus-conf-file\b|--multus-kubeconfig-file-host/.test(all)) return 'thin';
  if (/-thick\b|thick/.test(c.image ?? '')) return 'thick';
  return 'unknown';
}

function multusFlavor(ds: DaemonSetObject, c: K8sContainer, mounts: VolumeMountMap[]): MultusFlavor {
  const ns = ds.metadata?.namespace ?? '';
  const labels = { ...(ds.metadata?.labels ?? {}), ...(ds.spec?.template?.metadata?.labels ?? {}) };
  const image = c.image ?? '';
  if (ns === 'openshift-multus' || labels['openshift.io/component'] === 'network') return 'openshift';
  if (
    labels['app'] === 'rke2-multus' ||
    /hardened-multus|rancher\//.test(image) ||
    (ds.metadata?.name ?? '') === 'rke2-multus'
  )
    return 'rke2-chart';
  if (
    mounts.some((m) => m.hostPath.includes('/var/snap/microk8s')) ||
    (c.args ?? []).some((a) => a.includes('/var/snap/microk8s') || a.includes('$SNAP'))
  )
    return 'microk8s';
  if (/k8snetworkplumbingwg\/multus-cni|nfvpe\/multus|intel\/multus/.test(image)) return 'upstream';
  return 'other';
}

/** `v4.1.4` from `…/multus-cni:v4.1.4-thick`, `v4.0.2` from `rancher/hardened-multus-cni:v4.0.2-build20231009`. */
export function multusVersion(image: string): string | undefined {
  const tag = /:([^:@/]+)(?:@.*)?$/.exec(image)?.[1];
  if (!tag) return undefined;
  const m = /^v?(\d+\.\d+(?:\.\d+)?)/.exec(tag);
  return m ? `v${m[1]}` : undefined;
}

function hostPathMounts(spec: PodSpecLike | undefined): VolumeMountMap[] {
  const hostPaths = new Map<string, string>();
  for (const v of spec?.volumes ?? []) if (v.hostPath?.path) hostPaths.set(v.name, v.hostPath.path);
  const out: VolumeMountMap[] = [];
  const add = (c: K8sContainer) => {
    for (const m of c.volumeMounts ?? []) {
      const hp = hostPaths.get(m.name);
      if (hp === undefined) continue;
      // A subPath mount shows only a part of the volume.
      const host = m.subPath ? `${hp.replace(/\/$/, '')}/${m.subPath}` : hp;
      const mm: VolumeMountMap = { volume: m.name, hostPath: host, mountPath: m.mountPath, container: c.name };
      if (m.readOnly) mm.readOnly = true;
      out.push(mm);
    }
  };
  for (const c of spec?.initContainers ?? []) add(c);
  for (const c of spec?.containers ?? []) add(c);
  return out;
}

/** ConfigMap name + key that a container reads a file from (thick daemon config, thin --multus-conf-file). */
export function configMapFileSource(
  spec: PodSpecLike | undefined,
  c: K8sContainer,
  filePath: string,
): { name: string; key: string } | undefined {
  const vols = new Map((spec?.volumes ?? []).filter((v) => v.configMap).map((v) => [v.name, v.configMap!]));
  for (const m of c.volumeMounts ?? []) {
    const cm = vols.get(m.name);
    if (!cm) continue;
    const mp = m.mountPath.replace(/\/$/, '');
    let rel: string | undefined;
    if (m.subPath && filePath === mp) rel = m.subPath;
    else if (filePath.startsWith(mp + '/')) rel = filePath.slice(mp.length + 1);
    if (rel === undefined) continue;
    const item = cm.items?.find((it) => it.path === rel);
    return { name: cm.name, key: item ? item.key : rel };
  }
  return undefined;
}

/** Where a thick daemon reads its config: `--config=…` or the upstream default path. */
export function daemonConfigPath(c: K8sContainer): string {
  const all = [...(c.command ?? []), ...(c.args ?? [])];
  for (let i = 0; i < all.length; i++) {
    const a = all[i]!;
    const m = /^--?config(?:=(.+))?$/.exec(a);
    if (m) return m[1] ?? all[i + 1] ?? '';
    const inline = /--config[= ](\S+)/.exec(a);
    if (inline) return inline[1]!;
  }
  return '/etc/cni/net.d/multus.d/daemon-config.json';
}

/** Describe a multus DaemonSet (no pods, configs or RBAC yet: collectors fill those). */
export function describeMultus(ds: DaemonSetObject): MultusInstall | undefined {
  const main = mainContainer(ds);
  if (!main) return undefined;
  const spec = ds.spec?.template?.spec;
  const c = main.container;
  const mounts = hostPathMounts(spec);
  const install: MultusInstall = {
    namespace: ds.metadata?.namespace ?? '',
    name: ds.metadata?.name ?? '',
    mode: multusMode(c),
    flavor: multusFlavor(ds, c, mounts),
    image: c.image ?? '',
    containerName: c.name,
    command: c.command ?? [],
    args: c.args ?? [],
    mounts,
    volumes: (spec?.volumes ?? []).map((v) =>
      v.hostPath ? { name: v.name, hostPath: v.hostPath.path } : { name: v.name },
    ),
    containerIndex: main.index,
  };
  const version = multusVersion(install.image);
  if (version) install.version = version;
  if (spec?.nodeSelector) install.nodeSelector = spec.nodeSelector;
  if (spec?.tolerations) install.tolerations = spec.tolerations;
  const mem = c.resources?.limits?.['memory'];
  if (mem) install.memoryLimit = mem;
  const sa = spec?.serviceAccountName ?? spec?.serviceAccount;
  if (sa) install.serviceAccount = sa;
  const st = ds.status;
  if (st) {
    install.status = { desired: st.desiredNumberScheduled ?? 0, ready: st.numberReady ?? 0 };
    if (st.numberAvailable !== undefined) install.status.available = st.numberAvailable;
    if (st.numberMisscheduled !== undefined) install.status.misscheduled = st.numberMisscheduled;
  }
  return install;
}

export function summarizeDaemonSet(ds: DaemonSetObject): DaemonSetSummary {
  const spec = ds.spec?.template?.spec;
  const all = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
  const s: DaemonSetSummary = {
    namespace: ds.metadata?.namespace ?? '',
    name: ds.metadata?.name ?? '',
    images: [...new Set(all.map((c) => c.image ?? '').filter(Boolean))],
    commands: all.map((c) => [...(c.command ?? []), ...(c.args ?? [])].join(' ')).filter(Boolean),
  };
  if (ds.metadata?.labels) s.labels = ds.metadata.labels;
  if (ds.status?.desiredNumberScheduled !== undefined) s.desired = ds.status.desiredNumberScheduled;
  if (ds.status?.numberReady !== undefined) s.ready = ds.status.numberReady;
  return s;
}

/** Label selector string from a DaemonSet's selector (matchLabels and matchExpressions). */
export function selectorString(sel: LabelSelector | undefined): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) {
    const vals = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** Is this an image known to ship no shell (the upstream thin image is distroless)? Saves a doomed exec. */
export function imageHasNoShell(image: string): boolean {
  const m = /k8snetworkplumbingwg\/multus-cni:(v?\d+)[^:@]*$/.exec(image);
  if (!m) return false;
  const major = Number(m[1]!.replace(/^v/, ''));
  return major >= 4 && !/thick/.test(image);
}
