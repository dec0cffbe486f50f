/**
 * Fragmented MP4 writing: one init-segment writer and one media-segment writer, used by `createFragmentedMp4`,
 * `streamCopy` to fmp4, the transmuxer and the packagers. Where to cut comes from the segment plan
 * (src/model/segment-plan.ts); this module only writes. Box values are built once, measured from the box
 * definitions (so every `trun.dataOffset` is known before anything is written) and written in one pass;
 * sample payloads go from their source straight into the output. `trun` values are columns: views of the
 * sample table where they can be, never one object per sample.
 */
import { sizeOf, writeTree, type Box } from '../../boxes/tree.js';
import type { Trun } from '../../boxes/families/fragment.js';
import type { ByteRun } from '../io/deferred-bytes.js';
import type { Movie, Track } from '../model/movie.js';
import { planSegments, presentationOffsetTicks, type SegmentPlan } from '../model/segment-plan.js';
import { SYNC } from '../model/sample-table.js';
import { rescale } from '../model/time.js';
import { ftypBox, metadataBox, mvhdBox, trakBox } from './track-boxes.js';
import { appendSampleRuns } from './sample-runs.js';

/** Options for `createFragmentedMp4`. */
export interface FragmentOptions {
  /** Target fragment duration in seconds: fragments still start at video sync samples. 0 (default) = one GOP each; audio-only input defaults to 1 s. */
  fragmentDurationSec?: number;
}

/** The result: one buffer holding the whole file, with views of its init segment and each fragment. */
export interface FragmentedMp4 {
  /** The complete fragmented MP4 (init segment followed by all fragments). */
  data: Uint8Array;
  /** The init segment (ftyp + moov), a view of `data`. */
  init: Uint8Array;
  /** Each fragment (moof + mdat), views of `data`. */
  fragments: Uint8Array[];
  /** Presentation time of each fragment's first video (or first) sample, in seconds. */
  fragmentStartsSec: number[];
}

/** A track as it appears in a fragmented output: the model track and its output track ID. */
export interface OutputTrack {
  track: Track;
  trackId: number;
}

/** Options of {@link initSegmentBoxes}. */
export interface InitSegmentOptions {
  /** Timescale of the output's `mvhd` (and of edit durations). */
  movieTimescale: number;
  /** Movie timescale the tracks' edit lists are expressed in (the input's). */
  sourceMovieTimescale: number;
  /** `mehd` fragment duration in the movie timescale; absent for a stream of unknown length (live). */
  fragmentDurationTicks?: number;
  /** Movie text tags written as `udta` metadata. */
  tags?: Readonly<Record<string, string>>;
}

/** `ftyp` + `moov` (with `mvex`/`trex`, empty sample tables) for fragmented output of `tracks`. */
export function initSegmentBoxes(tracks: readonly OutputTrack[], o: InitSegmentOptions): Box[] {
  const codecs = tracks.map((t) => t.track.descriptions[0]?.codec ?? '');
  const nextTrackId = tracks.reduce((m, t) => Math.max(m, t.trackId), 0) + 1;
  const trex = tracks.map(({ trackId }) => ({
    type: 'trex',
    value: { trackId, defaultSampleDescriptionIndex: 1, defaultSampleDuration: 0, defaultSampleSize: 0, defaultSampleFlags: 0 },
  }));
  const moov: Box = {
    type: 'moov',
    children: [
      mvhdBox(o.movieTimescale, 0, nextTrackId),
      ...tracks.map(({ track, trackId }) =>
        trakBox(track, { trackId, movieTimescale: o.movieTimescale, sourceMovieTimescale: o.sourceMovieTimescale, durationTicks: 0, container: 'fragmented MP4', sampleTable: emptyTables() }),
      ),
      {
        type: 'mvex',
        children: o.fragmentDurationTicks === undefined ? trex : [{ type: 'mehd', value: { fragmentDuration: o.fragmentDurationTicks } }, ...trex],
      },
    ],
  };
  const udta = o.tags ? metadataBox(o.tags) : undefined;
  if (udta) moov.children!.push(udta);
  return [ftypBox('fmp4', codecs), moov];
}

/** One track's samples [first, first + count) in a media segment. */
export interface SegmentPart extends OutputTrack {
  first: number;
  count: number;
  /** Added to every decode time written (`tfdt`): rebases a timeline; default 0. */
  decodeShiftTicks?: number;
}

/** Options of {@link mediaSegmentBoxes}. */
export interface MediaSegmentOptions {
  /** `mfhd` sequence number of the first `moof`; later ones (one per track) count on. */
  sequenceNumber: number;
  /** `'single-moof'` (default): every track in one moof + mdat; `'moof-per-track'`: one moof + mdat per track (CMAF). */
  layout?: 'single-moof' | 'moof-per-track';
  /** Write an `styp` first (a DASH / CMAF segment file): its brands. */
  styp?: { majorBrand: string; compatibleBrands: string[] };
}

/** A media segment as box values: `[styp] moof mdat [moof mdat …]`. */
export interface MediaSegmentBoxes {
  boxes: Box[];
  /** Total size in bytes. */
  size: number;
  /** Number of `moof` boxes (sequence numbers used). */
  moofCount: number;
}

// §8.8.3.1 sample flags: sync = depends on nothing; non-sync = depends on others and is_non_sync.
const SYNC_FLAGS = 0x02000000;
const NON_SYNC_FLAGS = 0x01010000;

function allEqual(a: ArrayLike<number>, first: number, count: number): boolean {
  const v = a[first];
  for (let i = first + 1; i < first + count; i++) if (a[i] !== v) return false;
  return true;
}

/**
 * The `traf` of one part; its `trun` is returned too, for the data offset to be set once the moof size is
 * known. Columns that vary are views of the sample table (durations, sizes, offsets) or one typed array
 * (flags); uniform ones go into `tfhd` defaults.
 */
function trafBox(p: SegmentPart): { traf: Box; trun: Trun } {
  const s = p.track.samples;
  const { first, count } = p;
  const end = first + count;
  const video = p.track.kind === 'video';
  const flagsOf = (i: number): number => (!video || (s.flags[i]! & SYNC) !== 0 ? SYNC_FLAGS : NON_SYNC_FLAGS);
  const sameDuration = allEqual(s.duration, first, count);
  const sameSize = allEqual(s.size, first, count);
  let sameFlagsAfterFirst = true;
  if (video) {
    const f1 = count > 1 ? flagsOf(first + 1) : 0;
    for (let i = first + 2; i < end; i++) {
      if (flagsOf(i) !== f1) {
        sameFlagsAfterFirst = false;
        break;
      }
    }
  }
  let hasCto = false;
  for (let i = first; i < end; i++) {
    if (s.ctsOffset[i] !== 0) {
      hasCto = true;
      break;
    }
  }
  const tfhd: Record<string, unknown> = { trackId: p.trackId, defaultBaseIsMoof: true };
  if (sameDuration) tfhd.defaultSampleDuration = s.duration[first]!;
  if (sameSize) tfhd.defaultSampleSize = s.size[first]!;
  const defaultFlags = count > 1 ? flagsOf(first + 1) : flagsOf(first);
  if (sameFlagsAfterFirst) tfhd.defaultSampleFlags = defaultFlags;
  const trun: Trun = { sampleCount: count, dataOffset: 0 };
  if (sameFlagsAfterFirst && flagsOf(first) !== defaultFlags) trun.firstSampleFlags = flagsOf(first);
  if (!sameDuration) trun.sampleDuration = s.duration.subarray(first, end);
  if (!sameSize) trun.sampleSize = s.size.subarray(first, end);
  if (!sameFlagsAfterFirst) {
    const flags = new Uint32Array(count);
    for (let i = 0; i < count; i++) flags[i] = flagsOf(first + i);
    trun.sampleFlags = flags;
  }
  if (hasCto) trun.sampleCompositionTimeOffset = s.ctsOffset.subarray(first, end);
  const traf: Box = {
    type: 'traf',
    children: [
      { type: 'tfhd', value: tfhd },
      { type: 'tfdt', value: { baseMediaDecodeTime: s.dts[first]! + (p.decodeShiftTicks ?? 0) }, version: 1 },
      { type: 'trun', value: trun },
    ],
  };
  return { traf, trun };
}

/** One moof + mdat holding `parts` (parts without samples are left out). */
function moofAndMdat(parts: readonly SegmentPart[], sequenceNumber: number): { moof: Box; mdat: Box; size: number } {
  const withSamples = parts.filter((p) => p.count > 0);
  const trafs = withSamples.map(trafBox);
  const moof: Box = { type: 'moof', children: [{ type: 'mfhd', value: { sequenceNumber } }, ...trafs.map((t) => t.traf)] };
  const moofSize = sizeOf(moof);
  const MDAT_HEADER = 8;
  const chunks: ByteRun[] = [];
  let dataSize = 0;
  withSamples.forEach((p, i) => {
    trafs[i]!.trun.dataOffset = moofSize + MDAT_HEADER + dataSize;
    dataSize += appendSampleRuns(chunks, p.track, p.first, p.count);
  });
  return { moof, mdat: { type: 'mdat', value: { data: chunks } }, size: moofSize + MDAT_HEADER + dataSize };
}

/**
 * A media segment for any chosen tracks and sample ranges: `[styp] moof mdat`, or one `moof mdat` per track
 * (`'moof-per-track'`), with the given sequence number and track IDs.
 */
export function mediaSegmentBoxes(parts: readonly SegmentPart[], o: MediaSegmentOptions): MediaSegmentBoxes {
  const boxes: Box[] = [];
  let size = 0;
  if (o.styp) {
    const styp: Box = { type: 'styp', value: { majorBrand: o.styp.majorBrand, minorVersion: 0, compatibleBrands: o.styp.compatibleBrands } };
    boxes.push(styp);
    size += sizeOf(styp);
  }
  const groups = o.layout === 'moof-per-track' ? parts.filter((p) => p.count > 0).map((p) => [p]) : [parts];
  let moofCount = 0;
  for (const g of groups) {
    const f = moofAndMdat(g, o.sequenceNumber + moofCount);
    boxes.push(f.moof, f.mdat);
    size += f.size;
    moofCount++;
  }
  return { boxes, size, moofCount };
}

/** One subsegment of a {@link sidxBox}. */
export interface SidxReference {
  /** Bytes of the subsegment (moof + mdat …). */
  referencedSize: number;
  /** Duration in the sidx timescale. */
  subsegmentDuration: number;
  /** The subsegment starts with a stream access point. */
  startsWithSap: boolean;
}

/** A `sidx` (§8.16.3) indexing consecutive subsegments that follow it (`firstOffset` bytes after its end). */
export function sidxBox(referenceId: number, timescale: number, earliestPresentationTime: number, references: readonly SidxReference[], firstOffset = 0): Box {
  return {
    type: 'sidx',
    value: {
      referenceId,
      timescale,
      earliestPresentationTime,
      firstOffset,
      references: references.map((r) => ({
        referenceType: 0,
        referencedSize: r.referencedSize,
        subsegmentDuration: r.subsegmentDuration,
        startsWithSap: r.startsWithSap ? 1 : 0,
        sapType: r.startsWithSap ? 1 : 0,
        sapDeltaTime: 0,
      })),
    },
  };
}

/** The sample table boxes a fragmented file's moov carries: present but empty. */
export function emptyTables(): Box[] {
  return [
    { type: 'stts', value: { entries: { sampleCount: new Uint32Array(0), sampleDelta: new Uint32Array(0) } } },
    { type: 'stsc', value: { entries: { firstChunk: new Uint32Array(0), samplesPerChunk: new Uint32Array(0), sampleDescriptionIndex: new Uint32Array(0) } } },
    { type: 'stsz', value: { entrySizes: new Uint32Array(0) } },
    { type: 'stco', value: { chunkOffsets: new Uint32Array(0) } },
  ];
}

/**
 * Lead-track payload bytes a fragment holds before it may be cut: about what its moof + mdat headers take.
 * Real fragments (a GOP, a second of audio) are far larger; tiny ones come from tables whose samples each span
 * a target duration (a mutated stts giving 1-byte PCM samples 49 hours each, every picture a sync sample), where
 * one fragment per sample would make the output and the time to write it many times the input.
 */
export const MIN_FRAGMENT_PAYLOAD = 128;

/** The plan `createFragmentedMp4` uses: one GOP per fragment by default, 1 s fragments for audio-only input. */
export function fragmentPlan(movie: Movie, tracks: readonly Track[], o: FragmentOptions = {}): SegmentPlan {
  const hasVideo = tracks.some((t) => t.kind === 'video');
  const movieTimescale = movie.timescale || 1000;
  const planTracks = tracks.map((t) => ({ kind: t.kind, timescale: t.timescale, samples: t.samples, presentationOffsetTicks: presentationOffsetTicks(t, movieTimescale) }));
  return planSegments(planTracks, { segmentTimeSec: o.fragmentDurationSec ?? (hasVideo ? 0 : 1), minSegmentBytes: MIN_FRAGMENT_PAYLOAD });
}

/** The boxes of a fragmented MP4 (mdat data as payload views), with the init box count and each fragment's size. */
export function fragmentBoxes(
  movie: Movie,
  tracks: readonly Track[],
  o: FragmentOptions = {},
): { boxes: Box[]; initCount: number; fragmentSizes: number[]; starts: number[] } {
  const movieTimescale = movie.timescale || 1000;
  let movieDuration = 0;
  for (const t of tracks) {
    const n = t.samples.count;
    if (n) movieDuration = Math.max(movieDuration, rescale(t.samples.dts[n - 1]! + t.samples.duration[n - 1]!, t.timescale, movieTimescale));
  }
  const out = tracks.map((track, i) => ({ track, trackId: i + 1 }));
  const init = initSegmentBoxes(out, { movieTimescale, sourceMovieTimescale: movieTimescale, fragmentDurationTicks: movieDuration, tags: movie.tags });
  const boxes: Box[] = [...init];
  const fragmentSizes: number[] = [];
  const starts: number[] = [];
  const plan = fragmentPlan(movie, tracks, o);
  const lead = tracks[plan.leadTrack]!;
  plan.segments.forEach((seg, f) => {
    const parts = seg.ranges.map((r, i) => ({ ...out[i]!, first: r.first, count: r.count }));
    const m = mediaSegmentBoxes(parts, { sequenceNumber: f + 1 });
    boxes.push(...m.boxes);
    fragmentSizes.push(m.size);
    const leadRange = seg.ranges[plan.leadTrack]!;
    const li = leadRange.count ? leadRange.first : 0;
    starts.push(lead.samples.count ? (lead.samples.dts[li]! + lead.samples.ctsOffset[li]!) / lead.timescale : 0);
  });
  return { boxes, initCount: init.length, fragmentSizes, starts };
}

/** Writes `tracks` of `movie` as a fragmented MP4. */
export function fragmentMovie(movie: Movie, tracks: readonly Track[], o: FragmentOptions = {}): FragmentedMp4 {
  const { boxes, initCount, fragmentSizes, starts } = fragmentBoxes(movie, tracks, o);
  const data = writeTree(boxes);
  const initSize = boxes.slice(0, initCount).reduce((a, b) => a + sizeOf(b), 0);
  const fragments: Uint8Array[] = [];
  let p = initSize;
  for (const n of fragmentSizes) {
    fragments.push(data.subarray(p, p + n));
    p += n;
  }
  return { data, init: data.subarray(0, initSize), fragments, fragmentStartsSec: starts };
}
