import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import {
  chainOf,
  copiesOf,
  describe,
  ipPart,
  networkIdentity,
  resolveSelections,
  schedulableNodeCount,
  ownerIdOf,
  requesterId,
  unitsByOwner,
  type Requester,
} from './lib/common.js';
import type { Analysis, WorkloadView } from '../analysis.js';
import { isObject, isUnrendered, locate } from '../../model/cni-config.js';
import { parseIp } from '../../model/cidr.js';

interface Request {
  /** Who asked: a workload template (with its copies) or one pod. */
  req: Requester;
  ip: string;
  nadKey: string;
  /** Which network (see networkIdentity): equal identities are certainly one segment. */
  identity: string;
  /** The address comes from the `ips` of an annotation, or is fixed in the NAD's static IPAM. */
  from: 'annotation' | 'nad';
  evidence: Evidence;
}

function ipKey(text: string): string | undefined {
  const ip = parseIp(ipPart(text));
  return ip ? `${ip.family}:${ip.value}` : undefined;
}

const finishedPod = (w: WorkloadView) =>
  w.obj.kind === 'Pod' && (w.obj.phase === 'Succeeded' || w.obj.phase === 'Failed');

/** Every static address one object (template or pod) asks for: its `ips`, and fixed static-IPAM addresses of its NADs. */
function requestsOf(a: Analysis, req: Requester): Request[] {
  const out: Request[] = [];
  for (const r of resolveSelections(a, req.view)) {
    for (const ip of r.sel.ips ?? []) {
      if (isUnrendered(ip) || !ipKey(ip)) continue;
      out.push({
        req,
        ip: ipPart(ip),
        nadKey: r.key,
        identity: networkIdentity(a, req.view, r),
        from: 'annotation',
        evidence: req.view.annotationEvidence(ip),
      });
    }
    const chain = r.nad && chainOf(r.nad);
    const ipam = chain?.ipamPlugin;
    if (!r.nad || !ipam || chain?.ipamType !== 'static' || !Array.isArray(ipam.ipam?.['addresses'])) continue;
    (ipam.ipam!['addresses'] as unknown[]).forEach((ad, i) => {
      const text = isObject(ad) && typeof ad['address'] === 'string' ? ad['address'] : undefined;
      if (!text || isUnrendered(text) || !ipKey(text)) return;
      out.push({
        req,
        ip: ipPart(text),
        nadKey: r.key,
        identity: networkIdentity(a, req.view, r),
        from: 'nad',
        evidence: r.nad!.at(locate(r.nad!.config!.parsed, [...ipam.path, 'ipam', 'addresses', i, 'address']), text),
      });
    });
  }
  return out;
}

export const podIpDuplicate = defineCheck(
  {
    id: 'pod-ip-duplicate',
    title: 'The same static IP is requested more than once',
    severity: 'error',
    category: 'pod',
    scope: 'objects',
    distributions: 'all',
    doc: 'Static addresses (the "ips" of a selection element, or "addresses" in a static-IPAM NAD) are not checked for uniqueness by anything. A template with several replicas, or two pods naming one address, put the same IP on two interfaces and the segment sees an address conflict.',
  },
  (a) => {
    const out: Finding[] = [];
    const meta = podIpDuplicate.meta;
    const nodes = schedulableNodeCount(a);
    const live = a.workloads.filter((w) => !finishedPod(w));
    const templates: Requester[] = live
      .filter((w) => w.obj.kind !== 'Pod')
      .map((w) => ({
        id: requesterId(w.namespace, w.obj.kind, w.obj.name),
        subject: w.subject,
        view: w,
        copies: copiesOf(w),
      }));
    const byId = new Map(templates.map((t) => [t.id, t]));
    const pods = live.filter((w) => w.obj.kind === 'Pod');

    // 1. A template that itself fixes an address, with more than one copy: blame the template.
    const templateReqs = new Map<string, Request[]>();
    const replicated = new Set<string>();
    for (const t of templates) {
      const reqs = requestsOf(a, t);
      templateReqs.set(t.id, reqs);
      const c = t.copies;
      if (!(c === 'per-node' || c > 1)) continue;
      for (const q of reqs) {
        if (replicated.has(`${t.id}|${ipKey(q.ip)}`)) continue;
        replicated.add(`${t.id}|${ipKey(q.ip)}`);
        const severity = c === 'per-node' && nodes !== undefined && nodes <= 1 ? 'warning' : 'error';
        const how =
          q.from === 'nad'
            ? `NAD ${q.nadKey} fixes the address ${q.ip} in its static IPAM`
            : `the template requests ${q.ip} on network ${q.nadKey}`;
        out.push(
          finding(
            meta,
            t.subject,
            c === 'per-node'
              ? `${describe(t.subject)} runs one pod per node and ${how}: every node's pod gets the same address${severity === 'warning' ? ' (one schedulable node today)' : ''}.`
              : `${describe(t.subject)} runs ${c} pods from one template and ${how}: they all get the same address.`,
            [q.evidence],
            'A fixed address fits one pod. Use one replica (with `strategy: {type: Recreate}` so a rollout does not run two), or let an IPAM hand out addresses: whereabouts for a cluster-wide range, or host-local with per-node ranges.',
            severity,
          ),
        );
      }
    }

    // 2. What each pod actually asked for (its own annotation: a webhook may set per-pod addresses
    //    the template does not have). An address that comes from the pod's template is the
    //    template's request; templates without pods in the snapshot stand for their pods.
    const requests: Request[] = [];
    const withPods = new Set<string>();
    for (const p of pods) {
      const owner = ownerIdOf(p);
      const t = owner ? byId.get(owner) : undefined;
      if (t) withPods.add(t.id);
      const fromTemplate = new Set(
        (t ? (templateReqs.get(t.id) ?? []) : []).map((q) => `${ipKey(q.ip)}|${q.identity}`),
      );
      const self: Requester = {
        id: requesterId(p.namespace, 'Pod', p.obj.name),
        subject: p.subject,
        view: p,
        copies: 1,
      };
      for (const q of requestsOf(a, self)) {
        if (t && fromTemplate.has(`${ipKey(q.ip)}|${q.identity}`)) requests.push({ ...q, req: t });
        else requests.push(q);
      }
    }
    for (const t of templates) if (!withPods.has(t.id)) requests.push(...(templateReqs.get(t.id) ?? []));

    const byIp = new Map<string, Request[]>();
    for (const q of requests) {
      const k = ipKey(q.ip)!;
      byIp.set(k, [...(byIp.get(k) ?? []), q]);
    }
    for (const [k, all] of byIp) {
      // Pods of one owner asking for one address each in their own annotation: one finding on the owner.
      const units = unitsByOwner(all, ({ owner, subject, list, sameNet }) => {
        if (replicated.has(`${owner}|${k}`)) return;
        out.push(
          finding(
            meta,
            subject,
            `${list.length} pods of ${describe(subject)} (${listNames(
              list.map((q) => q.req.view.obj.name),
              4,
            )}) each request ${list[0]!.ip} in their own annotation${sameNet ? ` on network ${list[0]!.nadKey}` : ''}: they get the same address.`,
            list.map((q) => q.evidence),
            'Whatever sets the per-pod addresses (a mutating webhook, an operator) must give each pod its own; or let an IPAM such as whereabouts hand out unique ones.',
            sameNet ? 'error' : 'warning',
          ),
        );
      });
      if (units.length < 2) continue;
      for (const q of units) {
        const others = units.filter((o) => o !== q);
        const sameNet = others.some((o) => o.identity === q.identity);
        out.push(
          finding(
            meta,
            q.req.subject,
            sameNet
              ? `${describe(q.req.subject)} gets ${q.ip} on network ${q.nadKey}, and so do ${listNames(others.filter((o) => o.identity === q.identity).map((o) => describe(o.req.subject)))}.`
              : `${describe(q.req.subject)} gets ${q.ip} on network ${q.nadKey}, the same address ${listNames(others.map((o) => `${describe(o.req.subject)} gets on ${o.nadKey}`))}; a conflict if these networks share a segment.`,
            [q.evidence, ...others.map((o) => o.evidence)],
            'Give each pod its own address (one per pod in the annotation, or an IPAM such as whereabouts that hands out unique ones).',
            sameNet ? 'error' : 'warning',
          ),
        );
      }
    }
    return out;
  },
);
