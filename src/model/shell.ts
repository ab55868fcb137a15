/**
 * POSIX shell quoting for the commands we print (`kubectl patch …` from attach, the fixes of checks). Every word that is not made
 * only of characters no shell treats specially is single-quoted, with `'` written as `'\''`, so a
 * pasted command passes exactly these words whatever names or values it carries.
 */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(word: string): string {
  if (word !== '' && SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shellCommand(argv: string[]): string {
  return argv.map(shellQuote).join(' ');
}

/**
 * Not quoting: a Kubernetes object name (DNS-1123 subdomain) as is, anything else as a placeholder
 * the reader fills in. Fix texts of the pod checks name objects from manifests that may be
 * malformed; a placeholder reads better there than a quoted oddity.
 */
export function safeNameOr(name: string, placeholder = '<name>'): string {
  return /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) && name.length <= 253 ? name : placeholder;
}
