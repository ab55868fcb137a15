/**
 * The command tree, read off the real yargs parser rather than a hand-kept list, so a command or
 * flag another module registers is completed without touching this code. yargs exposes the
 * registered commands only through `getInternalMethods()`; if a yargs upgrade moves it, the
 * completion tests fail (they drive the real CLI), not the user's shell.
 */
import yargs, { type Argv } from 'yargs';

export interface OptionSpec {
  /** Long name as typed after `--` (yargs key). */
  name: string;
  aliases: string[];
  /** Takes no value (`--flag`, `--no-flag`). */
  boolean: boolean;
  /** Repeatable / takes a list. */
  array: boolean;
  choices: string[];
  description: string;
  /** Declared with `.positional()`: completed as a value in its position, never offered as a flag. */
  positional: boolean;
}

export interface CommandSpec {
  name: string;
  description: string;
  /** Positional names in order (`explain [check-id]` → ['check-id']); a variadic one ends with '..'. */
  positionals: string[];
  options: OptionSpec[];
  commands: CommandSpec[];
}

// yargs' own options that every command inherits; offered once, at the top level.
const YARGS_BUILTIN = new Set(['help', 'version', '$0', '_']);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyArgv = Argv<any> & { getOptions(): any; getInternalMethods(): any };

function optionsOf(y: AnyArgv, keepBuiltins: boolean, positionals: string[] = []): OptionSpec[] {
  const o = y.getOptions();
  const descriptions: Record<string, string | undefined> =
    y.getInternalMethods().getUsageInstance().getDescriptions() ?? {};
  const aliasOf = new Set<string>();
  for (const list of Object.values<string[]>(o.alias ?? {})) for (const a of list) aliasOf.add(a);
  const hidden = new Set<string>(o.hiddenOptions ?? []);
  const out: OptionSpec[] = [];
  for (const name of Object.keys(o.key ?? {})) {
    if (aliasOf.has(name) || hidden.has(name) || name === '$0' || name === '_') continue;
    if (!keepBuiltins && YARGS_BUILTIN.has(name)) continue;
    const desc = descriptions[name];
    out.push({
      name,
      aliases: (o.alias?.[name] as string[] | undefined) ?? [],
      boolean: (o.boolean as string[]).includes(name) || (o.count as string[] | undefined)?.includes(name) === true,
      array: (o.array as string[]).includes(name),
      choices: ((o.choices?.[name] as unknown[]) ?? []).map(String),
      // yargs marks its own translatable strings with a '__yargsString__:' prefix.
      positional: positionals.includes(name),
      description:
        typeof desc === 'string'
          ? desc
              .replace(/^__yargsString__:/, '')
              .replace(/\s+/g, ' ')
              .trim()
          : '',
    });
  }
  return out;
}

function commandsOf(y: AnyArgv): CommandSpec[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const handlers: Record<string, any> = y.getInternalMethods().getCommandInstance().getCommandHandlers();
  const out: CommandSpec[] = [];
  for (const [name, h] of Object.entries(handlers)) {
    // A false description is how yargs hides a command; '$0' is the default command.
    if (name === '$0' || h.description === false) continue;
    const sub = yargs([]) as AnyArgv;
    if (typeof h.builder === 'function') h.builder(sub);
    else if (h.builder && typeof h.builder === 'object') sub.options(h.builder);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const pos = (list: any[]) => list.map((p) => (p.variadic ? `${p.cmd[0]}..` : String(p.cmd[0])));
    const positionals = [...pos(h.demanded ?? []), ...pos(h.optional ?? [])];
    out.push({
      name,
      description: typeof h.description === 'string' ? h.description : '',
      positionals,
      options: optionsOf(
        sub,
        false,
        positionals.map((p) => p.replace(/\.\.$/, '')),
      ),
      commands: commandsOf(sub),
    });
  }
  return out;
}

/** Read the tree off a configured (not yet parsed) parser. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function specFromParser(parser: Argv<any>): CommandSpec {
  const y = parser as AnyArgv;
  return { name: '', description: '', positionals: [], options: optionsOf(y, true), commands: commandsOf(y) };
}
