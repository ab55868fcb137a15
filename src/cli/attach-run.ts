/**
 * `kubectl multus attach|detach` end to end: open the session, run the operation, print the
 * change (or the refusal), the resulting object with -o, and with --wait the verification.
 * Exit codes: 0 done or nothing to do, 1 refused or verification failed, 2 cluster error.
 */
import { randomBytes } from 'node:crypto';
import { renderObject } from '../report/reporters.js';
import type { ObjectFormat } from '../report/formats.js';
import type { ClusterFlags } from '../cluster/kubeconfig.js';
import { collectForCommand } from './check.js';
import { useColor, type Io } from './io.js';
import { EXIT_FINDINGS, EXIT_OK } from './exit.js';
import { collectorNeighbours, runOperation, type DryRun, type Operation, type Outcome } from '../attach/apply.js';
import { paint, renderOutcome, renderRefusal, renderVerification } from '../attach/render.js';
import type { Target } from '../attach/kinds.js';

export interface CommandArgs {
  target: Target;
  flags: ClusterFlags;
  action: Operation['action'];
  dryRun: DryRun;
  output?: ObjectFormat;
  wait: boolean;
  timeoutMs: number;
  color?: boolean;
  verbose: boolean;
  /** Global flags repeated in printed commands. */
  kubectlFlags: string[];
}

export async function runAttachCommand(io: Io, a: CommandArgs): Promise<number> {
  const c = paint(useColor(io, a.color));
  // With -o the object owns stdout (for pipes); the human account goes to stderr.
  const human = a.output ? io.err : io.out;
  // Set once the API server has stored the change: an interruption after that (also during
  // --wait) must still say what was written, on stdout, so CI logs hold it.
  let written: Exclude<Outcome, { status: 'refused' }> | undefined;
  const r = await collectForCommand(
    io,
    a.flags,
    a.verbose,
    (flags, hooks, live) =>
      live.withSession(flags, hooks, 0, async (session, signal, progress) => {
        const { CollectContext } = await import('../collect/context.js');
        const namespace = session.spec.namespace;
        const ctx = () => CollectContext.listOnly(session.client, session.exec, { namespace, signal, progress });
        const outcome = await runOperation(
          { target: a.target, namespace, action: a.action, dryRun: a.dryRun, kubectlFlags: a.kubectlFlags },
          { client: session.client, random: (n) => randomBytes(n), progress, neighbours: collectorNeighbours(ctx) },
        );
        if (outcome.status === 'refused') return { outcome };
        if (outcome.status === 'patched') written = outcome;
        if (!a.wait || outcome.status !== 'patched') return { outcome };
        const { waitAndVerify } = await import('../attach/wait.js');
        const verdict = await waitAndVerify(session.client, a.target, namespace, outcome.plan, outcome.object, {
          timeoutMs: a.timeoutMs,
          pollMs: 2000,
          signal,
          progress,
        });
        return { outcome, verdict };
      }),
    'nothing else was running',
  );
  if (typeof r === 'number') {
    if (written) {
      io.out(renderOutcome(written, c));
      io.out(renderObject(a.output ?? 'yaml', written.object));
      io.err(
        `interrupted after the change was written: ${a.target.kind.display}/${a.target.name} has it (printed on stdout); undo it with \`kubectl multus ${a.action.verb === 'attach' ? 'detach' : 'attach'}\`\n`,
      );
    }
    return r;
  }
  const { outcome } = r;
  if (outcome.status === 'refused') {
    io.err(renderRefusal(a.action.verb, outcome.result.ref, outcome.result.refusals, outcome.result.notes, c));
    return EXIT_FINDINGS;
  }
  human(renderOutcome(outcome, c));
  if (a.output) io.out(renderObject(a.output, outcome.object));
  if (a.wait && outcome.status !== 'patched')
    human(`not waiting: ${outcome.status === 'unchanged' ? 'nothing changed' : 'nothing was written (dry run)'}\n`);
  const v = 'verdict' in r ? r.verdict : undefined;
  if (!v) return EXIT_OK;
  if (v.skipped) {
    human(`not waiting: ${v.skipped}\n`);
    return EXIT_OK;
  }
  human(renderVerification(v.checks, v.findings, c));
  return v.findings.some((f) => f.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}
