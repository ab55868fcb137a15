/**
 * The fake cluster's state shared by the HTTP handlers: scenario, store, resource catalogue,
 * address allocators, and per-pod behaviour lookup (shell/distroless, hang, logs, interfaces).
 */
import * as cidr from './cidr.js';
import { groupResource, type ResourceType } from './resources.js';
import { Catalogue } from './resources.js';
import type { KObj, PodBehaviour, Scenario } from './scenario.js';
import { Store } from './store.js';

function glob(pattern: string, s: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(s);
}

export class World {
  readonly store = new Store();
  readonly catalogue: Catalogue;
  private readonly podIpNext = new Map<string, number>();
  private readonly podIpsUsed = new Set<string>();
  private readonly usedServiceIps = new Set<string>();
  private serviceNext = 1;

  constructor(readonly scenario: Scenario) {
    this.catalogue = new Catalogue(scenario.cluster.serviceCIDRVersions);
  }

  get serviceCIDRs(): string[] {
    return this.scenario.cluster.serviceCIDR.split(',').map((s) => s.trim());
  }

  syncCrds(): void {
    this.catalogue.syncCrds(this.store.peekAll('customresourcedefinitions.apiextensions.k8s.io'));
  }

  /** Resource type of a manifest by apiVersion/kind. */
  typeOf(obj: KObj): { rt: ResourceType; version: string } | undefined {
    const av = String(obj['apiVersion'] ?? '');
    const [group, version] = av.includes('/') ? av.split('/') : ['', av];
    const rt = this.catalogue.byKind(group!, String(obj['kind'] ?? ''));
    return rt && rt.versions.includes(version!) ? { rt, version: version! } : undefined;
  }

  gr(rt: ResourceType): string {
    return groupResource(rt);
  }

  nodeIP(node: string): string | undefined {
    const n = this.store.peek('nodes', undefined, node);
    return (n?.['status']?.addresses ?? []).find((a: KObj) => a.type === 'InternalIP')?.address;
  }

  allocPodIP(node: string | undefined): string | undefined {
    const n = node ? this.store.peek('nodes', undefined, node) : undefined;
    const pc: string | undefined = n?.['spec']?.podCIDR;
    if (!node || !pc) return undefined;
    let next = this.podIpNext.get(node) ?? 1; // .1 is the bridge gateway
    let ip: string;
    do ip = cidr.nth(pc, ++next);
    while (this.podIpsUsed.has(ip));
    this.podIpNext.set(node, next);
    this.podIpsUsed.add(ip);
    return ip;
  }

  /** An address a scenario pod already has, so allocation skips it. */
  notePodIP(_node: string | undefined, ip: string): void {
    this.podIpsUsed.add(ip);
  }

  reserveServiceIP(ip: string): void {
    this.usedServiceIps.add(ip);
  }

  serviceIPUsed(ip: string): boolean {
    return this.usedServiceIps.has(ip);
  }

  releaseServiceIP(ip: string): void {
    this.usedServiceIps.delete(ip);
  }

  allocServiceIP(family?: 'IPv4' | 'IPv6'): string | undefined {
    const range =
      this.serviceCIDRs.find((c) => !family || (family === 'IPv6') === c.includes(':')) ?? this.serviceCIDRs[0]!;
    const max = Number(cidr.size(range) > 65536n ? 65536n : cidr.size(range)) - 2;
    for (let i = 0; i < max; i++) {
      const ip = cidr.nth(range, ((this.serviceNext + i - 1) % max) + 1);
      if (!this.usedServiceIps.has(ip)) {
        this.serviceNext = this.serviceNext + i + 1;
        this.usedServiceIps.add(ip);
        return ip;
      }
    }
    return undefined;
  }

  /** Merged behaviour of every `pods:` entry selecting this pod (later entries win). */
  behaviour(pod: KObj): PodBehaviour {
    const md = pod['metadata'] ?? {};
    const out: PodBehaviour = { select: {} };
    for (const b of this.scenario.pods) {
      const s = b.select;
      if (s.namespace && s.namespace !== md.namespace) continue;
      if (s.name && !glob(s.name, md.name ?? '')) continue;
      if (
        s.daemonSet &&
        !(md.ownerReferences ?? []).some((r: KObj) => r.kind === 'DaemonSet' && r.name === s.daemonSet)
      )
        continue;
      if (s.labels && !Object.entries(s.labels).every(([k, v]) => md.labels?.[k] === v)) continue;
      Object.assign(out, {
        ...b,
        logs: { ...out.logs, ...b.logs },
        previousLogs: { ...out.previousLogs, ...b.previousLogs },
        files: { ...out.files, ...b.files },
      });
    }
    return out;
  }

  /** Does this container's image have a shell and coreutils? */
  hasShell(pod: KObj, container: string): boolean {
    const b = this.behaviour(pod);
    if (b.shell !== undefined) return b.shell;
    const all: KObj[] = [...(pod['spec']?.containers ?? []), ...(pod['spec']?.initContainers ?? [])];
    const image = String(all.find((c) => c.name === container)?.image ?? '');
    let shell = true;
    for (const r of this.scenario.images) if (glob(r.image, image)) shell = r.shell;
    return shell;
  }
}
