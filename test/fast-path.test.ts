import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

// The fast path answers version/--help without loading yargs; it must print exactly what the
// full parser prints, or users would see two different CLIs.
describe('startup fast path', () => {
  for (const args of [['--help'], ['-h'], ['version'], ['--version']]) {
    it(`prints the same for ${args.join(' ')} with and without the fast path`, () => {
      const fast = runCli(args, { env: { COLUMNS: '100' } });
      const slow = runCli(args, { env: { COLUMNS: '100', KUBECTL_MULTUS_NO_FASTPATH: '1' } });
      expect(fast.code).toBe(0);
      expect(slow.code).toBe(0);
      expect(fast.stdout).toBe(slow.stdout);
      expect(fast.stdout.length).toBeGreaterThan(5);
    });
  }

  it('help lists every top-level command, kubectl style: the main job (check) first, version last', () => {
    const order = [
      'check',
      'status',
      'nads',
      'probe',
      'attach',
      'detach',
      'lint',
      'explain',
      'sysdump',
      'cleanup',
      'completion',
      'version',
    ];
    const envs: Record<string, string>[] = [{}, { KUBECTL_MULTUS_NO_FASTPATH: '1' }];
    for (const env of envs) {
      const out = runCli(['--help'], { env: { COLUMNS: '100', ...env } }).stdout;
      const listed = [...out.matchAll(/^ {2}kubectl multus (\S+)/gm)].map((m) => m[1]);
      expect(listed).toEqual(order);
    }
  });

  // kubectl's own commands end their help with an "Examples:" block; so do the ones people start with.
  for (const cmd of ['check', 'lint', 'probe', 'attach']) {
    it(`\`${cmd} --help\` ends with an Examples: block of runnable kubectl multus ${cmd} lines`, () => {
      const r = runCli([cmd, '--help'], { env: { COLUMNS: '100' } });
      expect(r.code).toBe(0);
      const [, examples] = r.stdout.split(/^Examples:\n/m);
      expect(examples, r.stdout).toBeDefined();
      const lines = examples!.split('\n').filter((l) => /^ {2}\S/.test(l));
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines.some((l) => l.includes(`kubectl multus ${cmd}`))).toBe(true);
      // Nothing after the examples: they are the last thing on screen.
      expect(examples!.split('\n').every((l) => l === '' || /^ {2}/.test(l))).toBe(true);
    });
  }
});
