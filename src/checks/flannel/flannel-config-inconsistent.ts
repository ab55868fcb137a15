import { defineCheck, type Finding } from '../types.js';
import { finding, nodeSubject } from '../helpers.js';
import { flannelState } from './lib/routing.js';
import { cidrContains, formatCidr, parseCidr } from '../../model/cidr.js';
import { flannelNetwork, parseSubnetEnv, SUBNET_ENV_PATH } from '../../model/flannel.js';

/**
 * Flannel writes /run/flannel/subnet.env when it starts; the flannel CNI plugin reads it for every
 * pod. After net-conf.json changes, nodes whose flannel was not restarted keep the old Network
 * (so pods keep the old eth0 route), and a subnet that is not the node's podCIDR means flannel
 * and the controller-manager disagree.
 */
export const flannelConfigInconsistent = defineCheck(
  {
    id: 'flannel-config-inconsistent',
    title: "A node's /run/flannel/subnet.env disagrees with net-conf.json",
    severity: 'warning',
    category: 'flannel',
    scope: 'cluster',
    distributions: 'all',
    doc: 'Flannel writes /run/flannel/subnet.env at start and the flannel CNI plugin reads it for each new pod. When it disagrees with net-conf.json (Network changed without restarting flannel on that node) new pods on that node get routes from the old configuration.',
  },
  (a) => {
    const fl = flannelState(a);
    if (!fl || fl.conf.problems.length) return [];
    const out: Finding[] = [];
    for (const n of a.nodes) {
      const f = n.node.inspection?.files?.[SUBNET_ENV_PATH];
      if (!f?.exists || f.content === undefined) continue;
      const env = parseSubnetEnv(f.content);
      const problems: string[] = [];
      const pairs: Array<[4 | 6, string, typeof env.network, typeof env.subnet]> = [
        [4, 'FLANNEL_NETWORK', env.network, env.subnet],
        [6, 'FLANNEL_IPV6_NETWORK', env.ipv6Network, env.ipv6Subnet],
      ];
      for (const [family, key, envNet, envSub] of pairs) {
        const net = flannelNetwork(fl.conf, family);
        if (!net || !envNet) continue;
        if (envNet.first !== net.first || envNet.prefix !== net.prefix)
          problems.push(`${key}=${envNet.text} but net-conf.json has ${formatCidr(net)}`);
        if (envSub && !cidrContains(net, envSub))
          problems.push(
            `${family === 4 ? 'FLANNEL_SUBNET' : 'FLANNEL_IPV6_SUBNET'}=${envSub.text} is outside ${formatCidr(net)}`,
          );
        if (envSub && fl.mode === 'kube-subnet-mgr') {
          const pod = n.node.podCIDRs.map(parseCidr).find((c) => c?.family === family);
          if (pod && (pod.first !== envSub.first || pod.prefix !== envSub.prefix))
            problems.push(
              `${family === 4 ? 'FLANNEL_SUBNET' : 'FLANNEL_IPV6_SUBNET'}=${envSub.text} is not the node's podCIDR ${pod.text}`,
            );
        }
      }
      if (problems.length === 0) continue;
      const restart = fl.embedded
        ? `sudo systemctl restart k3s (k3s-agent on agents) on ${n.name}`
        : fl.configMap
          ? `kubectl -n ${fl.configMap.namespace} delete pod -l app=flannel --field-selector spec.nodeName=${/^[a-z0-9.-]+$/.test(n.name) ? n.name : '<node>'}`
          : `restart flannel on ${n.name}`;
      out.push(
        finding(
          flannelConfigInconsistent.meta,
          nodeSubject(n.name),
          `On ${n.name}, ${SUBNET_ENV_PATH} disagrees with flannel's net-conf.json: ${problems.join('; ')}.`,
          [
            { path: SUBNET_ENV_PATH, node: n.name, value: f.content.trim() },
            { path: fl.source, label: 'net-conf.json', value: `Network: ${fl.conf.network?.text ?? '-'}` },
          ],
          `Restart flannel on that node so it rewrites subnet.env (${restart}), then recreate the pods created since the change so they get the new routes.`,
        ),
      );
    }
    return out;
  },
);
