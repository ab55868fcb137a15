/**
 * Bounded reads of user input (manifests for `lint`, snapshots for `check --snapshot`): one input
 * is at most MAX_INPUT_BYTES (64 MiB, documented in docs/security.md), so `-f /dev/zero` or a
 * runaway pipe ends with one clear message instead of filling memory. Standard input is read as a
 * stream until EOF: a pipe is non-blocking, and readFileSync(0) fails with EAGAIN once the
 * producer is slower than the reader (anything over the 64 KiB pipe buffer).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export const MAX_INPUT_BYTES = 64 * 1024 * 1024;
const MAX_INPUT_LABEL = `${MAX_INPUT_BYTES / 1048576} MiB`;

/** The input is larger than the limit: `what` names it ("standard input", a path). */
export class InputTooLarge extends Error {
  constructor(
    readonly what: string,
    readonly size?: number,
  ) {
    super(
      size !== undefined
        ? `${what} is ${(size / 1048576).toFixed(1)} MiB, larger than the ${MAX_INPUT_LABEL} limit for one input`
        : `${what} is larger than the ${MAX_INPUT_LABEL} limit for one input`,
    );
  }
}

/** Read a stream until EOF, refusing more than `max` bytes. */
export async function readStreamBounded(
  stream: AsyncIterable<Buffer | string>,
  what = 'standard input',
  max = MAX_INPUT_BYTES,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of stream) {
    const b = typeof c === 'string' ? Buffer.from(c) : c;
    total += b.length;
    if (total > max) {
      (stream as { destroy?: () => void }).destroy?.();
      throw new InputTooLarge(what);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Read a file the user named, whatever it is (a regular file, a FIFO, `/dev/stdin`, a character
 * device): a regular file is refused by its size before reading; anything else is read in chunks
 * until EOF or the limit.
 */
export function readFileBounded(path: string, max = MAX_INPUT_BYTES): Buffer {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (st.isFile() && st.size > max) throw new InputTooLarge(path, st.size);
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = 1024 * 1024;
    for (;;) {
      const b = Buffer.allocUnsafe(chunk);
      let n: number;
      try {
        n = readSync(fd, b, 0, chunk, null);
      } catch (e) {
        // A non-blocking descriptor (an inherited pipe) with no data yet: wait a little and retry.
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
          continue;
        }
        throw e;
      }
      if (n === 0) break;
      total += n;
      if (total > max) throw new InputTooLarge(path);
      chunks.push(b.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}
