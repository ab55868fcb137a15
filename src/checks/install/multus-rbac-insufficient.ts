import { defineCheck, type Finding, type Severity } from '../types.js';
import { couldNotVerify, finding } from '../helpers.js';
import { dsSubject } from '../../model/install-nodes.js';
import { rbacFix } from './lib/fixes.js';

/** Denials that break multus (error); losing events only hides its messages (warning). */
function weight(resource: string): Severity {
  return /^events/.test(resource) ? 'warning' : 'error';
}

/**
 * SubjectAccessReviews for the multus service account: it must get/list NADs, get pods and
 * update pods/status (the network-status annotation). A trimmed or outdated ClusterRole shows
 * up as "forbidden" inside FailedCreatePodSandBox events.
 */
export const multusRbacInsufficient = defineCheck(
  {
    id: 'multus-rbac-insufficient',
    title: 'The multus service account lacks permissions',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'Multus reads NetworkAttachmentDefinitions and pods and writes the network-status annotation with its service account. If its ClusterRole lacks any of these, pods with secondary networks fail with "forbidden" (or start without a network-status).',
  },
  (a) => {
    const meta = multusRbacInsufficient.meta;
    const out: Finding[] = [];
    for (const m of a.multus) {
      if (!m.rbac) {
        const e = a.errorsFor('multus/rbac');
        if (e.length)
          out.push(
            couldNotVerify(
              meta,
              dsSubject(m),
              `the access reviews for ${m.namespace}/${m.serviceAccount ?? 'multus'} failed: ${e[0]!.message}`,
            ),
          );
        continue;
      }
      const denied = m.rbac.filter((r) => !r.allowed);
      if (!denied.length) continue;
      const sev: Severity = denied.some((d) => weight(d.resource) === 'error') ? 'error' : 'warning';
      const fmt = (d: (typeof denied)[number]) => `${d.verb} ${d.resource}${d.group ? `.${d.group}` : ''}`;
      out.push(
        finding(
          meta,
          dsSubject(m),
          `The service account ${m.namespace}/${m.serviceAccount ?? 'multus'} may not ${denied.map(fmt).join(', ')}: ${sev === 'error' ? 'multus cannot resolve networks or record network-status, so pods with secondary networks fail with "forbidden"' : 'multus cannot record events for pods'}.`,
          denied.map((d) => ({ label: 'SubjectAccessReview denied', value: fmt(d) })),
          rbacFix(m),
          sev,
        ),
      );
    }
    return out;
  },
);
