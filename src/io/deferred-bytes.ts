/**
 * Bytes that are not stored back to back anywhere (an MPEG-TS access unit is spread over transport
 * packets and its NAL units need length prefixes): a writer asks them to copy themselves into place,
 * so they are copied once, straight into the output, instead of being assembled first.
 */
export interface DeferredBytes {
  readonly length: number;
  /** Writes the `length` bytes at `out[pos]`. */
  copyTo(out: Uint8Array, pos: number): void;
}

/** A run of output bytes: a view, or bytes written on demand. */
export type ByteRun = Uint8Array | DeferredBytes;

/** The bytes of `run` as one view (a copy for deferred bytes). */
export function contiguous(run: ByteRun): Uint8Array {
  if (run instanceof Uint8Array) return run;
  const out = new Uint8Array(run.length);
  run.copyTo(out, 0);
  return out;
}
