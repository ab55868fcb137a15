/**
 * Which test files run where. `npm test` is the fast default a contributor runs (unit, contract,
 * a fake-cluster smoke: ≤ 2 minutes); `npm run test:all` is what CI runs (everything that needs
 * nothing outside this repository, plus the release builds and the e2e suite against the single
 * executable); `npm run test:corpus` runs the tests that read the real-world corpus.
 */

/** Whole files that read the real-world corpus (helpers/corpus.ts); mixed files mark single tests with itCorpus. */
export const CORPUS_TEST_FILES = [
  'test/corpus.test.ts',
  'test/checks/events-classifier.test.ts',
  'test/checks/flannel-model.test.ts',
  'test/checks/install-lab.test.ts',
  'test/checks/nad-lab.test.ts',
  'test/checks/pod-corpus.test.ts',
  'test/checks/pod-network-status-missing.test.ts',
  'test/checks/pod-sandbox-failed.test.ts',
  'test/checks/probe-address-missing.test.ts',
  'test/checks/probe-address-out-of-range.test.ts',
  'test/checks/probe-interface-missing.test.ts',
  'test/checks/probe-mac-mismatch.test.ts',
  'test/checks/probe-peer-unreachable.test.ts',
  'test/checks/probe-pod-not-started.test.ts',
  'test/checks/probe-status-mismatch.test.ts',
];

/**
 * Slow files that only `npm run test:all` runs: the e2e suite (every scenario and command against
 * the fake cluster; test/smoke.test.ts is the part `npm test` keeps), release builds and installs,
 * property-based fuzzing (10,000 cases per property), every example through the CLI, and the
 * tests that drive a real kubectl or shell.
 */
export const FULL_ONLY_TEST_FILES = [
  'test/e2e/**',
  'test/fuzz/**',
  'test/release/archives.test.ts',
  'test/release/completion.test.ts',
  'test/release/krew-install.test.ts',
  'test/release/npm-pack.test.ts',
  'test/release/reproducible.test.ts',
  'test/examples.test.ts',
  'test/fake-cluster/kubectl.test.ts',
];

/** Name prefix of the corpus tests inside mixed files (itCorpus, describeCorpus); the summary line counts them. */
export const CORPUS_TAG = '[corpus]';
