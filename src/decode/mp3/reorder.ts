/**
 * Short-block reordering (ISO/IEC 11172-3 §2.4.3.4.10): the lines of each short band arrive window by window;
 * the IMDCT wants them interleaved (line j of windows 0, 1, 2 side by side).
 */
import type { Granule } from './side-info.js';
import { SHORT_BAND_WIDTHS } from './tables.js';

const tmp = new Float64Array(576);

/** Reorders the short bands of `xr` in place (nothing for long blocks). */
export function reorderShort(xr: Float64Array, g: Granule, ri: number): void {
  if (g.blockType !== 2) return;
  // Mixed blocks: the long part is 36 lines (72 at 8 kHz, 6 bands of 12).
  let p = g.mixed ? (ri === 8 ? 72 : 36) : 0;
  const widths = SHORT_BAND_WIDTHS[ri]!;
  for (let b = g.shortStart; b < 13; b++) {
    const len = widths[b]!;
    for (let j = 0; j < len; j++) {
      tmp[3 * j] = xr[p + j]!;
      tmp[3 * j + 1] = xr[p + len + j]!;
      tmp[3 * j + 2] = xr[p + 2 * len + j]!;
    }
    for (let j = 0; j < 3 * len; j++) xr[p + j] = tmp[j]!;
    p += 3 * len;
  }
}
