/**
 * `kubectl multus attach TYPE/NAME --network [ns/]NAD …` and `detach`: flags and their
 * validation (bad values exit 3 before the cluster is contacted). Everything else is imported
 * when the command runs (src/attach/run.ts).
 */
import type { Argv } from 'yargs';
import type { CommandContext } from './io.js';
import type { ClusterFlags } from '../cluster/kubeconfig.js';
import { UsageError } from './exit.js';
import { OBJECT_FORMATS, type ObjectFormat } from './formats.js';
import { parseDuration } from '../cluster/duration.js';
import { parseTarget, type Target } from '../attach/kinds.js';
import type { AttachRequest, DetachRequest, MacMode } from '../attach/types.js';
import { interfaceNameProblem, isDns1123Label, isDns1123Subdomain, macProblem } from '../model/networks-annotation.js';
import { parseCidr, parseIp } from '../model/cidr.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Options = <T>(y: Argv<T>) => Argv<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Flags = (a: any) => ClusterFlags;

function target(words: unknown): Target {
  const t = parseTarget((Array.isArray(words) ? words : [words]).map(String));
  if (typeof t === 'string') throw new UsageError(t);
  return t;
}

function parseNetwork(v: unknown): { namespace?: string; name: string } {
  const s = String(v ?? '');
  if (s.includes('@')) throw new UsageError(`--network "${s}": give the interface name with --interface, not @`);
  const parts = s.split('/');
  if (parts.length > 2) throw new UsageError(`--network "${s}": expected [namespace/]name`);
  const [ns, name] = parts.length === 2 ? [parts[0]!, parts[1]!] : [undefined, parts[0]!];
  if (ns !== undefined && !isDns1123Label(ns))
    throw new UsageError(`--network "${s}": "${ns}" is not a valid namespace`);
  if (!isDns1123Subdomain(name))
    throw new UsageError(`--network "${s}": "${name}" is not a valid NetworkAttachmentDefinition name`);
  return ns !== undefined ? { namespace: ns, name } : { name };
}

function parseMac(v: unknown): AttachRequest['mac'] {
  if (v === undefined) return undefined;
  const s = String(v);
  if (s === '' || s === 'true') return { mode: 'keep' };
  if (s === 'auto' || s === 'stable') return { mode: s as MacMode };
  const p = macProblem(s);
  if (p)
    throw new UsageError(
      `--mac "${s}" ${p}; use --mac (keep the running pod's), --mac=auto, --mac=stable or --mac=02:xx:xx:xx:xx:xx (give the value with '=')`,
    );
  return { mode: 'explicit', value: s };
}

function parseIps(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  const list = (Array.isArray(v) ? v : [v])
    .flatMap((x) => String(x).split(','))
    .map((x) => x.trim())
    .filter(Boolean);
  for (const ip of list) {
    if (ip.includes('/') ? !parseCidr(ip) : !parseIp(ip))
      throw new UsageError(`--ip "${ip}" is not an IP address or CIDR (e.g. 192.168.1.20/24)`);
  }
  return list.length ? list : undefined;
}

function parseInterface(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  const p = interfaceNameProblem(s);
  if (p) throw new UsageError(`--interface "${s}" ${p}`);
  return s;
}

function parseDryRun(v: unknown): 'none' | 'client' | 'server' {
  if (v === undefined || v === 'none' || v === false || v === 'false') return 'none';
  if (v === '' || v === true || v === 'true' || v === 'client') return 'client';
  if (v === 'server') return 'server';
  throw new UsageError(`invalid --dry-run "${String(v)}": use --dry-run, --dry-run=client or --dry-run=server`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function common<T>(y: Argv<T>): Argv<any> {
  return y
    .positional('workload', {
      type: 'string',
      array: true,
      describe:
        'TYPE/NAME or TYPE NAME: deployment (deploy), statefulset (sts), daemonset (ds), replicaset (rs), job, cronjob (cj), pod (po)',
    })
    .option('network', {
      type: 'string',
      demandOption: 'give the NetworkAttachmentDefinition with --network [namespace/]name',
      describe: "NetworkAttachmentDefinition, [namespace/]name (default namespace: the workload's)",
    })
    .option('interface', { type: 'string', describe: 'Interface name in the pod (default: net<N> by position)' })
    .option('dry-run', {
      type: 'string',
      describe: 'client: print the change and write nothing; server: let the API server validate it without storing',
    })
    .option('output', {
      alias: 'o',
      choices: OBJECT_FORMATS,
      describe: 'Print the resulting object (the account of the change goes to stderr)',
    })
    .option('wait', {
      type: 'boolean',
      default: false,
      describe: "Follow the rollout, then check a new pod's network-status",
    })
    .option('timeout', { type: 'string', default: '5m', describe: 'How long --wait waits' });
}

function timeoutMs(v: unknown): number {
  const t = parseDuration(String(v), 'timeout');
  if (t === undefined || t <= 0)
    throw new UsageError(`invalid --timeout "${String(v)}": use a duration like 90s or 5m`);
  return t;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function kubectlFlags(a: any): string[] {
  const out: string[] = [];
  if (a.kubeconfig) out.push('--kubeconfig', String(a.kubeconfig));
  if (a.context) out.push('--context', String(a.context));
  return out;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- yargs builders accept any command's Argv */
async function run(
  ctx: CommandContext,
  a: any,
  flags: Flags,
  action: (
    dryRun: string,
    output?: string,
  ) => { verb: 'attach'; req: AttachRequest } | { verb: 'detach'; req: DetachRequest },
): Promise<void> {
  /* eslint-enable @typescript-eslint/no-explicit-any */
  if (a['all-namespaces'])
    throw new UsageError('-A/--all-namespaces does not apply: attach and detach change one workload');
  const t = target(a.workload);
  const dryRun = parseDryRun(a['dry-run']);
  const wait = !!a.wait;
  if (wait && dryRun !== 'none') throw new UsageError('--wait cannot be used with --dry-run (nothing rolls out)');
  const clusterFlags = flags(a);
  const args = {
    target: t,
    flags: clusterFlags,
    action: action(dryRun, a.output),
    dryRun,
    output: a.output as ObjectFormat | undefined,
    wait,
    timeoutMs: timeoutMs(a.timeout),
    color: a.color as boolean | undefined,
    verbose: !!a.verbose,
    kubectlFlags: kubectlFlags(a),
  };
  const { runAttachCommand } = await import('./attach-run.js');
  ctx.setCode(await runAttachCommand(ctx.io, args));
}

/* eslint-disable @typescript-eslint/no-explicit-any -- yargs builders accept any command's Argv */
export function registerAttachCommands(
  y: Argv<any>,
  ctx: CommandContext,
  clusterOptions: Options,
  clusterFlags: Flags,
): Argv<any> {
  /* eslint-enable @typescript-eslint/no-explicit-any */
  return y
    .command(
      'attach <workload..>',
      "Give a workload's pods an interface from a NetworkAttachmentDefinition (merges into the networks annotation)",
      (y) =>
        clusterOptions(common(y))
          .option('mac', {
            type: 'string',
            describe:
              "Fixed MAC: --mac keeps the running pod's (else a stable one), --mac=auto random, --mac=stable derived from the workload, or --mac=02:…",
          })
          .option('ip', {
            type: 'string',
            describe: 'Static address in CIDR form (repeat the flag, or comma-separate, for several)',
          })
          .option('host-network', {
            choices: ['false', 'keep'] as const,
            default: 'false' as const,
            describe:
              'hostNetwork: true templates are switched to false (multus ignores host-network pods) unless keep',
          })
          .option('overwrite', {
            type: 'boolean',
            default: false,
            describe: 'Replace settings of an existing entry for this network that differ',
          })
          .option('force', {
            type: 'boolean',
            default: false,
            describe:
              'Proceed despite a fixed MAC/IP on several pods, a plugin not known to honour it, or NAD problems',
          })
          .example(
            '$0 attach deploy/web --network macvlan-lan --mac',
            'Attach with the MAC the running pod has (DHCP lease survives restarts)',
          )
          .example(
            '$0 attach sts/db -n apps --network infra/lan --ip 192.168.1.20/24 --dry-run',
            'Show the change and the kubectl patch command, write nothing',
          )
          .example(
            '$0 attach ds/agent --network lan --host-network=keep',
            'Keep hostNetwork (the attachment is then ignored)',
          ),
      (a) =>
        run(ctx, a, clusterFlags, (dryRun, output) => ({
          verb: 'attach',
          req: {
            network: parseNetwork(a.network),
            interface: parseInterface(a.interface),
            mac: parseMac(a.mac),
            ips: parseIps(a.ip),
            hostNetwork: a['host-network'] === 'keep' ? 'keep' : 'false',
            overwrite: !!a.overwrite,
            force: !!a.force,
            renderOnly: dryRun === 'client' && output !== undefined,
          },
        })),
    )
    .command(
      'detach <workload..>',
      "Remove a network from a workload's networks annotation (the annotation goes when it is empty)",
      (y) =>
        clusterOptions(common(y)).example(
          '$0 detach deploy/web --network macvlan-lan',
          'Remove the attachment; pods roll out without it',
        ),
      (a) =>
        run(ctx, a, clusterFlags, (dryRun, output) => ({
          verb: 'detach',
          req: {
            network: parseNetwork(a.network),
            interface: parseInterface(a.interface),
            renderOnly: dryRun === 'client' && output !== undefined,
          },
        })),
    );
}
