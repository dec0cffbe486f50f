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
 */
import { writeTree } from '../../boxes/tree.js';
import { codecString } from '../model/codec/codec-string.js';
import { bytesEqual } from '../io/bytes.js';
import type { SampleDescription, SampleSource, Track } from '../model/movie.js';
import { deferredSample } from '../model/sample-bytes.js';
import { sameData } from '../model/same-data.js';
import { SampleTableBuilder } from '../model/sample-table.js';
import { planSegments } from '../model/segment-plan.js';
import { initSegmentBoxes, mediaSegmentBoxes } from '../mux/fragment.js';
import type { WindowRange } from './cut-policy.js';
import type { Timeline } from './timeline.js';
import type { TransmuxerCallbacks } from './types.js';

/** The movie timescale of the output: the PTS/DTS clock, which every track of a transport stream uses. */
const MOVIE_TIMESCALE = 90000;

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

/** The output of one transmuxer (see the module comment). */
export class FragmentWriter {
  /** `mfhd` sequence number of the last fragment written. */
  private sequenceNumber = 0;
  private lastInit: Uint8Array | undefined;
  private lastInitInputs: unknown;
  /** Latest description per PID (init tracks), in the order the PIDs were first described. */
  private readonly described = new Map<number, { track: Track; description: SampleDescription }>();
  /** Samples of a window that belong to the next fragment (output timeline), by PID. */
  private readonly carried = new Map<number, Track>();

  constructor(
    private readonly callbacks: TransmuxerCallbacks,
    private readonly timeline: Timeline,
  ) {}

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

    let ref: number | undefined;
    for (const t of windowTracks) {
      const r = chosen.get(t.id);
      if (r && r.count + r.carry > 0) ref = ref === undefined ? t.samples.dts[r.first]! : Math.min(ref, t.samples.dts[r.first]!);
    }
    if (ref === undefined && previous.size === 0) return;
    const shift = this.timeline.windowShift(ref);
    const initTracks = order.map((pid) => {
      const { track, description } = described.get(pid)!;
      return { ...track, descriptions: [description], samples: new SampleTableBuilder(1).build(), durationTicks: 0, edits: [] };
    });
    this.writeInit(initTracks);
    const tracks = order.map((pid, i) => {
      const t = windowTracks.find((x) => x.id === pid);
      const r = chosen.get(pid);
      if (!t || !r || r.count + r.carry === 0) return previous.get(pid) ?? { ...initTracks[i]! };
      const description = described.get(pid)!.description;
      if (r.carry > 0) this.carried.set(pid, sliceTrack(t, r.first + r.count, r.carry, shift, description));
      let out = sliceTrack(t, r.first, r.count, shift, description);
      const before = previous.get(pid);
      if (before) out = joinTracks(before, out);
      // The stream's next PES (not in the window) is on the new time base.
      const next = nextStartOf && t.kind !== 'video' && r.carry === 0 ? nextStartOf(pid) : undefined;
      if (next !== undefined) this.timeline.fillSpliceHole(out.samples, next);
      return out;
    });
    this.writeFragments(tracks);
  }

  /** Writes the init segment for `tracks` when it differs from the last one. */
  private writeInit(tracks: readonly Track[]): void {
    // Most windows have the tracks of the last one: the init segment is only rebuilt for others.
    // (Without the fields that change with every window and that the init segment does not use.)
    const inputs = tracks.map(({ samples: _s, data: _d, source: _so, packetView: _p, ...rest }) => rest);
    const same = this.lastInit !== undefined && sameData(this.lastInitInputs, inputs);
    this.lastInitInputs = inputs;
    if (same) return;
    const boxes = initSegmentBoxes(
      tracks.map((track, i) => ({ track, trackId: i + 1 })),
      { movieTimescale: MOVIE_TIMESCALE, sourceMovieTimescale: MOVIE_TIMESCALE },
    );
    const init = writeTree(boxes);
    if (bytesEqual(this.lastInit, init)) return;
    this.lastInit = init;
    const codecs = tracks.map((t) => codecString(t.descriptions[0]!) ?? t.descriptions[0]!.entryType.trim());
    const kind = tracks.some((t) => t.kind === 'video') ? 'video' : 'audio';
    this.callbacks.onInit(init, { codecs, mimeType: `${kind}/mp4; codecs="${codecs.join(', ')}"` });
  }

  /** Cuts `tracks` (the window's, output timeline) into fragments and writes them. */
  private writeFragments(tracks: readonly Track[]): void {
    const hasVideo = tracks.some((t) => t.kind === 'video');
    // One GOP per fragment, about 1 s without video (as createFragmentedMp4 cuts).
    const plan = planSegments(tracks, { segmentTimeSec: hasVideo ? 0 : 1 });
    let end = -Infinity;
    let start = Infinity;
    for (const t of tracks) {
      const s = t.samples;
      for (let i = 0; i < s.count; i++) {
        end = Math.max(end, s.dts[i]! + s.ctsOffset[i]! + s.duration[i]!);
        start = Math.min(start, s.dts[i]! + s.ctsOffset[i]!);
      }
      if (s.count > 0) this.timeline.written(s.dts[s.count - 1]! + s.duration[s.count - 1]!);
    }
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
      const frag = writeTree(mediaSegmentBoxes(parts, { sequenceNumber: ++this.sequenceNumber }).boxes);
      const s0 = ls.count > 0 ? leadStartSec(k) : start / MOVIE_TIMESCALE;
      const s1 = k + 1 < count ? leadStartSec(k + 1) : end / MOVIE_TIMESCALE;
      this.callbacks.onFragment(frag, { startSec: s0, durationSec: Math.max(0, s1 - s0) });
    }
  }
}
