/**
 * The polyphase synthesis filterbank (ISO/IEC 11172-3 §2.4.3.2 / Annex A Figure A.2): 32 subband samples in,
 * 32 PCM samples out, with the 512-coefficient window D[i] (Table B.3) and the V vector of the last 16 steps.
 */
import { dct32 } from './dct32.js';

/**
 * D[0…256] (Table B.3) in units of 2⁻¹⁶; the rest follows by symmetry: D[512 − i] = −D[i], except at
 * multiples of 64 where the sign stays.
 */
const HALF_WINDOW = [
  0, -1, -1, -1, -1, -1, -1, -2, -2, -2, -2, -3, -3, -4, -4, -5, -5, -6, -7, -7, -8, -9, -10, -11, -13, -14, -16, -17, -19, -21, -24, -26,
  -29, -31, -35, -38, -41, -45, -49, -53, -58, -63, -68, -73, -79, -85, -91, -97, -104, -111, -117, -125, -132, -139, -147, -154, -161, -169,
  -176, -183, -190, -196, -202, -208, 213, 218, 222, 225, 227, 228, 228, 227, 224, 221, 215, 208, 200, 189, 177, 163, 146, 127, 106, 83, 57,
  29, -2, -36, -72, -111, -153, -197, -244, -294, -347, -401, -459, -519, -581, -645, -711, -779, -848, -919, -991, -1064, -1137, -1210,
  -1283, -1356, -1428, -1498, -1567, -1634, -1698, -1759, -1817, -1870, -1919, -1962, -2001, -2032, -2057, -2075, -2085, -2087, -2080,
  -2063, 2037, 2000, 1952, 1893, 1822, 1739, 1644, 1535, 1414, 1280, 1131, 970, 794, 605, 402, 185, -45, -288, -545, -814, -1095, -1388,
  -1692, -2006, -2330, -2663, -3004, -3351, -3705, -4063, -4425, -4788, -5153, -5517, -5879, -6237, -6589, -6935, -7271, -7597, -7910,
  -8209, -8491, -8755, -8998, -9219, -9416, -9585, -9727, -9838, -9916, -9959, -9966, -9935, -9863, -9750, -9592, -9389, -9139, -8840,
  -8492, -8092, -7640, -7134, 6574, 5959, 5288, 4561, 3776, 2935, 2037, 1082, 70, -998, -2122, -3300, -4533, -5818, -7154, -8540, -9975,
  -11455, -12980, -14548, -16155, -17799, -19478, -21189, -22929, -24694, -26482, -28289, -30112, -31947, -33791, -35640, -37489, -39336,
  -41176, -43006, -44821, -46617, -48390, -50137, -51853, -53534, -55178, -56778, -58333, -59838, -61289, -62684, -64019, -65290, -66494,
  -67629, -68692, -69679, -70590, -71420, -72169, -72835, -73415, -73908, -74313, -74630, -74856, -74992, 75038,
];

let window: Float64Array | undefined;

function synthesisWindow(): Float64Array {
  if (!window) {
    window = new Float64Array(512);
    for (let i = 0; i <= 256; i++) {
      const v = HALF_WINDOW[i]! / 65536;
      window[i] = v;
      if (i > 0) window[512 - i] = i % 64 ? -v : v;
    }
  }
  return window;
}

/** Synthesis state of one channel: the V vector (16 × 64 values) as a ring. */
export class SynthesisFilter {
  private readonly v = new Float64Array(1024);
  private offset = 0;
  private readonly x = new Float64Array(32);
  private readonly acc = new Float64Array(32);
  private readonly y = new Float64Array(32);

  /**
   * Filters `slots` time slots of 32 subband samples, `sub[slots·sb + slot]` (18 per Layer III granule, 36 per
   * Layer II frame, 12 per Layer I frame), into 32 · `slots` PCM samples at `out[at…]`.
   */
  run(sub: Float64Array, out: Float32Array, at: number, slots = 18): void {
    const d = synthesisWindow();
    const v = this.v;
    const x = this.x;
    const acc = this.acc;
    const y = this.y;
    for (let slot = 0; slot < slots; slot++) {
      this.offset = (this.offset - 64) & 1023;
      const o = this.offset;
      for (let k = 0; k < 32; k++) x[k] = sub[slots * k + slot]!;
      // Matrixing, V[i] = Σ cos((16 + i)(2k + 1)π/64)·x[k], from one DCT-II X: V[i] = X[16 + i] (i ≤ 16, X[32] = 0),
      // V[32 − i] = −V[i], V[48 − m] = V[48 + m] = −X[m] (m ≤ 15).
      dct32(x, y);
      for (let i = 0; i < 16; i++) {
        const t = y[16 + i]!;
        v[o + i] = t;
        v[o + 32 - i] = -t;
        const u = -y[i]!;
        v[o + 48 - i] = u;
        v[o + 48 + i] = u;
      }
      v[o + 16] = 0;
      // Windowing: the 16 V segments (o is a multiple of 64, so a segment never wraps).
      acc.fill(0);
      for (let i = 0; i < 8; i++) {
        const b1 = (o + 128 * i) & 1023;
        const b2 = (o + 128 * i + 96) & 1023;
        const d1 = 64 * i;
        const d2 = 64 * i + 32;
        for (let j = 0; j < 32; j++) acc[j] = acc[j]! + v[b1 + j]! * d[d1 + j]! + v[b2 + j]! * d[d2 + j]!;
      }
      const to = at + 32 * slot;
      for (let j = 0; j < 32; j++) out[to + j] = acc[j]!;
    }
  }
}
