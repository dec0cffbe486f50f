/** The transmuxer driven as a player would: the input pushed in `chunk`-byte pieces, then flushed. */
import { createTransmuxer, type TransmuxerOptions } from '../../src/transmux/index.js';

/** Every buffer the transmuxer emits (init segments and fragments), in order. */
export function transmuxParts(data: Uint8Array, chunk: number, options: Partial<TransmuxerOptions> = {}): Uint8Array[] {
  const out: Uint8Array[] = [];
  const t = createTransmuxer({ ...options, onInit: (b) => out.push(b), onFragment: (b) => out.push(b) });
  for (let p = 0; p < data.length; p += chunk) t.push(data.subarray(p, p + chunk));
  t.flush();
  return out;
}
