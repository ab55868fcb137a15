/**
 * Fill a Snapshot from a live cluster. Collectors run in parallel where they do not depend on
 * each other: the node inspections wait only for nodes, DaemonSets and the multus pods, while
 * the long pod listing runs alongside them.
 */
import type { NadObject, Snapshot } from '../snapshot/types.js';
import { snapshot as buildSnapshot } from '../snapshot/build.js';
import { VERSION } from '../version.js';
import type { CollectContext } from './context.js';
import { clusterFacts, collectNamespaces, collectNodes } from './nodes.js';
import { collectClusterCidrs, serviceCidrFromNodeFiles } from './service-cidr.js';
import { collectMultus, listDaemonSets } from './multus-install.js';
import { collectWorkloads } from './workloads.js';
import { collectNads } from './nads.js';
import { collectEvents } from './events.js';
import { collectCrds } from './crds.js';
import { collectWhereabouts } from './whereabouts.js';
import { collectCilium } from './cilium.js';
import { collectFlannelDaemonSet, embeddedFlannel } from './flannel.js';
import { inspectNodes } from './inspect.js';

/** Does some NAD use the dhcp IPAM (a cheap text test; parse errors are the checks' business)? */
function usesDhcp(nads: NadObject[] | undefined): boolean {
  return !!nads?.some((n) => n.config !== undefined && /"type"\s*:\s*"dhcp"/.test(n.config));
}

export interface CollectStats {
  execs: number;
  leftovers: string[];
}

export async function collectSnapshot(
  ctx: CollectContext,
  serverVersion: string | undefined,
): Promise<{ snapshot: Snapshot; stats: CollectStats }> {
  const p = ctx.o.progress;
  p('listing nodes, DaemonSets and namespaces');
  const nodesP = collectNodes(ctx);
  const namespacesP = collectNamespaces(ctx);
  const dsP = listDaemonSets(ctx);
  const crdsP = collectCrds(ctx);
  const cidrsP = collectClusterCidrs(ctx);
  const nadsP = collectNads(ctx);
  const eventsP = collectEvents(ctx, ctx.o.namespace);
  const multusP = dsP.then((dss) => collectMultus(ctx, dss ?? []));
  const workloadsP = dsP.then((dss) => {
    p('listing pods and workloads');
    return collectWorkloads(ctx, { namespace: ctx.o.namespace, daemonSets: dss });
  });

  // The NADs decide what the node inspection must be able to see (the dhcp socket).
  const [nodes, namespaces, multus, nadsEarly] = await Promise.all([nodesP, namespacesP, multusP, nadsP]);
  const cluster = clusterFacts(nodes, namespaces, serverVersion);
  let stats: CollectStats = { execs: 0, leftovers: [] };
  const inspectP = (async () => {
    if (!nodes?.length) return;
    p(`inspecting ${nodes.length} node${nodes.length === 1 ? '' : 's'}`);
    const r = await inspectNodes(ctx, nodes, multus.installs, cluster.distribution, { dhcp: usesDhcp(nadsEarly) });
    stats = { execs: r.execs, leftovers: r.leftovers };
  })();
  const dss = await dsP;
  const [crds, cidrs, nads, events, workloads, flannelDs, cilium] = await Promise.all([
    crdsP,
    cidrsP,
    nadsP,
    eventsP,
    workloadsP,
    collectFlannelDaemonSet(ctx, multus.raw),
    collectCilium(ctx, multus.raw),
    inspectP,
  ]);
  const whereabouts = await collectWhereabouts(ctx, crds, multus.others);

  if (crds) cluster.crds = crds;
  if (cidrs.serviceCIDRs) cluster.serviceCIDRs = cidrs.serviceCIDRs;
  if (cidrs.serviceCIDRSource) cluster.serviceCIDRSource = cidrs.serviceCIDRSource;
  // The API gave no range (or only the kubernetes Service's address): the nodes' files may.
  if (!cidrs.serviceCIDRs || cidrs.serviceCIDRSource === 'kubernetes-service') {
    const f = serviceCidrFromNodeFiles(nodes);
    if (f?.cidrs.length) {
      cluster.serviceCIDRs = f.cidrs;
      cluster.serviceCIDRSource = f.source;
      cluster.serviceCIDRWhere = f.where;
    } else if (cidrs.failure) ctx.record('service-cidr', cidrs.failure);
  }
  if (cidrs.podCIDRs && !cluster.podCIDRs) cluster.podCIDRs = cidrs.podCIDRs;

  const snapshot: Snapshot = buildSnapshot({
    collectedAt: new Date().toISOString(),
    producer: `kubectl-multus ${VERSION}`,
    cluster,
    nads: nads ?? [],
    workloads: workloads ?? [],
    errors: ctx.errors,
  });
  if (dss) {
    snapshot.multus = multus.installs.map((h) => h.install);
    snapshot.daemonSets = multus.others;
  }
  if (nodes) snapshot.nodes = nodes;
  if (events) snapshot.events = events;
  const flannel = flannelDs ?? (cluster.distribution === 'k3s' && nodes ? embeddedFlannel(nodes) : undefined);
  if (flannel) snapshot.flannel = flannel;
  if (cilium) snapshot.cilium = cilium;
  if (whereabouts) snapshot.whereabouts = whereabouts;
  if (stats.leftovers.length) {
    ctx.record(
      'inspect/cleanup',
      new Error(
        `could not delete node-inspector pods ${stats.leftovers.join(', ')}; delete them with: kubectl delete pod -A -l app.kubernetes.io/managed-by=kubectl-multus`,
      ),
    );
  }
  // Deterministic order for diffs and tests.
  snapshot.errors.sort((a, b) => a.collector.localeCompare(b.collector) || (a.message < b.message ? -1 : 1));
  return { snapshot, stats };
}
