/**
 * Progressive MP4/MOV/M4A writer: ftyp, moov first (fast start), then one mdat with the tracks' samples
 * interleaved in chunks of about half a second. Sample tables are derived from the model; chunk offsets use
 * co64 when the file passes 4 GiB.
 */
import type { ByteRun } from '../io/deferred-bytes.js';
import { sizeOf, type Box } from '../../boxes/tree.js';
import type { Movie, Track } from '../model/movie.js';
import { isSync } from '../model/sample-table.js';
import { rescale } from '../model/time.js';
import { ftypBox, metadataBox, mvhdBox, trakBox } from './track-boxes.js';
import { appendSampleRuns } from './sample-runs.js';

/** Container flavours the progressive writer produces. */
export type ProgressiveTarget = 'mp4' | 'mov' | 'm4a';

const CHUNK_SEC = 0.5;

interface Chunk {
  track: number;
  first: number;
  count: number;
  startSec: number;
}

/** Run-length (count, value) pairs of a column. */
function runs(values: ArrayLike<number>, n: number): { counts: Uint32Array; values: number[] } {
  const counts: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < n; i++) {
    if (vals.length && vals[vals.length - 1] === values[i]) counts[counts.length - 1]!++;
    else {
      counts.push(1);
      vals.push(values[i]!);
    }
  }
  return { counts: Uint32Array.from(counts), values: vals };
}

function chunksOf(tracks: readonly Track[]): Chunk[] {
  const chunks: Chunk[] = [];
  tracks.forEach((t, ti) => {
    const s = t.samples;
    let first = 0;
    while (first < s.count) {
      const startSec = s.dts[first]! / t.timescale;
      let k = first + 1;
      while (k < s.count && s.dts[k]! / t.timescale < startSec + CHUNK_SEC) k++;
      chunks.push({ track: ti, first, count: k - first, startSec });
      first = k;
    }
  });
  // Interleave by time, track order breaking ties, so players read the file front to back.
  return chunks.sort((a, b) => a.startSec - b.startSec || a.track - b.track);
}

function sampleTables(t: Track, chunks: readonly Chunk[], ti: number, offsets: readonly number[], co64: boolean): Box[] {
  const s = t.samples;
  const n = s.count;
  const d = runs(s.duration, n);
  const boxes: Box[] = [{ type: 'stts', value: { entries: { sampleCount: d.counts, sampleDelta: Uint32Array.from(d.values) } } }];
  let hasCto = false;
  for (let i = 0; i < n; i++) if (s.ctsOffset[i] !== 0) hasCto = true;
  if (hasCto) {
    const c = runs(s.ctsOffset, n);
    boxes.push({ type: 'ctts', value: { entries: { sampleCount: c.counts, sampleOffset: Int32Array.from(c.values) } } });
  }
  let allSync = true;
  const sync: number[] = [];
  for (let i = 0; i < n; i++) {
    if (isSync(s, i)) sync.push(i + 1);
    else allSync = false;
  }
  if (!allSync) boxes.push({ type: 'stss', value: { sampleNumbers: Uint32Array.from(sync) } });
  const mine = chunks.map((c, i) => ({ c, i })).filter((x) => x.c.track === ti);
  const firstChunk: number[] = [];
  const perChunk: number[] = [];
  const descIndex: number[] = [];
  mine.forEach(({ c }, k) => {
    const desc = s.description[c.first]! + 1;
    if (!perChunk.length || perChunk[perChunk.length - 1] !== c.count || descIndex[descIndex.length - 1] !== desc) {
      firstChunk.push(k + 1);
      perChunk.push(c.count);
      descIndex.push(desc);
    }
  });
  boxes.push({
    type: 'stsc',
    value: { entries: { firstChunk: Uint32Array.from(firstChunk), samplesPerChunk: Uint32Array.from(perChunk), sampleDescriptionIndex: Uint32Array.from(descIndex) } },
  });
  let sameSize = n > 0;
  for (let i = 1; i < n; i++) if (s.size[i] !== s.size[0]) sameSize = false;
  boxes.push({ type: 'stsz', value: sameSize ? { sampleSize: s.size[0]!, sampleCount: n } : { entrySizes: Uint32Array.from(s.size) } });
  const chunkOffsets = mine.map(({ i }) => offsets[i]!);
  boxes.push(co64 ? { type: 'co64', value: { chunkOffsets: Float64Array.from(chunkOffsets) } } : { type: 'stco', value: { chunkOffsets: Uint32Array.from(chunkOffsets) } });
  return boxes;
}

function trackDuration(t: Track): number {
  const n = t.samples.count;
  return n ? t.samples.dts[n - 1]! + t.samples.duration[n - 1]! - t.samples.dts[0]! : 0;
}

/** The boxes of a progressive file with the moov first (mdat data as payload views); write with writeTree or writeTreeChunks. */
export function progressiveBoxes(movie: Movie, tracks: readonly Track[], target: ProgressiveTarget): Box[] {
  const movieTimescale = movie.timescale || 1000;
  const chunks = chunksOf(tracks);
  const chunkBytes = chunks.map((c) => {
    let n = 0;
    for (let k = c.first; k < c.first + c.count; k++) n += tracks[c.track]!.samples.size[k]!;
    return n;
  });
  const mdatPayload = chunkBytes.reduce((a, b) => a + b, 0);
  const container = target === 'mov' ? 'QuickTime MOV' : target === 'm4a' ? 'M4A' : 'MP4';
  const build = (offsets: readonly number[], co64: boolean): Box[] => {
    const traks = tracks.map((t, i) => {
      const duration = trackDuration(t);
      // stts starts at 0: a track that started later (a fragment at tfdt 10 s) keeps its start with an empty edit.
      const d0 = t.samples.count ? t.samples.dts[0]! : 0;
      const edits = d0 > 0 && t.edits.length === 0 ? [{ segmentDurationTicks: rescale(d0, t.timescale, movie.timescale || 1000), mediaTimeTicks: -1, rate: 1 }, { segmentDurationTicks: 0, mediaTimeTicks: 0, rate: 1 }] : t.edits;
      return trakBox({ ...t, edits }, {
        trackId: i + 1,
        movieTimescale,
        sourceMovieTimescale: movie.timescale || 1000,
        durationTicks: duration,
        container,
        sampleTable: sampleTables(t, chunks, i, offsets, co64),
      });
    });
    const movieDuration = Math.max(0, ...tracks.map((t) => rescale(trackDuration(t), t.timescale, movieTimescale)));
    const udta = metadataBox(movie.tags);
    return [
      ftypBox(target, tracks.map((t) => t.descriptions[0]?.codec ?? '')),
      { type: 'moov', children: [mvhdBox(movieTimescale, movieDuration, tracks.length + 1), ...traks, ...(udta ? [udta] : [])] },
    ];
  };
  // Offsets do not change the moov's size (fixed-width fields), so measure with zeros, then fill them in.
  const zeros = chunks.map(() => 0);
  const largeMdat = mdatPayload + 8 > 0xffffffff;
  let co64 = false;
  let head = build(zeros, co64).reduce((a, b) => a + sizeOf(b), 0);
  if (head + (largeMdat ? 16 : 8) + mdatPayload > 0xffffffff) {
    co64 = true;
    head = build(zeros, co64).reduce((a, b) => a + sizeOf(b), 0);
  }
  const offsets: number[] = [];
  let p = head + (largeMdat ? 16 : 8);
  for (const n of chunkBytes) {
    offsets.push(p);
    p += n;
  }
  const data: ByteRun[] = [];
  for (const c of chunks) appendSampleRuns(data, tracks[c.track]!, c.first, c.count);
  return [...build(offsets, co64), { type: 'mdat', value: { data } }];
}
