import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { isObject, str } from '../../model/cni-config.js';
import { delegatesOf } from '../../model/multus-conf.js';

/**
 * Info for K3s with its built-in flannel: what multus wraps and where those files are, since they
 * are not where flannel's or multus's docs say (no kube-flannel DaemonSet, no /etc/cni/net.d).
 */
export const k3sEmbeddedFlannel = defineCheck(
  {
    id: 'k3s-embedded-flannel',
    title: 'K3s embedded flannel is the primary network',
    severity: 'info',
    category: 'install',
    scope: 'cluster',
    distributions: ['k3s'],
    doc: "K3s runs flannel inside its own process: there is no flannel DaemonSet, the conflist is written to K3s's conf dir and the flannel plugin is K3s's multicall binary. Multus works with it as long as it uses K3s's paths.",
  },
  (a) => {
    const meta = k3sEmbeddedFlannel.meta;
    const ds = (a.snapshot.daemonSets ?? []).some(
      (d) => /flannel/.test(d.name) || d.images.some((i) => /flannel\/flannel:|flannel-io\/flannel/.test(i)),
    );
    const confs = a.nodes.flatMap((n) =>
      n.confFiles.filter((c) => c.config?.plugins.some((p) => p.type === 'flannel')).map((c) => ({ n, c })),
    );
    const embedded =
      a.snapshot.flannel?.embedded === true ||
      (!ds && confs.some(({ c }) => c.path.startsWith('/var/lib/rancher/k3s/')));
    if (!embedded) return [];
    const evidence: Evidence[] = [];
    if (a.snapshot.flannel) evidence.push({ label: 'flannel net-conf', value: a.snapshot.flannel.source });
    const first = confs[0];
    if (first)
      evidence.push({
        node: first.n.name,
        path: first.c.path,
        label: 'flannel conflist',
        value: `cniVersion ${first.c.config?.cniVersion ?? '?'}`,
      });
    for (const n of a.nodes.slice(0, 3)) {
      const d = delegatesOf(n.multusConf?.config)[0]?.value;
      if (isObject(d))
        evidence.push({
          node: n.name,
          path: n.multusConf!.path,
          label: 'multus delegates to',
          value: `${str(d['name']) ?? '?'} (cniVersion ${str(d['cniVersion']) ?? '?'})`,
        });
    }
    const out: Finding[] = [
      finding(
        meta,
        { kind: 'Cluster', name: 'k3s' },
        `K3s's embedded flannel is the primary network: its config is ${first?.c.path ?? '/var/lib/rancher/k3s/agent/etc/cni/net.d/10-flannel.conflist'} (written by K3s${first?.c.config?.cniVersion ? `, cniVersion ${first.c.config.cniVersion}` : ''}), its net-conf ${a.paths.flannelNetConf}, and the flannel plugin is K3s's multicall binary linked from /var/lib/rancher/k3s/data/cni — multus must use these K3s paths, not /etc/cni/net.d.`,
        evidence,
        "Nothing to change for multus itself: keep the embedded flannel and point multus at K3s's paths (see multus-conf-wrong-dir). Flannel settings change through the K3s flags --flannel-backend and --flannel-conf, not a ConfigMap.",
      ),
    ];
    return out;
  },
);
