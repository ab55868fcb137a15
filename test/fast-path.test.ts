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

  it('help lists every top-level command', () => {
    const out = runCli(['--help']).stdout;
    for (const c of ['lint', 'check', 'explain', 'version']) expect(out).toContain(`kubectl multus ${c}`);
  });
});
