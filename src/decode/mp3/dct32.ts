/**
 * A fast 32-point DCT-II, X[m] = Σ x[k]·cos(π·m·(2k + 1)/64), by the even/odd split (B. G. Lee, 1984): the even
 * outputs are the half-size DCT of x[k] + x[N−1−k], the odd ones sums of neighbours of the half-size DCT of
 * (x[k] − x[N−1−k]) / (2·cos(π(2k + 1)/2N)). About 80 multiplications instead of 1024.
 */
import { cos } from '../../model/portable-math.js';

/** 1 / (2·cos(π(2k + 1)/2N)) for N = 32, 16, 8, 4, 2 (keyed by N). */
let factors: Map<number, Float64Array> | undefined;
/** Scratch per size: [input halves, outputs]. */
const scratch = new Map<number, { a: Float64Array; b: Float64Array; ya: Float64Array; yb: Float64Array }>();

function factorsFor(n: number): Float64Array {
  if (!factors) {
    factors = new Map();
    for (let size = 2; size <= 32; size *= 2) {
      const f = new Float64Array(size / 2);
      for (let k = 0; k < size / 2; k++) f[k] = 1 / (2 * cos((Math.PI * (2 * k + 1)) / (2 * size)));
      factors.set(size, f);
      scratch.set(size, { a: new Float64Array(size / 2), b: new Float64Array(size / 2), ya: new Float64Array(size / 2), yb: new Float64Array(size / 2) });
    }
  }
  return factors.get(n)!;
}

function dct(x: Float64Array, out: Float64Array, n: number): void {
  if (n === 1) {
    out[0] = x[0]!;
    return;
  }
  const f = factorsFor(n);
  const s = scratch.get(n)!;
  const h = n >> 1;
  for (let k = 0; k < h; k++) {
    const p = x[k]!;
    const q = x[n - 1 - k]!;
    s.a[k] = p + q;
    s.b[k] = (p - q) * f[k]!;
  }
  dct(s.a, s.ya, h);
  dct(s.b, s.yb, h);
  for (let m = 0; m < h; m++) {
    out[2 * m] = s.ya[m]!;
    out[2 * m + 1] = s.yb[m]! + (m + 1 < h ? s.yb[m + 1]! : 0);
  }
}

/** X = DCT-II(x) for 32 values (`out` must not be `x`). */
export function dct32(x: Float64Array, out: Float64Array): void {
  dct(x, out, 32);
}
