import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import { chainOf, describe, ipPart, networkIdentity, requesters, resolveSelections, schedulableNodeCount, type Requester } from './common.js';
import { isObject, isUnrendered, locate } from '../../model/cni-config.js';
import { parseIp } from '../../model/cidr.js';

interface Request {
  req: Requester;
  ip: string;
  nadKey: string;
  /** Which network (see networkIdentity): equal identities are certainly one segment. */
  identity: string;
  /** The address comes from the pod's `ips`, or is fixed in the NAD's static IPAM. */
  from: 'annotation' | 'nad';
  evidence: Evidence;
}

function ipKey(text: string): string | undefined {
  const ip = parseIp(ipPart(text));
  return ip ? `${ip.family}:${ip.value}` : undefined;
}

/**
 * A static address requested twice: by two pods, by a template with several replicas, or fixed
 * in a static-IPAM NAD that several pods use. Nothing in Kubernetes or CNI detects the duplicate;
 * the LAN sees two hosts with one address.
 */
export const podIpDuplicate = defineCheck(
  {
    id: 'pod-ip-duplicate',
    title: 'the same static IP is requested more than once',
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
    const requests: Request[] = [];
    for (const req of requesters(a)) {
      for (const r of resolveSelections(a, req.view)) {
        for (const ip of r.sel.ips ?? []) {
          if (isUnrendered(ip) || !ipKey(ip)) continue;
          requests.push({ req, ip: ipPart(ip), nadKey: r.key, identity: networkIdentity(a, req.view, r), from: 'annotation', evidence: req.view.annotationEvidence(ip) });
        }
        const chain = r.nad && chainOf(r.nad);
        const ipam = chain?.ipamPlugin;
        if (!r.nad || !ipam || chain?.ipamType !== 'static' || !Array.isArray(ipam.ipam?.['addresses'])) continue;
        (ipam.ipam!['addresses'] as unknown[]).forEach((ad, i) => {
          const text = isObject(ad) && typeof ad['address'] === 'string' ? ad['address'] : undefined;
          if (!text || isUnrendered(text) || !ipKey(text)) return;
          requests.push({
            req,
            ip: ipPart(text),
            nadKey: r.key,
            identity: networkIdentity(a, req.view, r),
            from: 'nad',
            evidence: r.nad!.at(locate(r.nad!.config!.parsed, [...ipam.path, 'ipam', 'addresses', i, 'address']), text),
          });
        });
      }
    }
    const seenReplicated = new Set<string>();
    for (const q of requests) {
      const c = q.req.copies;
      if (!(c === 'per-node' || c > 1) || seenReplicated.has(`${q.req.id}|${q.ip}`)) continue;
      seenReplicated.add(`${q.req.id}|${q.ip}`);
      const severity = c === 'per-node' && nodes !== undefined && nodes <= 1 ? 'warning' : 'error';
      const how = q.from === 'nad' ? `NAD ${q.nadKey} fixes the address ${q.ip} in its static IPAM` : `the template requests ${q.ip} on network ${q.nadKey}`;
      out.push(
        finding(
          meta,
          q.req.subject,
          c === 'per-node'
            ? `${describe(q.req.subject)} runs one pod per node and ${how}: every node's pod gets the same address${severity === 'warning' ? ' (one schedulable node today)' : ''}.`
            : `${describe(q.req.subject)} runs ${c} pods from one template and ${how}: they all get the same address.`,
          [q.evidence],
          'A fixed address fits one pod. Use one replica (with `strategy: {type: Recreate}` so a rollout does not run two), or let an IPAM hand out addresses: whereabouts for a cluster-wide range, or host-local with per-node ranges.',
          severity,
        ),
      );
    }
    const byIp = new Map<string, Request[]>();
    for (const q of requests) {
      const k = ipKey(q.ip)!;
      const list = byIp.get(k) ?? [];
      if (!list.some((x) => x.req.id === q.req.id)) list.push(q);
      byIp.set(k, list);
    }
    for (const [, list] of byIp) {
      if (list.length < 2) continue;
      for (const q of list) {
        const others = list.filter((o) => o !== q);
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
