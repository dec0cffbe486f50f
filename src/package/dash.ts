/**
 * MPEG-DASH packaging in memory from the same CMAF segments as HLS (src/package/segments.ts): the live profile
 * (`SegmentTemplate` + `SegmentTimeline` whose `S@t`/`@d` are the segments' `tfdt` and durations, in the track's
 * timescale — exact, no drift) or the on-demand profile (one self-initialising file per Representation with a
 * `sidx`, addressed by `SegmentBase@indexRange`). One AdaptationSet per media type and language.
 */
import type { Track } from '../model/movie.js';
import { renderMpd, timelineRuns, type AdaptationSet, type Representation } from './mpd.js';
import { gcd } from '../model/time.js';
import { frameDurationTicks, initName, peakBitRate, planOf, segmentName, singleFileOf, writeTrackSegments, type PackageSource } from './segments.js';

/** DASH profiles `packageDash` writes. */
export const DASH_PROFILES = ['live', 'on-demand'] as const;
/** One of {@link DASH_PROFILES}: `'live'` (SegmentTemplate + SegmentTimeline) or `'on-demand'` (one file per Representation, SegmentBase + sidx). */
export type DashProfile = (typeof DASH_PROFILES)[number];

/** A file the MPD references (init segments and on-demand files with `duration: 0`). */
export interface DashSegment {
  name: string;
  duration: number;
  data: Uint8Array;
}

/** The result of `packageDash`. */
export interface DashPackage {
  type: 'dash';
  profile: DashProfile;
  segmentTime: number;
  mpd: string;
  segments: DashSegment[];
  warnings: string[];
}

/** What to package (see src/api/package-layout.ts). */
export interface DashLayout {
  segmentTimeSec: number;
  variants: Array<{ name: string; source: PackageSource; track: number; bandwidth?: number }>;
  audio: Array<{ name: string; source: PackageSource; track: number }>;
}

function frameRateText(t: Track): string | undefined {
  const d = frameDurationTicks(t);
  if (d === undefined) return undefined;
  const g = gcd(t.timescale, d);
  return d / g === 1 ? String(t.timescale / g) : `${t.timescale / g}/${d / g}`;
}

/** Packages `layout` with `profile`. */
export function packageDashLayout(layout: DashLayout, profile: DashProfile): DashPackage {
  const files: DashSegment[] = [];
  const warnings: string[] = [];
  const all = [...layout.variants, ...layout.audio];
  for (const r of all) for (const w of planOf(r.source, layout.segmentTimeSec).warnings) if (!warnings.includes(w)) warnings.push(w);
  let durationSec = 0;
  let maxSegmentSec = 0;
  const written = all.map((r) => writeTrackSegments(r.source, r.track, layout.segmentTimeSec, 'fmp4'));
  // The Period starts where the content does (a TS input's timeline starts wherever its clock was): one offset,
  // in seconds, for every Representation keeps them in sync.
  let startSec = Infinity;
  for (const w of written) if (w.segments[0]) startSec = Math.min(startSec, w.segments[0].startSec);
  if (!Number.isFinite(startSec) || startSec < 0) startSec = 0;
  const representations = all.map((r, ri) => {
    const w = written[ri]!;
    const t = w.track;
    const timescale = t.timescale;
    let total = 0;
    for (const s of w.segments) {
      total += s.durationSec;
      maxSegmentSec = Math.max(maxSegmentSec, s.durationSec);
    }
    durationSec = Math.max(durationSec, total);
    let segments: Representation['segments'];
    let baseUrl: string | undefined;
    if (profile === 'live') {
      files.push({ name: initName(r.name), duration: 0, data: w.init! });
      w.segments.forEach((s, k) => files.push({ name: segmentName(r.name, k + 1), duration: s.durationSec, data: s.data }));
      segments = {
        kind: 'template',
        timescale,
        presentationTimeOffset: Math.floor(startSec * timescale),
        initialization: initName(r.name),
        media: `${r.name}_$Number%05d$.m4s`,
        startNumber: 1,
        timeline: timelineRuns(w.segments.map((s) => ({ start: s.decodeStartTicks, duration: s.durationTicks }))),
      };
    } else {
      // One self-initialising file: init, sidx (one reference per segment), then the segments.
      const single = singleFileOf(w);
      const file = single.data;
      const init = { length: single.initLength };
      const sidx = { length: single.sidxLength };
      baseUrl = `${r.name}.mp4`;
      files.push({ name: baseUrl, duration: total, data: file });
      segments = { kind: 'base', timescale, presentationTimeOffset: Math.floor(startSec * timescale), initializationRange: [0, init.length - 1], indexRange: [init.length, init.length + sidx.length - 1] };
    }
    const d = t.descriptions[0]!;
    const video = t.kind === 'video';
    const rep: Representation = {
      id: r.name,
      bandwidth: (r as { bandwidth?: number }).bandwidth ?? peakBitRate(w.segments.map((x) => ({ bytes: x.data.length, durationSec: x.durationSec }))),
      codecs: w.codec,
      mimeType: video ? 'video/mp4' : 'audio/mp4',
      ...(video && d.width && d.height ? { width: d.width, height: d.height } : {}),
      ...(video && frameRateText(t) ? { frameRate: frameRateText(t)! } : {}),
      ...(video ? { sar: d.pixelAspect ? `${d.pixelAspect.h}:${d.pixelAspect.v}` : '1:1' } : {}),
      ...(!video && d.sampleRate ? { audioSamplingRate: d.sampleRate } : {}),
      ...(!video && d.channels ? { channels: d.channels } : {}),
      ...(baseUrl ? { baseUrl } : {}),
      segments,
    };
    return { rep, track: t };
  });
  // One AdaptationSet per media type and language.
  const sets: AdaptationSet[] = [];
  for (const { rep, track } of representations) {
    const contentType = track.kind === 'video' ? 'video' : 'audio';
    const lang = track.language && track.language !== 'und' ? track.language : undefined;
    let set = sets.find((s) => s.contentType === contentType && s.lang === lang);
    if (!set) {
      set = { id: sets.length, contentType, mimeType: rep.mimeType, ...(lang ? { lang } : {}), role: sets.some((s) => s.contentType === contentType) ? 'alternate' : 'main', representations: [] };
      sets.push(set);
    }
    set.representations.push(rep);
  }
  const mpd = renderMpd({ profile, durationSec, minBufferTimeSec: Math.max(1, Math.ceil(maxSegmentSec)), maxSegmentDurationSec: maxSegmentSec, adaptationSets: sets });
  return { type: 'dash', profile, segmentTime: layout.segmentTimeSec, mpd, segments: files, warnings };
}
