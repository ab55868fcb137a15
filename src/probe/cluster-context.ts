/**
 * What the probe reads about the cluster besides the NAD: nodes (to place pods, and to say
 * same/different node), the distribution (paths in fixes), and the multus install (the log
 * command in fixes). None of it is required: a user who may only create pods in one namespace
 * can still probe, the findings just name default paths.
 */
import type { ClusterInfo, MultusInstall, NadObject, NodeInfo } from '../snapshot/types.js';
import type { Session } from '../cluster/session.js';
import type { ClusterError } from '../cluster/errors.js';
import { CollectContext } from '../collect/context.js';
import { clusterFacts, collectNamespaces, collectNodes } from '../collect/nodes.js';
import { collectMultus, listDaemonSets } from '../collect/multus-install.js';
import { NAD_REF, toNadObject } from '../collect/nads.js';
import { DEFAULT_INSPECTOR_IMAGE } from '../collect/images.js';

export interface ClusterContext {
  cluster: ClusterInfo;
  nodes?: NodeInfo[];
  multus?: MultusInstall[];
}

function quietContext(session: Session, signal: AbortSignal, onFatal: (e: ClusterError) => void): CollectContext {
  return new CollectContext(session.client, session.exec, {
    inspectNodes: 'never',
    inspectorImage: DEFAULT_INSPECTOR_IMAGE,
    concurrency: 1,
    execTimeoutMs: 1,
    allLogs: false,
    logLines: 20,
    runId: '',
    signal,
    progress: () => undefined,
    onFatal,
  });
}

export async function readClusterContext(
  session: Session,
  signal: AbortSignal,
  onFatal: (e: ClusterError) => void,
): Promise<ClusterContext> {
  // Failures here only make the findings less specific: they are not collection errors of the probe.
  const ctx = quietContext(session, signal, onFatal);
  const [nodes, namespaces, dss] = await Promise.all([collectNodes(ctx), collectNamespaces(ctx), listDaemonSets(ctx)]);
  const multus = dss ? (await collectMultus(ctx, dss)).installs.map((h) => h.install) : undefined;
  return {
    cluster: clusterFacts(nodes, namespaces, session.serverVersion),
    ...(nodes ? { nodes } : {}),
    ...(multus ? { multus } : {}),
  };
}

/** The NAD under test; undefined when it does not exist. */
export async function readNad(
  session: Session,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<NadObject | undefined> {
  const o = await session.client.getOptional({ ...NAD_REF, namespace, name }, { signal });
  return o ? toNadObject(o) : undefined;
}
