/**
 * The transmuxer's cut policy: when a fragment is cut, and where each track's samples of a demuxed window
 * are split between the fragment being written and the next.
 *
 * When: a fragment is cut when a video PES holding a keyframe is complete (the next video PES has started)
 * and every audio stream has started a PES at or after that keyframe's decode time, or two more keyframes
 * have gone by without it (a late or ended audio stream does not hold the video back). Video without a
 * keyframe for 10 s (intra refresh, very long GOPs) is cut at a picture anyway, so what is held stays
 * bounded. Streams without video are cut about once a second at their first audio stream's PES starts.
 * Only the packet sequence decides, never where chunks end, so any chunking gives the same cuts.
 *
 * Where: the lead's samples before the cut picture are written (the key access unit is demuxed too, as
 * lookahead, so that the last frame's duration is the real one); the other streams' samples are split at
 * the frame nearest the cut in presentation time — the segment plan's own rule ({@link alignTrackCuts}),
 * as `createFragmentedMp4` and the packagers cut.
 */
import { nalType, isKeyNal, type VideoCodec } from '../demux/ts/access-units.js';
import { emptyPacket, readPacketInto } from '../demux/ts/packets.js';
import { parsePesHeader, unwrapTimestamp } from '../demux/ts/pes.js';
import { TS_TIMESCALE } from '../demux/ts/timing.js';
import type { Movie } from '../model/movie.js';
import { SYNC } from '../model/sample-table.js';
import { alignTrackCuts, type PlanTrack } from '../model/segment-plan.js';
import { PACKET, type PacketQueue } from './packet-queue.js';

/** Bytes of a video PES looked at first to find its first picture's NAL unit type. */
const KEY_PROBE_BYTES = 512;
/** Target fragment length for streams without video (90 kHz ticks). */
const AUDIO_ONLY_FRAGMENT = TS_TIMESCALE;
/** Video held without a keyframe for this long (90 kHz ticks) is cut at a picture anyway: 10 s. */
export const MAX_GOP = 10 * TS_TIMESCALE;
/** Keyframe cuts that may wait for a late audio stream before it is cut anyway. */
const MAX_WAITING_CUTS = 3;

/** A decided cut: the lead stream's packets before `consumeBefore` are written, and the samples before `keyTs`. */
export interface Cut {
  /** First packet (seq) of the lead stream that stays pending (the key PES start). */
  consumeBefore: number;
  /** Lead packets before this seq go into the demux window (the key PES as lookahead). */
  windowBefore: number;
  /** Raw 90 kHz decode time of the cut. */
  keyTs: number;
  /** Cut at a picture that is not a keyframe, the video having gone too long without one. */
  forced?: boolean;
}

/**
 * Whether the first picture NAL unit of an Annex B payload is a keyframe (IDR / IRAP); only that one
 * decides (a keyframe's slices are all key). Undefined when `payload` is only the start of the PES
 * (`complete` false) and does not reach a picture yet.
 */
export function firstPictureIsKey(codec: VideoCodec, payload: Uint8Array, complete: boolean): boolean | undefined {
  const headerBytes = codec === 'h264' ? 1 : 2;
  for (let i = 0; i + 3 < payload.length; i++) {
    if (payload[i] !== 0 || payload[i + 1] !== 0 || payload[i + 2] !== 1) continue;
    if (!complete && i + 3 + headerBytes > payload.length) return undefined;
    const type = nalType(codec, payload.subarray(i + 3, i + 3 + headerBytes));
    if (isKeyNal(codec, type)) return true;
    if (codec === 'h264' ? type >= 1 && type <= 5 : type <= 31) return false;
    i += 2;
  }
  return complete ? false : undefined;
}

/** Reads whether a queued video PES starts with a keyframe, from its first bytes where it can. */
export class KeyframeProbe {
  /** The probe of every PES goes into this one reused buffer. */
  private readonly scratch = new Uint8Array(KEY_PROBE_BYTES);
  private readonly packet = emptyPacket();

  constructor(private readonly queue: PacketQueue) {}

  /** True when the complete video PES queued from packet `from` (seq) on, PID `pid`, holds a keyframe first. */
  isKeyPes(from: number, pid: number, codec: VideoCodec): boolean {
    // Most PES packets show their first slice within a few hundred bytes; otherwise all of it is read.
    let pes = this.pesBytes(from, pid, KEY_PROBE_BYTES);
    for (;;) {
      const h = parsePesHeader(pes);
      if (!h) return false;
      const complete = pes.length < KEY_PROBE_BYTES;
      const key = firstPictureIsKey(codec, pes.subarray(h.payloadOffset), complete);
      if (key !== undefined) return key;
      if (complete) return false;
      const all = this.pesBytes(from, pid, Infinity);
      if (all.length === pes.length) return false;
      pes = all;
    }
  }

  /** The payload bytes of the queued packets of `pid` from seq `from` on, at most `max` of them. */
  private pesBytes(from: number, pid: number, max: number): Uint8Array {
    const queue = this.queue;
    const first = queue.indexOfSeq(from);
    /** Copies the bytes into `out` (only counts them without it); returns how many. */
    const fill = (out?: Uint8Array): number => {
      let o = 0;
      for (let i = first; i < queue.count && o < max; i++) {
        if (queue.pid[i] !== pid) continue;
        const p = readPacketInto(queue.buf, i * PACKET, this.packet);
        if (!p.hasPayload || p.payloadStart >= p.payloadEnd) continue;
        const end = Math.min(p.payloadEnd, p.payloadStart + max - o);
        if (out) out.set(queue.buf.subarray(p.payloadStart, end), o);
        o += end - p.payloadStart;
      }
      return o;
    };
    // A whole PES (rarely needed) is counted first.
    if (max <= this.scratch.length) return this.scratch.subarray(0, fill(this.scratch));
    const all = new Uint8Array(fill());
    fill(all);
    return all;
  }
}

/**
 * The cut decisions of one transmuxer, fed the PES starts as packets are queued (timestamps raw 33-bit
 * 90 kHz, as mended by the timeline). Cuts come out oldest first through {@link nextReady}.
 */
export class CutPolicy {
  /** A cut was added or a PES of another stream started since {@link nextReady} last said no. */
  changed = false;
  /** Cuts decided and not yet written, oldest first. */
  private readonly cuts: Cut[] = [];
  /** Seq of the current video PES start (-1: none), and its decode time. */
  private videoPesStart = -1;
  private videoPesTs: number | undefined;
  /** Video before the current PES is pending. */
  private videoBefore = false;
  /** Decode time of the last cut's video PES (or of the first video PES). */
  private lastCutTs: number | undefined;
  /** Timestamp of the last PES start per non-video PID. */
  private readonly lastStartTs = new Map<number, number>();
  /** Where the current audio-only fragment started. */
  private audioWindowStart: number | undefined;

  /** @param isKeyPes whether the (complete) video PES that started at packet seq `start` holds a keyframe. */
  constructor(private readonly isKeyPes: (start: number) => boolean) {}

  /** A video PES starts at packet `seq`, with decode time `ts` when it has one: the one before it is complete. */
  videoStart(seq: number, ts: number | undefined): void {
    if (this.videoPesStart >= 0) {
      const pesTs = this.videoPesTs;
      if (this.videoBefore && pesTs !== undefined) {
        const key = this.isKeyPes(this.videoPesStart);
        // A stream without keyframes for long is cut anyway; the fragment then starts with a picture that
        // is not a sync sample.
        const last = this.lastCutTs;
        const forced = !key && last !== undefined && unwrapTimestamp(pesTs, last) - last >= MAX_GOP;
        if (key || forced) {
          this.cuts.push({ consumeBefore: this.videoPesStart, windowBefore: seq, keyTs: pesTs, ...(forced ? { forced } : {}) });
          this.changed = true;
          this.lastCutTs = pesTs;
        }
      }
      if (this.lastCutTs === undefined && pesTs !== undefined) this.lastCutTs = pesTs;
      this.videoBefore = true;
    }
    this.videoPesStart = seq;
    this.videoPesTs = ts;
  }

  /**
   * A PES of another stream starts at packet `seq` with decode time `ts`. `audioLead`: the stream is the
   * first audio stream of a program without video, which is then cut about once a second.
   */
  otherStart(pid: number, seq: number, ts: number, audioLead: boolean): void {
    this.lastStartTs.set(pid, ts);
    this.changed = true;
    if (!audioLead) return;
    const from = this.audioWindowStart;
    if (from === undefined) this.audioWindowStart = ts;
    else if (unwrapTimestamp(ts, from) - from >= AUDIO_ONLY_FRAGMENT) {
      this.cuts.push({ consumeBefore: seq, windowBefore: seq, keyTs: ts });
      this.audioWindowStart = ts;
    }
  }

  /** Timestamp of the last PES start of non-video `pid` (undefined: none since the program began). */
  lastStartOf(pid: number): number | undefined {
    return this.lastStartTs.get(pid);
  }

  /**
   * The oldest cut, removed, when it is ready to be written: every stream of `audioPids` has started a PES
   * at or after it, or too many cuts wait. Undefined otherwise.
   */
  nextReady(audioPids: readonly number[]): Cut | undefined {
    const c = this.cuts[0];
    if (c === undefined) return undefined;
    if (this.cuts.length < MAX_WAITING_CUTS) {
      // Called for every PES start while a cut waits: a plain loop over the audio PIDs, no iterator.
      for (let i = 0; i < audioPids.length; i++) {
        const last = this.lastStartTs.get(audioPids[i]!);
        if (last !== undefined && unwrapTimestamp(last, c.keyTs) < c.keyTs) return undefined;
      }
    }
    return this.cuts.shift();
  }

  /** The oldest cut, removed, ready or not (at the end of the stream or of a program). */
  next(): Cut | undefined {
    return this.cuts.shift();
  }

  /** A new program starts (the cuts have been written): nothing of the old one counts. */
  reset(): void {
    this.videoPesStart = -1;
    this.videoPesTs = undefined;
    this.videoBefore = false;
    this.lastCutTs = undefined;
    this.lastStartTs.clear();
    this.audioWindowStart = undefined;
  }
}

/** One track's samples in a demuxed window: [first, first + count) are written now, the `carry` after them wait for the next fragment. */
export interface WindowRange {
  first: number;
  count: number;
  carry: number;
}

/**
 * Where a demuxed window is split, per track (by track id, the PID). The lead (`leadPid`) keeps the samples
 * before the cut: before its last sync sample when the key PES is lookahead, or — a forced cut — before the
 * first sample of a PES starting at or after byte `cutAtByte` of the window (untimed samples go with the
 * PES before them). Tracks other than video are split at the frame nearest the cut ({@link nextFragmentStart}).
 */
export function splitWindow(movie: Movie, leadPid: number, cut: Cut, cutAtByte: number): Map<number, WindowRange> {
  const ranges = new Map<number, WindowRange>();
  /** Presentation time of the cut (90 kHz, on the window's unwrapped timeline). */
  let boundary: number | undefined;
  const lookahead = cut.windowBefore > cut.consumeBefore;
  for (const t of movie.tracks) {
    const s = t.samples;
    const n = s.count;
    if (t.id !== leadPid || !lookahead) {
      ranges.set(t.id, { first: 0, count: n, carry: 0 });
      continue;
    }
    let last = n;
    if (cut.forced) {
      const pos = t.packetView?.pos;
      let at = -Infinity;
      for (last = 0; last < n; last++) {
        const p = pos?.[last];
        if (p !== undefined && !Number.isNaN(p)) at = p;
        if (at >= cutAtByte) break;
      }
    } else {
      for (let i = n - 1; i >= 0; i--) {
        if (s.flags[i]! & SYNC) {
          last = i;
          break;
        }
      }
    }
    ranges.set(t.id, { first: 0, count: last, carry: 0 });
    if (last < n) boundary = s.dts[last]! + s.ctsOffset[last]!;
  }
  // An audio-only cut: at the lead's next PES, outside the window.
  if (boundary === undefined && !lookahead) boundary = unwrapTimestamp(cut.keyTs, movie.tracks[0]?.samples.dts[0]);
  if (boundary === undefined) return ranges;
  for (const t of movie.tracks) {
    if (t.kind === 'video') continue;
    const r = ranges.get(t.id)!;
    const j = nextFragmentStart(t, boundary);
    ranges.set(t.id, { first: 0, count: j, carry: r.count - j });
  }
  return ranges;
}

/**
 * The first sample of `t` (all 90 kHz) that goes into the fragment after a cut at presentation time
 * `boundary`: {@link alignTrackCuts} (audio: the frame nearest the cut). The window holds only a prefix of the
 * stream; when all of it starts before the cut, the frame after the window (starting where the last one
 * ends) is a candidate too, which alignTrackCuts cannot know of.
 */
export function nextFragmentStart(t: PlanTrack, boundary: number): number {
  const s = t.samples;
  const n = s.count;
  let j = alignTrackCuts(t, TS_TIMESCALE, [boundary])[1]!;
  if (n > 0 && j === n - 1) {
    const last = s.dts[n - 1]! + s.ctsOffset[n - 1]! + (t.presentationOffsetTicks ?? 0);
    if (last < boundary && boundary - last >= last + s.duration[n - 1]! - boundary) j = n;
  }
  return j;
}
