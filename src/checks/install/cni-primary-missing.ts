import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding, listNames, nodesNotVerified, runsAnyway } from '../helpers.js';
import type { NodeView } from '../analysis.js';
import { installFacts, normPath } from '../../model/multus-install.js';
import { dsSubject, findLog, nodesOf, primaryOn } from '../../model/install-nodes.js';
import { listingText } from '../../model/node-files.js';
import { NO_MASTER_CONFIG } from '../../model/multus-logs.js';

function primaryHint(a: { distribution: string }): string {
  switch (a.distribution) {
    case 'k3s':
      return 'K3s writes 10-flannel.conflist only while its embedded flannel runs; with --flannel-backend=none install a CNI (flannel, Calico, Cilium) first.';
    case 'rke2':
      return 'RKE2 needs a primary CNI after multus in /etc/rancher/rke2/config.yaml, e.g. `cni: [multus, canal]`.';
    case 'openshift':
      return 'OVN-Kubernetes writes /run/multus/cni/net.d/10-ovn-kubernetes.conf when ovnkube-node is ready: check `oc -n openshift-ovn-kubernetes get pods -o wide`.';
    case 'microk8s':
      return 'MicroK8s writes its Calico config when the calico-node pod runs: `microk8s kubectl -n kube-system get pods -l k8s-app=calico-node`.';
    default:
      return 'Install and start a primary CNI (flannel, Calico, Cilium, kindnet…) before multus; multus wraps it and cannot replace it.';
  }
}

/**
 * No primary CNI config (flannel, Calico, Cilium…) where multus looks for one on a node, while
 * the runtime's own dir has none either (if the runtime's dir has one, the cause is
 * multus-conf-wrong-dir). Multus then waits, or (thin) exits with
 * `cannot find valid master CNI config in "…"`.
 */
export const cniPrimaryMissing = defineCheck(
  {
    id: 'cni-primary-missing',
    title: 'No primary CNI config for multus to delegate to',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: "Multus is a meta-plugin: it builds its config from the primary CNI's (flannel, Calico, Cilium, OVN-Kubernetes…) and gives every pod that network as eth0. Without a primary config multus writes nothing and pods cannot start networking at all.",
  },
  (a) => {
    const meta = cniPrimaryMissing.meta;
    const out: Finding[] = [];
    for (const m of a.multus) {
      const f = installFacts(m);
      if (!f.auto || !f.autoconfigDir.host) continue;
      const none: NodeView[] = [];
      const unknown: NodeView[] = [];
      const runs: NodeView[] = [];
      for (const n of nodesOf(a.nodes, m)) {
        const p = primaryOn(n, f);
        if (!p) {
          unknown.push(n);
          continue;
        }
        if (p.conf) continue;
        const elsewhere = normPath(n.confDir) !== normPath(p.dir) && n.confFiles.some((c) => !c.isMultus);
        if (elsewhere) continue; // multus-conf-wrong-dir
        // multus wrote a network-status there: it found a primary to delegate eth0 to.
        if (n.multusRuns) runs.push(n);
        else none.push(n);
      }
      if (none.length) {
        const dir = f.autoconfigDir.host;
        const evidence: Evidence[] = none
          .slice(0, 6)
          .map((n) => ({ node: n.name, path: dir, label: 'CNI configs', value: listingText(n.node.inspection, dir) }));
        const log = findLog(m, NO_MASTER_CONFIG);
        if (log) evidence.push({ node: log.pod.node, label: 'multus log', value: log.line });
        out.push(
          finding(
            meta,
            dsSubject(m),
            `There is no primary CNI config (a .conf/.conflist other than multus's) in ${dir} on ${listNames(none.map((n) => n.name))}: multus has nothing to delegate eth0 to and writes no config of its own.`,
            evidence,
            `${primaryHint(a)}${f.thin?.masterCniFileName ? `\nmultus is pinned to --multus-master-cni-file-name=${f.thin.masterCniFileName}: that file must exist in ${dir}.` : ''}`,
          ),
        );
      }
      const adir = f.autoconfigDir.host;
      if (runs.length)
        out.push(
          runsAnyway(
            meta,
            dsSubject(m),
            runs,
            `${adir} holds no primary CNI config on ${listNames(runs.map((n) => n.name))}`,
            undefined,
            runs.slice(0, 3).map((n) => ({
              node: n.name,
              path: adir,
              label: 'CNI configs',
              value: listingText(n.node.inspection, adir),
            })),
          ),
        );
      out.push(...nodesNotVerified(meta, unknown, `whether ${f.autoconfigDir.host} holds a primary CNI config`));
    }
    return out;
  },
);
