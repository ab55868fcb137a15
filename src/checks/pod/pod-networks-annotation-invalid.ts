import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { judgedWorkloads } from './lib/common.js';
import { isUnrendered } from '../../model/cni-config.js';

/** A hint for the usual ways people get the JSON form wrong. */
function hint(value: string, message: string): string {
  const v = value.trim();
  if (/'/.test(v) && /[[{]/.test(v)) return 'JSON needs double quotes around keys and strings, not single quotes.';
  if (v.startsWith('{')) return 'The JSON form is a list: wrap the object in [ ].';
  if (/"ips" must be a list/.test(message)) return '"ips" is a list even for one address: "ips": ["10.1.1.5/24"].';
  if (/"default-route" must be a list/.test(message))
    return '"default-route" is a list of gateways: "default-route": ["192.168.1.1"].';
  if (/DNS-1123/.test(message)) return 'NAD names and namespaces are lower-case letters, digits and "-".';
  return '';
}

/**
 * Multus parses the networks annotation before anything else; when it cannot (bad JSON, a bad
 * `ns/name@if` item), the pod fails in ContainerCreating with parsePodNetworkAnnotation errors.
 * Unknown keys are not parse errors (Go's decoder ignores them): pod-selection-unknown-key.
 */
export const podNetworksAnnotationInvalid = defineCheck(
  {
    id: 'pod-networks-annotation-invalid',
    title: 'Networks annotation cannot be parsed',
    severity: 'error',
    category: 'pod',
    scope: 'objects',
    distributions: 'all',
    doc: 'Multus reads k8s.v1.cni.cncf.io/networks as JSON when the value contains [, { or ", and as a comma list of ns/name@interface otherwise. A value it cannot parse makes every sandbox attempt fail, so the pod never leaves ContainerCreating.',
  },
  (a) => {
    const out: Finding[] = [];
    for (const w of judgedWorkloads(a)) {
      const p = w.networks;
      const value = w.networksValue;
      if (!p || value === undefined || p.errors.length === 0 || isUnrendered(value)) continue;
      const first = p.errors[0]!;
      const more = p.errors.length > 1 ? ` (${p.errors.length - 1} more problem${p.errors.length > 2 ? 's' : ''})` : '';
      const h = hint(value, first.message);
      out.push(
        finding(
          podNetworksAnnotationInvalid.meta,
          w.subject,
          `The k8s.v1.cni.cncf.io/networks annotation cannot be parsed (${p.form} form): ${first.message}${more}.`,
          [w.annotationEvidence(value)],
          `${h ? `${h}\n` : ''}Write either the short form or a JSON list, e.g.\n  k8s.v1.cni.cncf.io/networks: macvlan-conf,other-ns/lan@lan0\n  k8s.v1.cni.cncf.io/networks: '[{"name": "macvlan-conf", "interface": "net1"}]'\nCheck it with \`kubectl multus lint -f FILE\` before applying.`,
        ),
      );
    }
    return out;
  },
);
