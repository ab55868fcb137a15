/**
 * Commands that read a snapshot or talk to a cluster. Each registers itself here; the heavy
 * modules behind them are imported inside the handler (lazy), never at the top.
 */
import type { Argv } from 'yargs';
import type { CommandContext } from './io.js';
import type { InspectionArgs } from './inspection-args.js';
import type { OutputFormat } from './output.js';
import { LIST_FORMATS } from './formats.js';
import type { FailOn } from '../engine.js';
import type { ClusterFlags } from '../cluster/kubeconfig.js';
import { UsageError } from './exit.js';
import { DEFAULT_INSPECTOR_IMAGE } from '../collect/images.js';
import { parseDuration } from '../cluster/duration.js';
import { registerAttachCommands } from './attach.js';
import { registerProbeCommand } from './probe.js';
import { registerCleanupCommand } from './cleanup.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FindingOptions = <T>(y: Argv<T>) => Argv<any>;

/** kubectl's own connection flags, with kubectl's names and meanings. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function clusterOptions<T>(y: Argv<T>): Argv<any> {
  return y
    .option('kubeconfig', {
      type: 'string',
      group: 'Cluster:',
      describe: 'Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)',
    })
    .option('context', { type: 'string', group: 'Cluster:', describe: 'Kubeconfig context to use' })
    .option('cluster', { type: 'string', group: 'Cluster:', describe: 'Kubeconfig cluster to use' })
    .option('user', { type: 'string', group: 'Cluster:', describe: 'Kubeconfig user to use' })
    .option('namespace', { alias: 'n', type: 'string', group: 'Cluster:', describe: 'Namespace' })
    .option('all-namespaces', { alias: 'A', type: 'boolean', group: 'Cluster:', describe: 'All namespaces' })
    .option('server', { alias: 's', type: 'string', group: 'Cluster:', describe: 'Address of the API server' })
    .option('token', { type: 'string', group: 'Cluster:', describe: 'Bearer token for the API server' })
    .option('as', { type: 'string', group: 'Cluster:', describe: 'User to impersonate' })
    .option('as-group', {
      type: 'string',
      array: true,
      group: 'Cluster:',
      describe: 'Group to impersonate (repeatable)',
    })
    .option('insecure-skip-tls-verify', {
      type: 'boolean',
      group: 'Cluster:',
      describe: "Don't verify the server's certificate (test clusters only)",
    })
    .option('request-timeout', {
      type: 'string',
      default: '30s',
      group: 'Cluster:',
      describe: 'Timeout of one API request (0 = none; 30s, 1m)',
    })
    .option('verbose', {
      alias: 'v',
      type: 'boolean',
      default: false,
      describe: 'Progress and run statistics on stderr',
    });
}

/** Options of commands that inspect nodes (check, sysdump). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function inspectionOptions<T>(y: Argv<T>): Argv<any> {
  return y
    .option('inspect-nodes', {
      choices: ['auto', 'always', 'never'] as const,
      default: 'auto' as const,
      group: 'Node inspection:',
      describe:
        'auto: exec into the multus pod, fall back to a node-inspector pod; always: node-inspector pods; never: no exec',
    })
    .option('image', {
      type: 'string',
      default: DEFAULT_INSPECTOR_IMAGE,
      group: 'Node inspection:',
      describe: 'Image of the node-inspector pod (mirror it for air-gapped clusters)',
    })
    .option('inspector-namespace', {
      type: 'string',
      group: 'Node inspection:',
      describe: "Namespace for node-inspector pods [default: the multus DaemonSet's]",
    })
    .option('print-images', {
      type: 'boolean',
      default: false,
      group: 'Node inspection:',
      describe: 'Print the images this command may run, and exit',
    })
    .option('concurrency', {
      type: 'number',
      default: 10,
      group: 'Node inspection:',
      describe: 'Nodes inspected in parallel',
    })
    .option('exec-timeout', {
      type: 'string',
      default: '30s',
      group: 'Node inspection:',
      describe: 'Timeout of one node inspection exec',
    })
    .option('timeout', {
      type: 'string',
      default: '5m',
      group: 'Node inspection:',
      describe: 'Timeout of the whole collection (0 = none)',
    });
}

function duration(name: string, v: unknown): number {
  if (v === undefined) return 0;
  const t = parseDuration(String(v), name);
  if (t === undefined) throw new UsageError(`invalid --${name} "${String(v)}": use a duration like 30s, 2m or 0`);
  return t;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function clusterFlags(a: any): ClusterFlags {
  if (a.namespace !== undefined && a['all-namespaces'])
    throw new UsageError('-n/--namespace and -A/--all-namespaces cannot be used together');
  const groups = (a['as-group'] as string[] | undefined)?.flatMap((g) => g.split(',')).filter(Boolean);
  return {
    kubeconfig: a.kubeconfig,
    context: a.context,
    cluster: a.cluster,
    user: a.user,
    namespace: a.namespace,
    server: a.server,
    token: a.token,
    insecureSkipTlsVerify: a['insecure-skip-tls-verify'],
    as: a.as,
    asGroup: groups,
    requestTimeoutMs: duration('request-timeout', a['request-timeout']),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function inspectionArgs(a: any): InspectionArgs {
  const concurrency = Number(a.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new UsageError(`invalid --concurrency ${String(a.concurrency)}: use a whole number ≥ 1`);
  const execTimeoutMs = duration('exec-timeout', a['exec-timeout']);
  if (execTimeoutMs <= 0) throw new UsageError('--exec-timeout must be greater than 0');
  return {
    inspectNodes: a['inspect-nodes'] as 'auto' | 'always' | 'never',
    image: a.image as string,
    inspectorNamespace: a['inspector-namespace'] as string | undefined,
    printImages: a['print-images'] as boolean,
    concurrency,
    execTimeoutMs,
    timeoutMs: duration('timeout', a.timeout),
  };
}

/**
 * The cluster commands, registered in the order `--help` lists them (yargs keeps registration
 * order): check (the main job), status, nads, probe, attach, detach, then `offline(y)` adds
 * main.ts's lint and explain, then sysdump and cleanup (main.ts adds completion and version).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- yargs builders accept any command's Argv */
export function registerClusterCommands(
  y: Argv<any>,
  ctx: CommandContext,
  findingOptions: FindingOptions,
  offline: (y: Argv<any>) => Argv<any>,
): Argv<any> {
  /* eslint-enable @typescript-eslint/no-explicit-any */
  let r = registerCheckStatusNads(y, ctx, findingOptions);
  r = registerProbeCommand(r, ctx, clusterOptions, clusterFlags, findingOptions);
  r = registerAttachCommands(r, ctx, clusterOptions, clusterFlags);
  r = offline(r);
  r = registerSysdumpCommand(r, ctx);
  return registerCleanupCommand(r, ctx, clusterOptions, clusterFlags);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function registerCheckStatusNads(y: Argv<any>, ctx: CommandContext, findingOptions: FindingOptions): Argv<any> {
  return y
    .command(
      'check',
      'Diagnose Multus on the cluster (or on a saved snapshot with --snapshot)',
      (y) =>
        inspectionOptions(clusterOptions(findingOptions(y)))
          .option('snapshot', {
            type: 'string',
            describe: 'Check a saved snapshot (from `sysdump`) instead of the live cluster',
          })
          .option('probe', {
            type: 'boolean',
            default: false,
            describe:
              'Also probe every NAD that running pods use with two test pods (see `probe`; --image is their image)',
          })
          .option('probe-timeout', {
            type: 'string',
            default: '60s',
            describe: 'With --probe: how long to wait for the test pods to run',
          })
          .example('$0 check', 'Diagnose the cluster of the current kubectl context')
          .example('$0 check -n apps -o json', "Only apps' pods and workloads (NADs of every namespace are still read)")
          .example('$0 check --snapshot bundle.json', 'Diagnose a saved snapshot offline'),
      async (a) => {
        const { runCheck } = await import('./check.js');
        const live = a.snapshot
          ? undefined
          : {
              flags: clusterFlags(a),
              inspection: inspectionArgs(a),
              allNamespaces: !!a['all-namespaces'],
              verbose: !!a.verbose,
              ...(a.probe
                ? { probe: { image: a.image as string, timeoutMs: duration('probe-timeout', a['probe-timeout']) } }
                : {}),
            };
        ctx.setCode(
          await runCheck(ctx.io, {
            snapshot: a.snapshot as string | undefined,
            output: a.output as OutputFormat,
            ignore: a.ignore as string[],
            failOn: a['fail-on'] as FailOn | undefined,
            color: a.color as boolean | undefined,
            config: a.config as string | undefined,
            printImages: a['print-images'] as boolean,
            image: a.image as string,
            live,
          }),
        );
      },
    )
    .command(
      'status',
      "Each pod's network interfaces from multus's network-status, and pods missing requested networks",
      (y) =>
        clusterOptions(y)
          .option('output', { alias: 'o', choices: LIST_FORMATS, default: 'table' as const, describe: 'Output format' })
          .example('$0 status -A', 'Every pod with secondary networks, in every namespace'),
      async (a) => {
        const { runStatus } = await import('./status.js');
        ctx.setCode(
          await runStatus(ctx.io, {
            flags: clusterFlags(a),
            allNamespaces: !!a['all-namespaces'],
            output: a.output,
            color: a.color as boolean | undefined,
            verbose: !!a.verbose,
          }),
        );
      },
    )
    .command(
      'nads',
      'NetworkAttachmentDefinitions with plugin, master, IPAM, range, and the workloads that use each',
      (y) =>
        clusterOptions(y)
          .option('output', { alias: 'o', choices: LIST_FORMATS, default: 'table' as const, describe: 'Output format' })
          .example('$0 nads -A', 'Every NAD in the cluster'),
      async (a) => {
        const { runNads } = await import('./nads.js');
        ctx.setCode(
          await runNads(ctx.io, {
            flags: clusterFlags(a),
            allNamespaces: !!a['all-namespaces'],
            output: a.output,
            color: a.color as boolean | undefined,
            verbose: !!a.verbose,
          }),
        );
      },
    );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function registerSysdumpCommand(y: Argv<any>, ctx: CommandContext): Argv<any> {
  return y.command(
    'sysdump',
    'Save a redacted snapshot of the cluster for `check --snapshot` or a bug report',
    (y) =>
      inspectionOptions(clusterOptions(y))
        .option('output', {
          alias: 'o',
          type: 'string',
          describe: 'File to write (- for stdout)',
          demandOption: 'give the output file with -o FILE',
        })
        .option('logs', { type: 'boolean', default: false, describe: 'Add the last log lines of every multus pod' })
        .option('log-lines', { type: 'number', default: 100, describe: 'Log lines per pod with --logs' })
        .option('force', { type: 'boolean', default: false, describe: 'Replace the output file if it exists' })
        .example('$0 sysdump -o bundle.json --logs', 'Save everything check looks at, with multus logs'),
    async (a) => {
      const { runSysdump } = await import('./sysdump.js');
      ctx.setCode(
        await runSysdump(ctx.io, {
          file: a.output as string,
          logs: !!a.logs,
          logLines: Number(a['log-lines']),
          flags: clusterFlags(a),
          inspection: inspectionArgs(a),
          verbose: !!a.verbose,
          force: !!a.force,
        }),
      );
    },
  );
}
