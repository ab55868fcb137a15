/**
 * `kubectl multus completion <shell>` and the hidden `__complete` entry that answers kubectl's
 * plugin-completion protocol. Kept tiny: main.ts imports it statically; the engine, the shell
 * scripts and the cluster client load only when one of these runs.
 */
import type { Argv } from 'yargs';
import type { CommandContext } from './io.js';
import type { Io } from './io.js';

export const COMPLETE_COMMAND = '__complete';
const SHELL_CHOICES = ['bash', 'zsh', 'fish', 'powershell'] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function registerCompletionCommand(y: Argv<any>, ctx: CommandContext): Argv<any> {
  return y.command(
    'completion <shell>',
    'Print a shell completion script (bash, zsh, fish, powershell)',
    (y) =>
      y
        .positional('shell', { choices: SHELL_CHOICES, describe: 'Shell to generate the script for' })
        .example('source <(kubectl-multus completion bash)', 'Complete kubectl-multus in this bash session'),
    async (a) => {
      const { completionScript } = await import('../completion/scripts.js');
      ctx.io.out(completionScript(a.shell as (typeof SHELL_CHOICES)[number]));
      ctx.setCode(0);
    },
  );
}

/**
 * Answer `__complete <words…> <current>`: never fails loudly, since the shell shows whatever we
 * print; on an internal error answer no candidates with the error directive.
 */
export async function runComplete(
  words: string[],
  io: Io,
  buildParser: (argv: string[], ctx: CommandContext) => Argv<unknown>,
): Promise<number> {
  try {
    const [{ specFromParser }, { complete, formatCompletion }, { CHECK_IDS }] = await Promise.all([
      import('../completion/spec.js'),
      import('../completion/engine.js'),
      import('../checks/index.js'),
    ]);
    const spec = specFromParser(buildParser([], { io, setCode: () => undefined }));
    const timeout = Number(io.env['KUBECTL_MULTUS_COMPLETION_TIMEOUT_MS']) || undefined;
    const result = await complete(spec, words, {
      checkIds: () => [...CHECK_IDS],
      contexts: async (flags) => (await import('../completion/cluster-names.js')).contextNames(flags),
      cluster: async (kind, flags) =>
        (await import('../completion/cluster-names.js')).clusterNames(kind, flags, timeout),
    });
    io.out(formatCompletion(result));
  } catch (e) {
    if (io.env['KUBECTL_MULTUS_DEBUG']) io.err(`completion: ${(e as Error)?.stack ?? e}\n`);
    io.out(':1\n');
  }
  return 0;
}
