import { describe, expect, it } from 'vitest';
import { nadUnknownField } from '../../src/checks/nad/nad-unknown-field.js';
import { parseManifestText } from '../../src/manifests/load.js';
import { manifests, nad, run } from '../helpers/snapshot.js';

const yaml = (config: string) =>
  `apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: lan\nspec:\n  config: |\n${config
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\n`;

describe('nad-unknown-field', () => {
  it('suggests "master" for "mastr" and points at the line in the file', () => {
    const cfg = '{\n  "cniVersion": "0.3.1",\n  "type": "macvlan",\n  "mastr": "eth1",\n  "ipam": {"type": "dhcp"}\n}';
    const { nads } = parseManifestText('lan.yaml', yaml(cfg));
    const fs = run(nadUnknownField, manifests({ nads }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('warning');
    expect(fs[0]!.message).toContain('did you mean "master"');
    // "mastr" is on line 4 of the config, which starts on line 7 of the file.
    expect(fs[0]!.evidence[0]).toMatchObject({ path: 'lan.yaml', line: 10, column: 7, value: 'mastr' });
  });

  it('warns on whereabouts spelling in host-local ("range_start" → "rangeStart")', () => {
    const fs = run(
      nadUnknownField,
      manifests({
        nads: [
          nad('x', {
            cniVersion: '0.3.1',
            type: 'macvlan',
            master: 'eth1',
            ipam: { type: 'host-local', subnet: '10.0.0.0/24', range_start: '10.0.0.10' },
          }),
        ],
      }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('did you mean "rangeStart"');
    expect(fs[0]!.message).toContain('how whereabouts spells it');
  });

  it('only notes a case-only difference ("rangestart"): Go decodes it anyway', () => {
    const fs = run(
      nadUnknownField,
      manifests({
        nads: [
          nad('x', {
            cniVersion: '0.3.1',
            type: 'macvlan',
            master: 'eth1',
            ipam: { type: 'host-local', subnet: '10.0.0.0/24', rangestart: '10.0.0.10' },
          }),
        ],
      }),
    );
    expect(fs.map((f) => [f.severity, f.message.includes('"rangeStart"')])).toEqual([['info', true]]);
  });

  it('says where a misplaced key belongs (IPAM key at plugin level, plugin key inside ipam)', () => {
    const fs = run(
      nadUnknownField,
      manifests({
        nads: [
          nad('x', {
            cniVersion: '0.3.1',
            type: 'macvlan',
            subnet: '10.0.0.0/24',
            ipam: { type: 'static', master: 'eth1' },
          }),
        ],
      }),
    );
    expect(fs).toHaveLength(2);
    expect(fs.map((f) => f.fix).join('\n')).toMatch(/inside "ipam"/);
    expect(fs.map((f) => f.fix).join('\n')).toMatch(/out of "ipam"/);
  });

  it('warns on a misspelt capability (libcni matches them exactly)', () => {
    const fs = run(
      nadUnknownField,
      manifests({
        nads: [
          nad('x', {
            cniVersion: '0.3.1',
            type: 'macvlan',
            master: 'eth1',
            capabilities: { IPs: true },
            ipam: { type: 'static' },
          }),
        ],
      }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('"ips"');
  });

  it('catches the real whereabouts typo "enable_overlapping_range"', () => {
    const fs = run(
      nadUnknownField,
      manifests({
        nads: [
          nad('x', {
            cniVersion: '0.3.0',
            type: 'bridge',
            bridge: 'br1',
            ipam: { type: 'whereabouts', range: '10.0.0.0/24', enable_overlapping_range: false },
          }),
        ],
      }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['warning']);
  });

  it('does not judge third-party plugins, known fields, or whereabouts keys it does not know (info at most)', () => {
    const ok = [
      nad('a', {
        cniVersion: '0.3.1',
        type: 'sriov',
        vlan: 100,
        spoofchk: 'on',
        trust: 'on',
        ipam: { type: 'host-local', subnet: '10.0.0.0/24' },
      }),
      nad('b', {
        cniVersion: '0.3.1',
        name: 'b',
        plugins: [
          {
            type: 'macvlan',
            master: 'eth1',
            mode: 'bridge',
            capabilities: { mac: true },
            ipam: {
              type: 'static',
              addresses: [{ address: '10.0.0.5/24', gateway: '10.0.0.1' }],
              routes: [{ dst: '0.0.0.0/0' }],
            },
          },
          { type: 'tuning', sysctl: {} },
          { type: 'sbr' },
        ],
      }),
      nad('c', {
        cniVersion: '0.3.1',
        type: 'ipvlan',
        master: 'eth1',
        ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24', rangeStart: '10.1.0.10' }]] },
      }),
    ];
    expect(run(nadUnknownField, manifests({ nads: ok }))).toEqual([]);
    const wb = run(
      nadUnknownField,
      manifests({
        nads: [
          nad('d', {
            cniVersion: '0.3.1',
            type: 'macvlan',
            master: 'eth1',
            ipam: { type: 'whereabouts', range: '10.0.0.0/24', some_new_option: true },
          }),
        ],
      }),
    );
    expect(wb.map((f) => f.severity)).toEqual(['info']);
  });
});

describe('nad-unknown-field on a conflist itself', () => {
  it('warns that a top-level "type" hides the plugins list, and that plugin keys there are ignored', () => {
    const fs = run(
      nadUnknownField,
      manifests({
        nads: [
          nad('x', {
            cniVersion: '0.3.1',
            name: 'x',
            type: 'macvlan',
            master: 'eth1',
            plugins: [{ type: 'macvlan', master: 'eth1' }],
          }),
        ],
      }),
    );
    expect(fs.map((f) => f.evidence[0]!.value)).toEqual(['type', 'master']);
    expect(fs[0]!.message).toContain('"plugins" list is ignored');
  });
});
