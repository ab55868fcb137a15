/**
 * The fake API server answers a server-side dry-run create of a Service with an out-of-range
 * clusterIP as the scenario's Kubernetes version would: v1.20 (observed first-hand on a real
 * v1.20.2 kube-apiserver) says "created" and names no range; from v1.23 on the allocation runs in
 * dry-run too and the 422 names the range.
 */
import { describe, expect, it } from 'vitest';
import { startFakeCluster } from './index.js';
import { api } from './testkit.js';

const body = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'cidr-probe' },
  spec: { clusterIP: '1.1.1.1', ports: [{ port: 80 }] },
};

async function dryRun(version: string): Promise<{ status: number; body: any }> {
  const fc = await startFakeCluster({ name: `dry-${version}`, cluster: { version, serviceCIDR: '10.96.0.0/12' } });
  try {
    const r = await api(fc, 'POST', '/api/v1/namespaces/default/services?dryRun=All', { body });
    // nothing persisted either way
    const list = await api(fc, 'GET', '/api/v1/namespaces/default/services/cidr-probe');
    expect(list.status).toBe(404);
    return { status: r.status, body: r.json };
  } finally {
    await fc.close();
  }
}

describe('dry-run create of an out-of-range ClusterIP, by server version', () => {
  it('v1.20: 201 with the object, no range named', async () => {
    const r = await dryRun('v1.20.2');
    expect(r.status).toBe(201);
    expect(r.body.spec.clusterIP).toBe('1.1.1.1');
  });

  it('v1.22: still no allocation in dry-run', async () => {
    expect((await dryRun('v1.22.17')).status).toBe(201);
  });

  it('v1.23 and later: 422 naming the range', async () => {
    const r = await dryRun('v1.23.0');
    expect(r.status).toBe(422);
    expect(r.body.message).toContain('The range of valid IPs is 10.96.0.0/12');
    expect((await dryRun('v1.31.4')).body.message).toContain('The range of valid IPs is 10.96.0.0/12');
  });

  it('a real (non-dry-run) create on v1.20 still refuses, in the pre-1.22 wording', async () => {
    const fc = await startFakeCluster({ name: 'v120', cluster: { version: 'v1.20.2', serviceCIDR: '10.96.0.0/12' } });
    try {
      const r = await api(fc, 'POST', '/api/v1/namespaces/default/services', { body });
      expect(r.status).toBe(422);
      expect(r.json.message).toContain(
        'failed to allocated ip:1.1.1.1 with error:provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12',
      );
    } finally {
      await fc.close();
    }
  });
});
