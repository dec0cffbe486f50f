/** Public `analyzeGop`. */
import { analyzeMovieGop, type GopAnalysis } from '../analyze/gop.js';
import { demuxAny } from '../demux/index.js';
import { checkTrackOption } from './analyze-options.js';

export type { GopAnalysis, GopInfo, GopFrameTypes } from '../analyze/gop.js';

/** Options for {@link analyzeGop}. */
export interface AnalyzeGopOptions {
  /** ID of the video track to analyse (MP4 track_ID, MPEG-TS PID); default: the first video track. */
  track?: number;
}

/**
 * The GOP structure of a video track: keyframe times, GOP durations and frame counts, and for H.264/HEVC
 * the picture types (I/P/B from the slice headers, no decoding), IDR and open/closed GOPs. Times are seconds of
 * presentation time as ffprobe reports pts (edit list and composition offsets applied). Reads MP4, MOV, fMP4
 * and MPEG-TS. See docs/analyzers.md.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { analyzeGop } from 'boxwright';
 * const gop = analyzeGop(readFileSync('video.mp4'));
 * console.log(gop.keyframes, gop.avgGop, gop.gops[0]?.types); // [0, 2, 4, …] 2 { I: 1, P: 15, B: 32 }
 * ```
 * @throws TypeError / RangeError for bad arguments; BoxwrightError NO_TRACK when there is no (such) video track,
 * other BoxwrightError codes for unreadable or unsupported media.
 */
export function analyzeGop(data: Uint8Array, options: AnalyzeGopOptions = {}): GopAnalysis {
  const track = checkTrackOption('analyzeGop', data, options);
  return analyzeMovieGop(demuxAny(data).movie, track);
}
