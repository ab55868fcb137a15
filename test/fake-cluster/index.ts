/**
 * Public API of the fake Kubernetes API server for end-to-end tests:
 *
 *   const fc = await startFakeCluster('test/fake-cluster/scenarios/k3s-upstream-thin.yaml');
 *   runCli(['check', '--kubeconfig', fc.kubeconfigPath]);
 *   await fc.close();
 *
 * See README.md for the scenario format and faults.
 */
import { resolve } from 'node:path';
import { loadScenarioFile, normaliseScenario, type Scenario, type ScenarioInput } from './scenario.js';
import { FakeCluster, type FakeClusterOptions } from './server.js';

export { FakeCluster, type FakeClusterOptions, type Stats } from './server.js';
export { loadScenarioFile, type Scenario, type ScenarioInput } from './scenario.js';
export { generateScenario, type GeneratorOptions } from './generator.js';

export const SCENARIOS = resolve(import.meta.dirname, 'scenarios');

function isScenario(s: Scenario | ScenarioInput): s is Scenario {
  return 'baseDir' in s && typeof (s as Scenario).cluster?.minor === 'number';
}

/** Starts a server for a scenario (a file path, a parsed scenario, or a programmatic input). */
export async function startFakeCluster(
  scenario: string | Scenario | ScenarioInput,
  opts: FakeClusterOptions = {},
): Promise<FakeCluster> {
  const s =
    typeof scenario === 'string'
      ? loadScenarioFile(scenario)
      : isScenario(scenario)
        ? scenario
        : normaliseScenario(scenario);
  const fc = new FakeCluster(s, opts);
  try {
    await fc.listen();
  } catch (e) {
    await fc.close();
    throw e;
  }
  return fc;
}
