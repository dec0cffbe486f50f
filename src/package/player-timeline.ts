/**
 * Timelines that need no edit list. Players of segmented media ignore edit lists (hls.js does, its issue 7432;
 * MSE has no notion of them), so packaged segments carry in their timestamps the presentation the edit lists
 * describe (a B-frame delay, AAC priming, an encoder delay, a cut that starts mid-GOP):
 * - CMAF video: the edit offset goes into the composition offsets (trun v1 allows negative ones), so every
 *   picture is presented exactly when the input's edit list says, and decode times stay as they were;
 * - other CMAF tracks (audio has no composition offsets): decode times move by the edit offset; samples that end
 *   before the presentation starts are left out (they are never presented), and a first sample that starts
 *   before 0 (priming) starts at 0 — later by less than one frame, as no time can be negative;
 * - MPEG-TS (PTS may not precede DTS): decode times move by the edit offset; the TS muxer's 1.4 s offset keeps
 *   them positive (and a larger lead-in moves every track by one amount).
 */
import type { Movie, Track } from '../model/movie.js';
import { presentationOffsetTicks } from '../model/segment-plan.js';
import { shiftTrack, sliceTrack } from '../model/track-slice.js';

/** The segment format the timeline is for. */
export type TimelineFormat = 'cmaf' | 'ts';

/** The largest lead-in (seconds) the TS muxer's 1.4 s offset absorbs with room to spare. */
const TS_LEAD_IN_SEC = 1;

/** `track` with `offset` added to its composition offsets, or undefined when one would leave the 32-bit range. */
function withCompositionShift(track: Track, offset: number): Track | undefined {
  const s = track.samples;
  const cts = new Int32Array(s.count);
  for (let i = 0; i < s.count; i++) {
    const v = s.ctsOffset[i]! + offset;
    if (v < -0x80000000 || v > 0x7fffffff) return undefined;
    cts[i] = v;
  }
  const { packetView: _packets, ...rest } = track;
  return { ...rest, samples: { ...s, ctsOffset: cts } };
}

/** `tracks` of `movie` moved onto a timeline that needs no edit list (see the module comment). */
export function playerTimeline(movie: Movie, tracks: readonly Track[], format: TimelineFormat): Track[] {
  const movieTimescale = movie.timescale || 1000;
  const offsets = tracks.map((t) => presentationOffsetTicks(t, movieTimescale));
  if (format === 'ts') {
    let leadInSec = 0;
    tracks.forEach((t, i) => {
      if (t.samples.count > 0) leadInSec = Math.max(leadInSec, -(t.samples.dts[0]! + offsets[i]!) / t.timescale - TS_LEAD_IN_SEC);
    });
    return tracks.map((t, i) => ({ ...shiftTrack(t, offsets[i]! + Math.ceil(leadInSec * t.timescale)), edits: [] }));
  }
  return tracks.map((t, i) => {
    const off = offsets[i]!;
    if (t.kind === 'video' && off !== 0) {
      const moved = withCompositionShift(t, off);
      if (moved) return { ...moved, edits: [] };
    }
    // Samples that end before the presentation starts (pre-roll before an edit that starts mid-stream) are not
    // presented: they are left out, so the first kept one starts less than a sample before 0 and moves to 0.
    const s = t.samples;
    let k = 0;
    while (k < s.count - 1 && s.dts[k]! + s.ctsOffset[k]! + off + s.duration[k]! <= 0) k++;
    const kept = k > 0 ? sliceTrack(t, k, s.count - k) : t;
    const first = kept.samples.count > 0 ? kept.samples.dts[0]! + off : 0;
    return { ...shiftTrack(kept, off - Math.min(0, first)), edits: [] };
  });
}
