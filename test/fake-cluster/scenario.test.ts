/**
 * Scenario loading, `ip` output against real captures (../shared/corpus/lab, the parsers'
 * ground truth), the programmatic generator, and clean shutdown.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED } from '../helpers/cli.js';
import { SCENARIOS, generateScenario, loadScenarioFile, startFakeCluster } from './index.js';
import { normaliseInterfaces, renderIp } from './ip.js';
import { FakeCluster } from './server.js';
import { api } from './testkit.js';

const LAB = join(SHARED, 'corpus', 'lab');

describe('ip emulation matches iproute2 6.1 captures', () => {
  // the interfaces of pod cap-netshoot in the lab's healthy-hostlocal capture
  const ifaces = normaliseInterfaces([
    { name: 'eth0', kind: 'veth', peerIndex: 91, mac: 'b2:97:b1:a8:93:c7', addresses: ['10.42.0.12/24'] },
    { name: 'net1', kind: 'macvlan', peerIndex: 78, mac: '5e:8a:d8:38:88:30', addresses: ['192.168.77.103/24'] },
  ]);

  it.skipIf(!existsSync(LAB))('ip addr', () => {
    expect(renderIp(ifaces, 'addr', 'text', 'all')).toBe(
      readFileSync(join(LAB, 'healthy-hostlocal__ip-addr.txt'), 'utf8'),
    );
  });
  it.skipIf(!existsSync(LAB))('ip -o addr', () => {
    expect(renderIp(ifaces, 'addr', 'oneline', 'all')).toBe(
      readFileSync(join(LAB, 'healthy-hostlocal__ip-o-addr.txt'), 'utf8'),
    );
  });
  it.skipIf(!existsSync(LAB))('ip -j addr', () => {
    expect(renderIp(ifaces, 'addr', 'json', 'all')).toBe(
      readFileSync(join(LAB, 'healthy-hostlocal__ip-j-addr.json'), 'utf8').trimEnd() + '\n',
    );
  });
  it.skipIf(!existsSync(LAB))('ip addr of a single-homed pod (k3s capture)', () => {
    const one = normaliseInterfaces([
      { name: 'eth0', kind: 'veth', peerIndex: 102, mac: 'e2:ea:fa:89:44:dd', addresses: ['10.42.0.21/24'] },
    ]);
    expect(renderIp(one, 'addr', 'text', 'all')).toBe(
      readFileSync(join(LAB, 'k3s-upstream-thin__ip-addr.txt'), 'utf8'),
    );
  });
  it('ip -4 addr shows only interfaces with IPv4, and only their IPv4 lines', () => {
    const out = renderIp(
      normaliseInterfaces([
        { name: 'eth0', addresses: ['10.0.0.5/24'] },
        { name: 'eth1', addresses: [] },
      ]),
      'addr',
      'text',
      '4',
    );
    expect(out).not.toContain('eth1');
    expect(out).not.toContain('inet6');
    expect(out).toContain('    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0\n');
  });
});

describe('scenarios', () => {
  const files = readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml'));

  it('ships the starter scenarios', () => {
    expect(files.sort()).toEqual(
      expect.arrayContaining(['distroless-forbidden.yaml', 'k3s-upstream-thin.yaml', 'kubeadm-healthy-thin.yaml']),
    );
  });

  it.each(files)('%s starts, serves its nodes and closes', async (file) => {
    const s = loadScenarioFile(join(SCENARIOS, file));
    const fc = await startFakeCluster(s);
    try {
      // through the store: some scenarios forbid listing on purpose
      const nodes = fc.world.store.peekAll('nodes').map((n) => n['metadata'].name);
      expect(nodes).toEqual(Object.keys(s.nodes).sort());
      for (const p of fc.world.store.peekAll('pods'))
        if (p['spec'].nodeName) expect(nodes).toContain(p['spec'].nodeName);
      expect((await api(fc, 'GET', '/version', { auth: 'none' })).json.gitVersion).toBe(s.cluster.version);
    } finally {
      await fc.close();
    }
  });

  it('the K3s scenario reproduces seed 000: multus completes and restarts, the pod has no network-status', async () => {
    const fc = await startFakeCluster(join(SCENARIOS, 'k3s-upstream-thin.yaml'));
    try {
      const pod = (await api(fc, 'GET', '/api/v1/namespaces/kube-system/pods/kube-multus-ds-jcndw')).json;
      const c = pod.status.containerStatuses[0];
      expect(c.state.waiting.reason).toBe('CrashLoopBackOff');
      expect(c.lastState.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
      expect(pod.spec.volumes.find((v: { name: string }) => v.name === 'cni').hostPath.path).toBe('/etc/cni/net.d');
      const app = (await api(fc, 'GET', '/api/v1/namespaces/default/pods/lab-healthy')).json;
      expect(app.metadata.annotations['k8s.v1.cni.cncf.io/networks']).toBe('macvlan-lan');
      expect(app.metadata.annotations['k8s.v1.cni.cncf.io/network-status']).toBeUndefined();
      expect(app.status.podIP).toMatch(/^10\.42\.0\.\d+$/);
      const ev = (
        await api(
          fc,
          'GET',
          `/api/v1/namespaces/kube-system/events?fieldSelector=involvedObject.uid%3D${pod.metadata.uid}`,
        )
      ).json;
      expect(ev.items.map((e: { reason: string; count: number }) => [e.reason, e.count])).toEqual([['BackOff', 7]]);
    } finally {
      await fc.close();
    }
  });

  it('rejects manifests a real cluster would reject, with a clear message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-scenario-'));
    try {
      const p = join(dir, 's.yaml');
      writeFileSync(
        p,
        'name: x\n---\napiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: a}\n',
      );
      expect(() => new FakeCluster(loadScenarioFile(p))).toThrow(
        'no matches for kind "NetworkAttachmentDefinition" in version "k8s.cni.cncf.io/v1" (missing CRD?)',
      );
      writeFileSync(p, 'name: x\nnodes:\n  n1:\n    interfaces: [{name: "has space"}]\n');
      expect(() => loadScenarioFile(p)).toThrow('interface name "has space" is invalid');
      writeFileSync(p, 'name: x\nnodes:\n  n1:\n    files: {"etc/x": "relative"}\n');
      expect(() => loadScenarioFile(p)).toThrow(`file "etc/x" must be an absolute path`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('generateScenario builds a consistent cluster of the requested size', async () => {
    const fc = await startFakeCluster(generateScenario({ nodes: 5, nads: 12, pods: 30, namespaces: 3 }));
    try {
      expect((await api(fc, 'GET', '/api/v1/nodes')).json.items).toHaveLength(5);
      expect((await api(fc, 'GET', '/apis/k8s.cni.cncf.io/v1/network-attachment-definitions')).json.items).toHaveLength(
        12,
      );
      const pods = (await api(fc, 'GET', '/api/v1/pods')).json.items;
      expect(pods).toHaveLength(30);
      const multus = pods.filter(
        (p: { metadata: { labels?: Record<string, string> } }) => p.metadata.labels?.['name'] === 'multus',
      );
      expect(new Set(multus.map((p: { spec: { nodeName: string } }) => p.spec.nodeName)).size).toBe(5);
      // every app pod asks for a NAD that exists in its namespace
      const nads = new Set(
        (await api(fc, 'GET', '/apis/k8s.cni.cncf.io/v1/network-attachment-definitions')).json.items.map(
          (n: { metadata: { namespace: string; name: string } }) => `${n.metadata.namespace}/${n.metadata.name}`,
        ),
      );
      for (const p of pods.filter(
        (x: { metadata: { labels?: Record<string, string> } }) => x.metadata.labels?.['app'] === 'load',
      )) {
        expect(nads.has(`${p.metadata.namespace}/${p.metadata.annotations['k8s.v1.cni.cncf.io/networks']}`)).toBe(true);
      }
    } finally {
      await fc.close();
    }
  });
});

describe('shutdown', () => {
  it('close() ends open watches and exec sessions, frees the port and removes its files', async () => {
    const fc = await startFakeCluster(join(SCENARIOS, 'kubeadm-healthy-thin.yaml'));
    const cert = fc.clientCert('admin');
    const url = new URL('/api/v1/pods?watch=true', fc.url);
    let started!: () => void;
    const watching = new Promise<void>((r) => (started = r));
    const watchEnded = new Promise<string>((resolve) => {
      const req = request(
        {
          hostname: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          ca: fc.caPem,
          cert: cert.certPem,
          key: cert.keyPem,
          agent: false,
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => {
            body += c.toString();
            started();
          });
          res.on('close', () => resolve(body));
        },
      );
      req.on('error', () => resolve('error'));
      req.end();
    });
    await watching;
    const work = fc.workDir;
    expect(existsSync(work)).toBe(true);
    await fc.close();
    const events = (await watchEnded)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.type === 'ADDED' && e.object.kind === 'Pod')).toBe(true);
    expect(existsSync(work)).toBe(false);
    await expect(api(fc, 'GET', '/version', { auth: 'none' })).rejects.toThrow(/ECONNREFUSED/);
  });
});
