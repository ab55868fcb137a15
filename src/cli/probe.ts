/**
 * `kubectl multus probe NAD [-n ns] [--node N …|--all-nodes] [--mac MAC] [--ip CIDR] [--image IMG]
 * [--timeout 60s] [--no-ping] [--keep]`: flags and their validation (bad values exit 3 before the
 * cluster is contacted). The work is imported when the command runs (src/probe/command.ts).
 */
import type { Argv } from 'yargs';
import type { CommandContext } from './io.js';
import type { ClusterFlags } from '../cluster/kubeconfig.js';
import type { OutputFormat } from './formats.js';
import type { FailOn } from '../engine.js';
import type { ProbeRequest } from '../probe/request.js';
import { UsageError } from './exit.js';
import { parseDuration } from '../cluster/duration.js';
import { DEFAULT_INSPECTOR_IMAGE } from '../collect/images.js';
import { interfaceNameProblem, isDns1123Label, isDns1123Subdomain, macProblem } from '../model/networks-annotation.js';
import { parseCidr, parseIp } from '../model/cidr.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Options = <T>(y: Argv<T>) => Argv<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Flags = (a: any) => ClusterFlags;

const list = (v: unknown): string[] =>
  (v === undefined ? [] : Array.isArray(v) ? v : [v])
    .map(String)
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);

function parseNad(v: unknown, namespace: string | undefined): ProbeRequest['nad'] {
  const s = String(v ?? '');
  const parts = s.split('/');
  if (parts.length > 2 || parts.some((p) => p === '')) throw new UsageError(`NAD "${s}": expected [namespace/]name`);
  const [ns, name] = parts.length === 2 ? [parts[0]!, parts[1]!] : [namespace, parts[0]!];
  if (parts.length === 2 && namespace !== undefined && namespace !== ns)
    throw new UsageError(`NAD "${s}" names namespace "${ns}" but -n says "${namespace}"`);
  if (ns !== undefined && !isDns1123Label(ns)) throw new UsageError(`"${ns}" is not a valid namespace`);
  if (!isDns1123Subdomain(name)) throw new UsageError(`"${name}" is not a valid NetworkAttachmentDefinition name`);
  return ns !== undefined ? { namespace: ns, name } : { name };
}

/** One --ip value per test pod; a comma list gives that pod several addresses (dual stack). */
function parseIpFlags(v: unknown): string[] {
  const values = (v === undefined ? [] : Array.isArray(v) ? v : [v]).map(String);
  for (const value of values) {
    for (const ip of value.split(',').map((s) => s.trim())) {
      if (!(ip.includes('/') ? parseCidr(ip) : parseIp(ip)))
        throw new UsageError(`--ip "${ip}" is not an IP address or CIDR (e.g. 192.168.1.201/24)`);
    }
  }
  return values;
}

function parseMacFlags(v: unknown): string[] {
  const macs = list(v);
  for (const m of macs) {
    const p = macProblem(m);
    if (p) throw new UsageError(`--mac "${m}" ${p}`);
  }
  const norm = macs.map((m) => m.toLowerCase().replace(/-/g, ':'));
  if (new Set(norm).size !== norm.length)
    throw new UsageError('--mac: the same MAC for two test pods would clash on the network; give each pod its own');
  return norm;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function probeRequest(a: any): ProbeRequest {
  const nodes = list(a.node);
  if (nodes.length && a['all-nodes']) throw new UsageError('--node and --all-nodes cannot be used together');
  const timeoutMs = parseDuration(String(a.timeout), 'timeout');
  if (timeoutMs === undefined || timeoutMs <= 0)
    throw new UsageError(`invalid --timeout "${String(a.timeout)}": use a duration like 60s or 2m`);
  const iface = String(a.interface);
  const p = interfaceNameProblem(iface);
  if (p) throw new UsageError(`--interface "${iface}" ${p}`);
  const macs = parseMacFlags(a.mac);
  const ips = parseIpFlags(a.ip);
  const pods = a['all-nodes'] ? Infinity : nodes.length || 2;
  if (macs.length > pods || ips.length > pods)
    throw new UsageError(
      `${macs.length > pods ? '--mac' : '--ip'} gives more values than there are test pods (${pods}): one per pod, in order`,
    );
  return {
    nad: parseNad(a.nad, a.namespace as string | undefined),
    nodes,
    allNodes: !!a['all-nodes'],
    interface: iface,
    macs,
    ips,
    image: String(a.image),
    timeoutMs,
    ping: a.ping !== false,
    keep: !!a.keep,
  };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- yargs builders accept any command's Argv */
export function registerProbeCommand(
  y: Argv<any>,
  ctx: CommandContext,
  clusterOptions: Options,
  clusterFlags: Flags,
  findingOptions: Options,
): Argv<any> {
  /* eslint-enable @typescript-eslint/no-explicit-any */
  return y.command(
    'probe <nad>',
    'Prove an attachment works: start test pods that request the NAD, read their interfaces, ping across (the pods are deleted afterwards)',
    (y) =>
      clusterOptions(findingOptions(y))
        .positional('nad', {
          type: 'string',
          describe: "NetworkAttachmentDefinition, [namespace/]name (default namespace: -n, else the context's)",
        })
        .option('node', {
          type: 'string',
          array: true,
          group: 'Probe:',
          describe:
            'Node for a test pod (repeatable; the same node twice gives two pods there) [default: two different nodes]',
        })
        .option('all-nodes', {
          type: 'boolean',
          default: false,
          group: 'Probe:',
          describe: 'One test pod on every Ready, schedulable Linux node',
        })
        .option('interface', {
          type: 'string',
          default: 'net1',
          group: 'Probe:',
          describe: 'Interface name to request in the test pods',
        })
        .option('mac', {
          type: 'string',
          array: true,
          group: 'Probe:',
          describe: 'MAC to request, one per test pod in order (repeatable)',
        })
        .option('ip', {
          type: 'string',
          array: true,
          group: 'Probe:',
          describe: 'Address (CIDR) to request, one per test pod in order; a comma list gives one pod several',
        })
        .option('image', {
          type: 'string',
          default: DEFAULT_INSPECTOR_IMAGE,
          group: 'Probe:',
          describe: 'Test pod image; needs ip and ping (mirror it for air-gapped clusters)',
        })
        .option('timeout', {
          type: 'string',
          default: '60s',
          group: 'Probe:',
          describe: 'How long to wait for the test pods to run',
        })
        .option('ping', {
          type: 'boolean',
          default: true,
          group: 'Probe:',
          describe: 'Ping between the test pods over the attachment (--no-ping to skip)',
        })
        .option('keep', {
          type: 'boolean',
          default: false,
          group: 'Probe:',
          describe: 'Leave the test pods running for inspection (remove with `kubectl multus cleanup`)',
        })
        .example('$0 probe macvlan-lan -n lab', 'Two test pods on two nodes; ip addr inside; ping both ways')
        .example(
          '$0 probe lab/macvlan-lan --node w1 --node w1 --mac 02:00:00:00:00:01',
          'Both pods on w1, the first one with a fixed MAC',
        )
        .example(
          '$0 probe lab/static-lan --ip 192.168.1.201/24 --ip 192.168.1.202/24',
          'Static IPAM: one address per test pod',
        ),
    async (a) => {
      const request = probeRequest(a);
      const { runProbeCommand } = await import('./probe-command.js');
      ctx.setCode(
        await runProbeCommand(ctx.io, {
          request,
          flags: clusterFlags(a),
          output: a.output as OutputFormat,
          ignore: a.ignore as string[],
          failOn: a['fail-on'] as FailOn | undefined,
          color: a.color as boolean | undefined,
          config: a.config as string | undefined,
          verbose: !!a.verbose,
        }),
      );
    },
  );
}
