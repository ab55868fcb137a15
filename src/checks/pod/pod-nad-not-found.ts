import { defineCheck, type Finding } from '../types.js';
import { couldNotVerify, finding, listNames } from '../helpers.js';
import { editDistance } from '../../model/suggest.js';
import { describe, judgedWorkloads, kubectlFor, resolveSelections } from './lib/common.js';
import { safeNameOr } from '../../model/shell.js';
import { isUnrendered } from '../../model/cni-config.js';

/**
 * Every selection must name an existing NAD; an unqualified name resolves in the pod's namespace
 * (the usual mistake: the NAD was created in `default`). Offline, the linted files are a partial
 * world, so a NAD that is not among them is only "not verifiable".
 */
export const podNadNotFound = defineCheck(
  {
    id: 'pod-nad-not-found',
    title: 'Annotation names a NetworkAttachmentDefinition that does not exist',
    severity: 'error',
    category: 'pod',
    scope: 'objects',
    distributions: 'all',
    doc: "Multus looks up each network named in the annotation as a NetworkAttachmentDefinition in the given namespace, or in the pod's own namespace when none is given. A missing NAD gives a NoNetworkFound event and the pod stays in ContainerCreating.",
  },
  (a) => {
    const out: Finding[] = [];
    const meta = podNadNotFound.meta;
    const nadsFailed = !a.offline && a.errorsFor('nads').length > 0;
    const kc = kubectlFor(a);
    for (const w of judgedWorkloads(a)) {
      const seen = new Set<string>();
      const offline: string[] = [];
      for (const r of resolveSelections(a, w)) {
        if (r.exists || seen.has(r.key) || isUnrendered(r.sel.name) || isUnrendered(r.namespace)) continue;
        seen.add(r.key);
        if (nadsFailed) {
          out.push(
            couldNotVerify(
              meta,
              w.subject,
              `NetworkAttachmentDefinitions could not be listed, so ${r.key} was not looked up (${a.errorsFor('nads')[0]!.message}).`,
            ),
          );
          continue;
        }
        const sameName = a.nads.filter((n) => n.name === r.sel.name && n.namespace !== r.namespace).map((n) => n.key);
        const similar = a.nads
          .filter(
            (n) =>
              n.namespace === r.namespace &&
              n.name !== r.sel.name &&
              editDistance(n.name, r.sel.name, { transpositions: false }) <= 2,
          )
          .map((n) => n.name);
        const where = r.sel.namespace
          ? `namespace "${r.namespace}"`
          : `the pod's namespace "${r.namespace}" (the name is not qualified)`;
        const hints: string[] = [];
        if (sameName.length) hints.push(`a NAD with that name exists in ${listNames(sameName)}`);
        if (similar.length) hints.push(`did you mean ${listNames(similar.map((s) => `"${s}"`))}?`);
        const ev = w.annotationEvidence();
        if (a.offline) {
          offline.push(`"${r.sel.name}" in ${where}${hints.length ? ` (${hints.join('; ')})` : ''}`);
          continue;
        }
        const fix = sameName.length
          ? `Qualify the name with its namespace in the annotation (e.g. "${sameName[0]}"), or create the NAD in "${r.namespace}":\n  ${kc} get net-attach-def -n ${safeNameOr(sameName[0]!.split('/')[0]!, '<namespace>')} ${safeNameOr(r.sel.name)} -o yaml   # copy it, change metadata.namespace, apply`
          : similar.length
            ? `Fix the name in the annotation (${similar.map((s) => `"${s}"`).join(' or ')}), or create the NAD "${r.sel.name}" in "${r.namespace}".`
            : `Create the NetworkAttachmentDefinition "${r.sel.name}" in namespace "${r.namespace}" (\`${kc} get net-attach-def -A\` lists the existing ones), or fix the name in the annotation.`;
        out.push(
          finding(
            meta,
            w.subject,
            `${describe(w.subject)} asks for network "${r.sel.name}", but no NetworkAttachmentDefinition of that name exists in ${where}${hints.length ? `; ${hints.join('; ')}` : ''}.`,
            [ev],
            `${fix}\nPods stuck in ContainerCreating retry by themselves once the NAD exists.`,
          ),
        );
      }
      if (offline.length) {
        out.push(
          finding(
            meta,
            w.subject,
            `Not verifiable offline: NetworkAttachmentDefinition${offline.length > 1 ? 's' : ''} ${offline.join(', ')} ${offline.length > 1 ? 'are' : 'is'} not among the linted files.`,
            [w.annotationEvidence()],
            `Lint the NADs together with the workload (\`kubectl multus lint -f nads/ -f ${w.obj.source?.file ?? 'workload.yaml'}\`), or check the cluster with \`kubectl multus check\`.`,
            'info',
          ),
        );
      }
    }
    return out;
  },
);
