/**
 * The admission/validation a real apiserver applies that clients observe: object names, pods
 * without containers, Service ClusterIP allocation (the message that names the valid range,
 * which tools parse to learn the service CIDR), and the NAD CRD schema (spec.config: string).
 */
import * as cidr from './cidr.js';
import { DNS1123_SUBDOMAIN } from './meta.js';
import type { ResourceType } from './resources.js';
import type { KObj } from './scenario.js';
import { invalid, type Cause } from './status.js';
import type { World } from './world.js';

const goStrings = (v: string[]): string => `[]string{${v.map((s) => JSON.stringify(s)).join(', ')}}`;

function nameCauses(obj: KObj): Cause[] {
  const md = obj['metadata'] ?? {};
  if (!md.name && !md.generateName)
    return [
      {
        field: 'metadata.name',
        reason: 'FieldValueRequired',
        message: 'Required value: name or generateName is required',
      },
    ];
  if (md.name && (!DNS1123_SUBDOMAIN.test(md.name) || md.name.length > 253)) {
    return [
      {
        field: 'metadata.name',
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${md.name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      },
    ];
  }
  return [];
}

/** Allocation failure text: older apiservers (< 1.22) used a different sentence. */
function notInRange(w: World, ip: string): string {
  const range = w.serviceCIDRs.find((c) => c.includes(':') === ip.includes(':')) ?? w.serviceCIDRs[0]!;
  return w.scenario.cluster.minor < 22
    ? `failed to allocated ip:${ip} with error:provided IP is not in the valid range. The range of valid IPs is ${range}`
    : `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${range}`;
}

/**
 * Validates a create (or update when `old` is given) and applies server-side defaults that need
 * cluster state (ClusterIP allocation). Throws ApiError(422) like the apiserver.
 */
export function validateAndDefault(
  w: World,
  rt: ResourceType,
  obj: KObj,
  old: KObj | undefined,
  dryRun: boolean,
): void {
  const name = obj['metadata']?.name ?? '';
  if (!old) {
    const causes = nameCauses(obj);
    if (causes.length) throw invalid(rt.group, rt.kind, name, causes);
  }
  if (rt.group === '' && rt.resource === 'pods') {
    if (!Array.isArray(obj['spec']?.containers) || obj['spec'].containers.length === 0) {
      throw invalid('', 'Pod', name, [
        { field: 'spec.containers', reason: 'FieldValueRequired', message: 'Required value' },
      ]);
    }
  }
  if (rt.group === 'k8s.cni.cncf.io' && rt.resource === 'network-attachment-definitions') {
    const c = obj['spec']?.config;
    if (c !== undefined && typeof c !== 'string') {
      const t = Array.isArray(c) ? 'array' : c === null ? 'null' : typeof c === 'object' ? 'object' : typeof c;
      throw invalid(rt.group, rt.kind, name, [
        {
          field: 'spec.config',
          reason: 'FieldValueTypeInvalid',
          message: `Invalid value: "${t}": spec.config in body must be of type string: "${t}"`,
        },
      ]);
    }
  }
  if (rt.group === '' && rt.resource === 'services') validateService(w, obj, old, dryRun);
}

function validateService(w: World, svc: KObj, old: KObj | undefined, dryRun: boolean): void {
  const spec = (svc['spec'] ??= {});
  const name = svc['metadata']?.name ?? '';
  const type = spec.type ?? 'ClusterIP';
  if (type === 'ExternalName') return;
  const requested: string[] = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  if (old) {
    // ClusterIP is immutable; keep the allocated one when the update omits it
    const had: string[] = old['spec']?.clusterIPs ?? (old['spec']?.clusterIP ? [old['spec'].clusterIP] : []);
    if (!requested.length) Object.assign(spec, { clusterIP: had[0], clusterIPs: had });
    else if (requested[0] !== had[0]) {
      throw invalid('', 'Service', name, [
        {
          field: 'spec.clusterIPs[0]',
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${goStrings(requested)}: may not change once set`,
        },
      ]);
    }
    return;
  }
  if (requested[0] === 'None') {
    Object.assign(spec, { clusterIP: 'None', clusterIPs: ['None'] });
    return;
  }
  if (requested.length) {
    const ip = requested[0]!;
    if (!cidr.isIp(ip)) {
      throw invalid('', 'Service', name, [
        {
          field: 'spec.clusterIPs[0]',
          reason: 'FieldValueInvalid',
          message: `Invalid value: "${ip}": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
        },
      ]);
    }
    // Before 1.23 a dry-run create skipped ClusterIP allocation altogether (kubernetes PR #67038,
    // "Prevent side effects on dryrun in service registry", v1.12), so an out-of-range address
    // came back "created (server dry run)" with no range: observed first-hand on a real v1.20.2
    // kube-apiserver. The v1.23 Service REST rework allocates in dry-run too and names the range.
    if (dryRun && w.scenario.cluster.minor < 23) {
      Object.assign(spec, { clusterIP: ip, clusterIPs: [ip] });
      spec.type = type;
      spec.ipFamilies ??= [ip.includes(':') ? 'IPv6' : 'IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
      spec.sessionAffinity ??= 'None';
      return;
    }
    if (!w.serviceCIDRs.some((c) => cidr.contains(c, ip))) {
      throw invalid('', 'Service', name, [
        {
          field: 'spec.clusterIPs',
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${goStrings(requested)}: ${notInRange(w, ip)}`,
        },
      ]);
    }
    if (w.serviceIPUsed(ip)) {
      throw invalid('', 'Service', name, [
        {
          field: 'spec.clusterIPs',
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${goStrings(requested)}: failed to allocate IP ${ip}: provided IP is already allocated`,
        },
      ]);
    }
    if (!dryRun) w.reserveServiceIP(ip);
    Object.assign(spec, { clusterIP: ip, clusterIPs: [ip] });
  } else {
    const ip = w.allocServiceIP();
    if (!ip)
      throw invalid('', 'Service', name, [
        {
          field: 'spec.clusterIPs',
          reason: 'FieldValueInvalid',
          message: `Invalid value: []string{}: failed to allocate a serviceIP: range is full`,
        },
      ]);
    if (dryRun) w.releaseServiceIP(ip);
    Object.assign(spec, { clusterIP: ip, clusterIPs: [ip] });
  }
  spec.type = type;
  spec.ipFamilies ??= [spec.clusterIP.includes(':') ? 'IPv6' : 'IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
  spec.sessionAffinity ??= 'None';
}
