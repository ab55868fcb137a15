import { configDefaults, defineConfig } from 'vitest/config';
import { CORPUS_TEST_FILES, FULL_ONLY_TEST_FILES } from './test/suites.js';

// `npm test`: the fast default (see test/suites.ts). vitest.all.config.ts adds the slow files,
// vitest.corpus.config.ts runs the corpus tests.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [
      ...configDefaults.exclude,
      ...CORPUS_TEST_FILES,
      ...(process.env['KUBECTL_MULTUS_SUITE'] === 'all' ? [] : FULL_ONLY_TEST_FILES),
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './test/helpers/corpus-reporter.ts'],
  },
});
