/**
 * What the engines for inputs other than MPEG-TS share: their timestamps are already on one timeline (an
 * elementary stream's running sample count, an MP4's `tfdt`s), each track in its own timescale, so the
 * writer's 33-bit wrap handling — which is about 90 kHz PES timestamps — must not touch them.
 */
import type { Track } from '../model/movie.js';
import type { WindowRange } from './cut-policy.js';
import { Timeline } from './timeline.js';

/**
 * The {@link Timeline} the writer is given for inputs that are not transport streams: no 33-bit wrap shift
 * (a track's ticks need not be 90 kHz, and tracks of different timescales would look 2^32 apart on a long
 * timeline); the writer still records where its output ends.
 */
export class OwnClockTimeline extends Timeline {
  override windowShift(_ref: number | undefined): number {
    return 0;
  }
}

/** Every sample of every track, nothing carried: the writer's ranges for a window that is written whole. */
export function wholeRanges(tracks: readonly Track[]): Map<number, WindowRange> {
  return new Map(tracks.map((t) => [t.id, { first: 0, count: t.samples.count, carry: 0 }]));
}
