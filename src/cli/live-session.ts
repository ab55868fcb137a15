/** What every probe-side command shares about a live run: progress hooks, and how a run ends early. */
import { KubeconfigError } from '../cluster/kubeconfig.js';
import { ClusterError } from '../cluster/errors.js';
import { EXIT_INCOMPLETE } from './exit.js';
import { escapeTerminal } from '../report/escape.js';
import type { Io } from './io.js';
import { Interrupted, interruptedMessage, type LiveHooks } from '../collect/live.js';

export function liveHooks(io: Io, verbose: boolean): LiveHooks {
  const stderrTTY = !!process.stderr.isTTY;
  return { env: io.env, err: io.err, progress: verbose || stderrTTY, tty: stderrTTY && !verbose, verbose };
}

/** The failures that end a run before anything was probed, as one line and an exit code. */
export function endOfRun(io: Io, e: unknown, interrupted = 'the test pods were deleted'): number {
  if (e instanceof Interrupted) {
    io.err(`${interruptedMessage(e, interrupted)}\n`);
    return 130;
  }
  if (e instanceof KubeconfigError || e instanceof ClusterError) {
    io.err(`error: ${escapeTerminal(e.message)}\n`);
    return EXIT_INCOMPLETE;
  }
  throw e;
}
