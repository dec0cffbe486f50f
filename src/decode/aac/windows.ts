/** AAC window halves (§4.6.11.3.2): sine and Kaiser-Bessel-derived, rising half of length N/2, as float32. */
import { sin } from '../../model/portable-math.js';

/** sin((i + ½)·π / 2n) for i < n: the rising half of a sine window of length 2n. */
export function sineWindow(n: number): Float32Array {
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) w[i] = sin(((i + 0.5) * Math.PI) / (2 * n));
  return w;
}

/** Rising half (length n) of the KBD window with parameter `alpha` (4 long, 6 short), Bessel I0 by its series. */
export function kbdWindow(alpha: number, n: number): Float32Array {
  const a = (alpha * Math.PI) / n;
  const a2 = a * a;
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t = i * (n - i) * a2;
    let bessel = 1;
    for (let j = 50; j > 0; j--) bessel = (bessel * t) / (j * j) + 1;
    sum += bessel;
    cumulative[i] = sum;
  }
  sum += 1;
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) w[i] = Math.sqrt(cumulative[i]! / sum);
  return w;
}

/** The four window halves AAC-LC uses. */
export interface AacWindows {
  sineLong: Float32Array;
  sineShort: Float32Array;
  kbdLong: Float32Array;
  kbdShort: Float32Array;
}

let cached: AacWindows | undefined;

/** The windows, computed on first use (not at import: importing the library stays cheap). */
export function aacWindows(): AacWindows {
  return (cached ??= { sineLong: sineWindow(1024), sineShort: sineWindow(128), kbdLong: kbdWindow(4, 1024), kbdShort: kbdWindow(6, 128) });
}
