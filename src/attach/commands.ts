/** Commands `attach` prints for a person to run: quoted for a POSIX shell, kubectl's flags repeated. */
import { shellCommand } from '../model/shell.js';
import type { AttachRequest, PlanContext } from './types.js';

export function networkArg(n: { namespace?: string; name: string }): string {
  return n.namespace ? `${n.namespace}/${n.name}` : n.name;
}

/** `kubectl multus attach` arguments that repeat a request (for "run this instead" fixes). */
export function attachArgs(req: AttachRequest): string[] {
  const out = ['--network', networkArg(req.network)];
  if (req.interface) out.push('--interface', req.interface);
  if (req.mac)
    out.push(
      req.mac.mode === 'keep' ? '--mac' : `--mac=${req.mac.mode === 'explicit' ? req.mac.value! : req.mac.mode}`,
    );
  for (const ip of req.ips ?? []) out.push('--ip', ip);
  if (req.hostNetwork === 'keep') out.push('--host-network=keep');
  return out;
}

export function kubectl(ctx: PlanContext, args: string[]): string {
  // After the words: kubectl finds a plugin (`kubectl multus …`) only when no flag comes before its name.
  return shellCommand(['kubectl', ...args, ...(ctx.kubectlFlags ?? [])]);
}
