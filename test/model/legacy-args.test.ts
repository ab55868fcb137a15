/** docs/plugins.md is the people's copy of src/model/legacy-args.ts: every entry, same answers, same source. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IP_SUPPORT, MAC_SUPPORT, macSupport } from '../../src/model/legacy-args.js';
import { ROOT } from '../helpers/cli.js';

const doc = readFileSync(join(ROOT, 'docs', 'plugins.md'), 'utf8');

function row(section: string, name: string): string[] | undefined {
  const part = doc.slice(doc.indexOf(section));
  const line = part.split('\n').find((l) => l.startsWith(`| ${name} |`));
  return line?.split('|').map((c) => c.trim());
}
const yes = (cell: string | undefined) => /^(\*\*)?yes/.test(cell ?? '');

describe('plugin MAC/IP table', () => {
  it.each(Object.entries(MAC_SUPPORT))('MAC: %s matches docs/plugins.md', (name, s) => {
    const r = row('## MAC', name);
    expect(r, `docs/plugins.md has no MAC row for ${name}`).toBeDefined();
    expect([yes(r![2]), yes(r![3])]).toEqual([s.legacy, s.capability]);
    const [repo, path] = s.source.split(' ');
    expect(r![5]).toContain(repo);
    expect(r![5]).toContain(path);
  });

  it.each(Object.entries(IP_SUPPORT))('IP: %s matches docs/plugins.md', (name, s) => {
    const r = row('## IP', name);
    expect(r, `docs/plugins.md has no IP row for ${name}`).toBeDefined();
    expect([yes(r![2]), yes(r![3])]).toEqual([s.legacy, s.capability]);
    expect(r![4]).toContain(s.source.split(' ')[1]);
  });

  it('does not answer for Object.prototype names', () => {
    expect(macSupport('constructor')).toBeUndefined();
    expect(macSupport('toString')).toBeUndefined();
  });
});
