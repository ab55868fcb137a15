/** How to change flannel's net-conf.json on each distribution, as text for a finding's fix. */
import type { Analysis } from '../../analysis.js';
import { isObject } from '../../../model/cni-config.js';
import type { FlannelState } from './routing.js';

const SAFE_SCALAR = /^[A-Za-z0-9_.:/-]*$/;

/**
 * A net-conf.json with the changes applied, rebuilt from known fields only so that nothing read
 * from the cluster ends up unescaped in a command the user copies.
 */
export function rebuiltNetConf(fl: FlannelState, changes: Record<string, string | number | undefined>): string {
  const v = isObject(fl.conf.parsed.value) ? fl.conf.parsed.value : {};
  const out: Record<string, unknown> = {};
  const keep = [
    'Network',
    'IPv6Network',
    'EnableIPv4',
    'EnableIPv6',
    'EnableNFTables',
    'SubnetLen',
    'SubnetMin',
    'SubnetMax',
    'IPv6SubnetLen',
    'IPv6SubnetMin',
    'IPv6SubnetMax',
  ];
  for (const k of keep) {
    const x = v[k];
    if (typeof x === 'boolean' || typeof x === 'number' || (typeof x === 'string' && SAFE_SCALAR.test(x))) out[k] = x;
  }
  for (const [k, x] of Object.entries(changes)) if (x !== undefined) out[k] = x;
  const backend: Record<string, unknown> = {};
  if (isObject(v['Backend'])) {
    for (const [k, x] of Object.entries(v['Backend'])) {
      if (!/^[A-Za-z0-9_]+$/.test(k)) continue;
      if (typeof x === 'boolean' || typeof x === 'number' || (typeof x === 'string' && SAFE_SCALAR.test(x)))
        backend[k] = x;
    }
  }
  out['Backend'] = Object.keys(backend).length ? backend : { Type: 'vxlan' };
  return JSON.stringify(out, null, 2);
}

/** Steps to install a new net-conf.json for this cluster's flannel. */
export function netConfFix(a: Analysis, fl: FlannelState, netConf: string): string {
  const indented = netConf
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  if (fl.embedded) {
    return [
      "K3s writes flannel's net-conf.json from --cluster-cidr; override it with --flannel-conf on every server and agent:",
      "  sudo tee /etc/rancher/k3s/flannel-net-conf.json <<'EOF'",
      indented,
      '  EOF',
      '  # in /etc/rancher/k3s/config.yaml:',
      '  flannel-conf: /etc/rancher/k3s/flannel-net-conf.json',
      '  sudo systemctl restart k3s      # k3s-agent on agents',
      'Leave --cluster-cidr as it is: node subnets keep coming from it.',
    ].join('\n');
  }
  if (fl.configMap) {
    const patch = JSON.stringify([
      { op: 'replace', path: '/data/net-conf.json', value: JSON.stringify(JSON.parse(netConf)) },
    ]);
    const lines = [
      `Patch the ConfigMap and restart flannel so it reads the new file:`,
      `  kubectl patch configmap/${fl.configMap.name} -n ${fl.configMap.namespace} --type json -p '${patch}'`,
      `  kubectl -n ${fl.configMap.namespace} delete pod -l app=flannel`,
    ];
    if (a.distribution === 'rke2') {
      lines.push(
        'On RKE2 this ConfigMap belongs to the rke2-canal chart, which reverts direct edits: set the same net-conf through a HelmChartConfig for rke2-canal.',
      );
    }
    return lines.join('\n');
  }
  return [`Write this net-conf.json to ${fl.source} on every node and restart flannel there:`, indented].join('\n');
}
