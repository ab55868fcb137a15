import { defineCheck, type Finding } from '../types.js';
import { finding } from '../helpers.js';
import { describe, judgedWorkloads } from './lib/common.js';

/** The runtime never calls CNI for a hostNetwork pod, so multus never sees its annotation. */
export const podHostNetwork = defineCheck(
  {
    id: 'pod-host-network',
    title: 'hostNetwork pod carries a networks annotation',
    severity: 'warning',
    category: 'pod',
    scope: 'objects',
    distributions: 'all',
    doc: "A pod with hostNetwork: true shares the node's network namespace; the container runtime does not call any CNI plugin for it, so multus never reads its k8s.v1.cni.cncf.io/networks annotation and no secondary interface is added.",
  },
  (a) => {
    const out: Finding[] = [];
    for (const w of judgedWorkloads(a)) {
      if (!w.obj.hostNetwork || w.networksValue === undefined || w.networksValue.trim() === '') continue;
      out.push(
        finding(
          podHostNetwork.meta,
          w.subject,
          `${describe(w.subject)} runs with hostNetwork: true, so its networks annotation is ignored: the runtime calls no CNI plugin for host-network pods.`,
          [w.annotationEvidence()],
          `Set hostNetwork: false${w.obj.kind === 'Pod' ? '' : ' in the pod template'} when the pod should get its own interface on the secondary network (a macvlan attachment usually replaces hostNetwork for LAN-facing apps), or remove the annotation.`,
        ),
      );
    }
    return out;
  },
);
