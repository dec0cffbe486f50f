/**
 * Alias reduction (ISO/IEC 11172-3 §2.4.3.4.10, Table B.9): eight butterflies across each subband boundary
 * of long blocks; for mixed blocks only between the two long subbands; none for short blocks.
 */
import type { Granule } from './side-info.js';
import { ALIAS_C } from './tables.js';

let cs: Float64Array | undefined;
let ca: Float64Array | undefined;

/** Applies the alias-reduction butterflies to the 576 lines of `xr`. */
export function antialias(xr: Float64Array, g: Granule): void {
  if (!cs || !ca) {
    cs = new Float64Array(8);
    ca = new Float64Array(8);
    for (let i = 0; i < 8; i++) {
      const c = ALIAS_C[i]!;
      cs[i] = 1 / Math.sqrt(1 + c * c);
      ca[i] = c / Math.sqrt(1 + c * c);
    }
  }
  const bounds = g.blockType === 2 ? (g.mixed ? 1 : 0) : 31;
  for (let sb = 1; sb <= bounds; sb++) {
    const at = 18 * sb;
    for (let i = 0; i < 8; i++) {
      const a = xr[at - 1 - i]!;
      const b = xr[at + i]!;
      xr[at - 1 - i] = a * cs[i]! - b * ca[i]!;
      xr[at + i] = b * cs[i]! + a * ca[i]!;
    }
  }
}
