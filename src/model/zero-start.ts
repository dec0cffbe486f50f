/**
 * Starting a remuxed timeline at 0, as `ffmpeg -i in.ts -c copy out.mp4` does: every track moves by one amount,
 * the input's start time (the earliest first presentation time over its tracks, ffmpeg's `start_time`), so A/V
 * sync is kept to the tick. What each output container then does with decode times that come out negative (video
 * whose B-frames make the first DTS precede the first PTS) is the writer's choice; the helpers here give the
 * numbers, in integer ticks.
 */
import type { EditEntry, Track } from './movie.js';
import { rescale } from './time.js';

/** A point in time as ticks of a timescale (exact: no float seconds). */
export interface TickTime {
  ticks: number;
  timescale: number;
}

/** Whether `a` is earlier than `b` (compared exactly by cross-multiplication, BigInt when the products are large). */
function earlier(a: TickTime, b: TickTime): boolean {
  const l = a.ticks * b.timescale;
  const r = b.ticks * a.timescale;
  if (Number.isSafeInteger(l) && Number.isSafeInteger(r)) return l < r;
  return BigInt(Math.round(a.ticks)) * BigInt(b.timescale) < BigInt(Math.round(b.ticks)) * BigInt(a.timescale);
}

/** The earliest of `time(t)` over the tracks that have samples; undefined when none has. */
function earliest(tracks: readonly Track[], time: (t: Track) => number): TickTime | undefined {
  let best: TickTime | undefined;
  for (const t of tracks) {
    if (t.samples.count === 0 || !(t.timescale > 0)) continue;
    const p = { ticks: time(t), timescale: t.timescale };
    if (best === undefined || earlier(p, best)) best = p;
  }
  return best;
}

/**
 * The start time of `tracks` (ffmpeg's format `start_time`, which `-c copy` subtracts): the earliest presentation
 * time of a track's first sample (in decode order) over the tracks that have samples; undefined when none has.
 */
export function startTime(tracks: readonly Track[]): TickTime | undefined {
  return earliest(tracks, (t) => t.samples.dts[0]! + t.samples.ctsOffset[0]!);
}

/** The earliest first decode time over the tracks that have samples; undefined when none has. */
export function firstDecodeTime(tracks: readonly Track[]): TickTime | undefined {
  return earliest(tracks, (t) => t.samples.dts[0]!);
}

/** `time` in ticks of `timescale` (exact when the timescales are equal or divide evenly; else rounded to nearest). */
export function ticksIn(time: TickTime, timescale: number): number {
  return rescale(time.ticks, time.timescale, timescale);
}

/**
 * The track with `decodeShiftTicks` added to every decode time and taken from every composition offset, so
 * presentation times stay: a decode timeline moved without moving the pictures (composition offsets may become
 * negative, as `trun` v1 allows). Undefined when an offset would leave the 32-bit range.
 */
export function moveDecodeTimes(track: Track, decodeShiftTicks: number): Track | undefined {
  if (decodeShiftTicks === 0) return track;
  const s = track.samples;
  const dts = new Float64Array(s.count);
  const cts = new Int32Array(s.count);
  for (let i = 0; i < s.count; i++) {
    const v = s.ctsOffset[i]! - decodeShiftTicks;
    if (v < -0x80000000 || v > 0x7fffffff) return undefined;
    dts[i] = s.dts[i]! + decodeShiftTicks;
    cts[i] = v;
  }
  const { packetView: _packets, ...rest } = track;
  return { ...rest, samples: { ...s, dts, ctsOffset: cts } };
}

/**
 * The edit list ffmpeg's MP4/MOV muxer writes for a track whose timeline starts at the movie's 0 (its
 * `mov_write_edts_tag`): an empty edit as long as the first sample's presentation time when that is after 0, then
 * the media from the first sample's composition offset (so a B-frame delay is not presented) for the track's
 * duration. Ticks: the empty edit and durations in `movieTimescale`, the media time in the track's. Empty when
 * nothing needs an edit (the first sample presented at 0 with no composition offset).
 */
export function zeroStartEdits(track: Track, movieTimescale: number): EditEntry[] {
  const s = track.samples;
  if (s.count === 0) return [];
  const firstPts = s.dts[0]! + s.ctsOffset[0]!;
  // The media timeline starts at the first decode time, so sample 0 is at media time ctsOffset[0]: the empty edit
  // minus the media time must be the first decode time. The media time is the first composition offset (nothing
  // presented before the first picture), more when the first picture lies before 0 (its part before 0 is not
  // presented), and never negative (a negative first offset: the empty edit grows instead).
  const mediaTime = Math.max(0, s.ctsOffset[0]! - Math.min(0, firstPts));
  const empty = s.dts[0]! + mediaTime;
  if (empty === 0 && mediaTime === 0) return [];
  const n = s.count;
  const duration = s.dts[n - 1]! + s.duration[n - 1]! - s.dts[0]!;
  const edits: EditEntry[] = [];
  if (empty > 0) edits.push({ segmentDurationTicks: rescale(empty, track.timescale, movieTimescale), mediaTimeTicks: -1, rate: 1 });
  edits.push({ segmentDurationTicks: rescale(duration, track.timescale, movieTimescale), mediaTimeTicks: mediaTime, rate: 1 });
  return edits;
}
