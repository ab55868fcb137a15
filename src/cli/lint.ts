/** `kubectl multus lint -f FILE|DIR|-`: offline checks of NADs and pod-bearing manifests. */
import { loadManifests } from '../manifests/load.js';
import { runChecks, type FailOn } from '../engine.js';
import { emitFindings, type OutputFormat } from './output.js';
import { loadToolConfig } from './config-file.js';
import { validateIgnoreIds } from './common.js';
import type { Io } from './io.js';

export interface LintArgs {
  filename: string[];
  recursive: boolean;
  output: OutputFormat;
  ignore: string[];
  failOn?: FailOn;
  color?: boolean;
  config?: string;
}

export async function runLint(io: Io, a: LintArgs): Promise<number> {
  const cfg = loadToolConfig(a.config, io.cwd);
  const ignore = validateIgnoreIds([...cfg.ignore, ...a.ignore]);
  // Standard input is a stream: read it (asynchronously, until EOF) before the synchronous loader.
  let stdin: { text: string } | { error: unknown } = { text: '' };
  if (a.filename.includes('-')) {
    try {
      stdin = { text: await io.readStdin() };
    } catch (e) {
      stdin = { error: e };
    }
  }
  const readStdin = () => {
    if ('error' in stdin) throw stdin.error;
    return stdin.text;
  };
  const { snapshot, inputErrors, stats } = loadManifests(a.filename, a.recursive, readStdin);
  const result = runChecks(snapshot, { ignore, scopes: ['objects'], objectIgnores: cfg.objects });
  const note = `${stats.nads} NetworkAttachmentDefinition${stats.nads === 1 ? '' : 's'} and ${stats.workloads} workload${stats.workloads === 1 ? '' : 's'} in ${stats.files} file${stats.files === 1 ? '' : 's'}`;
  return emitFindings(io, result.findings, result.errors, result.analysis, {
    output: a.output,
    color: a.color,
    failOn: a.failOn ?? cfg.failOn ?? 'error',
    scopeNote: note,
    inputErrors,
  });
}
