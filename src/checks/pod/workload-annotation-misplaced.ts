import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { describe, kubectlFor } from './lib/common.js';
import { safeNameOr } from '../../model/shell.js';
import { NETWORKS_ANNOTATION } from '../../model/networks-annotation.js';

/** Where the pod template's annotations live for each workload kind. */
function templatePath(kind: string): string {
  return kind === 'CronJob'
    ? 'spec.jobTemplate.spec.template.metadata.annotations'
    : 'spec.template.metadata.annotations';
}

function yamlFor(kind: string, value: string): string {
  const v = JSON.stringify(value);
  return kind === 'CronJob'
    ? `spec:\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          annotations:\n            ${NETWORKS_ANNOTATION}: ${v}`
    : `spec:\n  template:\n    metadata:\n      annotations:\n        ${NETWORKS_ANNOTATION}: ${v}`;
}

/**
 * Multus reads only the pod's annotations. On a Deployment/StatefulSet/DaemonSet the annotation
 * must sit in the pod template; on the workload's own metadata it is silently ignored (lab
 * scenario annotation-misplaced: the pod came up with eth0 only, no event, no error).
 */
export const workloadAnnotationMisplaced = defineCheck(
  {
    id: 'workload-annotation-misplaced',
    title: 'Networks annotation is on the workload, not on its pod template',
    severity: 'error',
    category: 'pod',
    scope: 'objects',
    distributions: 'all',
    doc: "Multus only reads pods. A k8s.v1.cni.cncf.io/networks annotation on a Deployment's (or StatefulSet's, DaemonSet's, Job's) own metadata is never copied to its pods, so they start with eth0 only and no error anywhere.",
  },
  (a) => {
    const out: Finding[] = [];
    for (const w of a.workloads) {
      if (w.obj.kind === 'Pod') continue;
      const own = w.obj.annotations?.[NETWORKS_ANNOTATION];
      if (own === undefined || w.obj.podAnnotations?.[NETWORKS_ANNOTATION] !== undefined) continue;
      const ev = { ...w.annotationEvidence(own), label: 'metadata.annotations' };
      out.push(
        finding(
          workloadAnnotationMisplaced.meta,
          w.subject,
          `${describe(w.subject)} carries ${NETWORKS_ANNOTATION} on its own metadata, where multus never sees it; its pods get no secondary network.`,
          [ev],
          `Move the annotation to ${templatePath(w.obj.kind)} (changing the template rolls the pods):\n${yamlFor(w.obj.kind, own)}\nApply the edited manifest (or \`${kubectlFor(a)} edit ${w.obj.kind.toLowerCase()} ${safeNameOr(w.obj.name)} -n ${safeNameOr(w.namespace, '<namespace>')}\`) and remove the annotation from metadata.annotations.`,
        ),
      );
    }
    return out;
  },
);
