/**
 * The AAC inverse MDCT, "half" form: of the N outputs of the spec's IMDCT (§4.6.11.3.1, scaled by 1/32768
 * for float output) only the N/2 in the middle, from which the rest follow by symmetry (the windowing in
 * filterbank.ts uses them). Computed with an N/4-point complex FFT between pre- and post-twiddles.
 */
import { cos, sin } from '../../model/portable-math.js';

/** An N-point inverse MDCT (N/2 coefficients in, N/2 samples out). */
export class Imdct {
  private readonly n4: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly rev: Uint16Array;
  private readonly fftCos: Float64Array;
  private readonly fftSin: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  /** `n` = window length (2048 or 256); `scale` multiplies the output. */
  constructor(readonly n: number, scale: number) {
    const n4 = n >> 2;
    this.n4 = n4;
    const s = Math.sqrt(scale);
    this.cos = new Float64Array(n4);
    this.sin = new Float64Array(n4);
    for (let k = 0; k < n4; k++) {
      const a = (2 * Math.PI * (k + 1 / 8)) / n;
      this.cos[k] = -cos(a) * s;
      this.sin[k] = -sin(a) * s;
    }
    let bitsN = 0;
    while (1 << bitsN < n4) bitsN++;
    this.rev = new Uint16Array(n4);
    for (let k = 0; k < n4; k++) {
      let r = 0;
      for (let b = 0; b < bitsN; b++) if (k & (1 << b)) r |= 1 << (bitsN - 1 - b);
      this.rev[k] = r;
    }
    this.fftCos = new Float64Array(n4 >> 1);
    this.fftSin = new Float64Array(n4 >> 1);
    for (let k = 0; k < n4 >> 1; k++) {
      this.fftCos[k] = cos((2 * Math.PI * k) / n4);
      this.fftSin[k] = sin((2 * Math.PI * k) / n4);
    }
    this.re = new Float64Array(n4);
    this.im = new Float64Array(n4);
  }

  /** Writes the N/2 middle outputs for the N/2 coefficients at `input[inOff…]` to `out[outOff…]`. */
  half(input: Float32Array, inOff: number, out: Float32Array, outOff: number): void {
    const { n4, re, im, cos, sin, rev } = this;
    const n2 = n4 << 1;
    const n8 = n4 >> 1;
    // Pre-twiddle, into bit-reversed order.
    for (let k = 0; k < n4; k++) {
      const xr = input[inOff + n2 - 1 - 2 * k]!;
      const xi = input[inOff + 2 * k]!;
      const c = cos[k]!;
      const s = sin[k]!;
      const j = rev[k]!;
      re[j] = xr * c - xi * s;
      im[j] = xr * s + xi * c;
    }
    this.fft();
    // Post-twiddle and reorder.
    for (let k = 0; k < n8; k++) {
      const a = n8 - k - 1;
      const b = n8 + k;
      const ar = re[a]!;
      const ai = im[a]!;
      const br = re[b]!;
      const bi = im[b]!;
      const r0 = ai * sin[a]! - ar * cos[a]!;
      const i1 = ai * cos[a]! + ar * sin[a]!;
      const r1 = bi * sin[b]! - br * cos[b]!;
      const i0 = bi * cos[b]! + br * sin[b]!;
      out[outOff + 2 * a] = r0;
      out[outOff + 2 * a + 1] = i0;
      out[outOff + 2 * b] = r1;
      out[outOff + 2 * b + 1] = i1;
    }
  }

  /** In-place inverse complex FFT (e^+iθ, unscaled) of re/im, input in bit-reversed order, radix 2. */
  private fft(): void {
    const { n4: m, re, im, fftCos, fftSin } = this;
    for (let i = 0; i < m; i += 2) {
      const tr = re[i + 1]!;
      const ti = im[i + 1]!;
      re[i + 1] = re[i]! - tr;
      im[i + 1] = im[i]! - ti;
      re[i] = re[i]! + tr;
      im[i] = im[i]! + ti;
    }
    for (let size = 4; size <= m; size <<= 1) {
      const half = size >> 1;
      const step = m / size;
      for (let i = 0; i < m; i += size) {
        for (let j = 0, t = 0; j < half; j++, t += step) {
          const wr = fftCos[t]!;
          const wi = fftSin[t]!;
          const a = i + j;
          const b = a + half;
          const br = re[b]!;
          const bi = im[b]!;
          const tr = br * wr - bi * wi;
          const ti = bi * wr + br * wi;
          const ar = re[a]!;
          const ai = im[a]!;
          re[b] = ar - tr;
          im[b] = ai - ti;
          re[a] = ar + tr;
          im[a] = ai + ti;
        }
      }
    }
  }
}
