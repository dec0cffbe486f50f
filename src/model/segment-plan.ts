/**
 * The segment plan: where a timeline is cut into fragments / segments, in integer ticks. One pure function
 * serves `createFragmentedMp4`, the transmuxer and the HLS/DASH packagers, so they all cut the same way.
 *
 * Policy:
 * - The lead track (the first video track, else the first audio track, else the first track) is cut at
 *   the first sync sample whose presentation time is at or after each multiple of the target duration,
 *   counted from the lead's first presentation time. Boundary k is `origin + round(k × target × timescale)`,
 *   computed from k, so 10,000 segments of 1001-rate or 44.1 kHz media end where they should: no drift.
 *   A target of 0 cuts at every sync sample (one GOP per segment).
 * - Audio tracks are cut at the frame whose presentation time is nearest to the lead's cut, so tracks stay
 *   aligned to within half a frame; other tracks at their first sample at or after the cut.
 * - Presentation times include each track's edit list offset (what an edit-list-aware player adds), so an
 *   encoder delay on video or AAC priming on audio does not skew the alignment.
 * - `maxSegmentTimeSec`: a segment that would run past it is cut at its last sync sample that fits, or,
 *   when the GOP itself is longer, at the first sample past the maximum (that segment then does not start
 *   with a sync sample: `independent: false`).
 */
import type { Track, TrackKind } from './movie.js';
import { SYNC, type SampleTable } from './sample-table.js';
import { rescale } from './time.js';

/** What the plan needs of a track. */
export interface PlanTrack {
  readonly kind: TrackKind;
  readonly timescale: number;
  readonly samples: SampleTable;
  /** Ticks added to a sample's media presentation time to get its presentation time (edit lists); 0 when absent. */
  readonly presentationOffsetTicks?: number;
}

/** Options of {@link planSegments}. */
export interface SegmentPlanOptions {
  /** Target segment duration in seconds (finite, ≥ 0); 0 cuts at every sync sample of the lead track. */
  segmentTimeSec: number;
  /** Longest segment allowed, seconds (finite, > 0); default: none. */
  maxSegmentTimeSec?: number;
  /** Index of the lead track in the list; default: the first video track, else the first audio, else 0. */
  leadTrack?: number;
  /**
   * A segment is cut only once it holds this many bytes of the lead's samples (default 0). Bounds the number of
   * segments by the input's size when every sample would otherwise be a segment of its own (each sample spanning
   * a target duration, every picture a sync sample). `maxSegmentTimeSec` still cuts.
   */
  minSegmentBytes?: number;
}

/** One track's part of a segment: samples [first, first + count). */
export interface TrackRange {
  first: number;
  count: number;
  /** Decode time of the first sample (the fragment's `tfdt`), ticks in the track's timescale. */
  decodeStartTicks: number;
  /** Sum of the samples' durations, ticks in the track's timescale. */
  durationTicks: number;
}

/** One segment of the plan. */
export interface PlannedSegment {
  /** Presentation time (edit offset included) where the segment starts on the lead track, lead timescale ticks. */
  startTicks: number;
  /** Until the next segment's start (the last one: until the lead's last sample ends), lead timescale ticks. */
  durationTicks: number;
  /** Per input track, in the order given. */
  ranges: TrackRange[];
  /** The lead's first sample in the segment is a sync sample (false only for cuts forced by `maxSegmentTimeSec`). */
  independent: boolean;
}

/** The result of {@link planSegments}. */
export interface SegmentPlan {
  /** Index of the lead track. */
  leadTrack: number;
  /** The lead track's timescale (the unit of segment start and duration). */
  timescale: number;
  segments: PlannedSegment[];
  /** Where the input could not follow the request (GOPs longer than the target, forced cuts). */
  warnings: string[];
}

/**
 * Ticks to add to a track's media presentation times to place them on the movie's timeline, from its edit
 * list: leading empty edits delay it, the first media edit's start time advances it. 0 without edits.
 */
export function presentationOffsetTicks(track: Pick<Track, 'edits' | 'timescale'>, movieTimescale: number): number {
  let delay = 0;
  for (const e of track.edits) {
    if (e.mediaTimeTicks === -1) {
      delay += e.segmentDurationTicks;
      continue;
    }
    return rescale(delay, movieTimescale || 1, track.timescale) - e.mediaTimeTicks;
  }
  return 0;
}

/** The lead track: the first video track, else the first audio track, else the first. */
export function leadTrackIndex(tracks: readonly Pick<PlanTrack, 'kind'>[]): number {
  const v = tracks.findIndex((t) => t.kind === 'video');
  if (v >= 0) return v;
  const a = tracks.findIndex((t) => t.kind === 'audio');
  return a >= 0 ? a : 0;
}

function checkOptions(tracks: readonly PlanTrack[], o: SegmentPlanOptions): void {
  if (!(typeof o.segmentTimeSec === 'number' && Number.isFinite(o.segmentTimeSec) && o.segmentTimeSec >= 0)) {
    throw new RangeError(`planSegments: segmentTimeSec must be a finite number ≥ 0, got ${String(o.segmentTimeSec)}`);
  }
  const max = o.maxSegmentTimeSec;
  if (max !== undefined && !(typeof max === 'number' && Number.isFinite(max) && max > 0)) {
    throw new RangeError(`planSegments: maxSegmentTimeSec must be a finite number > 0, got ${String(max)}`);
  }
  const lead = o.leadTrack;
  if (lead !== undefined && !(Number.isInteger(lead) && lead >= 0 && lead < tracks.length)) {
    throw new RangeError(`planSegments: leadTrack must be an index below ${tracks.length}, got ${String(lead)}`);
  }
}

/**
 * Cuts `tracks` into segments (see the module comment for the policy). Linear in the number of samples.
 * @throws RangeError for bad options.
 */
export function planSegments(tracks: readonly PlanTrack[], options: SegmentPlanOptions): SegmentPlan {
  checkOptions(tracks, options);
  if (tracks.length === 0) return { leadTrack: 0, timescale: 1, segments: [], warnings: [] };
  const leadIndex = options.leadTrack ?? leadTrackIndex(tracks);
  const lead = tracks[leadIndex]!;
  const warnings: string[] = [];
  const cuts = leadCuts(lead, options, warnings);
  const lt = lead.samples;
  const leadOffset = lead.presentationOffsetTicks ?? 0;
  const pts = (i: number): number => lt.dts[i]! + lt.ctsOffset[i]! + leadOffset;
  // Boundaries in lead ticks (presentation), one per cut after the first.
  const boundaries = cuts.slice(1).map(pts);
  const perTrack = tracks.map((t, ti) => (ti === leadIndex ? cuts : alignTrackCuts(t, lead.timescale, boundaries)));
  let leadEnd = -Infinity;
  for (let i = 0; i < lt.count; i++) leadEnd = Math.max(leadEnd, pts(i) + lt.duration[i]!);
  const segments: PlannedSegment[] = [];
  for (let k = 0; k < cuts.length; k++) {
    const ranges = tracks.map((t, ti) => {
      const c = perTrack[ti]!;
      const first = c[k]!;
      const end = k + 1 < c.length ? c[k + 1]! : t.samples.count;
      return rangeOf(t.samples, first, end - first);
    });
    const start = lt.count ? pts(cuts[k]!) : 0;
    const end = k + 1 < cuts.length ? pts(cuts[k + 1]!) : Math.max(start, leadEnd);
    segments.push({ startTicks: start, durationTicks: end - start, ranges, independent: lt.count === 0 || (lt.flags[cuts[k]!]! & SYNC) !== 0 });
  }
  // A segment with no sample in any track (a lead without samples) is not a segment.
  return { leadTrack: leadIndex, timescale: lead.timescale, segments: segments.filter((s) => s.ranges.some((r) => r.count > 0)), warnings };
}

function rangeOf(s: SampleTable, first: number, count: number): TrackRange {
  let d = 0;
  for (let i = first; i < first + count; i++) d += s.duration[i]!;
  return { first, count, decodeStartTicks: count > 0 ? s.dts[first]! : first < s.count ? s.dts[first]! : s.count ? s.dts[s.count - 1]! + s.duration[s.count - 1]! : 0, durationTicks: d };
}

/** First sample index of each lead segment (the first is always 0). */
function leadCuts(t: PlanTrack, o: SegmentPlanOptions, warnings: string[]): number[] {
  const s = t.samples;
  const n = s.count;
  if (n === 0) return [0];
  const off = t.presentationOffsetTicks ?? 0;
  const pts = (i: number): number => s.dts[i]! + s.ctsOffset[i]! + off;
  const step = o.segmentTimeSec * t.timescale;
  const maxTicks = o.maxSegmentTimeSec === undefined ? Infinity : o.maxSegmentTimeSec * t.timescale;
  const origin = pts(0);
  /** Boundary k, computed from k (never accumulated). */
  const boundary = (k: number): number => origin + Math.round(k * step);
  /** The index of the first boundary after presentation time `p`. */
  const nextK = (p: number): number => {
    let k = Math.max(1, Math.floor((p - origin) / step) + 1);
    while (boundary(k) <= p) k++;
    while (k > 1 && boundary(k - 1) > p) k--;
    return k;
  };
  const cuts = [0];
  let start = 0;
  let startPts = origin;
  let k = step > 0 ? nextK(startPts) : 0;
  let lastFitting = -1; // latest sync sample after `start` that keeps the segment within the maximum
  const minBytes = o.minSegmentBytes ?? 0;
  let bytes = 0; // lead payload of samples [start, i)
  let longGops = 0;
  let forced = 0;
  const cutAt = (i: number): void => {
    cuts.push(i);
    start = i;
    bytes = 0; // the loop goes on at i + 1 (also after going back to a cut), adding sample i first
    startPts = pts(i);
    lastFitting = -1;
    if (step > 0) k = nextK(startPts);
  };
  for (let i = 1; i < n; i++) {
    bytes += s.size[i - 1]!;
    const sync = (s.flags[i]! & SYNC) !== 0;
    const p = pts(i);
    if (sync && (step === 0 || p >= boundary(k)) && p - startPts <= maxTicks && bytes >= minBytes) {
      if (step > 0 && p - boundary(k) >= step) longGops++;
      cutAt(i);
      continue;
    }
    // Past the maximum (a sync sample starting after it, or any sample ending after it in decode time).
    const tooLong = (sync && p - startPts > maxTicks) || s.dts[i]! + s.duration[i]! - s.dts[start]! > maxTicks;
    if (tooLong) {
      if (lastFitting > start) {
        // The last sync sample that fits; the samples after it are looked at again for the next cut.
        cutAt(lastFitting);
        i = start;
        continue;
      }
      if (!sync) forced++;
      cutAt(i);
      continue;
    }
    if (sync) lastFitting = i;
  }
  if (longGops > 0) {
    warnings.push(`${longGops} segment(s) run past a segment boundary: the video has no sync sample near it (GOPs longer than ${o.segmentTimeSec} s)`);
  }
  if (forced > 0) {
    warnings.push(`${forced} segment(s) cut at a picture that is not a sync sample: no sync sample within maxSegmentTimeSec ${o.maxSegmentTimeSec} s`);
  }
  return cuts;
}

/**
 * First sample index of each segment of a non-lead track, for the lead's cuts at presentation times
 * `boundaries` (lead ticks, increasing): audio at the frame nearest each, other tracks at their first sample
 * at or after it. The first segment starts at 0, so the result has `boundaries.length + 1` entries.
 */
export function alignTrackCuts(t: PlanTrack, leadTimescale: number, boundaries: readonly number[]): number[] {
  const s = t.samples;
  const n = s.count;
  const off = t.presentationOffsetTicks ?? 0;
  const pts = (i: number): number => s.dts[i]! + s.ctsOffset[i]! + off;
  const nearest = t.kind === 'audio';
  const cuts = [0];
  let j = 0;
  for (const b of boundaries) {
    const bt = rescale(b, leadTimescale, t.timescale);
    while (j < n && pts(j) < bt) j++;
    // Audio: the frame nearest the cut, the one before it when that is closer.
    if (nearest && j > cuts[cuts.length - 1]! && j > 0) {
      // After the last frame, the candidate is where the track ends.
      const after = j < n ? pts(j) : pts(n - 1) + s.duration[n - 1]!;
      if (bt - pts(j - 1) < after - bt) j--;
    }
    cuts.push(Math.max(j, cuts[cuts.length - 1]!));
  }
  return cuts;
}
