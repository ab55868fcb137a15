/**
 * Startup fast path. `version`, `--version` and the top-level `--help` are what people (and
 * kubectl's plugin machinery) run most often and expect to be instant; loading yargs and the
 * command modules costs more than Node's own start. So these few exact invocations are answered
 * here without importing anything heavy. Everything else goes through the full CLI.
 * The help text is produced by the real yargs parser at build time (scripts/build.mjs writes
 * dist/cli/help.txt); test/fast-path.test.ts checks that both paths print the same.
 */
import { readFileSync } from 'node:fs';
import { VERSION } from '../version.js';
import { runVersion } from './version.js';

const HELP_FLAGS = new Set(['--help', '-h', 'help']);

/** Returns the exit code when the invocation was answered here, undefined otherwise. */
export function fastPath(argv: string[], env: NodeJS.ProcessEnv, helpFile: URL): number | undefined {
  if (env['KUBECTL_MULTUS_NO_FASTPATH']) return undefined;
  const out = (s: string): void => {
    process.stdout.write(s);
  };
  if (argv.length === 1 && argv[0] === 'version') {
    // runVersion only writes to io.out; the rest of Io (stdin, env…) is never touched here.
    return runVersion({ out } as unknown as Parameters<typeof runVersion>[0], 'text');
  }
  if (argv.length === 1 && argv[0] === '--version') {
    out(`${VERSION}\n`);
    return 0;
  }
  if (argv.length === 1 && HELP_FLAGS.has(argv[0]!)) {
    let text: string;
    try {
      text = readFileSync(helpFile, 'utf8');
    } catch {
      return undefined; // no prebuilt help (tests from source, single executable): use yargs
    }
    out(text);
    return 0;
  }
  return undefined;
}
