/**
 * Packet timestamps as an ffprobe user sees them: the edit list applied to the decode/composition times
 * the way ffmpeg's MOV demuxer does it (mov_fix_index), so our numbers agree with ffprobe's:
 * - a single edit with media_time M shifts the track so that presentation starts at 0 (plus leading empty edits);
 * - samples wholly before the edit (or after it) are kept for decoding but flagged discard (ffprobe flag `D`);
 * - audio samples that straddle the start are kept and the overlap becomes `skipSamples`;
 * - negative composition offsets (ctts v1) are handled with a DTS shift.
 */
import type { Track } from '../../model/movie.js';
import { STAMPED, SYNC } from '../../model/sample-table.js';
import { rescale } from '../../model/time.js';
import { fixedAudioFrame } from './packet-duration.js';

/** What a stream report needs of a track's timeline: computed without a per-packet pass (see {@link timelineSummary}). */
export interface TimelineSummary {
  /** Stream start (ticks): the leading empty-edit duration with an edit list, else the first packet's pts. */
  startTicks: number;
  /** Stream duration (ticks) as ffprobe's duration_ts. */
  durationTicks: number;
  /** Media duration before the edit list: min(mdhd duration, summed sample durations). */
  mediaDurationTicks: number;
  /** The timeline has at least one packet. */
  hasPackets: boolean;
}

/** The packets of one track in decode order, after edit-list processing. */
export interface Timeline extends TimelineSummary {
  /** Index of the underlying sample for each packet (a sample can appear in several edits). */
  sample: Uint32Array;
  dts: Float64Array;
  pts: Float64Array;
  duration: Float64Array;
  discard: Uint8Array;
  /** Audio samples to skip at the start (priming removed by the edit list). */
  skipSamples: number;
}

/**
 * The packet duration ffmpeg's audio parser gives (frame samples in the track's time base, rounded
 * down), for codecs with one frame size; undefined otherwise.
 */
function parserFrameDuration(track: Track): number | undefined {
  const d = track.descriptions[0];
  const frame = track.kind === 'audio' && d ? fixedAudioFrame(d) : undefined;
  return frame && frame.rate ? Math.floor((frame.samples * track.timescale) / frame.rate) : undefined;
}

/**
 * MPEG-TS: ffmpeg estimates a stream's end from the packets that carry a PES timestamp (pts + duration), so
 * audio frames after the first in a PES do not count; the duration runs from the stream's start to that end.
 */
function stampedEnd(track: Track, videoFrameTicks?: number): number | undefined {
  const s = track.samples;
  const frame = parserFrameDuration(track) ?? videoFrameTicks;
  let end: number | undefined;
  for (let i = 0; i < s.count; i++) {
    if (!(s.flags[i]! & STAMPED)) continue;
    const e = s.dts[i]! + s.ctsOffset[i]! + (frame ?? s.duration[i]!);
    if (end === undefined || e > end) end = e;
  }
  return end;
}

/**
 * Builds the packet timeline of a track. `movieTimescale` converts edit durations. For fragmented files
 * ffmpeg does not rebuild the index from the edit list: it only shifts fragment times by the first edit's
 * media time (minus leading empty edits), with no discarding.
 */
export function buildTimeline(track: Track, movieTimescale: number, fragmented = false): Timeline {
  const s = track.samples;
  const n = s.count;
  const { dtsShift, ctts } = compositionShift(track);
  const isAudio = track.kind === 'audio';
  const edits = track.edits;
  // Packets in typed columns (a long file has tens of thousands): about one per sample, more when edits repeat samples.
  let cap = Math.max(16, n);
  let sampleList = new Uint32Array(cap);
  let dtsList = new Float64Array(cap);
  let discardList = new Uint8Array(cap);
  let m = 0;
  const add = (i: number, dts: number, discard: number): void => {
    if (m === cap) {
      cap *= 2;
      sampleList = grown(sampleList, new Uint32Array(cap));
      dtsList = grown(dtsList, new Float64Array(cap));
      discardList = grown(discardList, new Uint8Array(cap));
    }
    sampleList[m] = i;
    dtsList[m] = dts;
    discardList[m] = discard;
    m++;
  };

  let emptySum = 0;
  let skipSamples = 0;
  let editEnd = 0;
  let minCorrected = Number.NaN;
  let foundNonEmpty = false;
  let firstNonZeroAudioEdit = -1;

  if (edits.length === 0 || n === 0 || fragmented) {
    const shift = fragmented ? fragmentShift(track, movieTimescale) : 0;
    for (let i = 0; i < n; i++) sampleList[i] = i;
    for (let i = 0; i < n; i++) dtsList[i] = s.dts[i]! - shift;
    m = n;
  } else {
    for (const edit of edits) {
      const editDuration = rescale(edit.segmentDurationTicks, movieTimescale, track.timescale);
      const mediaTime = edit.mediaTimeTicks;
      let counter = editEnd;
      editEnd += editDuration;
      if (!foundNonEmpty && mediaTime === -1) {
        emptySum += editDuration;
        continue;
      }
      foundNonEmpty = true;
      if (mediaTime < 0) continue;
      // Composition times carry the DTS shift, so the edit window does too.
      const windowStart = mediaTime + dtsShift;
      firstNonZeroAudioEdit = firstNonZeroAudioEdit < 0 && isAudio ? 1 : 0;
      if (firstNonZeroAudioEdit > 0) skipSamples = 0;

      // Audio decoders need preceding frames (decoder delay): ffmpeg starts up to one second before the edit.
      const search = isAudio ? Math.max(mediaTime - track.timescale, n ? s.dts[0]! : 0) : mediaTime;
      let index = findPreviousKeyframe(track, search, true);
      if (index < 0) index = findPreviousKeyframe(track, search, false);
      if (index < 0) index = 0;

      let started = false;
      let foundKeyAfterEdit = false;
      const discardedDurations: number[] = [];
      const fixDiscarded = (endTs: number): void => {
        // Rewrite the discarded leading entries so timestamps increase up to the edit start.
        let ts = endTs;
        for (let k = 0; k < discardedDurations.length; k++) {
          ts -= discardedDurations[discardedDurations.length - 1 - k]!;
          dtsList[m - 1 - k] = ts;
        }
      };
      for (let i = index; i < n; i++) {
        const frameDuration = i + 1 < n ? s.dts[i + 1]! - s.dts[i]! : editDuration;
        const cts = s.ctsOffset[i]!;
        const currCts = s.dts[i]! + dtsShift + cts;
        const key = (s.flags[i]! & SYNC) !== 0;
        let discard = 0;
        if (currCts < windowStart || currCts >= editDuration + windowStart) {
          if (isAudio && currCts < windowStart && currCts + frameDuration > windowStart && firstNonZeroAudioEdit > 0) {
            const skip = windowStart - currCts;
            skipSamples += skip;
            counter -= skip;
            if (!started) {
              started = true;
              fixDiscarded(counter);
              discardedDurations.length = 0;
            }
          } else {
            discard = 1;
            if (!started) {
              discardedDurations.push(frameDuration);
              if (isAudio && firstNonZeroAudioEdit > 0) skipSamples += frameDuration;
            }
          }
        } else {
          const corrected = counter + cts + dtsShift;
          minCorrected = Number.isNaN(minCorrected) ? corrected : Math.min(minCorrected, corrected);
          if (!started) {
            started = true;
            fixDiscarded(counter);
            discardedDurations.length = 0;
          }
        }
        add(i, counter, discard);
        if (started) counter += frameDuration;
        if (currCts + frameDuration >= editDuration + windowStart && (key || isAudio)) {
          // With B-frames, trailing frames after the next keyframe may still belong to the edit.
          if (ctts && !isAudio && !foundKeyAfterEdit) {
            foundKeyAfterEdit = true;
            continue;
          }
          break;
        }
      }
    }
    if (!Number.isNaN(minCorrected)) {
      minCorrected -= emptySum;
      if (track.kind === 'video' && minCorrected > 0) for (let k = 0; k < m; k++) dtsList[k]! -= minCorrected;
    }
  }

  const out: Timeline = {
    ...timelineSummary(track, movieTimescale, fragmented),
    sample: sampleList.subarray(0, m),
    dts: dtsList.subarray(0, m),
    pts: new Float64Array(m),
    duration: new Float64Array(m),
    discard: discardList.subarray(0, m),
    skipSamples,
  };
  for (let k = 0; k < m; k++) {
    const i = out.sample[k]!;
    out.pts[k] = out.dts[k]! + dtsShift + s.ctsOffset[i]!;
    out.duration[k] = s.duration[i]!;
  }
  return out;
}

function grown<T extends Uint32Array | Float64Array | Uint8Array>(a: T, b: T): T {
  b.set(a);
  return b;
}

/** ffmpeg's find_prev_closest_index: the last (key)frame by dts at or before `mediaTime`, then back to one whose pts ≤ mediaTime. */
function findPreviousKeyframe(track: Track, mediaTime: number, keyOnly: boolean): number {
  const s = track.samples;
  let index = -1;
  for (let i = 0; i < s.count; i++) {
    if (s.dts[i]! > mediaTime) break;
    if (!keyOnly || (s.flags[i]! & SYNC)) index = i;
  }
  while (index >= 0) {
    const key = (s.flags[index]! & SYNC) !== 0;
    if (s.dts[index]! + s.ctsOffset[index]! <= mediaTime && (key || !keyOnly)) break;
    index--;
  }
  return index;
}

/** ffmpeg's dts_shift (−min(ctts) when composition offsets are negative), and whether the track has any offsets; one pass. */
function compositionShift(track: Track): { dtsShift: number; ctts: boolean } {
  const offsets = track.samples.ctsOffset;
  let minCts = 0;
  let ctts = false;
  for (let i = 0; i < offsets.length; i++) {
    const c = offsets[i]!;
    if (c !== 0) {
      ctts = true;
      if (c < minCts) minCts = c;
    }
  }
  return { dtsShift: -minCts, ctts };
}

/** Fragmented files: fragment times shift by the first edit's media time, minus leading empty edits. */
function fragmentShift(track: Track, movieTimescale: number): number {
  let empty = 0;
  for (const e of track.edits) {
    if (e.mediaTimeTicks === -1) empty += rescale(e.segmentDurationTicks, movieTimescale, track.timescale);
    else return e.mediaTimeTicks - empty;
  }
  return 0;
}

/**
 * The stream start, duration and media duration of a track as {@link buildTimeline} gives them, from the edit
 * list and the sample table's first and last samples: a probe without packets needs no per-packet pass.
 * `videoFrameTicks` (MPEG-TS video): the packet duration ffmpeg's parser gives from the bitstream timing, which
 * is what ends the stream there — not the last decode-time delta.
 */
export function timelineSummary(track: Track, movieTimescale: number, fragmented = false, videoFrameTicks?: number): TimelineSummary {
  const s = track.samples;
  const n = s.count;
  const edits = track.edits;
  // ffmpeg: st->duration = min(mdhd duration, sum of sample durations) (fragments: the sum).
  // Fragments: ffmpeg's track end is the absolute decode time after the last sample (tfdt included).
  const summed = n > 0 ? s.dts[n - 1]! + s.duration[n - 1]! : 0;
  const mediaDuration = track.durationTicks > 0 && n > 0 ? Math.min(track.durationTicks, summed) : track.durationTicks > 0 ? track.durationTicks : summed;
  if (edits.length > 0 && n > 0 && !fragmented) {
    // Each edit with a media time after the leading empty ones yields packets (from its keyframe on).
    let emptySum = 0;
    let editEnd = 0;
    let foundNonEmpty = false;
    let hasPackets = false;
    for (const edit of edits) {
      const editDuration = rescale(edit.segmentDurationTicks, movieTimescale, track.timescale);
      editEnd += editDuration;
      if (!foundNonEmpty && edit.mediaTimeTicks === -1) {
        emptySum += editDuration;
        continue;
      }
      foundNonEmpty = true;
      if (edit.mediaTimeTicks >= 0) hasPackets = true;
    }
    return { startTicks: emptySum, durationTicks: Math.min(mediaDuration, editEnd), mediaDurationTicks: mediaDuration, hasPackets };
  }
  // One packet per sample, decode times shifted (fragments) and composition offsets applied.
  const shift = fragmented ? fragmentShift(track, movieTimescale) : 0;
  const { dtsShift } = compositionShift(track);
  // ffmpeg takes the first packets' smallest pts (B-frames come after their reference).
  let start = Infinity;
  for (let k = 0; k < Math.min(n, 16); k++) start = Math.min(start, s.dts[k]! - shift + dtsShift + s.ctsOffset[k]!);
  const startTicks = n ? start : 0;
  if (fragmented) {
    // Fragmented: the declared media duration when longer than the fragments (a segment of a longer movie).
    return { startTicks, durationTicks: Math.max(track.durationTicks, summed), mediaDurationTicks: mediaDuration, hasPackets: n > 0 };
  }
  const stamped = stampedEnd(track, videoFrameTicks);
  const durationTicks = stamped !== undefined && n ? stamped - startTicks : mediaDuration;
  return { startTicks, durationTicks, mediaDurationTicks: mediaDuration, hasPackets: n > 0 };
}
