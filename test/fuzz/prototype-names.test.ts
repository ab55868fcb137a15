/**
 * User keys are never looked up on a prototype (issue #10): a NAD, plugin, interface, label or
 * selection key named like a property of Object.prototype ("constructor", "__proto__",
 * "toString"…) is an ordinary string to every check. Before, `"interface": "constructor"` was
 * reported as "…which is function Object() { [native code] }".
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifests/load.js';
import { runChecks } from '../../src/engine.js';
import { RUNS } from './arbitraries.js';

const PROTO_NAMES = [
  ...Object.getOwnPropertyNames(Object.prototype),
  '__proto__',
  'prototype',
  'then',
  'length',
  'name',
];
const word = fc.oneof(
  fc.constantFrom(...PROTO_NAMES),
  fc.constantFrom('eth1', 'macvlan', 'bridge', 'static', 'net1', 'lan'),
);

const manifest = (w: string[]) => {
  const [name, type, master, mode, ipamType, cfgKey, iface, net, selKey, annKey, labelKey, cniVersion] = w.map((s) =>
    JSON.stringify(s).slice(1, -1),
  );
  const cfg = JSON.stringify({
    cniVersion,
    name,
    type,
    master,
    mode,
    ipam: { type: ipamType, [cfgKey!]: cfgKey },
    [cfgKey!]: 1,
    capabilities: { [cfgKey!]: true },
  });
  const sel = JSON.stringify([
    { name: net, namespace: 'lan', interface: iface, mac: iface, ips: [iface], [selKey!]: selKey },
    { name: `${net}@${iface}` },
  ]);
  return `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: ${JSON.stringify(name)}
  namespace: lan
  annotations: {${JSON.stringify(annKey)}: x}
spec:
  config: ${JSON.stringify(cfg)}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${JSON.stringify(name)}, namespace: lan, labels: {${JSON.stringify(labelKey)}: x}}
spec:
  template:
    metadata:
      annotations:
        k8s.v1.cni.cncf.io/networks: ${JSON.stringify(sel)}
        ${JSON.stringify(annKey)}: y
    spec:
      nodeName: ${JSON.stringify(master)}
      containers: [{name: c, image: i}]
`;
};

describe('prototype names in user keys and values', () => {
  it('never reach a prototype: no "[native code]", no "[object Object]", no crashed check', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 12, maxLength: 12 }), (w) => {
        const text = manifest(w);
        const { snapshot, inputErrors } = loadManifests(['-'], false, () => text);
        expect(inputErrors).toEqual([]);
        expect(snapshot.nads).toHaveLength(1);
        const r = runChecks(snapshot, { scopes: ['objects'] });
        expect(r.errors).toEqual([]);
        for (const f of r.findings) {
          const all = JSON.stringify(f);
          expect(all).not.toContain('[native code]');
          expect(all).not.toContain('[object Object]');
        }
      }),
      RUNS,
    );
  });

  it('"interface": "constructor" is an ordinary interface name', () => {
    const text = manifest([
      'lan',
      'macvlan',
      'eth1',
      'bridge',
      'static',
      'x',
      'constructor',
      'lan',
      'constructor',
      'a',
      'b',
      '0.3.1',
    ]);
    const { snapshot } = loadManifests(['-'], false, () => text);
    const msgs = runChecks(snapshot, { scopes: ['objects'] }).findings.map((f) => `${f.message} ${f.fix}`);
    expect(msgs.join('\n')).not.toMatch(/native code|which is function/);
    expect(msgs.some((m) => m.includes('has the key "constructor", which multus ignores.'))).toBe(true);
  });
});
