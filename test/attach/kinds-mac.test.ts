import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseTarget, kindByName } from '../../src/attach/kinds.js';
import {
  isLocallyAdministeredUnicast,
  randomMac,
  stableMac,
  stableMacSeed,
  toLocalUnicast,
} from '../../src/attach/mac.js';
import { macProblem } from '../../src/model/networks-annotation.js';
import { readEntries, sameEntries } from '../../src/attach/entries.js';

describe('TYPE/NAME as kubectl takes it', () => {
  it('accepts short names, plural, group-qualified and TYPE NAME', () => {
    const cases: Array<[string[], string, string]> = [
      [['deploy/web'], 'Deployment', 'web'],
      [['deployments.apps/web'], 'Deployment', 'web'],
      [['Deployment/web'], 'Deployment', 'web'],
      [['sts', 'db'], 'StatefulSet', 'db'],
      [['ds/agent'], 'DaemonSet', 'agent'],
      [['rs/x'], 'ReplicaSet', 'x'],
      [['job/once'], 'Job', 'once'],
      [['cj/nightly'], 'CronJob', 'nightly'],
      [['cronjob.batch/nightly'], 'CronJob', 'nightly'],
      [['po/bare'], 'Pod', 'bare'],
    ];
    for (const [args, kind, name] of cases) {
      const t = parseTarget(args);
      expect(typeof t === 'string' ? t : [t.kind.kind, t.name]).toEqual([kind, name]);
    }
    expect(kindByName('cj')!.template).toEqual(['spec', 'jobTemplate', 'spec', 'template']);
  });

  it('says what is wrong with a bad target', () => {
    expect(parseTarget(['web'])).toContain('TYPE/NAME');
    expect(parseTarget(['svc/web'])).toMatch(/unknown workload type "svc".*deployment \(deploy\)/);
    expect(parseTarget(['deploy/Web_1'])).toContain('not a valid Deployment name');
    expect(parseTarget(['deploy/'])).toContain('not a valid');
    expect(parseTarget(['deploy/a', 'b'])).toContain('expected one workload');
  });
});

describe('generated MACs', () => {
  it('are always locally administered unicast, which the kernel and multus accept', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), (bytes) => {
        const mac = toLocalUnicast(bytes);
        const first = parseInt(mac.slice(0, 2), 16);
        return (
          (first & 1) === 0 &&
          (first & 2) === 2 &&
          mac.slice(3) ===
            Array.from(bytes.slice(1))
              .map((b) => b.toString(16).padStart(2, '0'))
              .join(':') &&
          macProblem(mac) === undefined &&
          isLocallyAdministeredUnicast(mac)
        );
      }),
    );
  });

  it('random draws from the source it is given', () => {
    expect(randomMac(() => new Uint8Array([1, 2, 3, 4, 5, 6]))).toBe('02:02:03:04:05:06');
  });

  it('stable depends on kind, namespace, name and network, and nothing else', () => {
    const w = { kind: 'Deployment', namespace: 'default', name: 'web' };
    const n = { namespace: 'default', name: 'lan' };
    const a = stableMac(stableMacSeed(w, n));
    expect(stableMac(stableMacSeed({ ...w }, { ...n }))).toBe(a);
    const others = [
      stableMac(stableMacSeed({ ...w, kind: 'StatefulSet' }, n)),
      stableMac(stableMacSeed({ ...w, namespace: 'prod' }, n)),
      stableMac(stableMacSeed({ ...w, name: 'api' }, n)),
      stableMac(stableMacSeed(w, { ...n, name: 'lan2' })),
    ];
    expect(new Set([a, ...others]).size).toBe(5);
    expect(isLocallyAdministeredUnicast(a)).toBe(true);
  });
});

describe('the two annotation forms', () => {
  it('mean the same thing when they name the same attachments', () => {
    const short = readEntries('lan@net1, infra/x');
    const json = readEntries(
      '[{"name":"lan","interface":"net1","namespace":"default"},{"name":"x","namespace":"infra"}]',
    );
    expect(short.form).toBe('short');
    expect(json.form).toBe('json');
    expect(sameEntries(short.entries, json.entries, 'default')).toBe(true);
    expect(sameEntries(short.entries, json.entries, 'other')).toBe(false);
  });

  it('reports an unparsable value instead of guessing', () => {
    expect(readEntries('lan/x/y').error).toContain("at most one '/'");
    expect(readEntries(undefined).form).toBe('absent');
  });
});
