/** Process entry point: run the CLI and set the exit code (letting stdout drain, unlike process.exit). */
import { fastPath } from './fast-path.js';
import { guardClosedStdout, stdoutClosed } from './stdout-closed.js';

guardClosedStdout();
const argv = process.argv.slice(2);
const quick = fastPath(argv, process.env, new URL('./help.txt', import.meta.url));
if (quick !== undefined) {
  process.exitCode = quick;
} else {
  let finished = false;
  // Nothing left to wait on but no result either (a promise nobody will settle): never end
  // silently with exit 0 — say so and exit 2.
  process.on('beforeExit', () => {
    if (finished) return;
    finished = true;
    process.stderr.write(
      'error: internal: the command stopped without a result (please report this: docs/security.md)\n',
    );
    process.exit(2);
  });
  import('./main.js')
    .then((m) => m.main(argv))
    .finally(() => (finished = true))
    .then(
      (code) => {
        // The reader went away (`… | head`): what it wanted, it got; end quietly like kubectl.
        const exitCode = stdoutClosed() ? 0 : code;
        process.exitCode = exitCode;
        // The command is done and its cleanup awaited. A socket a peer never answered (an exec
        // WebSocket upgrade left pending, a stuck credential plugin's pipe) must not keep the
        // process alive after the report: exit once stdout and stderr are flushed.
        process.stdout.write('', () => process.stderr.write('', () => process.exit(exitCode)));
      },
      (e) => {
        process.stderr.write(`error: ${(e as Error)?.message ?? e}\n`);
        process.exitCode = 2;
      },
    );
}
