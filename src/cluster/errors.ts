/**
 * Everything that can go wrong talking to an API server, turned into one line a person can act
 * on: no route to the server, TLS, 401, and for 403 exactly which verb on which resource in which
 * namespace was denied (so they know what RBAC rule to add).
 */

/** What a request was trying to do, for messages and for RBAC advice. */
export interface RequestTarget {
  verb: string;
  /** Plural resource, with subresource as `pods/exec`. */
  resource: string;
  group?: string;
  namespace?: string;
  name?: string;
}

type ClusterErrorKind =
  | 'unreachable'
  | 'tls'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'timeout'
  | 'aborted'
  | 'server'
  | 'invalid'
  | 'other';

export class ClusterError extends Error {
  constructor(
    message: string,
    readonly kind: ClusterErrorKind,
    /** HTTP status, or an errno-ish code (`ECONNREFUSED`, `ETIMEDOUT`). */
    readonly code?: string | number,
    readonly target?: RequestTarget,
    /** The API server's own Status message, when there was one. */
    readonly serverMessage?: string,
    /** Parsed Status body (for callers that read `details`). */
    readonly status?: KubeStatus,
  ) {
    super(message);
  }
  /** Errors that mean no request can succeed (wrong server, bad credentials): stop the run. */
  get fatal(): boolean {
    return this.kind === 'unreachable' || this.kind === 'tls' || this.kind === 'unauthorized';
  }
}

export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: Array<{ reason?: string; message?: string; field?: string }>;
  };
}

export function describeTarget(t: RequestTarget): string {
  const res = t.group ? `${t.resource}.${t.group}` : t.resource;
  const name = t.name ? ` "${t.name}"` : '';
  const scope = t.namespace ? ` in namespace "${t.namespace}"` : ' at cluster scope';
  return `${t.verb} ${res}${name}${scope}`;
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
  'ERR_OSSL_PEM_NO_START_LINE',
  'ERR_OSSL_X509_KEY_VALUES_MISMATCH',
]);

const NET_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
};

/** Map a socket/TLS error from node:https to a ClusterError. */
export function fromNetworkError(
  err: NodeJS.ErrnoException,
  server: string,
  context: string,
  target?: RequestTarget,
): ClusterError {
  const code = err.code ?? (err.name === 'AbortError' ? 'ABORT_ERR' : undefined);
  if (code === 'ABORT_ERR' || err.name === 'AbortError') return new ClusterError('cancelled', 'aborted', code, target);
  if (code && TLS_CODES.has(code)) {
    const why = err.message.split('\n')[0];
    const hint = code.startsWith('ERR_OSSL')
      ? 'the client certificate or key in the kubeconfig is not valid'
      : 'check certificate-authority(-data) in the kubeconfig, or use --insecure-skip-tls-verify only for a throwaway test cluster';
    return new ClusterError(
      `TLS handshake with the API server ${server} failed: ${why} (${code}); ${hint}`,
      'tls',
      code,
      target,
    );
  }
  if (code && NET_REASONS[code]) {
    const ctx = context ? ` (context "${context}")` : '';
    return new ClusterError(
      `cannot reach the API server ${server}${ctx}: ${NET_REASONS[code]}; is the cluster running and is this the right context?`,
      'unreachable',
      code,
      target,
    );
  }
  return new ClusterError(`request to ${server} failed: ${err.message.split('\n')[0]}`, 'other', code, target);
}

function parseStatus(body: string): KubeStatus | undefined {
  try {
    const v = JSON.parse(body) as unknown;
    return typeof v === 'object' && v !== null ? (v as KubeStatus) : undefined;
  } catch {
    return undefined;
  }
}

/** Map a non-2xx HTTP answer to a ClusterError with a message that names what was refused. */
export function fromHttpStatus(
  status: number,
  body: string,
  t: RequestTarget,
  who: { user?: string; context?: string; server: string },
): ClusterError {
  const st = parseStatus(body);
  const serverMsg = st?.message ?? body.trim().slice(0, 300);
  if (status === 401) {
    const u = who.user ? ` for user "${who.user}"` : '';
    const c = who.context ? ` (context "${who.context}")` : '';
    return new ClusterError(
      `the API server ${who.server} rejected the credentials${u}${c} (401 Unauthorized): the token or client certificate is missing, invalid or expired`,
      'unauthorized',
      401,
      t,
      serverMsg,
      st,
    );
  }
  if (status === 403) {
    return new ClusterError(
      `forbidden: cannot ${describeTarget(t)} (403; see deploy/rbac.yaml)`,
      'forbidden',
      403,
      t,
      serverMsg,
      st,
    );
  }
  if (status === 404) return new ClusterError(`not found: ${describeTarget(t)}`, 'not-found', 404, t, serverMsg, st);
  if (status === 408 || status === 504 || st?.reason === 'Timeout')
    return new ClusterError(`timed out: ${describeTarget(t)}: ${serverMsg}`, 'timeout', status, t, serverMsg, st);
  if (status === 400 || status === 409 || status === 422)
    return new ClusterError(`${describeTarget(t)} refused: ${serverMsg}`, 'invalid', status, t, serverMsg, st);
  return new ClusterError(
    `${describeTarget(t)} failed (HTTP ${status}): ${serverMsg}`,
    status >= 500 ? 'server' : 'other',
    status,
    t,
    serverMsg,
    st,
  );
}

export function timeoutError(t: RequestTarget | undefined, ms: number, what = 'request'): ClusterError {
  const target = t ? `: ${describeTarget(t)}` : '';
  return new ClusterError(`${what} timed out after ${formatMs(ms)}${target}`, 'timeout', 'ETIMEDOUT', t);
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
