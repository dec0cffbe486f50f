/** The transmuxer driven as a player would: the input pushed in `chunk`-byte pieces, then flushed. */
import { concatBytes } from '../../src/io/bytes.js';
import { createTransmuxer, type FragmentInfo, type InitInfo, type TransmuxerOptions } from '../../src/transmux/index.js';

/** Every buffer the transmuxer emits (init segments and fragments), in order. */
export function transmuxParts(data: Uint8Array, chunk: number, options: Partial<TransmuxerOptions> = {}): Uint8Array[] {
  const out: Uint8Array[] = [];
  const t = createTransmuxer({ ...options, onInit: (b) => out.push(b), onFragment: (b) => out.push(b) });
  for (let p = 0; p < data.length; p += chunk) t.push(data.subarray(p, p + chunk));
  t.flush();
  return out;
}

/** What {@link transmux} collects: each callback in order, and all the bytes as one file. */
export interface TransmuxOutput {
  events: Array<{ kind: 'init'; bytes: Uint8Array; info: InitInfo } | { kind: 'fragment'; bytes: Uint8Array; info: FragmentInfo }>;
  all: Uint8Array;
}

/**
 * Pushes each input in `chunk`-byte pieces (0 = whole) to one transmuxer made with `options`, with `flush()` after
 * each input when `flushEach` (else once at the end), and collects the output. `before(tm, i)` runs before input
 * `i` is pushed (to call methods such as `alignGopsWith`).
 */
export function transmux(
  inputs: readonly Uint8Array[],
  chunk: number,
  options: Partial<TransmuxerOptions> = {},
  flushEach = false,
  before?: (tm: ReturnType<typeof createTransmuxer>, index: number) => void,
): TransmuxOutput {
  const events: TransmuxOutput['events'] = [];
  const tm = createTransmuxer({
    ...options,
    onInit: (bytes, info) => events.push({ kind: 'init', bytes, info }),
    onFragment: (bytes, info) => events.push({ kind: 'fragment', bytes, info }),
  });
  for (const [i, data] of inputs.entries()) {
    before?.(tm, i);
    if (chunk === 0) tm.push(data);
    else for (let p = 0; p < data.length; p += chunk) tm.push(data.subarray(p, p + chunk));
    if (flushEach) tm.flush();
  }
  if (!flushEach) tm.flush();
  return { events, all: concatBytes(events.map((e) => e.bytes)) };
}
