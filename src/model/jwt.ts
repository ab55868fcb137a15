/**
 * Read only the `exp` claim of a JWT (a service-account token in multus.d/multus.kubeconfig) so
 * that an expiry can be reported without the token ever leaving the node or entering a snapshot.
 * The signature is not checked: this is for telling a person "it has expired", nothing else.
 */

function base64UrlDecode(s: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(s)) return undefined;
  try {
    return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  } catch {
    return undefined;
  }
}

/** The `exp` claim (Unix seconds) of a compact JWT, or undefined when it is not one or has none. */
export function jwtExp(token: string): number | undefined {
  const parts = token
    .trim()
    .replace(/^["']|["']$/g, '')
    .split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  const json = base64UrlDecode(parts[1]);
  if (json === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(json);
    const exp = claims && typeof claims === 'object' ? (claims as Record<string, unknown>)['exp'] : undefined;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `exp` of the first `token:` in a kubeconfig text (YAML, quoted or not): a raw JWT, or the
 * redaction marker `REDACTED:jwt:exp=<unix seconds>` that snapshots carry instead of the token.
 */
export function kubeconfigTokenExp(text: string): number | undefined {
  for (const m of text.matchAll(/^\s*token:\s*(\S+)\s*$/gm)) {
    const v = m[1]!.replace(/^["']|["']$/g, '');
    const marker = /^REDACTED:jwt:exp=(\d+)$/.exec(v);
    const exp = marker ? Number(marker[1]) : jwtExp(v);
    if (exp !== undefined) return exp;
  }
  return undefined;
}
