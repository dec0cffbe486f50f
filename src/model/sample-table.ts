/**
 * Columnar per-track sample table: one typed array per property, never one object per sample.
 * Times are integer ticks in the track's timescale (Float64 holds integers exactly up to 2^53).
 */

/** The sample is a sync (random access) sample. */
export const SYNC = 1;
/** Nothing depends on this sample (sdtp is_leading/sample_is_depended_on = 2, trun flags). */
export const DISPOSABLE = 2;
/** The container stamped this sample's time itself (an MPEG-TS PES header), rather than it being derived. */
export const STAMPED = 4;

export interface SampleTable {
  readonly count: number;
  /** Decode timestamp in ticks. */
  readonly dts: Float64Array;
  /** pts = dts + ctsOffset (ticks; negative with ctts v1 / trun v1). */
  readonly ctsOffset: Int32Array;
  /** Duration in ticks. */
  readonly duration: Float64Array;
  /** Payload size in bytes. */
  readonly size: Uint32Array;
  /** Payload byte offset in the source data. */
  readonly offset: Float64Array;
  /** SYNC | DISPOSABLE. */
  readonly flags: Uint8Array;
  /** 0-based index of the sample description (stsd entry) the sample uses. */
  readonly description: Uint16Array;
}

/** True when sample `i` is a sync sample. */
export const isSync = (t: SampleTable, i: number): boolean => (t.flags[i]! & SYNC) !== 0;

/** Growable builder for a {@link SampleTable} (fragments arrive one run at a time). */
export class SampleTableBuilder {
  private n = 0;
  private cap: number;
  private dts: Float64Array;
  private cts: Int32Array;
  private dur: Float64Array;
  private size: Uint32Array;
  private off: Float64Array;
  private flags: Uint8Array;
  private desc: Uint16Array;

  constructor(capacity = 64) {
    this.cap = Math.max(1, capacity);
    this.dts = new Float64Array(this.cap);
    this.cts = new Int32Array(this.cap);
    this.dur = new Float64Array(this.cap);
    this.size = new Uint32Array(this.cap);
    this.off = new Float64Array(this.cap);
    this.flags = new Uint8Array(this.cap);
    this.desc = new Uint16Array(this.cap);
  }

  get count(): number {
    return this.n;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const g = <T extends Float64Array | Int32Array | Uint32Array | Uint8Array | Uint16Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.dts = g(this.dts, (n) => new Float64Array(n));
    this.cts = g(this.cts, (n) => new Int32Array(n));
    this.dur = g(this.dur, (n) => new Float64Array(n));
    this.size = g(this.size, (n) => new Uint32Array(n));
    this.off = g(this.off, (n) => new Float64Array(n));
    this.flags = g(this.flags, (n) => new Uint8Array(n));
    this.desc = g(this.desc, (n) => new Uint16Array(n));
    this.cap = cap;
  }

  push(dts: number, ctsOffset: number, duration: number, size: number, offset: number, flags: number, description: number): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.dts[i] = dts;
    this.cts[i] = ctsOffset;
    this.dur[i] = duration;
    this.size[i] = size;
    this.off[i] = offset;
    this.flags[i] = flags;
    this.desc[i] = description;
  }

  /** The finished table (views trimmed to the count). */
  build(): SampleTable {
    const n = this.n;
    return {
      count: n,
      dts: this.dts.subarray(0, n),
      ctsOffset: this.cts.subarray(0, n),
      duration: this.dur.subarray(0, n),
      size: this.size.subarray(0, n),
      offset: this.off.subarray(0, n),
      flags: this.flags.subarray(0, n),
      description: this.desc.subarray(0, n),
    };
  }
}

/** The first `count` samples of `t` (views of its columns, nothing copied). */
export function firstSamples(t: SampleTable, count: number): SampleTable {
  if (count >= t.count) return t;
  const n = Math.max(0, count);
  return {
    count: n,
    dts: t.dts.subarray(0, n),
    ctsOffset: t.ctsOffset.subarray(0, n),
    duration: t.duration.subarray(0, n),
    size: t.size.subarray(0, n),
    offset: t.offset.subarray(0, n),
    flags: t.flags.subarray(0, n),
    description: t.description.subarray(0, n),
  };
}
