/**
 * Text that came from the cluster or from files can carry terminal escape sequences. Strip C0/C1
 * control characters (keeping newline and tab) before anything reaches a terminal.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function escapeTerminal(s: string): string {
  return s.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
