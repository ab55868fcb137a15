/**
 * One line at the end of `npm test` / `npm run test:all`: how many corpus tests were not run
 * here and how to run them (see helpers/corpus.ts).
 */
import type { Reporter, TestModule } from 'vitest/node';
import { CORPUS_TAG, CORPUS_TEST_FILES } from '../suites.js';

export default class CorpusReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    if (process.env['KUBECTL_MULTUS_SUITE'] === 'corpus') return;
    let skipped = 0;
    for (const m of modules)
      for (const t of m.children.allTests())
        if (t.fullName.includes(CORPUS_TAG) && t.result().state === 'skipped') skipped++;
    process.stdout.write(
      `\ncorpus: not run here: ${CORPUS_TEST_FILES.length} test files and ${skipped} tests in other files read the real-world corpus; ` +
        '`npm run test:corpus` runs them (corpus in $KUBECTL_MULTUS_CORPUS, else shared/corpus beside this clone)\n',
    );
  }
}
