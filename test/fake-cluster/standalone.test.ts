/**
 * `npm run fake-cluster -- SCENARIO.yaml --latency-ms N`: prints a kubeconfig path, serves
 * until Ctrl-C (SIGINT to its process group, as a terminal sends it), logs requests, prints the
 * counters and removes its files on the way out.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/cli.js';

function get(server: string, path: string, ca: string, token: string): Promise<{ status: number; json: any }> {
  const u = new URL(path, server);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: u.hostname,
        port: u.port,
        path: u.pathname,
        ca,
        headers: { Authorization: `Bearer ${token}` },
        agent: false,
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(body) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('npm run fake-cluster', () => {
  it('prints a kubeconfig with a cert user and a token user, serves, and stops on Ctrl-C', async () => {
    const child = spawn(
      'npm',
      [
        'run',
        '--silent',
        'fake-cluster',
        '--',
        'test/fake-cluster/scenarios/kubeadm-healthy-thin.yaml',
        '--latency-ms',
        '5',
      ],
      {
        cwd: ROOT,
        detached: true, // own process group, so the SIGINT below reaches npm and node like a terminal's Ctrl-C
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    try {
      const path = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
        });
        child.on('exit', (code) => reject(new Error(`exited early (${code}): ${stderr}`)));
      });
      const kc = parse(readFileSync(path, 'utf8'));
      expect(kc['current-context']).toBe('admin');
      expect(kc.contexts.map((c: { name: string }) => c.name)).toEqual(['admin', 'admin-token']);
      expect(
        kc.users.find((u: { name: string }) => u.name === 'admin-cert').user['client-certificate-data'],
      ).toBeTruthy();
      const token = kc.users.find((u: { name: string }) => u.name === 'admin-token').user.token;
      const ca = Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString();
      const server = kc.clusters[0].cluster.server as string;
      expect(server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);

      const nodes = await get(server, '/api/v1/nodes', ca, token);
      expect(nodes.status).toBe(200);
      expect(nodes.json.items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual([
        'cp-1',
        'worker-1',
        'worker-2',
      ]);
      const stats = await get(server, '/__fake/stats', ca, token);
      expect(stats.json.byResource).toEqual({ 'list nodes': 1 });

      process.kill(-child.pid!, 'SIGINT');
      await exited;
      expect(stderr).toMatch(/ admin GET \/api\/v1\/nodes 200 \d+ms\n/);
      expect(stderr).toContain('fake-cluster: counters {"requests":2,');
      expect(existsSync(dirname(path))).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
  });
});
