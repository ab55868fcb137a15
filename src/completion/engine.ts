/**
 * Shell completion in kubectl's plugin-completion protocol (the Cobra `__complete` format):
 * given the words after `kubectl multus`, the last being the word under the cursor (empty when a
 * new word starts), answer one candidate per line (`value` or `value<TAB>description`) and a last
 * line `:<directive>`. Pure except for the injected providers, so it is testable without a cluster.
 */
import type { CommandSpec, OptionSpec } from './spec.js';
import { own } from '../model/own.js';

/** Cobra ShellCompDirective bits that kubectl and the shell scripts understand. */
const DIRECTIVE = { default: 0, error: 1, noSpace: 2, noFileComp: 4 } as const;

export type ClusterKind = 'nad' | 'workload' | 'namespace';

/** What the cluster-side lookups need from the command line (kubectl's own flags). */
export interface KubeFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces?: boolean;
}

interface Providers {
  checkIds(): string[];
  /** Context names from the kubeconfig (local file, no network). */
  contexts(flags: KubeFlags): Promise<string[]>;
  /** Names from the cluster; must resolve quickly and never throw (empty on any failure). */
  cluster(kind: ClusterKind, flags: KubeFlags): Promise<string[]>;
}

export interface Completion {
  candidates: string[];
  directive: number;
}

type ValueKind = 'check-id' | 'file' | 'context' | ClusterKind | 'none';

// Value kinds by option/positional name. Names, not commands, so a new command that calls its
// positional `nad` or its flag `--network` completes NAD names with no change here.
const KIND_BY_NAME: Record<string, ValueKind> = {
  'check-id': 'check-id',
  check: 'check-id',
  checks: 'check-id',
  ignore: 'check-id',
  filename: 'file',
  file: 'file',
  config: 'file',
  snapshot: 'file',
  kubeconfig: 'file',
  'output-file': 'file',
  out: 'file',
  dir: 'file',
  context: 'context',
  namespace: 'namespace',
  nad: 'nad',
  nads: 'nad',
  network: 'nad',
  networks: 'nad',
  'net-attach-def': 'nad',
  'network-attachment-definition': 'nad',
  workload: 'workload',
  pod: 'workload',
  target: 'workload',
  deployment: 'workload',
};

function kindOf(name: string | undefined): ValueKind {
  if (!name) return 'none';
  return own(KIND_BY_NAME, name.replace(/\.\.$/, '')) ?? 'none';
}

function findOption(opts: OptionSpec[], token: string): OptionSpec | undefined {
  return opts.find((o) => o.name === token || o.aliases.includes(token));
}

/** Flag name typed in `w` (`--name`, `--name=v`, `-n`, `--no-color`), or undefined for a non-flag. */
function flagName(w: string): { name: string; value?: string } | undefined {
  if (!w.startsWith('-') || w === '-') return undefined;
  const body = w.replace(/^--?/, '');
  const eq = body.indexOf('=');
  return eq >= 0 ? { name: body.slice(0, eq), value: body.slice(eq + 1) } : { name: body };
}

export async function complete(root: CommandSpec, words: string[], p: Providers): Promise<Completion> {
  const args = words.length > 0 ? words.slice(0, -1) : [];
  const cur = words.length > 0 ? words[words.length - 1]! : '';
  let node = root;
  let scope: OptionSpec[] = [...root.options];
  const positionals: string[] = [];
  const used = new Set<string>();
  const flags: KubeFlags = {};
  let pending: OptionSpec | undefined;
  let dashDash = false;

  const remember = (opt: OptionSpec, value: string) => {
    if (opt.name === 'kubeconfig') flags.kubeconfig = value;
    else if (opt.name === 'context') flags.context = value;
    else if (opt.name === 'namespace') flags.namespace = value;
  };

  for (const w of args) {
    if (pending) {
      remember(pending, w);
      pending = undefined;
      continue;
    }
    if (!dashDash && w === '--') {
      dashDash = true;
      continue;
    }
    const f = dashDash ? undefined : flagName(w);
    if (f) {
      const opt = findOption(scope, f.name) ?? findOption(scope, f.name.replace(/^no-/, ''));
      if (!opt) continue;
      used.add(opt.name);
      if (opt.name === 'all-namespaces') flags.allNamespaces = true;
      if (f.value !== undefined) remember(opt, f.value);
      else if (!opt.boolean) pending = opt;
      continue;
    }
    const sub = positionals.length === 0 ? node.commands.find((c) => c.name === w) : undefined;
    if (sub) {
      node = sub;
      scope = [...scope.filter((o) => !sub.options.some((s) => s.name === o.name)), ...sub.options];
      continue;
    }
    positionals.push(w);
  }

  if (pending) return completeValue(pending.name, pending, cur, '', flags, p);

  // A lone '-' is a flag being typed here (as an argument it means stdin, but nothing completes it).
  const f = dashDash ? undefined : cur === '-' ? { name: '' } : flagName(cur);
  if (f && f.value !== undefined) {
    const opt = findOption(scope, f.name);
    if (!opt || opt.boolean) return { candidates: [], directive: DIRECTIVE.noFileComp };
    return completeValue(opt.name, opt, f.value, cur.slice(0, cur.length - f.value.length), flags, p);
  }
  if (f) {
    const out: string[] = [];
    for (const o of scope) {
      if (o.positional || (used.has(o.name) && !o.array)) continue;
      const forms = [`--${o.name}`, ...o.aliases.map((a) => (a.length === 1 ? `-${a}` : `--${a}`))];
      for (const form of forms) if (form.startsWith(cur)) out.push(withDescription(form, o.description));
    }
    return { candidates: out, directive: DIRECTIVE.noFileComp };
  }

  if (positionals.length === 0 && node.commands.length > 0) {
    return {
      candidates: node.commands
        .filter((c) => c.name.startsWith(cur))
        .map((c) => withDescription(c.name, c.description)),
      directive: DIRECTIVE.noFileComp,
    };
  }

  const variadic = node.positionals.at(-1)?.endsWith('..');
  const posName = node.positionals[positionals.length] ?? (variadic ? node.positionals.at(-1) : undefined);
  if (posName === undefined) return { candidates: [], directive: DIRECTIVE.noFileComp };
  const bare = posName.replace(/\.\.$/, '');
  return completeValue(
    bare,
    scope.find((o) => o.positional && o.name === bare),
    cur,
    '',
    flags,
    p,
  );
}

async function completeValue(
  name: string,
  opt: OptionSpec | undefined,
  cur: string,
  prefix: string,
  flags: KubeFlags,
  p: Providers,
): Promise<Completion> {
  const list = (values: string[], typed = cur, lead = prefix): Completion => ({
    candidates: values.filter((v) => v.startsWith(typed)).map((v) => lead + v),
    directive: DIRECTIVE.noFileComp,
  });
  if (opt && opt.choices.length > 0) return list(opt.choices);
  const kind = kindOf(name);
  switch (kind) {
    case 'check-id': {
      // `--ignore a,b,<TAB>`: complete the last element, keep what is typed, skip repeats.
      const comma = cur.lastIndexOf(',');
      const done = comma >= 0 ? cur.slice(0, comma + 1) : '';
      const taken = new Set(done.split(',').filter(Boolean));
      return list(
        p.checkIds().filter((id) => !taken.has(id)),
        cur.slice(done.length),
        prefix + done,
      );
    }
    case 'file':
      return { candidates: [], directive: DIRECTIVE.default };
    case 'context':
      return list(await p.contexts(flags).catch(() => []));
    case 'nad':
    case 'workload':
    case 'namespace':
      return list(await p.cluster(kind, flags).catch(() => []));
    default:
      return { candidates: [], directive: opt ? DIRECTIVE.noFileComp : DIRECTIVE.default };
  }
}

function withDescription(value: string, description: string): string {
  // One line per candidate: a description must not carry a newline or a second tab.
  const d = description.replace(/[\t\r\n]+/g, ' ').trim();
  return d ? `${value}\t${d}` : value;
}

/** The protocol's text: candidates, then `:<directive>`. */
export function formatCompletion(c: Completion): string {
  // Names come from the cluster: one with a control character or a line break would break the
  // line protocol or reach the terminal, so it is dropped (valid Kubernetes names never have one).
  // eslint-disable-next-line no-control-regex
  const clean = c.candidates.filter((v) => !/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/.test(v));
  return [...clean, `:${c.directive}`].join('\n') + '\n';
}
