/**
 * True peak (ITU-R BS.1770-4 Annex 2, EBU Tech 3341 §2.8): the signal is oversampled — 4× below 96 kHz, 2× below
 * 192 kHz, not at all above — by a polyphase FIR interpolator, and the largest absolute value is kept. The filter is
 * libebur128's: a 49-tap windowed sinc (Hann window) with its cut-off at the input's Nyquist frequency, split into
 * one sub-filter per output phase. Phase 0 is the input sample itself, delayed, so the true peak is never below
 * the sample peak.
 */
import { cos, sin } from '../../model/portable-math.js';

/** Prototype length of the interpolation filter. */
const TAPS = 49;

/** The oversampling factor for a sample rate (Hz). */
export function oversamplingFactor(sampleRate: number): number {
  return sampleRate < 96000 ? 4 : sampleRate < 192000 ? 2 : 1;
}

/**
 * The interpolation filter for `factor`: per output phase, the coefficient of the input `t` samples back (index t),
 * zero where the prototype is zero. Computed once per meter and shared by its channels.
 */
export function interpolationPhases(factor: number): Float64Array[] {
  const delay = Math.ceil(TAPS / factor);
  const phases = Array.from({ length: factor }, () => new Float64Array(delay));
  for (let j = 0; j < TAPS; j++) {
    const m = j - (TAPS - 1) / 2;
    const x = (m * Math.PI) / factor;
    let c = Math.abs(m) > 1e-6 ? sin(x) / x : 1;
    c *= 0.5 * (1 - cos((2 * Math.PI * j) / (TAPS - 1)));
    if (Math.abs(c) > 1e-6) phases[j % factor]![Math.floor(j / factor)] = c;
  }
  return phases;
}

/** One channel's interpolator: feed samples, read the running maximum. */
export class TruePeakInterpolator {
  /** The largest absolute value of the oversampled signal so far. */
  peak = 0;
  private readonly factor: number;
  /** Past inputs twice over (a ring of `delay` samples stored at i and i + delay, read without wrapping). */
  private readonly history: Float64Array;
  private readonly delay: number;
  private pos = 0;

  /** `phases`: {@link interpolationPhases} of the factor wanted. */
  constructor(private readonly phases: readonly Float64Array[]) {
    this.factor = phases.length;
    this.delay = phases[0]!.length;
    this.history = new Float64Array(2 * this.delay);
  }

  /** Feeds `input[from..to)`. */
  push(input: Float32Array | Float64Array, from: number, to: number): void {
    const { history: h, delay: n, phases, factor } = this;
    if (factor === 1) {
      let peak = this.peak;
      for (let i = from; i < to; i++) {
        const a = Math.abs(input[i]!);
        if (a > peak) peak = a;
      }
      this.peak = peak;
      return;
    }
    let pos = this.pos;
    let peak = this.peak;
    for (let i = from; i < to; i++) {
      // Newest sample at h[pos + n - 1 - 0] … oldest at h[pos]: h[pos + n - 1 - t] is the input t samples back.
      const x = input[i]!;
      h[pos] = x;
      h[pos + n] = x;
      pos = pos + 1 === n ? 0 : pos + 1;
      const newest = pos + n - 1;
      for (let f = 0; f < factor; f++) {
        const c = phases[f]!;
        let acc = 0;
        for (let t = 0; t < n; t++) acc += c[t]! * h[newest - t]!;
        const a = acc < 0 ? -acc : acc;
        if (a > peak) peak = a;
      }
    }
    this.pos = pos;
    this.peak = peak;
  }

  /** Feeds the filter's length of silence (`silence`: zeros, at least that long), so the last inputs reach every output phase. */
  flush(silence: Float64Array = new Float64Array(this.delay)): void {
    if (this.factor > 1) this.push(silence, 0, this.delay);
  }
}
