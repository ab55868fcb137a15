/**
 * The fake-cluster smoke of `npm test`: the built CLI against the fake API server on the seed
 * situation (K3s + the upstream thin DaemonSet) and a healthy kubeadm cluster. The full e2e
 * suite (test/e2e/, `npm run test:all`) covers every scenario and command.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, checkScenario, ids } from './e2e/helpers.js';

beforeAll(assertBuilt);

describe('kubectl multus check against the fake cluster (smoke)', () => {
  it('K3s + upstream thin DaemonSet: multus-conf-wrong-dir with the K3s conf dir in the fix, exit 1', async () => {
    const { r, report } = await checkScenario('k3s-upstream-thin');
    expect(r.code, r.stderr).toBe(1);
    expect(report.errors).toEqual([]);
    const f = report.findings.find((x) => x.id === 'multus-conf-wrong-dir' && x.severity === 'error');
    expect(f?.fix).toContain('/var/lib/rancher/k3s/agent/etc/cni/net.d');
  });

  it('a healthy kubeadm cluster: no errors, exit 0', async () => {
    const { r, report } = await checkScenario('kubeadm-healthy-thin');
    expect(ids(report, 'error')).toEqual([]);
    expect(r.code, r.stderr).toBe(0);
  });
});
