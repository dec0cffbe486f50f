/**
 * The transmuxer's writer: the samples chosen of each demuxed window → init segment (when it changed) and
 * moof + mdat fragments, through the library's fragmented-MP4 writer ({@link initSegmentBoxes},
 * {@link mediaSegmentBoxes}).
 *
 * - Tracks: the video and audio streams that have a sample description, in PMT order, track IDs 1..n; the
 *   movie timescale is 90 kHz and there is no `mehd` (a live stream's length is not known). The init segment
 *   is rebuilt only when its inputs change (new parameter sets / AudioSpecificConfig, a track appearing),
 *   and reported only when its bytes change.
 * - Samples a window carries over (audio after the cut) are written at the start of the next fragment.
 * - The samples of a window are cut into fragments by the segment plan (one GOP each; about 1 s without
 *   video); sequence numbers run on across windows; each fragment is written into its own buffer, once.
 * - Output timeline: each timeline (from creation, `reset()` or `endTimeline()`) is placed by one shift for
 *   all its tracks, decided at its first window: to `baseMediaDecodeTime` (after a reset), to where the
 *   output ends (after `endTimeline()`), or none with `keepOriginalTimestamps`. The {@link Timeline} keeps
 *   working on the stream's own clock; only what is written is shifted.
 * - `remux: false`: the same fragments, one output per kind (its own init segment and sequence numbers).
 * - AAC holes are filled with silent frames ({@link fillAudioGaps}).
 * - GOP alignment (mux.js's `alignGopsWith`): the GOPs of each segment's first video track are recorded as
 *   its windows are written (source 90 kHz clock: the output's times less the timeline's rebase) and reported
 *   at the segment's end ({@link endSegment}). While there is a list to align with, a window's output tracks
 *   are copied and held instead of written; at the segment's end the leading GOPs {@link alignGopsAtStart} /
 *   {@link alignGopsAtEnd} drop are taken out of the held video tracks and the windows written in order. All
 *   timeline bookkeeping (the rebase from the timeline's first window, where tracks end, the wrap) is done
 *   as the windows come, so alignment changes which video samples are written, never where anything lands.
 */
import { writeTree } from '../../boxes/tree.js';
import { codecString } from '../model/codec/codec-string.js';
import { bytesEqual } from '../io/bytes.js';
import type { SampleDescription, SampleSource, Track } from '../model/movie.js';
import { deferredSample, withContiguousData } from '../model/sample-bytes.js';
import { sameData } from '../model/same-data.js';
import { SampleTableBuilder, SYNC } from '../model/sample-table.js';
import { planSegments } from '../model/segment-plan.js';
import { initSegmentBoxes, mediaSegmentBoxes, MIN_FRAGMENT_PAYLOAD } from '../mux/fragment.js';
import type { WindowRange } from './cut-policy.js';
import { CaptionExtractor } from '../captions/index.js';
import { isId3Track, timedMetadata } from '../demux/ts/timed-metadata.js';
import { concatBytes } from '../io/bytes.js';
import { sampleBytes } from '../model/sample-bytes.js';
import { id3Emsg } from '../mux/emsg.js';
import { fillAudioGaps, type SilentFrame } from './audio-gaps.js';
import type { Timeline } from './timeline.js';
import { alignGopsAtEnd, alignGopsAtStart } from './gop-align.js';
import { TIMESTAMP_PERIOD } from '../demux/ts/pes.js';
import type { TransmuxGopInfo, OutputType, TransmuxCaption, TransmuxerCallbacks, TransmuxMetadata } from './types.js';

/** The movie timescale of the output: the PTS/DTS clock, which every track of a transport stream uses. */
const MOVIE_TIMESCALE = 90000;

/** `v` ticks of `timescale` in the output's 90 kHz ticks (not rounded), and back (rounded). */
const to90k = (v: number, timescale: number): number => (timescale === MOVIE_TIMESCALE ? v : (v * MOVIE_TIMESCALE) / timescale);
const from90k = (v: number, timescale: number): number => (timescale === MOVIE_TIMESCALE ? v : Math.round((v * timescale) / MOVIE_TIMESCALE));

/** Samples [first, first + count) of `t` with `shift` added to their decode times; their bytes stay where they are. */
function sliceTrack(t: Track, first: number, count: number, shift: number, d: SampleDescription): Track {
  const s = t.samples;
  const b = new SampleTableBuilder(Math.max(1, count));
  let o = 0;
  for (let i = first; i < first + count; i++) {
    b.push(s.dts[i]! + shift, s.ctsOffset[i]!, s.duration[i]!, s.size[i]!, o, s.flags[i]!, 0);
    o += s.size[i]!;
  }
  const source: SampleSource = { sample: (k) => deferredSample(t, first + k) };
  const { packetView: _packetView, ...rest } = t;
  return { ...rest, descriptions: [d], samples: b.build(), data: new Uint8Array(0), source, durationTicks: 0, edits: [] };
}

/** `a`'s samples followed by `b`'s (both from {@link sliceTrack}). */
function joinTracks(a: Track, b: Track): Track {
  const na = a.samples.count;
  const t = new SampleTableBuilder(Math.max(1, na + b.samples.count));
  let o = 0;
  for (const x of [a, b]) {
    const s = x.samples;
    for (let i = 0; i < s.count; i++) {
      t.push(s.dts[i]!, s.ctsOffset[i]!, s.duration[i]!, s.size[i]!, o, s.flags[i]!, 0);
      o += s.size[i]!;
    }
  }
  const source: SampleSource = { sample: (k) => (k < na ? deferredSample(a, k) : deferredSample(b, k - na)) };
  return { ...b, samples: t.build(), data: new Uint8Array(0), source };
}

/** How a {@link FragmentWriter} writes (the transmuxer's options, resolved). */
export interface WriterOptions {
  remux: boolean;
  keepOriginalTimestamps: boolean;
  /** Where the first timeline starts (90 kHz ticks). */
  baseMediaDecodeTime: number;
  /** Longest AAC hole filled with silence, 90 kHz ticks (0: never). */
  maxAudioGapTicks: number;
  /** The silent frame of an AAC description (undefined: cannot be made, the hole stays). */
  silentFrame?: SilentFrame;
  onCaptions?: (cues: TransmuxCaption[]) => void;
  onMetadata?: (tags: TransmuxMetadata[]) => void;
  /** Carry ID3 tags as `emsg` boxes in front of fragments. */
  emsg: boolean;
  /** Where a segment's video is aligned with the GOPs given to {@link FragmentWriter.alignGopsWith}. */
  alignGopsAt: 'start' | 'end';
  /** The GOPs of each segment's video, reported at its end. */
  onGopInfo?: (gops: TransmuxGopInfo[]) => void;
}

/** One GOP of a segment's first video track, as its windows are written or held. */
interface SegmentGop extends TransmuxGopInfo {
  /** Index of the held window it starts in; -1 when that window was written at once. */
  window: number;
  /** Index of its first sample in that window's video track. */
  sample: number;
}

/** A window's output, held until the end of its segment (GOP alignment). */
interface HeldWindow {
  /** The output tracks (output timeline), their bytes copied out of the input. */
  tracks: Track[];
  /** Index in `tracks` of the video track aligned (-1: none). */
  video: number;
  /** The `emsg` boxes that go in front of the window's first fragment. */
  emsg: Uint8Array[];
}

/** One output stream (combined, or one per kind with `remux: false`): its init segment and sequence numbers. */
interface Output {
  /** `mfhd` sequence number of the last fragment written. */
  sequenceNumber: number;
  lastInit: Uint8Array | undefined;
  lastInitInputs: unknown;
}

/** The output of one transmuxer (see the module comment). */
export class FragmentWriter {
  private readonly outputs = new Map<OutputType, Output>();
  /** Latest description per PID (init tracks), in the order the PIDs were first described. */
  private readonly described = new Map<number, { track: Track; description: SampleDescription }>();
  /** Samples of a window that belong to the next fragment (output timeline), by PID. */
  private readonly carried = new Map<number, Track>();
  /** The timeline being written (the current input's; set by {@link startTimeline}). */
  private timeline: Timeline | undefined;
  /** Added to the timeline's decode times (after its wrap shift); decided at a timeline's first window. */
  private rebase: number | undefined;
  /** Where the next timeline's first decode time goes (output timeline). */
  private target: number;
  /** Where the output written so far ends (decode time, output timeline), over all tracks. */
  private outputEnd = 0;
  /** Where this timeline's video ends (decode time, output timeline); undefined: no video written. */
  private videoEnd: number | undefined;
  /** Per audio PID, where its last written sample ends (output timeline), for gap filling. */
  private readonly audioEnd = new Map<number, number>();
  /** Per video PID, its caption decoder (only with `onCaptions`). */
  private readonly captions = new Map<number, CaptionExtractor>();
  /** `emsg` boxes waiting for the next fragment, and the id of the next one. */
  private pendingEmsg: Uint8Array[] = [];
  private emsgId = 0;
  /** Presentation times (source 90 kHz clock) of the GOPs to align with; empty: no alignment. */
  private alignWith: readonly number[] = [];
  /** The windows of this segment held for alignment, in order. */
  private held: HeldWindow[] = [];
  /** The GOPs of this segment's video so far. */
  private gops: SegmentGop[] = [];
  /** The track ID of the video track GOPs are recorded for (the first video track written in the segment). */
  private gopTrack: number | undefined;

  constructor(
    private readonly callbacks: TransmuxerCallbacks,
    private readonly options: WriterOptions,
  ) {
    this.target = options.baseMediaDecodeTime;
    this.outputEnd = options.baseMediaDecodeTime;
  }

  /**
   * Starts a new timeline read by `timeline` (the caller has written or dropped everything of the old
   * one). `'reset'`: a seek — descriptions, carried samples and init segments are forgotten, the timeline
   * starts at `baseMediaDecodeTime`; `'continue'`: a discontinuity — the new timeline follows the output.
   */
  startTimeline(timeline: Timeline, how: 'reset' | 'continue', baseMediaDecodeTime = this.options.baseMediaDecodeTime): void {
    this.timeline = timeline;
    this.rebase = undefined;
    this.carried.clear();
    if (how === 'reset') {
      // (After a discontinuity the audio ends stay: a hole across the seam is filled like any other.)
      this.audioEnd.clear();
      this.described.clear();
      this.pendingEmsg = [];
      // The output timeline may go back: the decoders' repeat detection would drop what follows.
      for (const c of this.captions.values()) c.reset();
      for (const o of this.outputs.values()) {
        o.lastInit = undefined;
        o.lastInitInputs = undefined;
      }
      this.target = baseMediaDecodeTime;
      this.outputEnd = baseMediaDecodeTime;
    } else {
      // The next timeline follows the video (the lead): an audio track that ran longer is overlapped
      // (MSE replaces what an append overlaps), one that ended sooner is a hole AAC gap filling can fill.
      this.target = this.videoEnd ?? this.outputEnd;
    }
    this.videoEnd = undefined;
  }

  private output(type: OutputType): Output {
    let o = this.outputs.get(type);
    if (!o) this.outputs.set(type, (o = { sequenceNumber: 0, lastInit: undefined, lastInitInputs: undefined }));
    return o;
  }

  /** Samples are carried over to the next fragment. */
  get carrying(): boolean {
    return this.carried.size > 0;
  }

  /**
   * Writes the samples of the window's tracks chosen per track (`ranges`, by track id = PID) as init (when changed) +
   * fragments; the carried ones wait for the next call. `nextStartOf` is given when the window ends at a time
   * base discontinuity: a stream's last sample then lasts until its next PES (raw timestamp, see
   * {@link Timeline.fillSpliceHole}).
   */
  write(windowTracks: readonly Track[], ranges: ReadonlyMap<number, WindowRange>, nextStartOf?: (pid: number) => number | undefined): void {
    const described = this.described;
    // Pictures before the stream's first parameter sets (a segment cut mid-GOP) cannot be decoded and
    // have no sample description to write: they are dropped, as players do.
    const chosen = new Map<number, WindowRange>();
    for (const t of windowTracks) {
      const r = ranges.get(t.id);
      if (!r) continue;
      let { first, count } = r;
      if (t.kind === 'video' && !described.has(t.id)) {
        while (count > 0 && !t.descriptions[t.samples.description[first]!]?.config) {
          first++;
          count--;
        }
      }
      chosen.set(t.id, { first, count, carry: r.carry });
    }
    // Descriptions: the one of each track's first sample in the window.
    for (const t of windowTracks) {
      const r = chosen.get(t.id);
      if (!r || r.count + r.carry === 0 || (t.kind !== 'video' && t.kind !== 'audio')) continue;
      const d = t.descriptions[t.samples.description[r.first]!] ?? t.descriptions[0];
      // A window without parameter sets of its own (a stream that sends them once) keeps the last ones.
      if (d && (d.config || t.kind !== 'video' || !described.has(t.id))) described.set(t.id, { track: t, description: d });
    }
    const order = windowTracks.filter((t) => described.has(t.id)).map((t) => t.id);
    for (const pid of described.keys()) if (!order.includes(pid)) order.push(pid);
    if (order.length === 0) return;
    const previous = new Map(this.carried);
    this.carried.clear();

    // The window's earliest decode time (90 kHz): what the first window of a timeline is placed by.
    let ref: number | undefined;
    for (const t of windowTracks) {
      const r = chosen.get(t.id);
      if (!r || r.count + r.carry === 0 || (t.kind !== 'video' && t.kind !== 'audio')) continue;
      const d = to90k(t.samples.dts[r.first]!, t.timescale);
      ref = ref === undefined ? d : Math.min(ref, d);
    }
    if (ref === undefined && previous.size === 0) return;
    const timeline = this.timeline!;
    const wrap = timeline.windowShift(ref);
    if (this.rebase === undefined && ref !== undefined) this.rebase = this.options.keepOriginalTimestamps ? 0 : this.target - (ref + wrap);
    const rebase = this.rebase ?? 0;
    // (The wrap shift is the transport stream's, whose tracks are all 90 kHz; other inputs have none.)
    const shiftOf = (t: Track): number => wrap + from90k(rebase, t.timescale);
    const initTracks = order.map((pid) => {
      const { track, description } = described.get(pid)!;
      return { ...track, descriptions: [description], samples: new SampleTableBuilder(1).build(), durationTicks: 0, edits: [] };
    });
    const tracks = order.map((pid, i) => {
      const t = windowTracks.find((x) => x.id === pid);
      const r = chosen.get(pid);
      if (!t || !r || r.count + r.carry === 0) return previous.get(pid) ?? { ...initTracks[i]! };
      const description = described.get(pid)!.description;
      const shift = shiftOf(t);
      if (r.carry > 0) this.carried.set(pid, sliceTrack(t, r.first + r.count, r.carry, shift, description));
      let out = sliceTrack(t, r.first, r.count, shift, description);
      const before = previous.get(pid);
      if (before) out = joinTracks(before, out);
      // The stream's next PES (not in the window) is on the new time base.
      const next = nextStartOf && t.kind !== 'video' && r.carry === 0 ? nextStartOf(pid) : undefined;
      if (next !== undefined) timeline.fillSpliceHole(out.samples, next, rebase);
      if (t.kind === 'audio' && this.options.maxAudioGapTicks > 0 && this.options.silentFrame) {
        out = fillAudioGaps(out, this.audioEnd.get(pid), from90k(this.options.maxAudioGapTicks, t.timescale), this.options.silentFrame);
      }
      const s = out.samples;
      if (t.kind === 'audio' && s.count > 0) this.audioEnd.set(pid, s.dts[s.count - 1]! + s.duration[s.count - 1]!);
      return out;
    });
    this.readMetadata(windowTracks, shiftOf);
    if (this.options.onCaptions) this.readCaptions(tracks);
    this.recordEnds(tracks);
    // (Once a window is held, the rest of the segment is too: the output stays in order.)
    const hold = this.alignWith.length > 0 || this.held.length > 0;
    const video = this.recordGops(tracks, hold ? this.held.length : -1);
    if (hold) {
      // The window's samples are views of the input, which the engine reuses: copied to be held.
      this.held.push({ tracks: tracks.map(withContiguousData), video, emsg: this.pendingEmsg });
      this.pendingEmsg = [];
      return;
    }
    this.writeWindow(tracks);
  }

  /** Writes a window's output tracks (output timeline) to the output(s). */
  private writeWindow(tracks: readonly Track[]): void {
    if (this.options.remux) {
      this.writeOutput('combined', tracks);
    } else {
      for (const type of ['video', 'audio'] as const) {
        const own = tracks.filter((t) => t.kind === type);
        if (own.length > 0) this.writeOutput(type, own);
      }
    }
  }

  /** Where the window's tracks end: the timeline's wrap reference, the output's end, the video's end. */
  private recordEnds(tracks: readonly Track[]): void {
    for (const t of tracks) {
      const s = t.samples;
      if (s.count === 0) continue;
      const last = to90k(s.dts[s.count - 1]! + s.duration[s.count - 1]!, t.timescale);
      this.timeline!.written(last - (this.rebase ?? 0));
      this.outputEnd = Math.max(this.outputEnd, last);
      if (t.kind === 'video') this.videoEnd = Math.max(this.videoEnd ?? -Infinity, last);
    }
  }

  /**
   * Adds the GOPs of the window's video (the segment's first video track) to the segment's list: a GOP starts
   * at each sync sample, and at the segment's first sample; a window starting with other samples continues the
   * last GOP. Returns the index of that track in `tracks` (-1: none in the window).
   */
  private recordGops(tracks: readonly Track[], window: number): number {
    const i = this.gopTrack === undefined ? tracks.findIndex((t) => t.kind === 'video') : tracks.findIndex((t) => t.id === this.gopTrack);
    const t = tracks[i];
    if (!t) return -1;
    this.gopTrack = t.id;
    const s = t.samples;
    // Back to the source clock: the output's decode times less the timeline's rebase (in the track's ticks).
    const rebase = from90k(this.rebase ?? 0, t.timescale);
    const source = (v: number): number => Math.round(to90k(v - rebase, t.timescale));
    for (let k = 0; k < s.count; k++) {
      const last = this.gops[this.gops.length - 1];
      if (!last || (s.flags[k]! & SYNC) !== 0) {
        const dts = s.dts[k]!;
        this.gops.push({ window, sample: k, pts: source(dts + s.ctsOffset[k]!), dts: source(dts), byteLength: s.size[k]! });
      } else {
        last.byteLength += s.size[k]!;
      }
    }
    return i;
  }

  /** Sets the presentation times (source 90 kHz clock) of the GOPs the next segments are aligned with; empty: none. */
  alignGopsWith(pts: readonly number[]): void {
    this.alignWith = pts;
  }

  /**
   * The end of a segment: the held windows are written, their video aligned (see the module comment), and the
   * GOPs written are reported.
   */
  endSegment(): void {
    const held = this.held;
    const gops = this.gops;
    this.held = [];
    this.gops = [];
    this.gopTrack = undefined;
    // Windows written before the list was given come first; their GOPs cannot be taken back.
    const firstHeld = gops.findIndex((g) => g.window >= 0);
    let keepFrom = firstHeld < 0 ? gops.length : firstHeld;
    if (firstHeld >= 0 && this.alignWith.length > 0) {
      const pts = gops.map((g) => g.pts);
      // A list from a transmuxer that counted the 33-bit wrap from another reference (mux.js's rollover
      // stream unwraps from the first DTS it sees) is moved by whole periods next to this segment's GOPs.
      const near = pts[firstHeld]!;
      const align = this.alignWith.map((a) => a + Math.round((near - a) / TIMESTAMP_PERIOD) * TIMESTAMP_PERIOD);
      const n = this.options.alignGopsAt === 'end' ? alignGopsAtEnd(pts, align) : alignGopsAtStart(pts, align);
      keepFrom = Math.max(n, firstHeld);
    }
    const cut = gops[keepFrom];
    for (const [w, h] of held.entries()) {
      const tracks = h.tracks;
      if (h.video >= 0 && firstHeld >= 0 && keepFrom > firstHeld) {
        // Video samples before the first GOP kept are dropped: the window's first kept sample is a keyframe.
        const t = tracks[h.video]!;
        const drop = !cut || w < cut.window ? t.samples.count : w === cut.window ? cut.sample : 0;
        if (drop > 0) tracks[h.video] = sliceTrack(t, drop, t.samples.count - drop, 0, t.descriptions[0]!);
      }
      this.pendingEmsg.push(...h.emsg);
      this.writeWindow(tracks);
    }
    const written = gops.filter((g, i) => g.window < 0 || i >= keepFrom).map(({ pts, dts, byteLength }) => ({ pts, dts, byteLength }));
    if (written.length > 0) this.options.onGopInfo?.(written);
  }

  /** Forgets the segment's held windows and GOPs, and the GOPs to align with (`reset()`: a seek). */
  discardSegment(): void {
    this.held = [];
    this.gops = [];
    this.gopTrack = undefined;
    this.alignWith = [];
  }

  /** Reports the window's ID3 tags (output timeline) and keeps their `emsg` boxes for the next fragment. */
  private readMetadata(windowTracks: readonly Track[], shiftOf: (t: Track) => number): void {
    const { onMetadata, emsg } = this.options;
    if (!onMetadata && !emsg) return;
    const tags: TransmuxMetadata[] = [];
    for (const t of windowTracks) {
      if (!isId3Track(t)) continue;
      for (const m of timedMetadata(t)) {
        const pts = to90k(m.pts + shiftOf(t), t.timescale);
        tags.push({ pts, dts: pts, cueTime: pts / MOVIE_TIMESCALE, data: m.data, frames: m.frames });
        if (emsg) this.pendingEmsg.push(id3Emsg(m.data, Math.max(0, pts), MOVIE_TIMESCALE, this.emsgId++));
      }
    }
    if (tags.length > 0) onMetadata?.(tags);
  }

  /** Decodes the caption data of the window's video samples (output timeline) and reports the cues that ended. */
  private readCaptions(tracks: readonly Track[]): void {
    const cues: TransmuxCaption[] = [];
    for (const t of tracks) {
      const codec = t.descriptions[0]?.codec;
      if (t.kind !== 'video' || (codec !== 'h264' && codec !== 'hevc')) continue;
      let cc = this.captions.get(t.id);
      if (!cc) this.captions.set(t.id, (cc = new CaptionExtractor()));
      const s = t.samples;
      for (let i = 0; i < s.count; i++) {
        const dts = s.dts[i]!;
        cc.push(sampleBytes(t, i), dts + s.ctsOffset[i]!, dts, codec === 'h264' ? 'avc' : 'hevc');
      }
      for (const c of cc.flush()) {
        const startPts = to90k(c.startPts, t.timescale);
        const endPts = to90k(c.endPts, t.timescale);
        cues.push({ ...c, startPts, endPts, startTime: startPts / MOVIE_TIMESCALE, endTime: endPts / MOVIE_TIMESCALE });
      }
    }
    if (cues.length > 0) this.options.onCaptions!(cues);
  }

  /** Writes `tracks` (init tracks when they have no samples) to one output: init when changed, then fragments. */
  private writeOutput(type: OutputType, tracks: readonly Track[]): void {
    const out = this.output(type);
    this.writeInit(out, type, tracks);
    this.writeFragments(out, type, tracks);
  }

  /** Writes the init segment of `out` for `tracks` when it differs from the last one. */
  private writeInit(out: Output, type: OutputType, tracks: readonly Track[]): void {
    // Most windows have the tracks of the last one: the init segment is only rebuilt for others.
    // (Without the fields that change with every window and that the init segment does not use.)
    const inputs = tracks.map(({ samples: _s, data: _d, source: _so, packetView: _p, ...rest }) => rest);
    const same = out.lastInit !== undefined && sameData(out.lastInitInputs, inputs);
    out.lastInitInputs = inputs;
    if (same) return;
    const boxes = initSegmentBoxes(
      tracks.map((track, i) => ({ track, trackId: i + 1 })),
      { movieTimescale: MOVIE_TIMESCALE, sourceMovieTimescale: MOVIE_TIMESCALE },
    );
    const init = writeTree(boxes);
    if (bytesEqual(out.lastInit, init)) return;
    out.lastInit = init;
    const codecs = tracks.map((t) => codecString(t.descriptions[0]!) ?? t.descriptions[0]!.entryType.trim());
    const kind = tracks.some((t) => t.kind === 'video') ? 'video' : 'audio';
    this.callbacks.onInit(init, { codecs, mimeType: `${kind}/mp4; codecs="${codecs.join(', ')}"`, type });
  }

  /** Cuts `tracks` (the window's, output timeline) into fragments of `out` and writes them. */
  private writeFragments(out: Output, type: OutputType, tracks: readonly Track[]): void {
    const hasVideo = tracks.some((t) => t.kind === 'video');
    // One GOP per fragment, about 1 s without video (as createFragmentedMp4 cuts).
    // (At least MIN_FRAGMENT_PAYLOAD bytes a fragment: samples that each span the target would each be one.)
    const plan = planSegments(tracks, { segmentTimeSec: hasVideo ? 0 : 1, minSegmentBytes: MIN_FRAGMENT_PAYLOAD });
    let end = -Infinity;
    let start = Infinity;
    for (const t of tracks) {
      const s = t.samples;
      for (let i = 0; i < s.count; i++) {
        end = Math.max(end, to90k(s.dts[i]! + s.ctsOffset[i]! + s.duration[i]!, t.timescale));
        start = Math.min(start, to90k(s.dts[i]! + s.ctsOffset[i]!, t.timescale));
      }
    }
    if (start === Infinity) return;
    const lead = tracks[plan.leadTrack]!;
    const ls = lead.samples;
    /** Start of segment k on the lead track, seconds (the first sample of the lead when it has none in it). */
    const leadStartSec = (k: number): number => {
      const r = plan.segments[k]!.ranges[plan.leadTrack]!;
      const i = r.count ? r.first : 0;
      return ls.count ? (ls.dts[i]! + ls.ctsOffset[i]!) / lead.timescale : 0;
    };
    const count = plan.segments.length;
    for (let k = 0; k < count; k++) {
      const parts = plan.segments[k]!.ranges.map((r, i) => ({ track: tracks[i]!, trackId: i + 1, first: r.first, count: r.count }));
      let frag = writeTree(mediaSegmentBoxes(parts, { sequenceNumber: ++out.sequenceNumber }).boxes);
      // Events go in front of the next fragment of the output that has the video (or is the only one).
      if (this.pendingEmsg.length > 0 && (type !== 'audio' || ![...this.described.values()].some((d) => d.track.kind === 'video'))) {
        frag = concatBytes([...this.pendingEmsg, frag]);
        this.pendingEmsg = [];
      }
      const s0 = ls.count > 0 ? leadStartSec(k) : start / MOVIE_TIMESCALE;
      const s1 = k + 1 < count ? leadStartSec(k + 1) : end / MOVIE_TIMESCALE;
      this.callbacks.onFragment(frag, { startSec: s0, durationSec: Math.max(0, s1 - s0), type });
    }
  }
}
