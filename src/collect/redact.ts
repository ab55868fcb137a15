/**
 * Secrets never enter a snapshot. Tokens, client certificates and keys, CA data and passwords in
 * kubeconfigs (multus.d/multus.kubeconfig, whereabouts.d/*) and CNI configs are replaced by
 * markers before the text is stored; of a JWT only the `exp`/`iat` claims survive, so
 * multus-kubeconfig-token-expired can still judge it (also exposed as FileRead.jwtExp).
 *
 * Markers: `REDACTED` for anything, `REDACTED:jwt:exp=<unix seconds>` for a JWT with an expiry.
 */

export interface Redacted {
  text: string;
  redacted: boolean;
  /** Earliest `exp` claim among the JWTs found (Unix seconds). */
  jwtExp?: number;
}

const JWT = /^[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$/;
const JWT_ANYWHERE = /eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}/g;

/** The claims we keep from a JWT (payload only; the signature is never looked at). */
export function jwtClaims(token: string): { exp?: number; iat?: number } | undefined {
  const t = token.trim();
  if (!JWT.test(t)) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
    return { exp: num(payload['exp']), iat: num(payload['iat']) };
  } catch {
    return undefined;
  }
}

export function tokenMarker(token: string): { marker: string; exp?: number } {
  const claims = jwtClaims(token);
  if (!claims) return { marker: 'REDACTED' };
  return claims.exp !== undefined ? { marker: `REDACTED:jwt:exp=${claims.exp}`, exp: claims.exp } : { marker: 'REDACTED:jwt' };
}

const SECRET_KEYS = [
  'token',
  'id-token',
  'refresh-token',
  'access-token',
  'client-key-data',
  'client-certificate-data',
  'certificate-authority-data',
  'password',
  'etcd_password',
  'client-secret',
];
const KEY_ALT = SECRET_KEYS.map((k) => k.replace(/[-_]/g, '[-_]')).join('|');
// YAML `key: value` (optionally quoted key, list dash) and JSON `"key": "value"`.
const YAML_LINE = new RegExp(`^(\\s*(?:-\\s+)?["']?(?:${KEY_ALT})["']?\\s*:[ \\t]*)(?!\\s*$)(["']?)([^\\n]*?)\\2([ \\t]*(?:#.*)?)$`, 'gmi');
const JSON_PAIR = new RegExp(`("(?:${KEY_ALT})"\\s*:\\s*)"((?:[^"\\\\]|\\\\.)*)"`, 'gi');
const PEM = /-----BEGIN ([A-Z0-9 ]*(?:PRIVATE KEY|CERTIFICATE))-----[\s\S]*?-----END \1-----/g;

/** Redact a kubeconfig/CNI config/log text. Idempotent. */
export function redactText(text: string): Redacted {
  let redacted = false;
  let jwtExp: number | undefined;
  const note = (exp?: number) => {
    redacted = true;
    if (exp !== undefined) jwtExp = jwtExp === undefined ? exp : Math.min(jwtExp, exp);
  };
  const replaceValue = (value: string): string => {
    if (value.startsWith('REDACTED')) return value;
    const { marker, exp } = tokenMarker(value);
    note(exp);
    return marker;
  };
  let out = text.replace(JSON_PAIR, (_m, pre: string, value: string) => `${pre}"${replaceValue(value)}"`);
  out = out.replace(YAML_LINE, (m, pre: string, q: string, value: string, post: string) => {
    if (value.trim().startsWith('{') || value.trim().startsWith('[') || value.startsWith('"REDACTED')) return m;
    return `${pre}${q}${replaceValue(value.trim())}${q}${post}`;
  });
  out = out.replace(PEM, (_m, kind: string) => {
    note();
    return `REDACTED (${kind.toLowerCase()})`;
  });
  out = out.replace(JWT_ANYWHERE, (m) => {
    const { marker, exp } = tokenMarker(m);
    note(exp);
    return marker;
  });
  out = out.replace(/(\bBearer\s+)(?!REDACTED)[A-Za-z0-9._~+/=-]{8,}/g, (_m, pre: string) => {
    note();
    return `${pre}REDACTED`;
  });
  return { text: out, redacted, jwtExp };
}
