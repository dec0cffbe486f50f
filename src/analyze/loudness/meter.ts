/**
 * A streaming loudness meter: planar float PCM in, in any chunking; keeps per channel only filter memory, the
 * energies of the last 30 steps of 100 ms and running sums, plus one number per 100 ms for the gated measures
 * (the block powers that pass the absolute gate). PCM is never held.
 *
 * Block timing follows ffmpeg's ebur128 filter: a step is ⌊rate / 10⌋ samples; after each whole step the 400 ms
 * block (the last 4 steps) and, once 3 s have passed, the short-term window (the last 30 steps) are measured; a
 * trailing partial step counts for RMS and peaks but not for loudness.
 */
import { kWeightedEnergy, kWeighting } from './k-weighting.js';
import { ABSOLUTE_GATE_POWER, integratedLoudness, loudnessRange } from './gating.js';
import { TruePeakInterpolator, interpolationPhases, oversamplingFactor } from './true-peak.js';

const BLOCK_STEPS = 4;
const SHORT_TERM_STEPS = 30;

/** Linear measures of one channel (amplitudes, not dB). */
export interface ChannelLevels {
  /** Root mean square of the samples. */
  rms: number;
  /** Largest absolute sample. */
  peak: number;
  /** Largest absolute value of the oversampled signal (≥ peak). */
  truePeak: number;
}

/** What the meter measured. */
export interface MeterResult {
  /** Sample frames fed. */
  frames: number;
  /** Integrated loudness (LUFS); −Infinity when no block passed the gates. */
  integratedLufs: number;
  /** Loudness range (LU); 0 without short-term values. */
  loudnessRangeLu: number;
  /** Root mean square over every sample of every channel. */
  rms: number;
  perChannel: ChannelLevels[];
}

/** A growable list of numbers in one typed array. */
class Numbers {
  private data = new Float64Array(64);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

export class LoudnessMeter {
  private readonly channels: number;
  private readonly weights: Float64Array;
  private readonly filter: ReturnType<typeof kWeighting>;
  /** Samples per 100 ms step. */
  private readonly stepLength: number;
  /** Six filter-memory values per channel. */
  private readonly filterState: Float64Array[];
  /** K-weighted energy of the current step, per channel. */
  private readonly stepEnergy: Float64Array;
  /** Channel-weighted energies of the last SHORT_TERM_STEPS steps (a ring). */
  private readonly ring = new Float64Array(SHORT_TERM_STEPS);
  private steps = 0;
  private stepFill = 0;
  private frames = 0;
  private readonly sumSquares: Float64Array;
  private readonly peaks: Float64Array;
  private readonly truePeaks: TruePeakInterpolator[];
  private readonly blocks = new Numbers();
  private readonly shortTerm = new Numbers();

  /** `weights`: the BS.1770 weight of each channel (0 leaves it out of the loudness). */
  constructor(sampleRate: number, weights: Float64Array) {
    if (!(sampleRate >= 10) || !Number.isFinite(sampleRate)) throw new RangeError(`LoudnessMeter: sample rate ${sampleRate} Hz is below 10 Hz`);
    this.channels = weights.length;
    this.weights = weights;
    this.filter = kWeighting(sampleRate);
    this.stepLength = Math.floor(sampleRate / 10);
    this.filterState = Array.from({ length: this.channels }, () => new Float64Array(6));
    this.stepEnergy = new Float64Array(this.channels);
    this.sumSquares = new Float64Array(this.channels);
    this.peaks = new Float64Array(this.channels);
    const phases = interpolationPhases(oversamplingFactor(sampleRate));
    this.truePeaks = Array.from({ length: this.channels }, () => new TruePeakInterpolator(phases));
  }

  /** Feeds frames `from..to` of `planes` (one array per channel, in the weights' order). */
  push(planes: readonly Float32Array[], from: number, to: number): void {
    if (planes.length !== this.channels) throw new RangeError(`LoudnessMeter: ${planes.length} channels fed to a ${this.channels}-channel meter`);
    let at = from;
    while (at < to) {
      const end = Math.min(to, at + this.stepLength - this.stepFill);
      for (let c = 0; c < this.channels; c++) {
        const x = planes[c]!;
        let sq = 0;
        let peak = this.peaks[c]!;
        for (let i = at; i < end; i++) {
          const v = x[i]!;
          sq += v * v;
          const a = v < 0 ? -v : v;
          if (a > peak) peak = a;
        }
        this.sumSquares[c]! += sq;
        this.peaks[c] = peak;
        this.truePeaks[c]!.push(x, at, end);
        if (this.weights[c] !== 0) this.stepEnergy[c]! += kWeightedEnergy(x, at, end, this.filter, this.filterState[c]!);
      }
      this.frames += end - at;
      this.stepFill += end - at;
      at = end;
      if (this.stepFill === this.stepLength) this.closeStep();
    }
  }

  private closeStep(): void {
    let e = 0;
    for (let c = 0; c < this.channels; c++) {
      e += this.weights[c]! * this.stepEnergy[c]!;
      this.stepEnergy[c] = 0;
    }
    this.ring[this.steps % SHORT_TERM_STEPS] = e;
    this.steps++;
    this.stepFill = 0;
    if (this.steps >= BLOCK_STEPS) {
      const p = this.windowPower(BLOCK_STEPS);
      if (p >= ABSOLUTE_GATE_POWER) this.blocks.push(p);
    }
    if (this.steps >= SHORT_TERM_STEPS) {
      const p = this.windowPower(SHORT_TERM_STEPS);
      if (p >= ABSOLUTE_GATE_POWER) this.shortTerm.push(p);
    }
  }

  /** Mean square over the last `n` steps. */
  private windowPower(n: number): number {
    let e = 0;
    for (let k = 1; k <= n; k++) e += this.ring[(this.steps - k) % SHORT_TERM_STEPS]!;
    return e / (n * this.stepLength);
  }

  /** The measures of everything fed so far (flushes the true-peak interpolators: call once, at the end). */
  finish(): MeterResult {
    let total = 0;
    const silence = new Float64Array(64);
    const perChannel = this.truePeaks.map((tp, c): ChannelLevels => {
      tp.flush(silence);
      total += this.sumSquares[c]!;
      const peak = this.peaks[c]!;
      return { rms: this.frames ? Math.sqrt(this.sumSquares[c]! / this.frames) : 0, peak, truePeak: Math.max(tp.peak, peak) };
    });
    return {
      frames: this.frames,
      integratedLufs: integratedLoudness(this.blocks.view()),
      loudnessRangeLu: loudnessRange(this.shortTerm.view()),
      rms: this.frames ? Math.sqrt(total / (this.frames * this.channels)) : 0,
      perChannel,
    };
  }
}
