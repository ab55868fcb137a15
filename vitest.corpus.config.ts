import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { CORPUS_TEST_FILES } from './test/suites.js';

// `npm run test:corpus` (scripts/test-corpus.mjs): the whole corpus files plus every file that
// marks single tests with itCorpus/describeCorpus (their other tests run here too: they are cheap).
const root = import.meta.dirname;
const mixed = readdirSync(join(root, 'test'), { recursive: true, withFileTypes: true })
  .filter((d) => d.isFile() && d.name.endsWith('.test.ts'))
  .map((d) => join(d.parentPath, d.name))
  .filter((f) => readFileSync(f, 'utf8').includes('helpers/corpus.js'))
  .map((f) => relative(root, f).split('\\').join('/'));

export default defineConfig({
  test: {
    include: [...new Set([...CORPUS_TEST_FILES, ...mixed])],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: { KUBECTL_MULTUS_SUITE: 'corpus' },
  },
});
