/**
 * The real-world corpus (configs from public repositories and captures from a real Multus lab
 * cluster) is not part of this repository. Tests that read it form the corpus suite
 * (`npm run test:corpus`, vitest.corpus.config.ts): whole files listed in CORPUS_TEST_FILES, and
 * single tests or blocks marked with `itCorpus` / `describeCorpus` inside other files. `npm test`
 * skips them and says how many; everything else runs on the fixtures in test/fixtures/.
 *
 * Where the corpus is: $KUBECTL_MULTUS_CORPUS, else a `shared/corpus` folder beside the clone.
 */
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';
import { CORPUS_DIR } from './cli.js';
import { CORPUS_TAG } from '../suites.js';

/** True only inside the corpus suite, and only when the corpus is there. */
const CORPUS_ON = process.env['KUBECTL_MULTUS_SUITE'] === 'corpus' && existsSync(CORPUS_DIR);

export const itCorpus = (name: string, fn: () => unknown, timeout?: number) =>
  it.skipIf(!CORPUS_ON)(`${CORPUS_TAG} ${name}`, fn, timeout);
export const describeCorpus = (name: string, fn: () => void) =>
  describe.skipIf(!CORPUS_ON)(`${CORPUS_TAG} ${name}`, fn);
