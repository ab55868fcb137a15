/**
 * `kubectl multus check` against the fake cluster, one scenario per seed situation and a healthy
 * cluster of each distribution. Assertions are on check ids (../shared/CHECKS.md) and subjects.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, checkScenario, ids, type Report } from './helpers.js';

beforeAll(assertBuilt);

const errorsOn = (rep: Report, id: string) => rep.findings.filter((f) => f.id === id && f.severity === 'error');
const mentions = (rep: Report, id: string, text: string) =>
  rep.findings.some((f) => f.id === id && JSON.stringify(f).includes(text));

describe('seed situations', () => {
  it('K3s + the upstream thin DaemonSet applied unmodified: multus writes where K3s does not read', async () => {
    const { r, report } = await checkScenario('k3s-upstream-thin');
    expect(r.code, r.stderr).toBe(1);
    expect(report.errors).toEqual([]);
    expect(ids(report, 'error')).toEqual(
      expect.arrayContaining(['multus-conf-wrong-dir', 'pod-network-status-missing']),
    );
    // the fix names the K3s conf dir the runtime reads
    expect(errorsOn(report, 'multus-conf-wrong-dir')[0]!.fix).toContain('/var/lib/rancher/k3s/agent/etc/cni/net.d');
  });

  it('K3s after the kustomize fix (hostPaths patched, hash-pinned bin dir): works, warns about the next upgrade', async () => {
    const { r, report } = await checkScenario('seed-k3s-fixed');
    expect(ids(report, 'error')).toEqual([]);
    expect(r.code, r.stderr).toBe(0);
    expect(ids(report, 'warning')).toContain('cni-bin-dir-versioned');
  });

  it('vanilla flannel with the service CIDR gap, and a DHCP NAD without the dhcp daemon', async () => {
    const { r, report } = await checkScenario('seed-flannel-dhcp-no-daemon');
    expect(r.code, r.stderr).toBe(1);
    expect(ids(report, 'error')).toContain('dhcp-daemon-missing');
    expect(ids(report)).toContain('flannel-network-excludes-service-cidr');
    expect(mentions(report, 'flannel-network-excludes-service-cidr', '10.96.0.0/12')).toBe(true);
  });

  it('rke2-multus thick on K3s with the flannel binary missing on one node', async () => {
    const { r, report } = await checkScenario('seed-rke2-thick-on-k3s');
    expect(r.code, r.stderr).toBe(1);
    expect(report.errors).toEqual([]);
    // The primary delegate (flannel) cannot be found by the thick daemon on k3s-agent-1 only.
    const missing = errorsOn(report, 'cni-plugin-missing').filter((f) => JSON.stringify(f).includes('flannel'));
    expect(missing.length).toBeGreaterThan(0);
    expect(JSON.stringify(missing)).toContain('k3s-agent-1');
    expect(JSON.stringify(missing)).not.toMatch(/flannel[^"]*k3s-server|k3s-server[^"]*flannel/);
    expect(ids(report, 'error')).toContain('pod-sandbox-failed');
  });

  it('multus v4.0.2 wrapped its own config (nested delegates)', async () => {
    const { r, report } = await checkScenario('seed-multus-4.0.2-nested');
    expect(r.code, r.stderr).toBe(1);
    expect(ids(report, 'error')).toContain('multus-conf-nested-delegates');
    expect(mentions(report, 'multus-conf-nested-delegates', '/etc/cni/net.d/00-multus.conf')).toBe(true);
  });

  it('Cilium with cni-exclusive renamed the multus config', async () => {
    const { r, report } = await checkScenario('seed-cilium-exclusive');
    expect(r.code, r.stderr).toBe(1);
    expect(ids(report, 'error')).toContain('cilium-cni-exclusive');
    expect(mentions(report, 'cilium-cni-exclusive', 'cilium_bak')).toBe(true);
  });
});

describe('healthy clusters: no errors on configurations that work', () => {
  it.each([
    ['k3s', 'healthy-k3s'],
    ['rke2', 'healthy-rke2'],
    ['kubeadm', 'kubeadm-healthy-thin'],
    ['kind', 'healthy-kind'],
    ['microk8s', 'healthy-microk8s'],
    ['openshift', 'healthy-openshift'],
  ])('%s', async (_d, scenario) => {
    const { r, report } = await checkScenario(scenario);
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => `${f.id}: ${f.message}`)).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(r.code, r.stderr).toBe(0);
  });
});
