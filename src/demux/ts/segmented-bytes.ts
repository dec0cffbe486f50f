/**
 * An elementary stream as it lies in a transport stream: the payloads of its packets, one segment
 * (≤ 184 bytes) per packet, never concatenated. Positions are offsets in the virtual concatenation
 * (the "ES offset"). Nine bytes of bookkeeping per packet replace a copy of the stream; bytes are
 * copied once, where they are finally written.
 */
import { hostByteSearch, type ByteSearch } from '../../io/bytes.js';

/** Segments between two position marks (random access walks at most this many). */
const MARK_EVERY = 64;
/** Copies of at least this many bytes go in blocks (see {@link SegmentedBytes.copyTo}) of at most BLOCK_MAX. */
const BLOCK_MIN = 512;
const BLOCK_MAX = 1 << 17;

export class SegmentedBytes {
  /** Segment count and total bytes. */
  count = 0;
  length = 0;
  /** Int32 offsets while the input fits (element loads stay integer: a third faster scanning than Float64). */
  private starts: Int32Array | Float64Array;
  private lens: Uint8Array;
  /** ES offset of segment k·MARK_EVERY (built by {@link seal}). */
  private marks = new Float64Array(0);
  /** Cursor of the last lookup: segment index and its ES offset. */
  private curSeg = 0;
  private curBase = 0;

  /** The transport stream, as a plain Uint8Array (a Node Buffer's subarray is several times slower). */
  readonly src: Uint8Array;

  constructor(src: Uint8Array, capacity = 256) {
    this.src = src.constructor === Uint8Array ? src : new Uint8Array(src.buffer, src.byteOffset, src.length);
    this.starts = this.src.length <= 0x7fffffff ? new Int32Array(Math.max(16, capacity)) : new Float64Array(Math.max(16, capacity));
    this.lens = new Uint8Array(Math.max(16, capacity));
  }

  /** Appends bytes [start, start + len) of the source (1 ≤ len ≤ 255). */
  push(start: number, len: number): void {
    if (len <= 0) return;
    if (this.count === this.starts.length) {
      const starts = this.starts instanceof Int32Array ? new Int32Array(this.count * 2) : new Float64Array(this.count * 2);
      starts.set(this.starts);
      const lens = new Uint8Array(this.count * 2);
      lens.set(this.lens);
      this.starts = starts;
      this.lens = lens;
    }
    this.starts[this.count] = start;
    this.lens[this.count] = len;
    this.count++;
    this.length += len;
  }

  /** Segment `k` as a view of the source. */
  segment(k: number): Uint8Array {
    const s = this.starts[k]!;
    return this.src.subarray(s, s + this.lens[k]!);
  }

  /** Drops every segment from `count` on; `length` is the byte total those before it hold. */
  truncate(count: number, length: number): void {
    this.count = count;
    this.length = length;
  }

  /** Removes the first `n` bytes of the segments from `first` on (a PES header), which must hold them. */
  dropFront(first: number, n: number): void {
    let k = first;
    let left = n;
    while (left > 0 && k < this.count) {
      const len = this.lens[k]!;
      if (len > left) {
        this.starts[k] = this.starts[k]! + left;
        this.lens[k] = len - left;
        left = 0;
      } else {
        left -= len;
        k++;
      }
    }
    if (k > first) {
      this.starts.copyWithin(first, k, this.count);
      this.lens.copyWithin(first, k, this.count);
      this.count -= k - first;
    }
    this.length -= n - left;
  }

  /** Ends appending: trims the spare capacity (when it is most of it) and indexes the positions. */
  seal(): void {
    if (this.starts.length > 2 * this.count + 1024) {
      this.starts = this.starts.slice(0, this.count);
      this.lens = this.lens.slice(0, this.count);
    }
    const marks = new Float64Array(Math.ceil(this.count / MARK_EVERY));
    const lens = this.lens;
    let base = 0;
    for (let m = 0, k = 0; k < this.count; m++) {
      marks[m] = base;
      const end = Math.min(k + MARK_EVERY, this.count);
      for (; k < end; k++) base += lens[k]!;
    }
    this.marks = marks;
    this.curSeg = 0;
    this.curBase = 0;
  }

  /** Moves the cursor to the segment holding ES offset `p` (0 ≤ p < length). */
  private seek(p: number): void {
    if (p < this.curBase || p - this.curBase > MARK_EVERY * 184) {
      // Binary search over the marks, then walk.
      let lo = 0;
      let hi = this.marks.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (this.marks[mid]! <= p) lo = mid;
        else hi = mid - 1;
      }
      this.curSeg = lo * MARK_EVERY;
      this.curBase = this.marks[lo] ?? 0;
    }
    while (this.curSeg < this.count - 1 && this.curBase + this.lens[this.curSeg]! <= p) {
      this.curBase += this.lens[this.curSeg]!;
      this.curSeg++;
    }
  }

  /** The byte at ES offset `p` (0 ≤ p < length). */
  byteAt(p: number): number {
    this.seek(p);
    return this.src[this.starts[this.curSeg]! + (p - this.curBase)]!;
  }

  /**
   * Copies ES bytes [from, to) to `out[pos]`. Bytes of `out` after `pos + (to − from)` may be
   * overwritten too (with bytes the caller writes over later): the segments are copied in blocks,
   * packet headers included, then moved together with `copyWithin` — no view per packet.
   */
  copyTo(from: number, to: number, out: Uint8Array, pos: number): void {
    if (to <= from) return;
    this.seek(from);
    let k = this.curSeg;
    let base = this.curBase;
    let p = from;
    let o = pos;
    const src = this.src;
    const starts = this.starts;
    const lens = this.lens;
    // Blocks: from the segment holding p, as many segments as lie close together in the input.
    while (to - p >= BLOCK_MIN) {
      const a = starts[k]! + (p - base);
      let last = k;
      let end = base + lens[k]!;
      while (end < to && last + 1 < this.count && end - p < BLOCK_MAX) {
        last++;
        end += lens[last]!;
      }
      const stop = Math.min(end, to);
      const spanEnd = starts[last]! + lens[last]! - (end - stop);
      const span = spanEnd - a;
      if (span < stop - p || span > (stop - p) * 1.25 + 64 || o + span > out.length) break;
      out.set(src.subarray(a, spanEnd), o);
      // Close the gaps: segment j moves from o + (starts[j] − a) to its place.
      let w = o + (base + lens[k]! - p);
      for (let j = k + 1; j <= last; j++) {
        const n = j === last ? lens[j]! - (end - stop) : lens[j]!;
        const at = o + (starts[j]! - a);
        if (at !== w) out.copyWithin(w, at, at + n);
        w += n;
      }
      o += stop - p;
      p = stop;
      if (stop === end) {
        base = end;
        k = last + 1;
      } else {
        base = end - lens[last]!;
        k = last;
      }
      if (k >= this.count) break;
    }
    while (p < to) {
      const s = this.starts[k]!;
      const len = this.lens[k]!;
      const a = s + (p - base);
      const n = Math.min(base + len, to) - p;
      if (n < 16) {
        for (let i = 0; i < n; i++) out[o + i] = src[a + i]!;
      } else {
        out.set(src.subarray(a, a + n), o);
      }
      p += n;
      o += n;
      if (p >= base + len) {
        base += len;
        k++;
      }
    }
    if (k < this.count) {
      this.curSeg = k;
      this.curBase = base;
    }
  }

  /** ES bytes [from, to) as one view: of the source when they lie in one segment, else a copy. */
  slice(from: number, to: number): Uint8Array {
    const end = Math.min(to, this.length);
    if (end <= from) return new Uint8Array(0);
    this.seek(from);
    const s = this.starts[this.curSeg]! + (from - this.curBase);
    if (from - this.curBase + (end - from) <= this.lens[this.curSeg]!) return this.src.subarray(s, s + (end - from));
    const out = new Uint8Array(end - from);
    this.copyTo(from, end, out, 0);
    return out;
  }

  /** The whole stream in one new buffer. */
  materialize(): Uint8Array {
    const out = new Uint8Array(this.length);
    this.copyTo(0, this.length, out, 0);
    return out;
  }

  /**
   * The ES offsets of the 0x01 byte of every 00 00 01 start code (Annex B), in order, start codes
   * across segments included. With a native byte search (`search`, Node's by default) the source is
   * searched for 00 00 01 and the hits are kept that lie inside a segment; otherwise it is scanned
   * here. Both find the same.
   */
  startCodes(search: ByteSearch | null = hostByteSearch ?? null): Float64Array {
    const d = this.src;
    const starts = this.starts;
    const lens = this.lens;
    const found = new OffsetList();
    let base = 0;
    // The last two bytes of the stream so far (-1: none yet).
    let b1 = -1;
    let b2 = -1;
    const hay = this.count > 0 ? d.subarray(0, starts[this.count - 1]! + lens[this.count - 1]!) : d;
    // The next hit of the native search (its first zero), when there is one.
    let q = search ? search(hay, START_CODE, 0) : -1;
    for (let k = 0; k < this.count; k++) {
      const s = starts[k]!;
      const len = lens[k]!;
      const e = s + len;
      // A start code ending in the first two bytes begins in an earlier segment.
      if (b1 === 0) {
        if (d[s] === 1 && b2 === 0) found.add(base);
        else if (len > 1 && d[s + 1] === 1 && d[s] === 0) found.add(base + 1);
      }
      if (search) {
        // Hits wholly inside this segment; those before it lie in a gap (headers, other PIDs).
        while (q >= 0 && q + 3 <= e) {
          if (q >= s) found.add(base + (q + 2 - s));
          q = search(hay, START_CODE, q + 1);
        }
      } else {
        scanSegment(d, s, e, base, found);
      }
      if (len >= 2) {
        b1 = d[e - 1]!;
        b2 = d[e - 2]!;
      } else {
        b2 = b1;
        b1 = d[e - 1]!;
      }
      base += len;
    }
    return found.done();
  }
}

const START_CODE = new Uint8Array([0, 0, 1]);

/**
 * Adds the start codes inside bytes [s, e) of `d` (ES offset `base` at s): skips three bytes whenever
 * the byte looked at cannot end or be inside a start code (> 1), so most bytes are never read.
 */
function scanSegment(d: Uint8Array, s: number, e: number, base: number, found: OffsetList): void {
  let i = s + 2;
  // Four positions three apart at a time while none can be in a start code (most of a slice).
  const e12 = e - 9;
  while (i < e) {
    if (i < e12 && d[i]! > 1 && d[i + 3]! > 1 && d[i + 6]! > 1 && d[i + 9]! > 1) {
      i += 12;
      continue;
    }
    const b = d[i]!;
    if (b > 1) i += 3;
    else if (b === 1) {
      if (d[i - 1] === 0 && d[i - 2] === 0) found.add(base + (i - s));
      i += 3;
    } else i++;
  }
}

/** A growing list of offsets. */
class OffsetList {
  private list: Float64Array<ArrayBuffer> = new Float64Array(256);
  private n = 0;

  add(offset: number): void {
    if (this.n === this.list.length) {
      const grown = new Float64Array(this.n * 2);
      grown.set(this.list);
      this.list = grown;
    }
    this.list[this.n++] = offset;
  }

  done(): Float64Array {
    return this.list.subarray(0, this.n);
  }
}

