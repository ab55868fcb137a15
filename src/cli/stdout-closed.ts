/**
 * `kubectl multus explain --list | head -2`: once the reader has gone, a write to stdout fails with
 * EPIPE, which Node raises as an unhandled 'error' event (a stack trace and exit 1). Instead the
 * rest of the output is dropped quietly and the command still finishes its work (a probe still
 * deletes its test pods); bin.ts then exits 0, as `kubectl … | head` does.
 */
let closed = false;

export function stdoutClosed(): boolean {
  return closed;
}

export function guardClosedStdout(): void {
  const onError = (stream: NodeJS.WriteStream) => (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') {
      if (stream === process.stdout) closed = true;
      // Later writes go nowhere instead of raising again (their callbacks still run: bin.ts
      // waits on one before it exits).
      stream.write = ((_chunk: unknown, a?: unknown, b?: unknown) => {
        const cb = typeof a === 'function' ? a : typeof b === 'function' ? b : undefined;
        if (cb) process.nextTick(cb as () => void);
        return true;
      }) as typeof stream.write;
      return;
    }
    throw e;
  };
  process.stdout.on('error', onError(process.stdout));
  process.stderr.on('error', onError(process.stderr));
}
