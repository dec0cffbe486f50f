/**
 * Constant or variable frame rate, from the presentation timestamps of a video track (no decoding).
 *
 * The deltas are taken between presentation times sorted ascending, so frames that are decoded out of order
 * (B-frames) do not look like jitter. Timestamps are integers in the track's timescale, so a constant rate that
 * the timescale cannot express (29.97 fps in 1000 Hz: 33.367 ms) shows as steps of 33 and 34 ticks; and sources
 * with millisecond clocks (Matroska, FLV, WebM, many capture tools) carry that rounding into 90 kHz streams. A
 * stream is therefore CFR when every delta lies within the tolerance max(1 tick, 1 ms) of the mean delta:
 * rounding moves a timestamp by at most half a tick (or half a millisecond), so a delta by less than one, while a
 * dropped or repeated frame moves it by a whole frame period (≥ 4 ms up to 240 fps).
 */
import type { Movie } from '../model/movie.js';
import { gcd, toSeconds } from '../model/time.js';
import { readAsFfprobe, selectVideoTrack, videoTimeline } from './video-track.js';

/** A frame rate as a reduced fraction and its value (frames per second). */
export interface FrameRate {
  num: number;
  den: number;
  value: number;
}

/** The result of `detectVfrCfr`. */
export interface VfrAnalysis {
  /** ID of the track analysed. */
  track: number;
  /** `'cfr'` when every delta is within `toleranceSec` of the mean (one frame or none: `'cfr'`). */
  mode: 'cfr' | 'vfr';
  /** Standard deviation of the deltas divided by their mean (0 with fewer than two frames). */
  jitter: number;
  /** Packets of the track (as ffprobe -show_packets lists them). */
  packetCount: number;
  /** Frames whose presentation times were compared (packets the edit list discards are left out). */
  frameCount: number;
  /** Mean, smallest and largest delta between consecutive presentation times (seconds; 0 with fewer than two frames). */
  meanDelta: number;
  minDelta: number;
  maxDelta: number;
  /** The tolerance used: max(1 tick, 1 ms) in seconds. */
  toleranceSec: number;
  /**
   * Average frame rate over the presented frames ((frames − 1) / (last − first presentation time)); for CFR
   * snapped to a common rate (24000/1001, 25, 30000/1001, 60000/1001, …) when that is within the timestamps'
   * rounding. `{ num: 0, den: 1, value: 0 }` with fewer than two frames.
   */
  frameRate: FrameRate;
}

/** Common rates a CFR stream is snapped to when its timestamps are rounded. */
const COMMON_RATES: ReadonlyArray<readonly [number, number]> = [
  [24000, 1001], [24, 1], [25, 1], [30000, 1001], [30, 1], [48000, 1001], [48, 1], [50, 1], [60000, 1001], [60, 1],
  [100, 1], [120000, 1001], [120, 1], [144, 1], [240, 1], [12, 1], [15, 1], [10, 1], [5, 1], [1, 1],
];

function reduced(num: number, den: number): FrameRate {
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den)) {
    // Beyond exact integers: keep the value, in thousandths.
    const value = num / den;
    return { num: Math.round(value * 1000), den: 1000, value };
  }
  const g = gcd(num, den) || 1;
  return { num: num / g, den: den / g, value: num / den };
}

/**
 * CFR/VFR of the first video track of `movie` (or the video track with ID `trackId`).
 * @throws BoxwrightError NO_TRACK when there is no such video track.
 */
export function detectMovieVfr(demuxed: Movie, trackId?: number): VfrAnalysis {
  const movie = readAsFfprobe(demuxed);
  const selected = selectVideoTrack(movie, trackId, 'detectVfrCfr');
  const { track, timeline: tl, presented } = videoTimeline(movie, selected);
  const ts = track.timescale;
  const tolerance = Math.max(1, ts / 1000);
  const pts = new Float64Array(presented.length);
  for (let n = 0; n < presented.length; n++) pts[n] = tl.pts[presented[n]!]!;
  pts.sort();
  const count = pts.length;
  const base = { track: track.id, packetCount: tl.sample.length, frameCount: count, toleranceSec: toSeconds(tolerance, ts) };
  if (count < 2) return { ...base, mode: 'cfr', jitter: 0, meanDelta: 0, minDelta: 0, maxDelta: 0, frameRate: { num: 0, den: 1, value: 0 } };

  const span = pts[count - 1]! - pts[0]!;
  const mean = span / (count - 1);
  let min = Infinity;
  let max = -Infinity;
  let squares = 0;
  for (let n = 1; n < count; n++) {
    const d = pts[n]! - pts[n - 1]!;
    min = Math.min(min, d);
    max = Math.max(max, d);
    squares += (d - mean) * (d - mean);
  }
  const std = Math.sqrt(squares / (count - 1));
  // (A tiny epsilon: the mean is a float quotient; a delta exactly one tolerance away must still count.)
  const cfr = mean > 0 && max - mean <= tolerance + 1e-9 && mean - min <= tolerance + 1e-9;
  let frameRate = reduced((count - 1) * ts, span);
  if (cfr) {
    // The mean is off the true period by at most one tolerance spread over the deltas.
    const slack = tolerance / (count - 1) + 1e-9;
    const common = COMMON_RATES.find(([num, den]) => Math.abs((ts * den) / num - mean) <= slack);
    if (common) frameRate = reduced(common[0], common[1]);
  }
  return {
    ...base,
    mode: cfr ? 'cfr' : 'vfr',
    jitter: mean > 0 ? std / mean : 0,
    meanDelta: toSeconds(mean, ts),
    minDelta: toSeconds(min, ts),
    maxDelta: toSeconds(max, ts),
    frameRate: span > 0 ? frameRate : { num: 0, den: 1, value: 0 },
  };
}
