/**
 * The CLI: a thin yargs layer that parses flags, runs one command, and returns its exit code.
 * Commands that talk to a cluster import their modules lazily so `lint`, `--help` and `version`
 * never load @kubernetes/client-node.
 */
import yargs, { type Argv } from 'yargs';
import { EXIT_INCOMPLETE, EXIT_USAGE, InputError, UsageError } from './exit.js';
import { processIo, type CommandContext, type Io } from './io.js';
import { OUTPUT_FORMATS, type OutputFormat } from './formats.js';
import { VERSION } from '../version.js';
import type { FailOn } from '../engine.js';
import { escapeTerminal } from '../report/escape.js';
import { registerClusterCommands } from './cluster-commands.js';
import { glueStdinArgs } from './stdin-args.js';
import { DurationTooLong } from '../cluster/duration.js';
import { COMPLETE_COMMAND, registerCompletionCommand, runComplete } from './completion.js';

const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;

function findingOptions<T>(y: Argv<T>) {
  return y
    .option('output', {
      alias: 'o',
      choices: OUTPUT_FORMATS,
      default: 'table' as OutputFormat,
      describe: 'Output format',
    })
    .option('ignore', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'Check ids to skip (comma-separated or repeated)',
    })
    .option('fail-on', { choices: FAIL_ON, describe: 'Lowest severity that makes the exit code 1 [default: error]' })
    .option('config', {
      type: 'string',
      describe: 'Config file with ignores and failOn [default: ./.kubectl-multus.yaml]',
    });
}

/** yargs middleware: every repeated flag not declared as an array keeps its last value. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function lastValueWins(argv: Record<string, unknown>, y: any): void {
  const arrays = new Set<string>((y?.getOptions?.().array as string[] | undefined) ?? []);
  for (const k of Object.keys(argv)) {
    const v = argv[k];
    if (k === '_' || k === '$0' || !Array.isArray(v) || arrays.has(k)) continue;
    argv[k] = v[v.length - 1];
  }
}

function buildParser(argv: string[], ctx: CommandContext) {
  const { io } = ctx;
  let y = yargs(glueStdinArgs(argv))
    .scriptName('kubectl multus')
    .usage(
      '$0 <command> [flags]\n\nExplains why Multus CNI is not giving your pods a second network interface, and how to fix it.',
    )
    .option('color', { type: 'boolean', describe: 'Colour output (default: on a TTY; NO_COLOR disables)' })
    // A single-valued flag given twice (`--fail-on error --fail-on error`, `-o json -o json`)
    // reaches us as an array, which no command expects: take the last value, as kubectl does.
    // Flags declared `array: true` (-f, --ignore, --node …) keep every value.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    .middleware(lastValueWins as any, true);
  // `--help` lists the commands in registration order, kubectl style: the main job first.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const offline = (y: Argv<any>) =>
    y
      .command(
        'lint',
        'Lint NetworkAttachmentDefinitions and pod manifests offline (no cluster needed)',
        (y) =>
          findingOptions(y)
            .option('filename', {
              alias: 'f',
              type: 'string',
              array: true,
              demandOption: 'give at least one -f FILE|DIR|-',
              describe: 'File, directory, or - for stdin (repeatable)',
            })
            .option('recursive', {
              alias: 'R',
              type: 'boolean',
              default: false,
              describe: 'Process directories recursively',
            })
            .example('$0 lint -f nads/', 'Lint every manifest in nads/')
            .example('helm template ./chart | $0 lint -f - -o sarif', 'Lint rendered Helm output for code scanning'),
        async (a) => {
          const { runLint } = await import('./lint.js');
          ctx.setCode(
            await runLint(io, {
              filename: a.filename as string[],
              recursive: a.recursive,
              output: a.output as OutputFormat,
              ignore: a.ignore as string[],
              failOn: a['fail-on'] as FailOn | undefined,
              color: a.color,
              config: a.config,
            }),
          );
        },
      )
      .command(
        'explain [check-id]',
        "Show a check's page: what it means, why, and the fix per distribution",
        (y) =>
          y
            .positional('check-id', { type: 'string', describe: 'Check id, e.g. multus-conf-wrong-dir' })
            .option('list', { type: 'boolean', default: false, describe: 'List every check' })
            .option('output', { alias: 'o', choices: ['text', 'json'] as const, default: 'text' as const }),
        async (a) => {
          const { runExplain } = await import('./explain.js');
          ctx.setCode(runExplain(io, a['check-id'], a.list, a.output));
        },
      );
  y = registerClusterCommands(y, ctx, findingOptions, offline);
  y = registerCompletionCommand(y, ctx);
  y = y.command(
    'version',
    'Print the plugin version (and with --cluster, the multus version running on the cluster)',
    (y) =>
      y
        .option('output', { alias: 'o', choices: ['text', 'json'] as const, default: 'text' as const })
        .option('cluster', {
          type: 'boolean',
          default: false,
          describe: 'Also detect the multus version on the cluster',
        })
        .option('kubeconfig', { type: 'string', describe: 'Path to the kubeconfig file (with --cluster)' })
        .option('context', { type: 'string', describe: 'Kubeconfig context to use (with --cluster)' }),
    async (a) => {
      if (a.cluster) {
        const { runVersionCluster } = await import('./version-cluster.js');
        ctx.setCode(await runVersionCluster(io, { output: a.output, kubeconfig: a.kubeconfig, context: a.context }));
        return;
      }
      const { runVersion } = await import('./version.js');
      ctx.setCode(runVersion(io, a.output));
    },
  );
  return y
    .demandCommand(1, 'Choose a command (see --help)')
    .recommendCommands()
    .strict()
    .version(VERSION)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(100, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      if (err && !(err instanceof UsageError) && !(err instanceof DurationTooLong)) throw err;
      throw new UsageError(msg || err?.message || 'invalid usage');
    });
}

/** Run the CLI with arguments (no program name); resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  // kubectl's completion protocol passes raw words (flags included): answer before yargs parses them.
  if (argv[0] === COMPLETE_COMMAND) return runComplete(argv.slice(1), io, buildParser);
  let code = 0;
  const ctx: CommandContext = { io, setCode: (c) => (code = c) };
  try {
    await buildParser(argv, ctx).parseAsync();
    return code;
  } catch (e) {
    if (e instanceof UsageError || e instanceof DurationTooLong) {
      io.err(`error: ${escapeTerminal(e.message)}\nRun 'kubectl multus --help' for usage.\n`);
      return EXIT_USAGE;
    }
    if (e instanceof InputError) {
      io.err(`error: ${escapeTerminal(e.message)}\n`);
      return EXIT_INCOMPLETE;
    }
    io.err(`error: ${escapeTerminal((e as Error)?.message ?? String(e))}\n`);
    if (io.env['KUBECTL_MULTUS_DEBUG']) io.err(`${(e as Error)?.stack}\n`);
    return EXIT_INCOMPLETE;
  }
}
