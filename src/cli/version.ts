/** `kubectl multus version`: plugin version, commit and runtime. */
import { VERSION, COMMIT } from '../version.js';
import type { Io } from './io.js';

export function runVersion(io: Io, output: 'text' | 'json'): number {
  const runtime = `node ${process.versions.node} ${process.platform}/${process.arch}`;
  if (output === 'json') io.out(JSON.stringify({ version: VERSION, commit: COMMIT, runtime }, null, 2) + '\n');
  else io.out(`kubectl-multus ${VERSION} (commit ${COMMIT}, ${runtime})\n`);
  return 0;
}
