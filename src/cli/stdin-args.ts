/**
 * yargs reads a lone `-` after a flag as the start of another flag, so `lint -f -` and
 * `check --snapshot -` failed with "Unknown argument: -". Glue such a `-` to its flag
 * (`-f=-`), which yargs parses as the value "-" (stdin).
 */
const TAKES_STDIN = new Set(['-f', '--filename', '--snapshot']);

export function glueStdinArgs(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (TAKES_STDIN.has(a) && argv[i + 1] === '-') {
      out.push(`${a}=-`);
      i++;
    } else out.push(a);
  }
  return out;
}
