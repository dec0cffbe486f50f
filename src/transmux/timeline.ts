/**
 * The transmuxer's timeline: one increasing 90 kHz decode timeline for the output, from the stream's own
 * timestamps.
 *
 * - Time base discontinuities (timestamps that go back, or jump ahead more than 10 s: a splice, an encoder
 *   restart, segments of another encoding) are mended as packets are queued: the program's timeline runs
 *   on from where it was, by one shift for all streams ({@link DiscontinuityDetector}, as the demuxer
 *   numbers them), and the PTS/DTS of each PES header are rewritten in the queue.
 * - The 33-bit wrap (every ~26.5 h) keeps counting upwards across windows: each window (demuxed on its own,
 *   unwrapped from its first timestamp) gets the multiple of 2^33 that puts it next to where the output is.
 * - At a splice, each stream's last sample before the new time base lasts until that stream's next PES, so
 *   that no player sees a hole there.
 */
import { DiscontinuityDetector } from '../demux/ts/discontinuity.js';
import { unwrapTimestamp, TIMESTAMP_PERIOD, type PesHeader } from '../demux/ts/pes.js';
import { TS_TIMESCALE } from '../demux/ts/timing.js';
import type { PmtFormat } from '../demux/ts/stream-types.js';
import type { SampleTable } from '../model/sample-table.js';
import { writeTimestampField } from '../mux/ts/pes.js';
import { wrap33 } from '../mux/ts/timestamps.js';

/** The timeline of one transmuxer (see the module comment). */
export class Timeline {
  private readonly detector = new DiscontinuityDetector();
  /** The last decode time read (33-bit values are unwrapped next to it). */
  private reference: number | undefined;
  /** Seq of the first packet on a new time base not yet written past. */
  private spliceSeq: number | undefined;
  /** Added to the current window's decode times (a multiple of 2^33). */
  private wrapShift = 0;
  /** Where the output written so far ends (decode time, output timeline). */
  private lastEnd: number | undefined;

  /**
   * Keeps a queued PES on the program's timeline: the PTS/DTS of its header (at `at` in `buf`, parsed: `h`,
   * which has a PTS) are rewritten in place when the timeline has been shifted. `seq` is its packet's.
   * Returns the PES decode time as it now is (33 bits).
   */
  mendPes(buf: Uint8Array, at: number, h: PesHeader, pid: number, format: PmtFormat, seq: number): number {
    const raw = h.dts ?? h.pts!;
    const dts = unwrapTimestamp(raw, this.reference);
    this.reference = dts;
    const detector = this.detector;
    let shift = detector.currentShift;
    // Metadata, sent now and then, is not judged by its steps: it takes the program's current time base.
    if (format !== 'id3') {
      const before = detector.current;
      detector.generationFor(pid, dts);
      shift = detector.shiftOf(pid);
      if (detector.current !== before) this.spliceSeq ??= seq;
    }
    if (shift === 0) return raw;
    writeTimestampField(buf, at + 9, buf[at + 9]! >> 4, h.pts! + shift);
    if (h.dts !== undefined) writeTimestampField(buf, at + 14, buf[at + 14]! >> 4, h.dts + shift);
    return wrap33(raw + shift);
  }

  /**
   * Whether a window that writes the packets before seq `consumeBefore` reaches the first packet on a new
   * time base; it is then passed.
   */
  passSplice(consumeBefore: number): boolean {
    const spliced = this.spliceSeq !== undefined && consumeBefore >= this.spliceSeq;
    if (spliced) this.spliceSeq = undefined;
    return spliced;
  }

  /** Everything pending has been written. */
  clearSplice(): void {
    this.spliceSeq = undefined;
  }

  /**
   * The shift of a window whose earliest decode time (as demuxed) is `ref` (undefined: no samples of its
   * own): one for all its tracks keeps them in step; a 33-bit wrap keeps counting upwards.
   */
  windowShift(ref: number | undefined): number {
    const end = this.lastEnd;
    if (ref !== undefined && end !== undefined) {
      while (ref + this.wrapShift < end - TIMESTAMP_PERIOD / 2) this.wrapShift += TIMESTAMP_PERIOD;
      while (ref + this.wrapShift > end + TIMESTAMP_PERIOD / 2) this.wrapShift -= TIMESTAMP_PERIOD;
    }
    return this.wrapShift;
  }

  /** Samples ending at decode time `end` (output timeline) have been written. */
  written(end: number): void {
    this.lastEnd = Math.max(this.lastEnd ?? -Infinity, end);
  }

  /**
   * Makes the last sample of `samples` (output timeline, a table of our own) last until the stream's next
   * PES, `nextRaw` (raw 33-bit, on the new time base), at a splice. `rebase`: what the writer adds to
   * this timeline's decode times besides the wrap shift.
   */
  fillSpliceHole(samples: SampleTable, nextRaw: number, rebase: number): void {
    const n = samples.count;
    if (n === 0) return;
    const dur = samples.duration;
    const lastDts = samples.dts[n - 1]!;
    const nextDts = unwrapTimestamp(nextRaw, lastDts - this.wrapShift - rebase) + this.wrapShift + rebase;
    // (A mended splice leaves at most about one PES between them: more is not ours to fill.)
    const hole = nextDts - (lastDts + dur[n - 1]!);
    if (hole > 0 && hole < TS_TIMESCALE) dur[n - 1] = nextDts - lastDts;
  }
}
