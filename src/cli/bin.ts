/** Process entry point: run the CLI and set the exit code (letting stdout drain, unlike process.exit). */
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`error: ${(e as Error)?.message ?? e}\n`);
    process.exitCode = 2;
  },
);
