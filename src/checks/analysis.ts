/**
 * The Analysis is the snapshot plus what every check would otherwise recompute: parsed NAD
 * configs, parsed networks annotations, per-node views of the CNI chain. It is a pure function
 * of the snapshot, computed once per run.
 */
import type {
  Distribution,
  DirListing,
  FileEntry,
  MultusInstall,
  NadObject,
  NodeInfo,
  Snapshot,
  WorkloadObject,
} from '../snapshot/types.js';
import { parseCniConfig, type CniConfig, type TextPosition } from '../model/cni-config.js';
import {
  parseNetworksAnnotation,
  NETWORKS_ANNOTATION,
  type NetworksParseResult,
} from '../model/networks-annotation.js';
import { DISTRO_PATHS, type DistroPaths } from '../model/distributions.js';
import { multusRunsByNode, type MultusRuns } from '../model/multus-runs.js';
import { joinPath } from '../model/mount-paths.js';
import type { Evidence, Subject } from '../model/subject.js';

export interface NadView {
  obj: NadObject;
  namespace: string;
  name: string;
  /** `namespace/name` */
  key: string;
  /** Parsed spec.config; undefined when the NAD has no string config. */
  config?: CniConfig;
  subject: Subject;
  /** Evidence pointing at a position inside spec.config (mapped to the file when linting). */
  at(pos: TextPosition | undefined, value?: string): Evidence;
}

export interface WorkloadView {
  obj: WorkloadObject;
  namespace: string;
  subject: Subject;
  /** Raw networks annotation of the pod (template), if any. */
  networksValue?: string;
  networks?: NetworksParseResult;
  /** Evidence pointing at the networks annotation (file position when linting). */
  annotationEvidence(value?: string): Evidence;
}

interface ConfFile {
  /** Host path. */
  path: string;
  name: string;
  text?: string;
  config?: CniConfig;
  isMultus: boolean;
}

export interface NodeView {
  node: NodeInfo;
  name: string;
  inspected: boolean;
  inspectionError?: string;
  /** The conf dir the container runtime reads (from its config file, else the distribution default). */
  confDir: string;
  confDirSource: 'runtime-config' | 'distribution-default';
  binDirs: string[];
  confListing?: DirListing;
  /** CNI config files in the runtime conf dir, in the order libcni loads them (name order). */
  confFiles: ConfFile[];
  /** The file the runtime will actually use: the first one. */
  activeConf?: ConfFile;
  /** The multus config in the runtime conf dir, if any. */
  multusConf?: ConfFile;
  /** Plugins present in the runtime bin dirs: name → entry. `undefined` when no bin dir was listed. */
  plugins?: Map<string, FileEntry & { dir: string }>;
  /** Runtime bin dirs the inspection did not list (inspected nodes only): their content is unknown. */
  binDirsUnlisted: string[];
  /**
   * Positive evidence that multus runs on this node (pods it gave a network-status after it
   * started, its AddedInterface events). Outranks any config file that says it cannot.
   */
  multusRuns?: MultusRuns;
}

export interface Analysis {
  snapshot: Snapshot;
  /** Linting files: the set of objects is partial, and there is no node or cluster data. */
  offline: boolean;
  distribution: Distribution;
  paths: DistroPaths;
  nads: NadView[];
  nadIndex: Map<string, NadView>;
  workloads: WorkloadView[];
  nodes: NodeView[];
  multus: MultusInstall[];
  /** Collection errors whose collector starts with the prefix. */
  errorsFor(prefix: string): Snapshot['errors'];
}

const CONF_EXT = /\.(conf|conflist|json)$/;

export function nadKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function nadView(obj: NadObject): NadView {
  const namespace = obj.namespace ?? 'default';
  const config = typeof obj.config === 'string' ? parseCniConfig(obj.config) : undefined;
  const subject: Subject = { kind: 'NetworkAttachmentDefinition', name: obj.name, namespace };
  return {
    obj,
    namespace,
    name: obj.name,
    key: nadKey(namespace, obj.name),
    config,
    subject,
    at(pos, value) {
      const ev: Evidence = {};
      const origin = obj.configOrigin;
      if (origin) {
        ev.path = origin.file;
        const mapped = pos && origin.positions?.[pos.offset];
        if (mapped) {
          ev.line = mapped[0];
          ev.column = mapped[1];
        } else {
          ev.line = origin.line;
          ev.column = origin.column;
        }
      } else if (pos) {
        ev.path = `${namespace}/${obj.name}:spec.config`;
        ev.line = pos.line;
        ev.column = pos.column;
      } else if (obj.source) {
        ev.path = obj.source.file;
        ev.line = obj.source.line;
      }
      if (value !== undefined) ev.value = value;
      return ev;
    },
  };
}

function workloadView(obj: WorkloadObject): WorkloadView {
  const namespace = obj.namespace ?? 'default';
  const networksValue = obj.podAnnotations?.[NETWORKS_ANNOTATION];
  return {
    obj,
    namespace,
    subject: { kind: obj.kind, name: obj.name, namespace },
    networksValue,
    networks: networksValue !== undefined ? parseNetworksAnnotation(networksValue) : undefined,
    annotationEvidence(value) {
      const ev: Evidence = {};
      if (obj.networksOrigin) {
        ev.path = obj.networksOrigin.file;
        ev.line = obj.networksOrigin.line;
        ev.column = obj.networksOrigin.column;
      } else if (obj.source) {
        ev.path = obj.source.file;
        ev.line = obj.source.line;
      }
      ev.value = value ?? networksValue;
      return ev;
    },
  };
}

/** Is this CNI config a multus one (thin `multus`, thick `multus-shim`)? */
function isMultusConfig(c: CniConfig | undefined): boolean {
  return !!c?.plugins.some((p) => p.type === 'multus' || p.type === 'multus-shim');
}

function nodeView(node: NodeInfo, paths: DistroPaths): NodeView {
  const ins = node.inspection;
  const confDir = ins?.runtime?.confDir ?? paths.confDir;
  const binDirs = ins?.runtime?.binDirs?.length ? ins.runtime.binDirs : paths.binDirs;
  const view: NodeView = {
    node,
    name: node.name,
    inspected: !!ins && !ins.error,
    inspectionError: ins?.error,
    confDir,
    confDirSource: ins?.runtime?.confDir ? 'runtime-config' : 'distribution-default',
    binDirs,
    confFiles: [],
    binDirsUnlisted: [],
  };
  if (!ins) return view;
  const listing = ins.dirs[confDir];
  view.confListing = listing;
  if (listing?.exists) {
    const names = listing.entries
      .filter((e) => e.type !== 'dir' && CONF_EXT.test(e.name))
      .map((e) => e.name)
      .sort();
    for (const name of names) {
      const path = joinPath(confDir, name);
      const f = ins.files[path];
      const text = f?.content;
      const config = text !== undefined ? parseCniConfig(text) : undefined;
      view.confFiles.push({ path, name, text, config, isMultus: isMultusConfig(config) });
    }
    view.activeConf = view.confFiles[0];
    view.multusConf = view.confFiles.find((f) => f.isMultus);
  }
  let anyBin = false;
  const plugins = new Map<string, FileEntry & { dir: string }>();
  for (const dir of binDirs) {
    const l = ins.dirs[dir];
    if (!l) continue;
    anyBin = true;
    for (const e of l.entries) if (!plugins.has(e.name) && e.type !== 'dir') plugins.set(e.name, { ...e, dir });
  }
  if (anyBin) view.plugins = plugins;
  if (!ins.error) view.binDirsUnlisted = binDirs.filter((d) => !ins.dirs[d]);
  return view;
}

/** Where the node's runtime dirs come from, as a label: the file read and why, or the default. */
export function runtimeDirsSource(n: NodeView, label: string): string {
  const rt = n.node.inspection?.runtime;
  if (rt?.configFile && (rt.confDir || rt.binDirs?.length))
    return `from ${rt.configFile}${rt.configReason ? `; ${rt.configReason}` : ''}`;
  if (rt?.configFile)
    return `the ${label} default; ${rt.configFile} names no CNI dirs${rt.configReason ? ` (${rt.configReason})` : ''}`;
  return `the ${label} default; the runtime config was not read`;
}

export function analyze(snapshot: Snapshot): Analysis {
  const distribution = snapshot.cluster?.distribution ?? 'unknown';
  const paths = DISTRO_PATHS[distribution] ?? DISTRO_PATHS.unknown;
  const nads = (snapshot.nads ?? []).map(nadView);
  const nadIndex = new Map(nads.map((n) => [n.key, n]));
  const runs = snapshot.source === 'cluster' ? multusRunsByNode(snapshot) : new Map<string, MultusRuns>();
  return {
    snapshot,
    offline: snapshot.source === 'manifests',
    distribution,
    paths,
    nads,
    nadIndex,
    workloads: (snapshot.workloads ?? []).map(workloadView),
    nodes: (snapshot.nodes ?? []).map((n) => {
      const v = nodeView(n, paths);
      const r = runs.get(n.name);
      if (r) v.multusRuns = r;
      return v;
    }),
    multus: snapshot.multus ?? [],
    errorsFor(prefix) {
      return snapshot.errors.filter((e) => e.collector === prefix || e.collector.startsWith(prefix + '/'));
    },
  };
}
