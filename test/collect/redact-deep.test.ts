/** Redaction of every string of a snapshot (issue #10): secrets by key name and shape go, the rest stays. */
import { describe, expect, it } from 'vitest';
import { describeRedactions, redactDeep, redactString, type RedactionCounts } from '../../src/collect/redact.js';

const r = (s: string) => {
  const c: RedactionCounts = {};
  return { out: redactString(s, c), c };
};

describe('redactString', () => {
  it.each([
    ['JSON', '{"type": "macvlan", "etcd_password": "hunter2xyz"}', 'hunter2xyz'],
    ['escaped JSON in a log line', 'config: {\\"password\\":\\"hunter2xyz\\"}', 'hunter2xyz'],
    ['YAML', 'users:\n- name: a\n  user:\n    token: hunter2xyz\n', 'hunter2xyz'],
    ['TOML', '[registry.auth]\n  password = "hunter2xyz"\n  auth = "aHVudGVyMnh5eg=="\n', 'hunter2xyz'],
    ['k=v in a log', 'connecting token=hunter2xyz to server', 'hunter2xyz'],
    ['CNI_ARGS', 'IgnoreUnknown=1;K8S_POD_NAME=a;password=hunter2xyz', 'hunter2xyz'],
    ['a flag', 'args: --api-key=hunter2xyz --v=2', 'hunter2xyz'],
    ['URL credentials', 'proxy https://bob:hunter2xyz@proxy.example:3128', 'hunter2xyz'],
    ['Bearer', 'Authorization: Bearer hunter2xyzhunter2xyz', 'hunter2xyz'],
    ['PEM key', '-----BEGIN RSA PRIVATE KEY-----\nhunter2xyz\n-----END RSA PRIVATE KEY-----', 'hunter2xyz'],
  ])('%s', (_n, text, secret) => {
    const { out, c } = r(text);
    expect(out).not.toContain(secret);
    expect(out).toContain('REDACTED');
    expect(Object.values(c).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // idempotent
    expect(r(out).out).toBe(out);
  });

  it.each([
    [
      'paths and references under secret-looking names',
      '{"tokenFile": "/var/run/secrets/token", "secretName": "db", "etcd_key_file": "/etc/k.pem"}',
    ],
    [
      'ordinary CNI config',
      '{"cniVersion": "0.3.1", "type": "macvlan", "master": "eth1", "mode": "bridge", "ipam": {"type": "whereabouts", "range": "10.1.1.0/24"}}',
    ],
    ['ordinary log lines', 'mode=bridge master=eth1 kubeconfig=/etc/cni/net.d/multus.d/multus.kubeconfig'],
    [
      'an event about a taint',
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }',
    ],
  ])('keeps %s', (_n, text) => {
    expect(r(text)).toEqual({ out: text, c: {} });
  });
});

describe('redactDeep', () => {
  it('walks every string, keeps keys and structure, counts by kind', () => {
    const c: RedactionCounts = {};
    const snap = {
      nads: [{ name: 'a', config: '{"password": "p4ssw0rd!"}' }],
      nodes: [{ taints: [{ key: 'k', effect: 'NoSchedule' }] }],
      events: [{ message: 'token=abcdef123' }],
      n: 3,
    };
    const out = redactDeep(snap, c);
    expect(out).toEqual({
      nads: [{ name: 'a', config: '{"password": "REDACTED"}' }],
      nodes: [{ taints: [{ key: 'k', effect: 'NoSchedule' }] }],
      events: [{ message: 'token=REDACTED' }],
      n: 3,
    });
    expect(c).toEqual({ 'by key name (password)': 1, 'by key name (token)': 1 });
    expect(describeRedactions(c)).toBe('2 values: 1 by key name (password), 1 by key name (token)');
    expect(describeRedactions({})).toBe('none found');
  });
});
