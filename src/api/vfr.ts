/** Public `detectVfrCfr`. */
import { detectMovieVfr, type VfrAnalysis } from '../analyze/vfr.js';
import { demuxAny } from '../demux/index.js';
import { checkTrackOption } from './analyze-options.js';

export type { VfrAnalysis, FrameRate } from '../analyze/vfr.js';

/** Options for {@link detectVfrCfr}. */
export interface DetectVfrCfrOptions {
  /** ID of the video track to analyse (MP4 track_ID, MPEG-TS PID); default: the first video track. */
  track?: number;
}

/**
 * Whether a video track has a constant (CFR) or variable (VFR) frame rate, from its presentation timestamps
 * (sorted, so B-frames do not count as jitter): CFR when every delta between consecutive frames is within
 * max(1 tick, 1 ms) of the mean, so rates a timescale cannot express exactly (29.97 fps in 1000 Hz) still read as
 * CFR while dropped frames read as VFR. Reads MP4, MOV, fMP4 and MPEG-TS. See docs/analyzers.md.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { detectVfrCfr } from 'boxwright';
 * const { mode, frameRate, jitter } = detectVfrCfr(readFileSync('video.mp4'));
 * console.log(mode, `${frameRate.num}/${frameRate.den}`, jitter); // cfr 30000/1001 0.0141
 * ```
 * @throws TypeError / RangeError for bad arguments; BoxwrightError NO_TRACK when there is no (such) video track,
 * other BoxwrightError codes for unreadable or unsupported media.
 */
export function detectVfrCfr(data: Uint8Array, options: DetectVfrCfrOptions = {}): VfrAnalysis {
  const track = checkTrackOption('detectVfrCfr', data, options);
  return detectMovieVfr(demuxAny(data).movie, track);
}
