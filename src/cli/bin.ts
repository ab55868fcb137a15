/** Process entry point: run the CLI and set the exit code (letting stdout drain, unlike process.exit). */
import { fastPath } from './fast-path.js';
import { guardClosedStdout, stdoutClosed } from './stdout-closed.js';

guardClosedStdout();
const argv = process.argv.slice(2);
const quick = fastPath(argv, process.env, new URL('./help.txt', import.meta.url));
if (quick !== undefined) {
  process.exitCode = quick;
} else {
  import('./main.js')
    .then((m) => m.main(argv))
    .then(
      (code) => {
        // The reader went away (`… | head`): what it wanted, it got; end quietly like kubectl.
        process.exitCode = stdoutClosed() ? 0 : code;
      },
      (e) => {
        process.stderr.write(`error: ${(e as Error)?.message ?? e}\n`);
        process.exitCode = 2;
      },
    );
}
