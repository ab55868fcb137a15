/** `kubectl multus version`: plugin version, commit and runtime. */
import { VERSION, COMMIT } from '../version.js';
import type { Io } from './io.js';

/** The JavaScript runtime we run on: plain Node, or Bun inside the self-contained release executable. */
export function runtimeDescription(): string {
  const bun = (process.versions as Record<string, string | undefined>)['bun'];
  // A compiled Bun executable runs its embedded script from a virtual /$bunfs (B:\~BUN on Windows).
  const embedded = /\$bunfs|~BUN/.test(process.argv[1] ?? '');
  const engine = bun ? `bun ${bun}${embedded ? ' single executable' : ''}` : `node ${process.versions.node}`;
  return `${engine} ${process.platform}/${process.arch}`;
}

export function runVersion(io: Io, output: 'text' | 'json'): number {
  const runtime = runtimeDescription();
  if (output === 'json') io.out(JSON.stringify({ version: VERSION, commit: COMMIT, runtime }, null, 2) + '\n');
  else io.out(`kubectl-multus ${VERSION} (commit ${COMMIT}, ${runtime})\n`);
  return 0;
}
