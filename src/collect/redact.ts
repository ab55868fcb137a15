/**
 * Secrets never enter a snapshot. Tokens, client certificates and keys, CA data and passwords in
 * kubeconfigs (multus.d/multus.kubeconfig, whereabouts.d/*) and CNI configs are replaced by
 * markers before the text is stored; of a JWT only the `exp`/`iat` claims survive, so
 * multus-kubeconfig-token-expired can still judge it (also exposed as FileRead.jwtExp).
 *
 * Markers: `REDACTED` for anything, `REDACTED:jwt:exp=<unix seconds>` for a JWT with an expiry.
 */

interface Redacted {
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

function tokenMarker(token: string): { marker: string; exp?: number } {
  const claims = jwtClaims(token);
  if (!claims) return { marker: 'REDACTED' };
  return claims.exp !== undefined
    ? { marker: `REDACTED:jwt:exp=${claims.exp}`, exp: claims.exp }
    : { marker: 'REDACTED:jwt' };
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
const YAML_LINE = new RegExp(
  `^(\\s*(?:-\\s+)?["']?(?:${KEY_ALT})["']?\\s*:[ \\t]*)(?!\\s*$)(["']?)([^\\n]*?)\\2([ \\t]*(?:#.*)?)$`,
  'gmi',
);
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

/**
 * What a deep redaction replaced, by kind, for the sysdump's summary. Counts are of replaced
 * values, never the values themselves.
 */
export type RedactionCounts = Record<string, number>;

/**
 * Names of keys whose values are secrets, in any embedded text (JSON, YAML, TOML, `k=v`):
 * password/passwd/secret/token/auth/key/credential/identitytoken and their compounds
 * (`etcd_password`, `client-secret`, `id-token`, `client-key-data`, `api_key`, `auth`).
 * A name that says it holds a path or a reference (`tokenFile`, `passwordPath`, `secretName`)
 * is kept: those values are not secrets and checks read them.
 */
function isSecretKeyName(name: string): boolean {
  const n = name.toLowerCase();
  if (/(file|path|dir|name|ref|type|mode|kind)$/.test(n)) return false;
  return (
    /(pass(word|wd|phrase)?|secret|token|credentials?|identitytoken|api[-_]?key|private[-_]?key|authorization|certificate-authority-data|client-certificate-data)/.test(
      n,
    ) || /(^|[-_.])(key|auth)([-_.]?data)?$/.test(n)
  );
}

const KEY = `[A-Za-z0-9_.-]{1,100}`;
// "key": "value" (also inside a JSON string, with escaped quotes)
const ANY_JSON_PAIR = new RegExp(`(\\\\?"(${KEY})\\\\?"\\s*:\\s*)(\\\\?")((?:[^"\\\\]|\\\\[^"])*?)(\\3)`, 'g');
// key: value (YAML), key = "value" (TOML/INI), one per line
const ANY_YAML_LINE = new RegExp(
  `^(\\s*(?:-\\s+)?["']?(${KEY})["']?[ \\t]*:[ \\t]+)(["']?)([^\\n]*?)\\3([ \\t]*(?:#.*)?)$`,
  'gm',
);
const ANY_TOML_LINE = new RegExp(
  `^(\\s*["']?(${KEY})["']?[ \\t]*=[ \\t]*)(["']?)([^\\n]*?)\\3([ \\t]*(?:#.*)?)$`,
  'gm',
);
// key=value inside free text (logs, events, CNI_ARGS `a=b;password=c`, command lines `--token=x`)
const ANY_KV = new RegExp(`(^|[\\s;,&?({\\[-])(${KEY})=([^\\s;,&"'}\\])]+)`, 'g');
// scheme://user:password@host
const URL_CREDS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi;
const PEM_ANY = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY|[A-Z0-9 ]*CERTIFICATE)-----[\s\S]*?(?:-----END \1-----|$)/g;
const AUTH_SCHEME = /\b(Bearer|Basic)(\s+)(?!REDACTED)[A-Za-z0-9._~+/=-]{8,}/g;

function bump(c: RedactionCounts, kind: string): void {
  c[kind] = (c[kind] ?? 0) + 1;
}

const redactedAlready = (v: string) => v.startsWith('REDACTED');

/**
 * Redact secrets in one string, by key name (in whatever syntax is embedded) and by value shape
 * (PEM blocks, JWTs, `Bearer …`/`Basic …`, URL passwords). Idempotent; counts what it replaced.
 */
export function redactString(text: string, counts: RedactionCounts): string {
  if (text.length < 6) return text;
  // Cheap guards first: a snapshot has many strings and few secrets.
  const lower = text.toLowerCase();
  const named = /pass|secret|token|auth|key|credential|certificate/.test(lower);
  let out = !text.includes('-----BEGIN')
    ? text
    : text.replace(PEM_ANY, (_m, kind: string) => {
        bump(counts, kind.endsWith('PRIVATE KEY') ? 'PEM private keys' : 'PEM certificates');
        return `REDACTED (${kind.toLowerCase()})`;
      });
  if (named)
    out = out.replace(ANY_JSON_PAIR, (m, pre: string, name: string, q: string, value: string, q2: string) => {
      if (!isSecretKeyName(name) || value === '' || redactedAlready(value)) return m;
      bump(counts, `by key name (${name.toLowerCase()})`);
      return `${pre}${q}${tokenMarker(value).marker}${q2}`;
    });
  const line = (m: string, pre: string, name: string, q: string, value: string, post: string) => {
    const v = value.trim();
    if (!isSecretKeyName(name) || v === '' || redactedAlready(v) || /^[{[|>&*]/.test(v) || /^"?REDACTED/.test(v))
      return m;
    bump(counts, `by key name (${name.toLowerCase()})`);
    return `${pre}${q}${tokenMarker(v).marker}${q}${post}`;
  };
  if (named) out = out.replace(ANY_YAML_LINE, line).replace(ANY_TOML_LINE, line);
  if (named)
    out = out.replace(ANY_KV, (m, pre: string, name: string, value: string) => {
      if (!isSecretKeyName(name.replace(/^-+/, '')) || redactedAlready(value)) return m;
      bump(counts, `by key name (${name.replace(/^-+/, '').toLowerCase()})`);
      return `${pre}${name}=REDACTED`;
    });
  if (out.includes('@'))
    out = out.replace(URL_CREDS, (_m, pre: string, _pw: string, at: string) => {
      bump(counts, 'passwords in URLs');
      return `${pre}REDACTED${at}`;
    });
  if (out.includes('eyJ'))
    out = out.replace(JWT_ANYWHERE, (m) => {
      bump(counts, 'JWTs');
      return tokenMarker(m).marker;
    });
  if (/bearer|basic/.test(lower))
    out = out.replace(AUTH_SCHEME, (_m, scheme: string, sp: string) => {
      bump(counts, `${scheme} credentials`);
      return `${scheme}${sp}REDACTED`;
    });
  return out;
}

/**
 * Redact every string in a value (a snapshot: NAD configs, annotations, file contents, logs,
 * events, errors), in place of a copy. Object keys are the snapshot's own structure and are kept.
 */
export function redactDeep<T>(value: T, counts: RedactionCounts): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactString(v, counts);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = Object.create(
        Object.getPrototypeOf(v) === null ? null : Object.prototype,
      ) as Record<string, unknown>;
      for (const [k, x] of Object.entries(v))
        Object.defineProperty(out, k, { value: walk(x), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/** "7 values: 5 values of secret-named keys (password), 1 JWTs, …" (or "none found") for sysdump's summary. */
export function describeRedactions(c: RedactionCounts): string {
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  if (total === 0) return 'none found';
  const parts = Object.entries(c)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${n} ${k}`);
  return `${total} value${total === 1 ? '' : 's'}: ${parts.join(', ')}`;
}
