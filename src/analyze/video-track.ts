/**
 * The video track an analyzer reads, with its packets as ffprobe times them: the edit list and composition
 * offsets applied by the probe's timeline (`probe/timeline.ts`), so presentation times equal ffprobe's pts.
 */
import { BoxwrightError } from '../io/errors.js';
import type { Movie, Track } from '../model/movie.js';
import { firstSamples } from '../model/sample-table.js';
import { asFfmpegReadsIt } from './probe/index.js';
import { buildTimeline, type Timeline } from './probe/timeline.js';

/** A video track ready for analysis. */
export interface VideoTimeline {
  /** The track (its complete samples), with its samples in `track.data`. */
  track: Track;
  /** Its packets in decode order with ffprobe's dts/pts (ticks of `track.timescale`). */
  timeline: Timeline;
  /** Indexes into `timeline` of the packets that are presented (not discarded by the edit list), in decode order. */
  presented: Uint32Array;
}

/**
 * The first video track, or the video track with ID `trackId`.
 * @throws BoxwrightError NO_TRACK when there is none (or `trackId` names a track that is not video).
 */
export function selectVideoTrack(movie: Movie, trackId: number | undefined, what: string): Track {
  const video = movie.tracks.filter((t) => t.kind === 'video');
  if (trackId === undefined) {
    const first = video[0];
    if (!first) throw new BoxwrightError('NO_TRACK', `${what} needs a video track; the input has ${describeTracks(movie)}`, 0, '');
    return first;
  }
  const t = video.find((v) => v.id === trackId);
  if (!t) {
    const ids = video.map((v) => v.id);
    throw new BoxwrightError('NO_TRACK', `${what}: no video track with ID ${trackId} (video track IDs: ${ids.length ? ids.join(', ') : 'none'})`, 0, '');
  }
  return t;
}

function describeTracks(movie: Movie): string {
  if (movie.tracks.length === 0) return 'no tracks';
  return movie.tracks.map((t) => `${t.kind} (ID ${t.id})`).join(', ');
}

/**
 * The movie as ffprobe reads it (MPEG-TS timestamps as the input has them, each sample in one piece): analyzers
 * take their tracks from this so their times are ffprobe's.
 */
export function readAsFfprobe(movie: Movie): Movie {
  return asFfmpegReadsIt(movie);
}

/**
 * The track's packets as ffprobe lists them, and which of them are presented. Like ffprobe, it stops where the
 * input is cut. `movie` comes from {@link readAsFfprobe}.
 */
export function videoTimeline(movie: Movie, track: Track): VideoTimeline {
  const whole = readableSamples(track);
  const timeline = buildTimeline(whole, movie.timescale, movie.fragmented);
  let n = 0;
  for (let k = 0; k < timeline.discard.length; k++) if (!timeline.discard[k]) n++;
  const presented = new Uint32Array(n);
  n = 0;
  for (let k = 0; k < timeline.discard.length; k++) if (!timeline.discard[k]) presented[n++] = k;
  return { track: whole, timeline, presented };
}

/**
 * The samples ffprobe lists: up to the first one that is not wholly in `track.data` (a cut file), that one
 * included when it starts inside the data (ffprobe returns it with the bytes that are there).
 */
function readableSamples(track: Track): Track {
  const s = track.samples;
  const limit = track.data.length;
  for (let k = 0; k < s.count; k++) {
    if (s.offset[k]! + s.size[k]! > limit) return { ...track, samples: firstSamples(s, s.offset[k]! < limit ? k + 1 : k) };
  }
  return track;
}
