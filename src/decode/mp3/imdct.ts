/**
 * The hybrid filterbank's IMDCT (ISO/IEC 11172-3 §2.4.3.4.10): per subband a 36-point IMDCT (long blocks) or
 * three 12-point ones (short blocks), windowed by block type, overlapped with the previous granule's second
 * half, then frequency inversion of odd subbands. Cosine and window tables are built at first use.
 */
import { cos, sin } from '../../model/portable-math.js';
import type { Granule } from './side-info.js';

interface ImdctTables {
  /** cos36[i·18 + k] = cos(π/72·(2i + 1 + 18)(2k + 1)), i < 36. */
  cos36: Float64Array;
  /** cos12[i·6 + k] = cos(π/24·(2i + 1 + 6)(2k + 1)), i < 12. */
  cos12: Float64Array;
  /** Windows by block type 0…3 (36 coefficients; type 2 uses the first 12). */
  windows: Float64Array[];
}

let t: ImdctTables | undefined;

function tables(): ImdctTables {
  if (!t) {
    const cos36 = new Float64Array(36 * 18);
    for (let i = 0; i < 36; i++) for (let k = 0; k < 18; k++) cos36[i * 18 + k] = cos((Math.PI / 72) * (2 * i + 1 + 18) * (2 * k + 1));
    const cos12 = new Float64Array(12 * 6);
    for (let i = 0; i < 12; i++) for (let k = 0; k < 6; k++) cos12[i * 6 + k] = cos((Math.PI / 24) * (2 * i + 1 + 6) * (2 * k + 1));
    const windows = [0, 1, 2, 3].map(() => new Float64Array(36));
    for (let i = 0; i < 36; i++) {
      const long = sin((Math.PI / 36) * (i + 0.5));
      windows[0]![i] = long;
      windows[1]![i] = i < 18 ? long : i < 24 ? 1 : i < 30 ? sin((Math.PI / 12) * (i - 18 + 0.5)) : 0;
      windows[3]![i] = i < 6 ? 0 : i < 12 ? sin((Math.PI / 12) * (i - 6 + 0.5)) : i < 18 ? 1 : long;
      if (i < 12) windows[2]![i] = sin((Math.PI / 12) * (i + 0.5));
    }
    t = { cos36, cos12, windows };
  }
  return t;
}

const raw = new Float64Array(36);

/**
 * Transforms the 576 lines `xr` of granule `g` into 18 time samples for each of the 32 subbands, written to
 * `out[18·sb + n]`; `overlap` (576, per channel) carries the second halves between granules.
 */
export function imdctGranule(xr: Float64Array, g: Granule, overlap: Float64Array, out: Float64Array): void {
  const { cos36, cos12, windows } = tables();
  // Subbands above the last nonzero line only flush their overlap (ffmpeg's sblimit).
  let last = 575;
  while (last >= 36 && xr[last] === 0) last--;
  const sblimit = Math.floor(last / 18) + 1;
  for (let sb = 0; sb < 32; sb++) {
    const base = 18 * sb;
    if (sb >= sblimit) {
      for (let n = 0; n < 18; n++) {
        out[base + n] = overlap[base + n]!;
        overlap[base + n] = 0;
      }
    } else if (g.blockType !== 2 || (g.mixed && sb < 2)) {
      const win = windows[g.blockType === 2 ? 0 : g.blockType]!;
      // Only 18 of the 36 outputs are distinct: y[17 − n] = −y[n] and y[35 − n] = y[18 + n] (n < 9).
      for (let h = 0; h < 18; h++) {
        const i = h < 9 ? h : h + 9;
        let s = 0;
        const row = i * 18;
        for (let k = 0; k < 18; k++) s += xr[base + k]! * cos36[row + k]!;
        if (i < 9) {
          raw[i] = s * win[i]!;
          raw[17 - i] = -s * win[17 - i]!;
        } else {
          raw[i] = s * win[i]!;
          raw[53 - i] = s * win[53 - i]!;
        }
      }
      for (let n = 0; n < 18; n++) {
        out[base + n] = raw[n]! + overlap[base + n]!;
        overlap[base + n] = raw[18 + n]!;
      }
    } else {
      raw.fill(0);
      const win = windows[2]!;
      for (let w = 0; w < 3; w++) {
        for (let i = 0; i < 12; i++) {
          let s = 0;
          const row = i * 6;
          for (let k = 0; k < 6; k++) s += xr[base + 3 * k + w]! * cos12[row + k]!;
          raw[6 + 6 * w + i] = raw[6 + 6 * w + i]! + s * win[i]!;
        }
      }
      for (let n = 0; n < 18; n++) {
        out[base + n] = raw[n]! + overlap[base + n]!;
        overlap[base + n] = raw[18 + n]!;
      }
    }
    if (sb & 1) for (let n = 1; n < 18; n += 2) out[base + n] = -out[base + n]!;
  }
}
