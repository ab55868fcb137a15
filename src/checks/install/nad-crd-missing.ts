import { defineCheck } from '../types.js';
import { couldNotVerify, finding } from '../helpers.js';
import { nadCrdFix } from './lib/fixes.js';

const CRD = 'network-attachment-definitions.k8s.cni.cncf.io';
const CLUSTER = { kind: 'CustomResourceDefinition', name: CRD };

export const nadCrdMissing = defineCheck(
  {
    id: 'nad-crd-missing',
    title: 'The NetworkAttachmentDefinition CRD is missing',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'Multus looks up every secondary network as a NetworkAttachmentDefinition; without the CRD none can be created ("no matches for kind") and every lookup fails.',
  },
  (a) => {
    const meta = nadCrdMissing.meta;
    const crds = a.snapshot.cluster.crds;
    if (crds === undefined) {
      const e = a.errorsFor('crds');
      return e.length ? [couldNotVerify(meta, CLUSTER, `the CRD list could not be read: ${e[0]!.message}`)] : [];
    }
    if (crds.includes(CRD)) return [];
    return [
      finding(
        meta,
        CLUSTER,
        `The CustomResourceDefinition ${CRD} does not exist: NetworkAttachmentDefinitions cannot be created (kubectl answers: no matches for kind "NetworkAttachmentDefinition") and multus cannot resolve any network.`,
        [{ label: 'CRDs found', value: crds.length ? crds.join(', ') : '(none of the ones looked for)' }],
        nadCrdFix(a),
      ),
    ];
  },
);
