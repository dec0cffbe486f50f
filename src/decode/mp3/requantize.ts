/**
 * Layer III requantization (ISO/IEC 11172-3 §2.4.3.4.7): xr = sign(is)·|is|^(4/3)·2^(exponent/4), with the
 * exponent from global_gain, subblock_gain, scale factors and pretab per line.
 */
import { cbrt, pow } from '../../model/portable-math.js';
import type { Granule } from './side-info.js';
import { LONG_BAND_WIDTHS, PRETAB, SHORT_BAND_WIDTHS } from './tables.js';

/** Largest |is|: 15 + 2^13 − 1 (linbits ≤ 13). */
const MAX_Q = 8206;
/** Exponents (quarter powers of two) tabulated: −EXP_BIAS … EXP_SPAN − EXP_BIAS − 1. */
const EXP_BIAS = 512;
const EXP_SPAN = 640;

let pow43: Float64Array | undefined;
let pow2q: Float64Array | undefined;

function tables(): { p43: Float64Array; p2: Float64Array } {
  if (!pow43 || !pow2q) {
    pow43 = new Float64Array(MAX_Q + 1);
    for (let q = 0; q <= MAX_Q; q++) pow43[q] = q * cbrt(q);
    pow2q = new Float64Array(EXP_SPAN);
    for (let e = 0; e < EXP_SPAN; e++) pow2q[e] = pow(2, (e - EXP_BIAS) / 4);
  }
  return { p43: pow43, p2: pow2q };
}

/**
 * Dequantizes `q` (576 lines, `count` of them possibly nonzero) of granule `g` with scale factors `sf` at rate
 * index `ri` into `xr`.
 */
export function requantize(q: Int32Array, count: number, g: Granule, sf: Int32Array, ri: number, xr: Float64Array): void {
  const { p43, p2 } = tables();
  const gain = g.globalGain - 210;
  const shift = g.scalefacScale + 1;
  let i = 0;
  const put = (n: number, e: number): void => {
    const idx = e + EXP_BIAS;
    const m = idx < 0 ? 0 : idx >= EXP_SPAN ? p2[EXP_SPAN - 1]! : p2[idx]!;
    const last = Math.min(i + n, 576);
    for (; i < last; i++) {
      if (i >= count) {
        xr[i] = 0;
        continue;
      }
      const v = q[i]!;
      xr[i] = v === 0 ? 0 : v > 0 ? p43[Math.min(v, MAX_Q)]! * m : -p43[Math.min(-v, MAX_Q)]! * m;
    }
  };
  const longW = LONG_BAND_WIDTHS[ri]!;
  for (let b = 0; b < g.longEnd; b++) put(longW[b]!, gain - ((sf[b]! + (g.preflag ? PRETAB[b]! : 0)) << shift));
  if (g.shortStart < 13) {
    const shortW = SHORT_BAND_WIDTHS[ri]!;
    let k = g.longEnd;
    for (let b = g.shortStart; b < 13; b++) {
      for (let w = 0; w < 3; w++) put(shortW[b]!, gain - (g.subblockGain[w]! << 3) - (sf[k++]! << shift));
    }
  }
  xr.fill(0, i, 576);
}
