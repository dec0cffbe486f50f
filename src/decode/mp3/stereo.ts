/**
 * Layer III joint stereo (ISO/IEC 11172-3 §2.4.3.4.9, 13818-3 §2.4.3.2): mid/side and intensity stereo on the
 * requantized lines of one granule. Intensity stereo is applied, as ffmpeg applies it, from the top band down
 * to the first band whose right channel has a nonzero line (per window for short bands); the bands below
 * get M/S when that is on too.
 */
import { pow, tan } from '../../model/portable-math.js';
import type { Granule } from './side-info.js';
import { LONG_BAND_WIDTHS, SHORT_BAND_WIDTHS } from './tables.js';

const SQRT1_2 = Math.SQRT1_2;

interface IntensityTables {
  /** MPEG-1: [left factor, right factor] by is_pos 0…6 (7+ invalid). */
  mpeg1: Float64Array[];
  /** LSF: [intensity_scale][left/right] by is_pos 0…15. */
  lsf: Float64Array[][];
}

let isTables: IntensityTables | undefined;

function intensityTables(): IntensityTables {
  if (!isTables) {
    const l = new Float64Array(16);
    const r = new Float64Array(16);
    for (let i = 0; i < 7; i++) {
      const f = i === 6 ? 1 : tan((i * Math.PI) / 12) / (1 + tan((i * Math.PI) / 12));
      l[i] = f;
      r[6 - i] = f;
    }
    const lsf: Float64Array[][] = [];
    for (let j = 0; j < 2; j++) {
      const a = new Float64Array(16);
      const b = new Float64Array(16);
      for (let i = 0; i < 16; i++) {
        const f = pow(2, (-(j + 1) * ((i + 1) >> 1)) / 4);
        // Odd positions attenuate the left channel, even ones the right.
        if (i & 1) (a[i] = f), (b[i] = 1);
        else (a[i] = 1), (b[i] = f);
      }
      lsf.push([a, b]);
    }
    isTables = { mpeg1: [l, r], lsf };
  }
  return isTables;
}

function midSide(x0: Float64Array, x1: Float64Array, from: number, n: number, scale: number): void {
  for (let j = from; j < from + n; j++) {
    const a = x0[j]!;
    const b = x1[j]!;
    x0[j] = (a + b) * scale;
    x1[j] = (a - b) * scale;
  }
}

function anyNonZero(x: Float64Array, from: number, n: number): boolean {
  for (let j = from; j < from + n; j++) if (x[j] !== 0) return true;
  return false;
}

/**
 * Applies the stereo processing of mode_extension `modeExt` (bit 1 M/S, bit 0 intensity) to the lines `x0`
 * (left/mid) and `x1` (right/side) of one granule; `g1` and `sf1` are the right channel's side info and scale
 * factors, `ri` the rate index, `lsf` true for MPEG-2/2.5.
 */
export function applyStereo(x0: Float64Array, x1: Float64Array, modeExt: number, g1: Granule, sf1: Int32Array, ri: number, lsf: boolean): void {
  const ms = (modeExt & 2) !== 0;
  if (!(modeExt & 1)) {
    // M/S only: the 1/√2 is already in the global gain.
    if (ms) midSide(x0, x1, 0, 576, 1);
    return;
  }
  const t = intensityTables();
  const [tl, tr] = lsf ? t.lsf[g1.scalefacCompress & 1]! : t.mpeg1;
  const sfMax = lsf ? 16 : 7;
  const shortW = SHORT_BAND_WIDTHS[ri]!;
  const longW = LONG_BAND_WIDTHS[ri]!;
  let at = 576;
  const found = [false, false, false];
  const band = (len: number, k: number, done: boolean): boolean => {
    // Returns whether a nonzero right line was found in this band.
    if (!done) {
      if (anyNonZero(x1, at, len)) {
        if (ms) midSide(x0, x1, at, len, SQRT1_2);
        return true;
      }
      const s = sf1[k]!;
      if (s >= sfMax) {
        if (ms) midSide(x0, x1, at, len, SQRT1_2);
        return false;
      }
      const a = tl![s]!;
      const b = tr![s]!;
      for (let j = at; j < at + len; j++) {
        const v = x0[j]!;
        x0[j] = v * a;
        x1[j] = v * b;
      }
      return false;
    }
    if (ms) midSide(x0, x1, at, len, SQRT1_2);
    return true;
  };
  let k = (13 - g1.shortStart) * 3 + g1.longEnd - 3;
  for (let i = 12; i >= g1.shortStart; i--) {
    // The last short band has no scale factor of its own: it uses band 11's.
    if (i !== 11) k -= 3;
    const len = shortW[i]!;
    for (let w = 2; w >= 0; w--) {
      at -= len;
      found[w] = band(len, k + w, found[w]!);
    }
  }
  let done = found[0]! || found[1]! || found[2]!;
  for (let i = g1.longEnd - 1; i >= 0; i--) {
    const len = longW[i]!;
    at -= len;
    done = band(len, i === 21 ? 20 : i, done);
  }
}
