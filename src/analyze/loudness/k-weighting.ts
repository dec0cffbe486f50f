/**
 * The K-weighting filter of ITU-R BS.1770-4 (§2.1): a high-shelf pre-filter (head effects) followed by the RLB
 * high-pass. BS.1770 tabulates the coefficients for 48 kHz only; as libebur128 and ffmpeg's ebur128 filter do, they
 * are derived here for any rate by the bilinear transform of the analogue prototypes behind those tables (shelf at
 * 1681.97 Hz, +4 dB, Q 0.7072; high-pass at 38.14 Hz, Q 0.5003), which reproduces the 48 kHz table.
 */
import { pow, tan } from '../../model/portable-math.js';

/** Second-order section y[n] = b0·x[n] + b1·x[n−1] + b2·x[n−2] − a1·y[n−1] − a2·y[n−2]. */
export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** The two K-weighting stages for `sampleRate` (Hz). */
export function kWeighting(sampleRate: number): { shelf: Biquad; highPass: Biquad } {
  let f0 = 1681.974450955533;
  const gainDb = 3.999843853973347;
  let q = 0.7071752369554196;
  let k = tan((Math.PI * f0) / sampleRate);
  const vh = pow(10, gainDb / 20);
  const vb = pow(vh, 0.4996667741545416);
  let a0 = 1 + k / q + k * k;
  const shelf: Biquad = {
    b0: (vh + (vb * k) / q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / q + k * k) / a0,
  };
  f0 = 38.13547087602444;
  q = 0.5003270373238773;
  k = tan((Math.PI * f0) / sampleRate);
  a0 = 1 + k / q + k * k;
  // The RLB numerator is left unnormalised (1, −2, 1), as in BS.1770's table.
  const highPass: Biquad = { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / q + k * k) / a0 };
  return { shelf, highPass };
}

/**
 * K-weights `input[from..to)` of one channel and returns the sum of squares of the weighted samples. `state` holds
 * the channel's filter memory between calls: x[n−1], x[n−2], shelf y[n−1], y[n−2], high-pass z[n−1], z[n−2].
 */
export function kWeightedEnergy(
  input: Float32Array,
  from: number,
  to: number,
  f: { shelf: Biquad; highPass: Biquad },
  state: Float64Array,
): number {
  const { b0, b1, b2, a1, a2 } = f.shelf;
  const { b0: c0, b1: c1, b2: c2, a1: d1, a2: d2 } = f.highPass;
  let x1 = state[0]!, x2 = state[1]!, y1 = state[2]!, y2 = state[3]!, z1 = state[4]!, z2 = state[5]!;
  let sum = 0;
  for (let i = from; i < to; i++) {
    const x = input[i]!;
    const y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    const z = c0 * y + c1 * y1 + c2 * y2 - d1 * z1 - d2 * z2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    z2 = z1;
    z1 = z;
    sum += z * z;
  }
  state[0] = x1;
  state[1] = x2;
  state[2] = y1;
  state[3] = y2;
  state[4] = z1;
  state[5] = z2;
  // A decaying tail after the signal stops would sink into subnormal numbers, which are slow: flush them.
  for (let j = 2; j < 6; j++) if (Math.abs(state[j]!) < 1e-30) state[j] = 0;
  return sum;
}
