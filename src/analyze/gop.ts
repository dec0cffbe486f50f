/**
 * GOP structure of a video track from its sample table and, for H.264 / HEVC, the NAL and slice headers
 * (never decoding). Times are ticks inside; seconds only in the report.
 */
import type { Movie } from '../model/movie.js';
import { SYNC } from '../model/sample-table.js';
import { toSeconds } from '../model/time.js';
import { pictureReader, type PictureFacts, type PictureType } from './pictures.js';
import { readAsFfprobe, selectVideoTrack, videoTimeline } from './video-track.js';

/** Frames of each picture type in a GOP. */
export interface GopFrameTypes {
  I: number;
  P: number;
  B: number;
}

/** One GOP: a keyframe and the frames after it in decode order up to the next keyframe. */
export interface GopInfo {
  /** Presentation time of the keyframe (seconds, as ffprobe's pts_time). */
  start: number;
  /** Until the next keyframe's presentation time; the last GOP until the end of the last frame (seconds). */
  duration: number;
  /** Frames in the GOP (decode order: an open GOP's leading pictures count in the GOP whose keyframe they follow). */
  frames: number;
  /** Leading pictures: frames of the GOP presented before its keyframe. */
  leading: number;
  /** Picture types (H.264/HEVC only; frames whose slice header could not be read are not counted). */
  types?: GopFrameTypes;
  /**
   * Nothing in the GOP depends on a frame before it. H.264: the keyframe is an IDR, or an I picture with no
   * leading pictures; HEVC: IDR, BLA_W_RADL/BLA_N_LP, or CRA/BLA_W_LP without RASL pictures; other codecs:
   * no leading pictures (inferred from the timestamps).
   */
  closed: boolean;
  /** The keyframe is an IDR picture (H.264/HEVC only). */
  idr?: boolean;
}

/** The result of `analyzeGop`. */
export interface GopAnalysis {
  /** ID of the track analysed. */
  track: number;
  /** Codec name as probeMedia's codec_name (`h264`, `hevc`, `av1`, …). */
  codec: string;
  /**
   * `'slice-header'` when picture types, IDR flags and leading-picture classes were read from the bitstream
   * (H.264, HEVC); `'keyframes-only'` for other codecs: key/non-key from the container, no `types`/`idr`/`idrCount`.
   */
  frameTypes: 'slice-header' | 'keyframes-only';
  /** Presentation time of each keyframe, in decode order (seconds). */
  keyframes: number[];
  /** Duration of each GOP (seconds). */
  gopDurations: number[];
  /** Mean, longest and shortest GOP duration (seconds; 0 when there is no GOP). The last GOP counts as it is. */
  avgGop: number;
  maxGop: number;
  minGop: number;
  /** Frames of each GOP. */
  framesPerGop: number[];
  gops: GopInfo[];
  /** Keyframes that are IDR pictures (H.264/HEVC only). */
  idrCount?: number;
  /** Frames analysed (presented frames; frames the edit list discards are left out). */
  frameCount: number;
  /** Frames before the first keyframe (a stream cut mid-GOP); they belong to no GOP. */
  framesBeforeFirstKeyframe: number;
}

interface GopBuild {
  key: number;
  frames: number;
  leading: number;
  types: GopFrameTypes;
  rasl: boolean;
  facts: PictureFacts | undefined;
}

function isClosed(g: GopBuild, codec: string): boolean {
  const f = g.facts;
  if (!f) return g.leading === 0;
  if (f.idr) return true;
  if (codec === 'hevc') {
    const c = f.hevcClass;
    if (c === 'BLA_W_RADL' || c === 'BLA_N_LP') return true;
    return (c === 'CRA' || c === 'BLA_W_LP') && !g.rasl;
  }
  return f.type === 'I' && g.leading === 0;
}

/**
 * Analyses the GOPs of the first video track of `movie` (or the video track with ID `trackId`).
 * @throws BoxwrightError NO_TRACK when there is no such video track.
 */
export function analyzeMovieGop(demuxed: Movie, trackId?: number): GopAnalysis {
  const movie = readAsFfprobe(demuxed);
  const selected = selectVideoTrack(movie, trackId, 'analyzeGop');
  const { track, timeline: tl, presented } = videoTimeline(movie, selected);
  const ts = track.timescale;
  const reader = pictureReader(track, track.data);
  const codec = track.descriptions[0]?.codec ?? track.descriptions[0]?.format ?? 'unknown';
  const gops: GopBuild[] = [];
  let before = 0;
  let end = -Infinity;
  for (let n = 0; n < presented.length; n++) {
    const k = presented[n]!;
    const i = tl.sample[k]!;
    const pts = tl.pts[k]!;
    end = Math.max(end, pts + tl.duration[k]!);
    const key = reader ? reader.isKey(i) : (track.samples.flags[i]! & SYNC) !== 0;
    const facts = reader?.facts(i);
    if (key) gops.push({ key: k, frames: 0, leading: 0, types: { I: 0, P: 0, B: 0 }, rasl: false, facts });
    const g = gops[gops.length - 1];
    if (!g) {
      before++;
      continue;
    }
    g.frames++;
    if (pts < tl.pts[g.key]!) g.leading++;
    const type: PictureType | undefined = facts?.type;
    if (type) g.types[type]++;
    if (facts?.hevcClass === 'RASL') g.rasl = true;
  }

  const sec = (ticks: number): number => toSeconds(ticks, ts);
  // GOP lengths in ticks: to the next keyframe's presentation time, the last one to the end of the last frame.
  const spans = gops.map((g, j) => {
    const next = gops[j + 1];
    return Math.max(0, (next ? tl.pts[next.key]! : end) - tl.pts[g.key]!);
  });
  let total = 0;
  let longest = 0;
  let shortest = Infinity;
  for (const d of spans) {
    total += d;
    longest = Math.max(longest, d);
    shortest = Math.min(shortest, d);
  }
  const out: GopInfo[] = gops.map((g, j) => {
    const info: GopInfo = { start: sec(tl.pts[g.key]!), duration: sec(spans[j]!), frames: g.frames, leading: g.leading, closed: isClosed(g, codec) };
    if (reader) {
      info.types = g.types;
      info.idr = g.facts?.idr ?? false;
    }
    return info;
  });
  const result: GopAnalysis = {
    track: track.id,
    codec,
    frameTypes: reader ? 'slice-header' : 'keyframes-only',
    keyframes: out.map((g) => g.start),
    gopDurations: out.map((g) => g.duration),
    avgGop: spans.length ? sec(total) / spans.length : 0,
    maxGop: spans.length ? sec(longest) : 0,
    minGop: spans.length ? sec(shortest) : 0,
    framesPerGop: out.map((g) => g.frames),
    gops: out,
    frameCount: presented.length,
    framesBeforeFirstKeyframe: before,
  };
  if (reader) result.idrCount = out.filter((g) => g.idr).length;
  return result;
}
