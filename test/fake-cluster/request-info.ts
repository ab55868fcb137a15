/** URL → Kubernetes request attributes (like the apiserver's RequestInfo). */

export interface RequestInfo {
  path: string;
  isResource: boolean;
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  verb: string;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function requestInfo(method: string, url: URL): RequestInfo {
  const path = url.pathname;
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const info: RequestInfo = {
    path,
    isResource: false,
    group: '',
    version: '',
    resource: '',
    verb: method.toLowerCase(),
  };
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    info.version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    info.group = parts[1]!;
    info.version = parts[2]!;
    rest = parts.slice(3);
  } else return info;
  if (!rest.length) return info;
  info.isResource = true;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    info.namespace = rest[1];
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) rest = rest.slice(2);
    else {
      info.resource = 'namespaces';
      info.name = rest[1];
      if (rest[2]) info.subresource = rest[2];
      delete info.namespace;
      info.verb = verbOf(method, url, true);
      return info;
    }
  }
  info.resource = rest[0]!;
  if (rest[1] !== undefined) info.name = rest[1];
  if (rest[2] !== undefined) info.subresource = rest[2];
  if (rest.length > 3) info.isResource = false;
  info.verb = verbOf(method, url, info.name !== undefined);
  return info;
}

function verbOf(method: string, url: URL, named: boolean): string {
  const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
  switch (method) {
    case 'GET':
    case 'HEAD':
      return named ? 'get' : watch ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}
