/** `kubectl multus cleanup [--dry-run] [-n ns]`: flags only; the work is in src/probe/cleanup.ts (lazy). */
import type { Argv } from 'yargs';
import type { CommandContext } from './io.js';
import type { ClusterFlags } from '../cluster/kubeconfig.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Options = <T>(y: Argv<T>) => Argv<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Flags = (a: any) => ClusterFlags;

/* eslint-disable @typescript-eslint/no-explicit-any -- yargs builders accept any command's Argv */
export function registerCleanupCommand(
  y: Argv<any>,
  ctx: CommandContext,
  clusterOptions: Options,
  clusterFlags: Flags,
): Argv<any> {
  /* eslint-enable @typescript-eslint/no-explicit-any */
  return y.command(
    'cleanup',
    'Delete pods kubectl-multus left behind (test pods, node-inspector pods), found by their label',
    (y) =>
      clusterOptions(y)
        .option('dry-run', { type: 'boolean', default: false, describe: 'List what would be deleted, delete nothing' })
        .example('$0 cleanup --dry-run', 'List leftover pods in every namespace')
        .example('$0 cleanup -n lab', 'Delete leftovers in namespace lab only'),
    async (a) => {
      const { runCleanup } = await import('./cleanup-run.js');
      ctx.setCode(
        await runCleanup(ctx.io, {
          flags: clusterFlags(a),
          allNamespaces: !!a['all-namespaces'],
          dryRun: !!a['dry-run'],
          verbose: !!a.verbose,
        }),
      );
    },
  );
}
