/**
 * What HLS and DASH share: an input prepared for packaging (its writable tracks on a timeline that needs no edit
 * list, one segment plan for all of them) and one track written as an init segment plus media segments — CMAF
 * fMP4 with one moof + mdat per GOP (every keyframe starts a fragment, for I-frame playlists and sidx), or MPEG-TS.
 */
import { measureTree, sizeOf, type Box, type MeasuredTree } from '../../boxes/tree.js';
import { BoxwrightError } from '../io/errors.js';
import { codecString } from '../model/codec/codec-string.js';
import type { Movie, Track } from '../model/movie.js';
import { SYNC } from '../model/sample-table.js';
import { planSegments, type SegmentPlan } from '../model/segment-plan.js';
import { sliceTrack } from '../model/track-slice.js';
import { initSegmentBoxes, mediaSegmentBoxes, MIN_FRAGMENT_PAYLOAD, sidxBox } from '../mux/fragment.js';
import { muxTs } from '../mux/ts/index.js';
import { playerTimeline } from './player-timeline.js';

/** Segment container of a package. */
export type SegmentFormat = 'fmp4' | 'ts';

/** One input prepared for packaging: its movie and its tracks on a timeline without edit lists. */
export interface PackageSource {
  movie: Movie;
  /** Tracks that can be written (complete samples), on the player timeline, indexed like `movie.tracks` (undefined: not writable). */
  tracks: Array<Track | undefined>;
  /** Plans (by segment time) and written tracks (by track, segment time and format) of this source, made once per call. */
  readonly made: { plans: Map<number, SegmentPlan>; tracks: Map<string, WrittenTrack> };
}

/** The source's segment plan: video lead (its first writable video track), audio aligned, computed once. */
export function planOf(source: PackageSource, segmentTimeSec: number): SegmentPlan {
  const known = source.made.plans.get(segmentTimeSec);
  if (known) return known;
  const tracks = source.tracks.filter((t): t is Track => t !== undefined);
  const plan = planSegments(
    tracks.map((t) => ({ kind: t.kind, timescale: t.timescale, samples: t.samples })),
    // As for createFragmentedMp4: a segment holds at least a few headers' worth of payload (tables whose every
    // sample spans a segment would otherwise make one segment per sample).
    { segmentTimeSec, minSegmentBytes: MIN_FRAGMENT_PAYLOAD },
  );
  // Ranges indexed like source.tracks.
  const index = source.tracks.map((t) => (t ? tracks.indexOf(t) : -1));
  const byTrack: SegmentPlan = {
    ...plan,
    segments: plan.segments.map((s) => ({ ...s, ranges: index.map((i) => (i >= 0 ? s.ranges[i]! : { first: 0, count: 0, decodeStartTicks: 0, durationTicks: 0 })) })),
  };
  source.made.plans.set(segmentTimeSec, byTrack);
  return byTrack;
}

/** Prepares an input: its writable tracks moved onto a timeline without edit lists, for the segment format. */
export function prepareSource(movie: Movie, writable: readonly Track[], format: SegmentFormat): PackageSource {
  const timeline = playerTimeline(movie, writable, format === 'ts' ? 'ts' : 'cmaf');
  return {
    movie,
    tracks: movie.tracks.map((t) => {
      const i = writable.indexOf(t);
      return i >= 0 ? timeline[i] : undefined;
    }),
    made: { plans: new Map(), tracks: new Map() },
  };
}

/** The RFC 6381 codec string of a track that can be packaged in `format`; UNSUPPORTED_CODEC otherwise. */
export function requireCodec(track: Track, format: SegmentFormat): string {
  const d = track.descriptions[0];
  const s = d ? codecString(d) : undefined;
  if (!d || !s) throw new BoxwrightError('UNSUPPORTED_CODEC', `track ${track.id} (${d?.codec ?? d?.entryType ?? 'unknown codec'}) has no codec string HLS can name`, 0, `track ${track.id}`);
  if (d.protection) throw new BoxwrightError('UNSUPPORTED_CODEC', `track ${track.id} is encrypted (${d.protection.scheme}): HLS packaging of encrypted input is not supported`, 0, `track ${track.id}`);
  if (format === 'ts' && !['h264', 'hevc', 'aac', 'mp3', 'ac3', 'eac3'].includes(d.codec ?? '')) {
    throw new BoxwrightError('UNSUPPORTED_CODEC', `track ${track.id} (${d.codec ?? d.entryType}) cannot be carried in MPEG-TS segments; use segmentFormat 'fmp4'`, 0, `track ${track.id}`);
  }
  return s;
}

/** A keyframe that starts a fragment: its moof, the mdat header and the sample itself, as a byte range of the segment. */
export interface KeyframeRange {
  offset: number;
  length: number;
  durationSec: number;
}

/** One written media segment of a track. */
export interface WrittenSegment {
  data: Uint8Array;
  /** Decode time of its first sample (its first `tfdt`), track ticks. */
  decodeStartTicks: number;
  /** Sum of its sample durations, track ticks. */
  durationTicks: number;
  durationSec: number;
  /** Presentation time of its first sample, seconds. */
  startSec: number;
  /** Whether it starts with a sync sample. */
  startsWithSap: boolean;
  keyframes: KeyframeRange[];
}

/** One track written for packaging. */
export interface WrittenTrack {
  track: Track;
  codec: string;
  /** The init segment (fMP4), or undefined (MPEG-TS). */
  init?: Uint8Array;
  segments: WrittenSegment[];
  /** fMP4: the rendition as one file; `init` and every segment's `data` are views into it. */
  single?: SingleFile;
}

/** Writes track `trackIndex` of `source` segment by segment, following the source's plan. */
export function writeTrackSegments(source: PackageSource, trackIndex: number, segmentTimeSec: number, format: SegmentFormat): WrittenTrack {
  // HLS and DASH of one call share their segments: a track is written once per source, plan and format.
  const key = `${trackIndex}/${segmentTimeSec}/${format}`;
  const known = source.made.tracks.get(key);
  if (known) return known;
  const out = writeTrackSegmentsOnce(source, trackIndex, segmentTimeSec, format);
  source.made.tracks.set(key, out);
  return out;
}

function writeTrackSegmentsOnce(source: PackageSource, trackIndex: number, segmentTimeSec: number, format: SegmentFormat): WrittenTrack {
  const track = source.tracks[trackIndex]!;
  const codec = requireCodec(track, format);
  const plan = planOf(source, segmentTimeSec);
  const ts = format === 'ts';
  const video = track.kind === 'video';
  const out = [{ track, trackId: 1 }];
  const timescale = track.timescale;
  let totalTicks = 0;
  for (const s of plan.segments) totalTicks += s.ranges[trackIndex]!.durationTicks;
  type Planned = Omit<WrittenSegment, 'data'> & { tree?: MeasuredTree; data?: Uint8Array };
  const planned: Planned[] = [];
  let sequenceNumber = 1;
  for (const s of plan.segments) {
    const r = s.ranges[trackIndex]!;
    if (r.count === 0) continue;
    const durationSec = r.durationTicks / timescale;
    const startSec = (track.samples.dts[r.first]! + track.samples.ctsOffset[r.first]!) / timescale;
    const common = { decodeStartTicks: track.samples.dts[r.first]!, durationTicks: r.durationTicks, durationSec, startSec, startsWithSap: (track.samples.flags[r.first]! & SYNC) !== 0 };
    if (ts) {
      const slice = sliceTrack(track, r.first, r.count);
      planned.push({ ...common, data: muxTs({ ...source.movie, tracks: [slice] }, [0]), keyframes: [] });
      continue;
    }
    // One moof + mdat per GOP (video), so that every keyframe starts a fragment; one for audio.
    const cuts = [r.first];
    if (video) for (let i = r.first + 1; i < r.first + r.count; i++) if (track.samples.flags[i]! & SYNC) cuts.push(i);
    const boxes: Box[] = [];
    const keyframes: KeyframeRange[] = [];
    let offset = 0;
    cuts.forEach((first, g) => {
      const end = g + 1 < cuts.length ? cuts[g + 1]! : r.first + r.count;
      const m = mediaSegmentBoxes([{ ...out[0]!, first, count: end - first }], { sequenceNumber });
      sequenceNumber += m.moofCount;
      if (video && track.samples.flags[first]! & SYNC) {
        // The I-frame: its moof, the mdat header and the sample itself (the first in the mdat).
        let gopTicks = 0;
        for (let i = first; i < end; i++) gopTicks += track.samples.duration[i]!;
        keyframes.push({ offset, length: sizeOf(m.boxes[0]!) + 8 + track.samples.size[first]!, durationSec: gopTicks / timescale });
      }
      boxes.push(...m.boxes);
      offset += m.size;
    });
    planned.push({ ...common, tree: measureTree(boxes), keyframes });
  }
  if (ts) return { track, codec, segments: planned.map(({ tree: _t, data, ...rest }) => ({ ...rest, data: data! })) };
  // fMP4: every byte of the rendition in one allocation, laid out as its single self-initialising file
  // (init, sidx, segments); the init and the segments are views into it, so HLS byte ranges and DASH on-demand
  // use it as it is, and separate segment files cost no second copy.
  const init = measureTree(initSegmentBoxes(out, { movieTimescale: timescale, sourceMovieTimescale: timescale, fragmentDurationTicks: totalTicks }));
  const earliest = planned[0] ? Math.max(0, Math.round(planned[0].startSec * timescale)) : 0;
  const sidx = measureTree([sidxBox(1, timescale, earliest, planned.map((p) => ({ referencedSize: p.tree!.size, subsegmentDuration: p.durationTicks, startsWithSap: p.startsWithSap })))]);
  let total = init.size + sidx.size;
  for (const p of planned) total += p.tree!.size;
  const file = new Uint8Array(total);
  init.writeInto(file.subarray(0, init.size));
  sidx.writeInto(file.subarray(init.size, init.size + sidx.size));
  let at = init.size + sidx.size;
  const segmentOffsets: number[] = [];
  const segments: WrittenSegment[] = planned.map(({ tree, data: _d, ...rest }) => {
    const data = file.subarray(at, at + tree!.size);
    tree!.writeInto(data);
    segmentOffsets.push(at);
    at += tree!.size;
    return { ...rest, data };
  });
  return { track, codec, init: file.subarray(0, init.size), segments, single: { data: file, initLength: init.size, sidxLength: sidx.size, segmentOffsets } };
}

/** A rendition as one self-initialising file: init, a `sidx` with one reference per segment, then the segments. */
export interface SingleFile {
  data: Uint8Array;
  /** Byte range of the init segment: [0, initLength). */
  initLength: number;
  /** Byte range of the sidx: [initLength, initLength + sidxLength). */
  sidxLength: number;
  /** Where each segment starts in `data`. */
  segmentOffsets: number[];
}

/** The single file of a written track (fMP4): HLS byte-range playlists and DASH on-demand address the same bytes. */
export function singleFileOf(w: WrittenTrack): SingleFile {
  if (!w.single) throw new BoxwrightError('INTERNAL', `track ${w.track.id}: a single file is written for fMP4 segments only`, 0, `track ${w.track.id}`);
  return w.single;
}

const pad = (n: number): string => String(n).padStart(5, '0');

/** Media segment file name, the same for HLS and DASH (`name_00001.m4s`; DASH's template: `name_$Number%05d$.m4s`). */
export const segmentName = (name: string, number: number, ext = 'm4s'): string => `${name}_${pad(number)}.${ext}`;
/** Init segment file name, the same for HLS and DASH. */
export const initName = (name: string): string => `${name}_init.mp4`;

/** A video track's typical frame duration (the median of its first 1000 sample durations, ticks), or undefined. */
export function frameDurationTicks(t: Track): number | undefined {
  const n = Math.min(t.samples.count, 1000);
  if (n < 2) return undefined;
  const d = Array.from(t.samples.duration.subarray(0, n)).sort((a, b) => a - b)[n >> 1]!;
  return d > 0 ? d : undefined;
}

/** The highest bit rate (bits per second) of any part: `bytes` over `durationSec`. */
export function peakBitRate(parts: ReadonlyArray<{ bytes: number; durationSec: number }>): number {
  let peak = 0;
  for (const p of parts) if (p.durationSec > 0) peak = Math.max(peak, (p.bytes * 8) / p.durationSec);
  return peak;
}
