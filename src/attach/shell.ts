/**
 * POSIX shell quoting for the commands we print (`kubectl patch …`). Every word that is not made
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
