import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { isDns1123Label, isDns1123Subdomain } from '../../model/networks-annotation.js';
import { isUnrendered } from '../../model/cni-config.js';

function suggestName(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return s || 'my-network';
}

/**
 * NAD names must be DNS-1123 labels: the NPWG admission webhook ("net-attach-def name is
 * invalid") enforces it, and network selection names are labels in the spec. Kubernetes itself
 * accepts dotted names for custom resources, so those are errors only where the webhook runs.
 */
export const nadNameInvalid = defineCheck(
  {
    id: 'nad-name-invalid',
    title: 'NAD name is not a DNS-1123 label',
    severity: 'error',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'A NetworkAttachmentDefinition name must be a DNS-1123 label (lower-case letters, digits and "-", at most 63 characters, starting and ending with a letter or digit). The NPWG admission webhook (multus-admission-controller, on by default in OpenShift) rejects other names with "net-attach-def name is invalid"; names with upper-case letters or "_" are refused by the API server itself.',
  },
  (a) => {
    const meta = nadNameInvalid.meta;
    const out: Finding[] = [];
    for (const nad of a.nads) {
      const name = nad.name;
      if (isUnrendered(name) || isDns1123Label(name)) continue;
      if (name === '') {
        out.push(
          finding(
            meta,
            nad.subject,
            'metadata.name is missing: the NAD cannot be created and pods cannot refer to it.',
            [nad.at(undefined, 'metadata.name: <absent>')],
            'Add `metadata.name`, a DNS-1123 label such as `macvlan-lan`.',
          ),
        );
        continue;
      }
      const webhookOnly = isDns1123Subdomain(name);
      const why = webhookOnly
        ? name.length > 63
          ? 'is longer than 63 characters'
          : 'contains "." (a DNS-1123 subdomain, not a label)'
        : 'has characters outside a-z, 0-9 and "-" (or starts/ends with "-")';
      const where = webhookOnly
        ? `the NPWG admission webhook rejects it ("net-attach-def name is invalid")${a.distribution === 'openshift' ? ', and OpenShift runs that webhook by default' : ''}`
        : 'the API server rejects it (metadata.name: Invalid value)';
      out.push(
        finding(
          meta,
          nad.subject,
          `NAD name "${name}" ${why}: ${where}.`,
          [nad.at(undefined, `metadata.name: ${name}`)],
          `Rename the NAD to a DNS-1123 label, e.g. \`${suggestName(name)}\`, and update every pod annotation that refers to it.`,
          webhookOnly && a.distribution !== 'openshift' ? 'warning' : 'error',
        ),
      );
    }
    return out;
  },
);
