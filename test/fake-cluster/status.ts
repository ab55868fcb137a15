/**
 * metav1.Status error bodies with the reason, code and message wording of kube-apiserver, so
 * clients (kubectl, client-node, the tool's error mapping) see what a real cluster sends.
 */
import type { KObj } from './scenario.js';

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: KObj,
  ) {
    super(message);
  }

  status(): KObj {
    const s: KObj = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
    };
    if (this.details) s['details'] = this.details;
    s['code'] = this.code;
    return s;
  }
}

/** "pods", "daemonsets.apps" — how the apiserver names a group/resource in messages. */
const qualified = (group: string, resource: string): string => (group ? `${resource}.${group}` : resource);

const details = (group: string, kind: string, name?: string): KObj => ({
  ...(name ? { name } : {}),
  ...(group ? { group } : {}),
  kind,
});

export function notFound(group: string, resource: string, name: string): ApiError {
  return new ApiError(
    404,
    'NotFound',
    `${qualified(group, resource)} "${name}" not found`,
    details(group, resource, name),
  );
}

export function alreadyExists(group: string, resource: string, name: string): ApiError {
  return new ApiError(
    409,
    'AlreadyExists',
    `${qualified(group, resource)} "${name}" already exists`,
    details(group, resource, name),
  );
}

export function conflict(group: string, resource: string, name: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(group, resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    details(group, resource, name),
  );
}

export interface ForbiddenAttrs {
  user: string;
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export function forbidden(a: ForbiddenAttrs): ApiError {
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const why = `User "${a.user}" cannot ${a.verb} resource "${res}" in API group "${a.group}" ${where}`;
  const subject = a.name ? `${qualified(a.group, a.resource)} "${a.name}"` : qualified(a.group, a.resource);
  return new ApiError(403, 'Forbidden', `${subject} is forbidden: ${why}`, details(a.group, a.resource, a.name));
}

export function forbiddenPath(user: string, verb: string, path: string): ApiError {
  return new ApiError(403, 'Forbidden', `forbidden: User "${user}" cannot ${verb} path "${path}"`, {});
}

export interface Cause {
  field: string;
  /** "FieldValueInvalid", "FieldValueRequired", … */
  reason: string;
  /** message without the field prefix: `Invalid value: "x": detail` */
  message: string;
}

/** 422 Invalid, message `<Kind>[.<group>] "<name>" is invalid: <field>: <detail>` like field.ErrorList. */
export function invalid(group: string, kind: string, name: string, causes: Cause[]): ApiError {
  const each = causes.map((c) => `${c.field}: ${c.message}`);
  const agg = each.length === 1 ? each[0]! : `[${each.join(', ')}]`;
  const gk = group ? `${kind}.${group}` : kind;
  return new ApiError(422, 'Invalid', `${gk} "${name}" is invalid: ${agg}`, {
    name,
    ...(group ? { group } : {}),
    kind,
    causes,
  });
}

export const badRequest = (message: string): ApiError => new ApiError(400, 'BadRequest', message);
export const methodNotAllowed = (): ApiError =>
  new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
export const unauthorized = (): ApiError => new ApiError(401, 'Unauthorized', 'Unauthorized');
export const notFoundPath = (): ApiError =>
  new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
export const unsupportedMediaType = (types: string[]): ApiError =>
  new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${types.join(', ')}`,
  );

/** Status for a generic injected failure (faults.errors). */
export function injected(code: number, message?: string): ApiError {
  const reasons: Record<number, string> = {
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
    409: 'Conflict',
    410: 'Expired',
  };
  return new ApiError(code, reasons[code] ?? 'Unknown', message ?? `injected fault (HTTP ${code})`, {});
}
