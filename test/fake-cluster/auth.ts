/**
 * Authentication (client certificate: CN = user, O = groups; or a bearer token, as real
 * kubeconfigs carry) and authorization from the scenario's RBAC rules and 403 faults. The same
 * decision answers requests and SelfSubjectAccessReview/SubjectAccessReview.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ForbidRule, RbacRule, Scenario } from './scenario.js';

export interface UserInfo {
  name: string;
  groups: string[];
}

export interface ResourceAttrs {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

const has = (list: string[] | undefined, v: string, dflt = true): boolean =>
  list === undefined ? dflt : list.includes('*') || list.includes(v);

function resourceMatches(list: string[] | undefined, a: ResourceAttrs): boolean {
  if (list === undefined || list.includes('*')) return true;
  const full = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return (
    list.includes(full) ||
    (!!a.subresource && (list.includes(`${a.resource}/*`) || list.includes(`*/${a.subresource}`)))
  );
}

function ruleAllows(r: RbacRule, a: ResourceAttrs): boolean {
  if (!has(r.verbs, a.verb, false)) return false;
  if (!has(r.apiGroups, a.group)) return false;
  if (!resourceMatches(r.resources, a)) return false;
  if (r.resourceNames?.length && (!a.name || !r.resourceNames.includes(a.name))) return false;
  if (r.namespaces && (!a.namespace || !has(r.namespaces, a.namespace, false))) return false;
  return true;
}

function forbidMatches(f: ForbidRule, u: UserInfo, a: ResourceAttrs): boolean {
  return (
    has(f.verbs, a.verb) &&
    has(f.apiGroups, a.group) &&
    resourceMatches(f.resources, a) &&
    (!f.namespaces || (!!a.namespace && has(f.namespaces, a.namespace, false))) &&
    has(f.users, u.name)
  );
}

export class Auth {
  /** token → user */
  readonly tokens = new Map<string, UserInfo>();
  /** user → token */
  readonly tokenOf = new Map<string, string>();

  constructor(private readonly scenario: Scenario) {
    for (const u of scenario.cluster.users) {
      const token = u.token || `fake-${u.name.replace(/[^a-zA-Z0-9]/g, '-')}-${randomBytes(12).toString('hex')}`;
      this.tokens.set(token, { name: u.name, groups: u.groups });
      this.tokenOf.set(u.name, token);
    }
  }

  authenticate(req: IncomingMessage): UserInfo | undefined {
    const sock = req.socket as TLSSocket;
    if (sock.authorized) {
      const cert = sock.getPeerCertificate();
      const cn = cert?.subject?.CN;
      if (cn) {
        const o = cert.subject.O;
        const groups = o === undefined ? [] : Array.isArray(o) ? o : [o];
        return { name: String(cn), groups: groups.map(String) };
      }
    }
    const h = req.headers['authorization'];
    if (h?.startsWith('Bearer ')) return this.tokens.get(h.slice(7).trim());
    return undefined;
  }

  /** Resource request decision: 403 faults first, then RBAC (absent = allow all). */
  allowed(u: UserInfo, a: ResourceAttrs): boolean {
    if ((this.scenario.faults.forbid ?? []).some((f) => forbidMatches(f, u, a))) return false;
    const rbac = this.scenario.rbac;
    if (!rbac) return true;
    // the bootstrap ClusterRole system:basic-user lets everyone ask who they are and what they may do
    if (
      a.verb === 'create' &&
      ['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews'].includes(a.resource)
    )
      return true;
    const groups = [...u.groups, 'system:authenticated'];
    if (groups.includes('system:masters')) return true;
    const rules = [...(rbac.users?.[u.name] ?? []), ...groups.flatMap((g) => rbac.groups?.[g] ?? [])];
    return rules.some((r) => ruleAllows(r, a));
  }

  /** Non-resource URLs: discovery and health are open to every authenticated user. */
  allowedPath(u: UserInfo, path: string, verb: string): boolean {
    const rbac = this.scenario.rbac;
    if (!rbac || u.groups.includes('system:masters')) return true;
    if (/^\/(api|apis|version|healthz|livez|readyz|openapi)(\/|$)/.test(path)) return true;
    const rules = [...(rbac.users?.[u.name] ?? []), ...u.groups.flatMap((g) => rbac.groups?.[g] ?? [])];
    return rules.some(
      (r) =>
        has(r.verbs, verb, false) &&
        (r.nonResourceURLs ?? []).some(
          (p) => p === '*' || p === path || (p.endsWith('*') && path.startsWith(p.slice(0, -1))),
        ),
    );
  }
}
