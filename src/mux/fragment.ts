/**
 * Fragmented MP4 writer: an init segment (ftyp + moov with mvex) and moof/mdat fragments cut at video sync
 * samples. The output is measured from the box definitions and written once; sample payloads are copied
 * straight from their source into it.
 */
import { sizeOf, writeTree, type Box } from '../../boxes/tree.js';
import type { Movie, Track } from '../model/movie.js';
import { isSync } from '../model/sample-table.js';
import { rescale } from '../model/time.js';
import { ftypBox, metadataBox, mvhdBox, trakBox } from './track-boxes.js';
import type { ByteRun } from '../io/deferred-bytes.js';
import { appendRun } from './mp4.js';

/** Options for {@link fragmentMovie}. */
export interface FragmentOptions {
  /** Target fragment duration in seconds: fragments still start at video sync samples. 0 (default) = one GOP each; audio-only input defaults to 1 s. */
  fragmentDurationSec?: number;
}

/** One fragment in the plan: per track, the sample range it holds. */
interface FragmentPlan {
  ranges: Array<{ first: number; count: number }>;
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

// §8.8.3.1 sample flags: sync = depends on nothing; non-sync = depends on others and is_non_sync.
const SYNC_FLAGS = 0x02000000;
const NON_SYNC_FLAGS = 0x01010000;

/** Fragment boundaries: decode times (seconds) where fragments start, at sync samples of the leading track. */
function planFragments(tracks: readonly Track[], o: FragmentOptions): FragmentPlan[] {
  const lead = tracks.find((t) => t.kind === 'video') ?? tracks[0]!;
  const target = o.fragmentDurationSec ?? (lead.kind === 'video' ? 0 : 1);
  const s = lead.samples;
  const starts: number[] = [];
  let lastStart = -Infinity;
  for (let i = 0; i < s.count; i++) {
    const t = s.dts[i]! / lead.timescale;
    // Video fragments start at sync samples (one GOP each by default, or GOPs merged up to the target duration).
    const canCut = i === 0 || ((lead.kind !== 'video' || isSync(s, i)) && t - lastStart >= target - 1e-9);
    if (canCut) {
      starts.push(i);
      lastStart = t;
    }
  }
  if (starts.length === 0) starts.push(0);
  // Boundaries in seconds (as lead ticks) for the other tracks.
  const boundaryTicks = starts.map((i) => s.dts[i]!);
  const plans: FragmentPlan[] = boundaryTicks.map(() => ({ ranges: [] }));
  tracks.forEach((t) => {
    let k = 0;
    for (let f = 0; f < plans.length; f++) {
      const end = f + 1 < boundaryTicks.length ? rescale(boundaryTicks[f + 1]!, lead.timescale, t.timescale) : Infinity;
      const first = k;
      if (t === lead) {
        const stop = f + 1 < starts.length ? starts[f + 1]! : t.samples.count;
        k = stop;
      } else {
        while (k < t.samples.count && t.samples.dts[k]! < end) k++;
      }
      plans[f]!.ranges.push({ first, count: k - first });
    }
  });
  return plans.filter((p) => p.ranges.some((r) => r.count > 0));
}

function allEqual(a: ArrayLike<number>, first: number, count: number): boolean {
  for (let i = first + 1; i < first + count; i++) if (a[i] !== a[first]) return false;
  return true;
}

/** The traf for one track's range; `dataOffset` is filled in once the moof size is known. */
function trafBox(track: Track, trackId: number, first: number, count: number): { traf: Box; trun: Record<string, unknown> } {
  const s = track.samples;
  const video = track.kind === 'video';
  const flagsOf = (i: number): number => (!video || isSync(s, i) ? SYNC_FLAGS : NON_SYNC_FLAGS);
  const sameDuration = allEqual(s.duration, first, count);
  const sameSize = allEqual(s.size, first, count);
  let sameFlagsAfterFirst = true;
  for (let i = first + 2; i < first + count; i++) if (flagsOf(i) !== flagsOf(first + 1)) sameFlagsAfterFirst = false;
  let hasCto = false;
  for (let i = first; i < first + count; i++) if (s.ctsOffset[i] !== 0) hasCto = true;
  const tfhd: Record<string, unknown> = { trackId, defaultBaseIsMoof: true };
  if (sameDuration) tfhd.defaultSampleDuration = s.duration[first]!;
  if (sameSize) tfhd.defaultSampleSize = s.size[first]!;
  const defaultFlags = count > 1 ? flagsOf(first + 1) : flagsOf(first);
  if (sameFlagsAfterFirst) tfhd.defaultSampleFlags = defaultFlags;
  const samples = [];
  for (let i = first; i < first + count; i++) {
    const x: Record<string, number> = {};
    if (!sameDuration) x.duration = s.duration[i]!;
    if (!sameSize) x.size = s.size[i]!;
    if (!sameFlagsAfterFirst) x.flags = flagsOf(i);
    if (hasCto) x.compositionTimeOffset = s.ctsOffset[i]!;
    samples.push(x);
  }
  const trun: Record<string, unknown> = { dataOffset: 0, samples };
  if (sameFlagsAfterFirst && flagsOf(first) !== defaultFlags) trun.firstSampleFlags = flagsOf(first);
  const traf: Box = {
    type: 'traf',
    children: [
      { type: 'tfhd', value: tfhd },
      { type: 'tfdt', value: { baseMediaDecodeTime: s.dts[first]! }, version: 1 },
      { type: 'trun', value: trun },
    ],
  };
  return { traf, trun };
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

/** The boxes of a fragmented MP4 (mdat data as payload views), with the init box count and each fragment's size. */
export function fragmentBoxes(
  movie: Movie,
  tracks: readonly Track[],
  o: FragmentOptions = {},
): { boxes: Box[]; initCount: number; fragmentSizes: number[]; starts: number[] } {
  const movieTimescale = movie.timescale || 1000;
  const codecs = tracks.map((t) => t.descriptions[0]?.codec ?? '');
  const ends = tracks.map((t) => {
    const n = t.samples.count;
    return n ? rescale(t.samples.dts[n - 1]! + t.samples.duration[n - 1]!, t.timescale, movieTimescale) : 0;
  });
  const movieDuration = Math.max(0, ...ends);
  const moov: Box = {
    type: 'moov',
    children: [
      mvhdBox(movieTimescale, 0, tracks.length + 1),
      ...tracks.map((t, i) =>
        trakBox(t, { trackId: i + 1, movieTimescale, sourceMovieTimescale: movie.timescale || 1000, durationTicks: 0, container: 'fragmented MP4', sampleTable: emptyTables() }),
      ),
      {
        type: 'mvex',
        children: [
          { type: 'mehd', value: { fragmentDuration: movieDuration } },
          ...tracks.map((_t, i) => ({
            type: 'trex',
            value: { trackId: i + 1, defaultSampleDescriptionIndex: 1, defaultSampleDuration: 0, defaultSampleSize: 0, defaultSampleFlags: 0 },
          })),
        ],
      },
    ],
  };
  const udta = metadataBox(movie.tags);
  if (udta) moov.children!.push(udta);
  const init: Box[] = [ftypBox('fmp4', codecs), moov];
  const boxes: Box[] = [...init];
  const fragmentSizes: number[] = [];
  const starts: number[] = [];
  const lead = tracks.find((t) => t.kind === 'video') ?? tracks[0]!;
  planFragments(tracks, o).forEach((plan, f) => {
    const trafs = plan.ranges.map((r, i) => (r.count > 0 ? trafBox(tracks[i]!, i + 1, r.first, r.count) : undefined));
    const moof: Box = { type: 'moof', children: [{ type: 'mfhd', value: { sequenceNumber: f + 1 } }, ...trafs.filter((t) => t).map((t) => t!.traf)] };
    const chunks: ByteRun[] = [];
    let dataSize = 0;
    const moofSize = sizeOf(moof);
    const mdatHeader = 8;
    plan.ranges.forEach((r, i) => {
      const t = trafs[i];
      if (!t) return;
      t.trun.dataOffset = moofSize + mdatHeader + dataSize;
      const track = tracks[i]!;
      for (let k = r.first; k < r.first + r.count; k++) {
        appendRun(chunks, track, k);
        dataSize += track.samples.size[k]!;
      }
    });
    const mdat: Box = { type: 'mdat', value: { data: chunks } };
    boxes.push(moof, mdat);
    fragmentSizes.push(moofSize + mdatHeader + dataSize);
    const leadRange = plan.ranges[tracks.indexOf(lead)]!;
    const li = leadRange.count ? leadRange.first : 0;
    starts.push(lead.samples.count ? (lead.samples.dts[li]! + lead.samples.ctsOffset[li]!) / lead.timescale : 0);
  });
  return { boxes, initCount: init.length, fragmentSizes, starts };
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
