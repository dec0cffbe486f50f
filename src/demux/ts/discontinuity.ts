/**
 * Timestamp discontinuities of a transport stream (13818-1 §2.4.3.5: a new system time base, as at a
 * splice, an encoder restart or files joined end to end) → one continuous timeline for the program.
 *
 * The decode times of an audio or video stream only go forward, in steps of a frame or a PES. When
 * one goes back, or forward by more than {@link FORWARD_JUMP} (ffmpeg's `dts_delta_threshold` for
 * formats with discontinuities), the program has a new time base. {@link DiscontinuityDetector}
 * numbers the time bases PES by PES as they are read (each stream passes to the next one at its own
 * jump); {@link mendTimeline} then shifts each time base by one amount for all streams — the streams
 * stay in sync — so that it starts where the previous one ended (the end of its last sample of any
 * stream), and nothing overlaps. Metadata streams, sent now and then, are not judged by their steps:
 * they take the program's current time base.
 */
import type { SampleTable } from '../../model/sample-table.js';
import { TS_TIMESCALE } from './timing.js';

/** A forward step of the decode time larger than this (90 kHz) is a discontinuity: 10 s. */
const FORWARD_JUMP = 10 * TS_TIMESCALE;
/**
 * A backward step larger than this is a discontinuity: 0.5 s. Smaller ones are left alone: a stream
 * with B-frames whose PES carry only a PTS (DTS taken equal to it) steps back a few frames.
 */
const BACKWARD_JUMP = TS_TIMESCALE / 2;

interface StreamClock {
  /** The last decode time on the program's mended timeline, and the step before it. */
  last: number;
  step: number;
  /** Added to this stream's decode times (an estimate, only to judge the next steps). */
  shift: number;
  /** The time base this stream is on. */
  generation: number;
}

/** True when a step of a stream's decode time (90 kHz) means a new time base. */
const isJump = (step: number): boolean => step < -BACKWARD_JUMP || step > FORWARD_JUMP;

/** Numbers the time bases of one program, PES by PES. */
export class DiscontinuityDetector {
  private shift = 0;
  private generation = 0;
  private readonly clocks = new Map<number, StreamClock>();

  /** The program's current time base (for streams not judged by their own steps). */
  get current(): number {
    return this.generation;
  }

  /** What to add to the program's timestamps on its current time base to continue the timeline (an estimate). */
  get currentShift(): number {
    return this.shift;
  }

  /** What to add to stream `pid`'s timestamps on its current time base (after {@link generationFor}). */
  shiftOf(pid: number): number {
    return this.clocks.get(pid)?.shift ?? this.shift;
  }

  /**
   * The time base of a PES of audio/video stream `pid` with decode time `dts` (90 kHz, the 33-bit
   * wrap already unwrapped), PES in the order they are read: 0 until the first discontinuity.
   */
  generationFor(pid: number, dts: number): number {
    const c = this.clocks.get(pid);
    if (!c) {
      this.clocks.set(pid, { last: dts + this.shift, step: 0, shift: this.shift, generation: this.generation });
      return this.generation;
    }
    let out = dts + c.shift;
    if (isJump(out - c.last)) {
      if (c.generation < this.generation && !isJump(dts + this.shift - c.last)) {
        // Another stream passed to this time base first.
        c.shift = this.shift;
      } else {
        // Where the old time base ended, estimated as one step of each stream after its last PES (a
        // PES of audio frames as long as the one before it); mendTimeline makes it exact where it can.
        let end = -Infinity;
        for (const o of this.clocks.values()) end = Math.max(end, o.last + Math.max(1, o.step));
        this.shift = end - dts;
        this.generation++;
        c.shift = this.shift;
      }
      c.generation = this.generation;
      out = dts + c.shift;
    } else if (out > c.last) {
      c.step = out - c.last;
    }
    c.last = out;
    return c.generation;
  }
}

/**
 * Shifts the samples of every time base after the first so that it starts where the previous one
 * ended, by one amount for all tracks; `generations[t][i]` is the time base of sample i of track t
 * (undefined: all 0), non-decreasing along a track. The samples' decode times are changed in place,
 * and the last duration of each time base is made to reach the next one. Returns, per track, what
 * was added to each sample (undefined where nothing was).
 */
export function mendTimeline(tables: readonly SampleTable[], generations: ReadonlyArray<Uint8Array | undefined>): Array<Float64Array | undefined> {
  let top = 0;
  for (const g of generations) if (g) for (let i = 0; i < g.length; i++) top = Math.max(top, g[i]!);
  if (top === 0) return tables.map(() => undefined);
  const shiftOf = new Float64Array(top + 1);
  // Where a time base ends: the last sample's decode time plus a duration like the one before it
  // (its own runs to a sample of another time base).
  const endOf = (s: SampleTable, i: number): number => s.dts[i]! + (i > 0 ? s.duration[i - 1]! : s.duration[i]!);
  // Per track, the first sample on each time base (-1: none), found in one pass.
  const firsts = tables.map((s, t) => {
    const f = new Int32Array(top + 1).fill(-1);
    const gen = generations[t];
    for (let i = 0; i < s.count; i++) {
      const k = gen ? gen[i]! : 0;
      if (f[k]! < 0) f[k] = i;
    }
    return f;
  });
  for (let g = 1; g <= top; g++) {
    let end = -Infinity;
    let start = Infinity;
    tables.forEach((s, t) => {
      const f = firsts[t]!;
      // The track's last sample before this time base: the one before its first on this or a later one.
      let next = s.count;
      for (let k = g; k <= top; k++) if (f[k]! >= 0) next = Math.min(next, f[k]!);
      if (next > 0) end = Math.max(end, endOf(s, next - 1) + shiftOf[generations[t]?.[next - 1] ?? 0]!);
      if (f[g]! >= 0) start = Math.min(start, s.dts[f[g]!]!);
    });
    shiftOf[g] = Number.isFinite(end) && Number.isFinite(start) ? end - start : shiftOf[g - 1]!;
  }
  return tables.map((s, t) => {
    const gen = generations[t];
    if (!gen) return undefined;
    const added = new Float64Array(s.count);
    const dts = s.dts as Float64Array;
    const duration = s.duration as Float64Array;
    for (let i = 0; i < s.count; i++) {
      added[i] = shiftOf[gen[i]!]!;
      dts[i] = dts[i]! + added[i]!;
    }
    for (let i = 0; i + 1 < s.count; i++) if (gen[i] !== gen[i + 1]) duration[i] = Math.max(0, dts[i + 1]! - dts[i]!);
    return added.some((v) => v !== 0) ? added : undefined;
  });
}
