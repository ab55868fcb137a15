/** Where output goes and whether it may be coloured: the CLI's only knowledge of the terminal. */
export interface Io {
  out(s: string): void;
  err(s: string): void;
  stdoutIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** All of standard input until EOF (at most 64 MiB; throws InputTooLarge beyond). */
  readStdin(): Promise<string>;
  cwd: string;
}

import { readStreamBounded } from '../manifests/read.js';

/** What every command handler gets: where to print, and how to set the process's exit code. */
export interface CommandContext {
  io: Io;
  setCode(code: number): void;
}

export function processIo(): Io {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    stdoutIsTTY: !!process.stdout.isTTY,
    env: process.env,
    // A stream, not readFileSync(0): a pipe is non-blocking and a slow producer gives EAGAIN.
    readStdin: async () => (await readStreamBounded(process.stdin)).toString('utf8'),
    cwd: process.cwd(),
  };
}

/** Colour only on a TTY, never with NO_COLOR (any non-empty value) or --no-color; FORCE_COLOR forces it. */
export function useColor(io: Io, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '') return false;
  if (io.env['FORCE_COLOR'] !== undefined && io.env['FORCE_COLOR'] !== '0') return true;
  return io.stdoutIsTTY && io.env['TERM'] !== 'dumb';
}
