/**
 * `kubectl multus probe NAD`: open a session, read the NAD and the nodes, run the test pods,
 * judge them with the probe checks, and report through the normal reporters (plus the per-pod
 * table). Ctrl-C/SIGTERM abort the run; the pods are deleted before we exit with 130.
 */
import type { CollectionError, Snapshot } from '../snapshot/types.js';
import { snapshot } from '../snapshot/build.js';
import type { ClusterFlags } from '../cluster/kubeconfig.js';
import { runChecks, exitCodeFor, type FailOn } from '../engine.js';
import { probeChecks } from '../checks/probe/index.js';
import { ALL_CHECKS } from '../checks/index.js';
import { VERSION } from '../version.js';
import { escapeTerminal } from '../report/escape.js';
import { loadToolConfig } from './config-file.js';
import { validateIgnoreIds } from './common.js';
import { renderColumns } from '../report/columns.js';
import { reporterFor } from '../report/reporters.js';
import { EXIT_INCOMPLETE, EXIT_USAGE } from './exit.js';
import { useColor, type Io } from './io.js';
import type { OutputFormat } from './formats.js';
import { newRunId, withSession } from '../collect/live.js';
import { endOfRun, liveHooks } from './live-session.js';
import { readClusterContext, readNad, type ClusterContext } from '../probe/cluster-context.js';
import { chooseNodes } from '../probe/nodes.js';
import { planPods, planProblem, runProbe, type ProbeRun } from '../probe/run.js';
import { podRows, pingRows, renderTables } from '../probe/render.js';
import { deadlineSeconds, type ProbeRequest } from '../probe/request.js';

export interface ProbeCommandArgs {
  request: ProbeRequest;
  flags: ClusterFlags;
  output: OutputFormat;
  ignore: string[];
  failOn?: FailOn;
  color?: boolean;
  config?: string;
  verbose: boolean;
}

type Outcome =
  | { kind: 'done'; run: ProbeRun; ctx: ClusterContext; snapshot: Snapshot; notes: string[] }
  | { kind: 'stop'; code: number; message: string };

function probeSnapshot(
  ctx: ClusterContext,
  run: ProbeRun,
  nads: Snapshot['nads'],
  extraErrors: CollectionError[] = [],
): Snapshot {
  const s: Snapshot = snapshot({
    collectedAt: new Date().toISOString(),
    producer: `kubectl-multus ${VERSION}`,
    cluster: ctx.cluster,
    nads,
    probes: [run.result],
    errors: [...run.errors, ...extraErrors],
  });
  if (ctx.nodes) s.nodes = ctx.nodes;
  if (ctx.multus) s.multus = ctx.multus;
  return s;
}

export function leftoverError(leftovers: string[]): CollectionError[] {
  if (!leftovers.length) return [];
  return [
    {
      collector: 'probe/cleanup',
      message: `could not delete test pods ${leftovers.join(', ')}; they stop by themselves (activeDeadlineSeconds); remove them with: kubectl multus cleanup`,
    },
  ];
}

export async function runProbeCommand(io: Io, a: ProbeCommandArgs): Promise<number> {
  const cfg = loadToolConfig(a.config, io.cwd);
  const ignore = validateIgnoreIds([...cfg.ignore, ...a.ignore]);
  const req = a.request;
  let outcome: Outcome | undefined;
  try {
    outcome = await withSession(
      a.flags,
      liveHooks(io, a.verbose),
      0,
      async (session, signal, progress, _timedOut, onFatal): Promise<Outcome | undefined> => {
        try {
          const namespace = req.nad.namespace ?? session.spec.namespace;
          const nadRef = { namespace, name: req.nad.name };
          progress(`reading NetworkAttachmentDefinition ${namespace}/${req.nad.name} and the nodes`);
          const [nad, ctx] = await Promise.all([
            readNad(session, namespace, req.nad.name, signal),
            readClusterContext(session, signal, onFatal),
          ]);
          if (!nad) {
            return {
              kind: 'stop',
              code: EXIT_INCOMPLETE,
              message: `NetworkAttachmentDefinition "${req.nad.name}" not found in namespace "${namespace}" (\`kubectl multus nads -A\` lists them; -n picks the namespace)`,
            };
          }
          const choice = chooseNodes(ctx.nodes, { named: req.nodes, all: req.allNodes, prefer: req.preferNodes });
          if ('error' in choice) return { kind: 'stop', code: EXIT_USAGE, message: choice.error };
          if (req.macs.length > choice.nodes.length || req.ips.length > choice.nodes.length) {
            return {
              kind: 'stop',
              code: EXIT_USAGE,
              message: `${req.macs.length > choice.nodes.length ? '--mac' : '--ip'} gives more values than there are test pods (${choice.nodes.length}): one per pod, in order`,
            };
          }
          const runId = newRunId();
          const plans = planPods(nadRef, choice.nodes, req, runId);
          const problem = planProblem(nad, plans);
          if (problem) return { kind: 'stop', code: EXIT_USAGE, message: problem };
          const run = await runProbe({ session, runId, signal, progress }, nadRef, plans, req);
          return {
            kind: 'done',
            run,
            ctx,
            snapshot: probeSnapshot(ctx, run, [nad], leftoverError(run.leftovers)),
            notes: choice.notes,
          };
        } catch (e) {
          // Cancelled mid-way: the pods are already deleted; withSession reports the interruption.
          if (signal.aborted) return undefined;
          throw e;
        }
      },
    );
  } catch (e) {
    return endOfRun(io, e);
  }
  if (!outcome) return 130;
  if (outcome.kind === 'stop') {
    io.err(`error: ${escapeTerminal(outcome.message)}\n`);
    return outcome.code;
  }
  for (const n of outcome.notes) io.err(`note: ${escapeTerminal(n)}\n`);
  const code = report(io, [outcome.snapshot], {
    ...a,
    ignore,
    objectIgnores: cfg.objects,
    failOn: a.failOn ?? cfg.failOn ?? 'error',
  });
  if (outcome.run.kept.length) {
    io.err(
      `kept test pods (--keep): ${outcome.run.kept.join(', ')}; they stop by themselves after ${deadlineSeconds(req.timeoutMs)}s (activeDeadlineSeconds); remove them now with: kubectl multus cleanup\n`,
    );
  }
  return code;
}

/** Findings of the probe checks for the snapshots, with the per-pod table in front (human) or alongside (json/yaml). */
function report(
  io: Io,
  snapshots: Snapshot[],
  o: {
    output: OutputFormat;
    color?: boolean;
    ignore: string[];
    objectIgnores: ReturnType<typeof loadToolConfig>['objects'];
    failOn: FailOn;
  },
): number {
  const findings = [];
  const errors: CollectionError[] = [];
  let analysis;
  for (const s of snapshots) {
    const r = runChecks(s, { ignore: o.ignore, objectIgnores: o.objectIgnores, checks: probeChecks });
    findings.push(...r.findings);
    errors.push(...r.errors);
    analysis = r.analysis;
  }
  const results = snapshots.flatMap((s) => s.probes ?? []);
  const pods = podRows(results, findings);
  const pings = pingRows(results);
  const tty = io.stdoutIsTTY;
  const n = pods.length;
  io.out(
    reporterFor(o.output).render({
      findings,
      errors,
      analysis,
      extra: { probes: { pods, pings } },
      preamble: pods.length
        ? renderTables(pods, pings, { tty, columns: renderColumns, multiNad: results.length > 1 }) + '\n'
        : '',
      checks: ALL_CHECKS,
      version: VERSION,
      cwd: io.cwd,
      color: useColor(io, o.color),
      tty,
      chain: false,
      scopeNote: `${n} test pod${n === 1 ? '' : 's'} for ${results.length} NAD${results.length === 1 ? '' : 's'}`,
    }),
  );
  return exitCodeFor(findings, errors, o.failOn);
}
