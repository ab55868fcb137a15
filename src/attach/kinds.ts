/**
 * The kinds `attach`/`detach` accept, spelled as kubectl spells them (`deploy/web`,
 * `deployment.apps/web`, `sts web`), and where each keeps its pod template.
 */
import type { WorkloadKind } from '../snapshot/types.js';
import { isDns1123Subdomain } from '../model/networks-annotation.js';

export interface KindInfo {
  kind: WorkloadKind;
  group: string;
  version: string;
  resource: string;
  /** kubectl's singular resource name with group (`deployment.apps`), used in messages and commands. */
  display: string;
  /** Path of the pod template inside the object; `[]` for a Pod (the object is the pod). */
  template: string[];
  /** TYPE spellings kubectl accepts (lowercase). */
  names: string[];
  short?: string;
}

const k = (kind: WorkloadKind, group: string, resource: string, template: string[], short: string[]): KindInfo => {
  const singular = kind.toLowerCase();
  const names = [singular, resource, ...short];
  if (group)
    names.push(
      ...[singular, resource].map((n) => `${n}.${group}`),
      ...[singular, resource].map((n) => `${n}.v1.${group}`),
    );
  return {
    kind,
    group,
    version: 'v1',
    resource,
    display: group ? `${singular}.${group}` : singular,
    template,
    names,
    short: short[0],
  };
};

const TEMPLATE = ['spec', 'template'];

const KINDS: KindInfo[] = [
  k('Deployment', 'apps', 'deployments', TEMPLATE, ['deploy']),
  k('StatefulSet', 'apps', 'statefulsets', TEMPLATE, ['sts']),
  k('DaemonSet', 'apps', 'daemonsets', TEMPLATE, ['ds']),
  k('ReplicaSet', 'apps', 'replicasets', TEMPLATE, ['rs']),
  k('ReplicationController', '', 'replicationcontrollers', TEMPLATE, ['rc']),
  k('Job', 'batch', 'jobs', TEMPLATE, []),
  // A CronJob's pods come from spec.jobTemplate.spec.template.
  k('CronJob', 'batch', 'cronjobs', ['spec', 'jobTemplate', 'spec', 'template'], ['cj']),
  k('Pod', '', 'pods', [], ['po']),
];

export function kindByName(type: string): KindInfo | undefined {
  const t = type.toLowerCase();
  return KINDS.find((x) => x.names.includes(t));
}

export function kindOf(kind: string): KindInfo | undefined {
  return KINDS.find((x) => x.kind === kind);
}

export interface Target {
  kind: KindInfo;
  name: string;
}

/**
 * `TYPE/NAME` or `TYPE NAME`, as kubectl takes them. Returns an error sentence for a usage error
 * (unknown type, missing or malformed name), so the CLI can exit 3 before touching the cluster.
 */
export function parseTarget(args: string[]): Target | string {
  const words = args.filter((a) => a !== '');
  if (words.length === 0) return 'give the workload as TYPE/NAME (e.g. deployment/web)';
  let type: string;
  let name: string | undefined;
  if (words.length === 1) {
    const i = words[0]!.indexOf('/');
    if (i < 0) return `"${words[0]}": give the workload as TYPE/NAME (e.g. deployment/${words[0]})`;
    type = words[0]!.slice(0, i);
    name = words[0]!.slice(i + 1);
  } else if (words.length === 2 && !words[0]!.includes('/')) {
    [type, name] = words as [string, string];
  } else {
    return `expected one workload (TYPE/NAME or TYPE NAME), got: ${words.join(' ')}`;
  }
  const kind = kindByName(type);
  if (!kind) {
    const known = KINDS.map((x) => (x.short ? `${x.names[0]} (${x.short})` : x.names[0])).join(', ');
    return `unknown workload type "${type}": use one of ${known}`;
  }
  if (!name || !isDns1123Subdomain(name))
    return `"${name ?? ''}" is not a valid ${kind.kind} name (lowercase letters, digits, '-' and '.')`;
  return { kind, name };
}
