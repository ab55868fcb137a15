/**
 * Commands that read a snapshot or talk to a cluster. Each registers itself here; the heavy
 * modules behind them are imported inside the handler (lazy), never at the top.
 */
import type { Argv } from 'yargs';
import type { CommandContext } from './main.js';
import type { OutputFormat } from './output.js';
import type { FailOn } from '../engine.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FindingOptions = <T>(y: Argv<T>) => Argv<any>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function registerClusterCommands(y: Argv<any>, ctx: CommandContext, findingOptions: FindingOptions): Argv<any> {
  return y.command(
    'check',
    'Diagnose Multus on the cluster (or on a saved snapshot with --snapshot)',
    (y) =>
      findingOptions(y)
        .option('snapshot', { type: 'string', describe: 'Check a saved snapshot (from `sysdump`) instead of the live cluster' })
        .example('$0 check --snapshot bundle.json', 'Diagnose a saved snapshot offline'),
    async (a) => {
      const { runCheck } = await import('./check.js');
      ctx.setCode(
        await runCheck(ctx.io, {
          snapshot: a.snapshot as string | undefined,
          output: a.output as OutputFormat,
          ignore: a.ignore as string[],
          failOn: a['fail-on'] as FailOn | undefined,
          color: a.color as boolean | undefined,
          config: a.config as string | undefined,
        }),
      );
    },
  );
}
