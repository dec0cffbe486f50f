/**
 * Property tests of the segment plan over generated timelines: every sample in exactly one segment, no gaps or
 * overlaps, video segments start with a sync sample, no drift over 10,000 segments (1001-rate video, 44.1 kHz
 * audio), audio cut at the frame nearest the video cut, the maximum duration honoured.
 */
import { alignTrackCuts, planSegments, presentationOffsetTicks, type PlanTrack, type SegmentPlan } from '../../src/model/segment-plan.js';
import { SampleTableBuilder, SYNC } from '../../src/model/sample-table.js';
import { prng } from '../fuzz/mutate.js';

interface VideoSpec {
  frames: number;
  timescale: number;
  frameTicks: number;
  gop: number | (() => number);
  bFrames?: number;
  start?: number;
}

/** Video in decode order: I/P anchors with `bFrames` B-frames between them (composition offsets as x264 writes them). */
function video(v: VideoSpec): PlanTrack {
  const b = new SampleTableBuilder(v.frames);
  const bf = v.bFrames ?? 0;
  let untilKey = 0;
  for (let i = 0; i < v.frames; i++) {
    const key = untilKey <= 0;
    if (key) untilKey = typeof v.gop === 'number' ? v.gop : v.gop();
    untilKey--;
    // Composition offset: anchors shown bf frames later, B-frames at their place (a plain pattern).
    const pos = i % (bf + 1);
    const cto = bf === 0 ? 0 : pos === 0 ? bf * v.frameTicks : -v.frameTicks + bf * v.frameTicks;
    b.push((v.start ?? 0) + i * v.frameTicks, cto, v.frameTicks, 1000, 0, key ? SYNC : 0, 0);
  }
  return { kind: 'video', timescale: v.timescale, samples: b.build() };
}

function audio(frames: number, timescale: number, frameTicks: number, start = 0): PlanTrack {
  const b = new SampleTableBuilder(frames);
  for (let i = 0; i < frames; i++) b.push(start + i * frameTicks, 0, frameTicks, 300, 0, SYNC, 0);
  return { kind: 'audio', timescale, samples: b.build() };
}

/** The invariants every plan keeps (collected, then asserted once: plans of 10,000 segments are checked). */
function checkInvariants(tracks: readonly PlanTrack[], plan: SegmentPlan): void {
  const bad: string[] = [];
  tracks.forEach((t, ti) => {
    let next = 0;
    plan.segments.forEach((seg, k) => {
      const r = seg.ranges[ti]!;
      if (r.first !== next) bad.push(`track ${ti} segment ${k}: starts at ${r.first}, previous ended at ${next}`); // no gap, no overlap
      if (r.count < 0) bad.push(`track ${ti} segment ${k}: count ${r.count}`);
      if (r.count > 0 && r.decodeStartTicks !== t.samples.dts[r.first]) bad.push(`track ${ti} segment ${k}: decodeStartTicks`);
      let d = 0;
      for (let i = r.first; i < r.first + r.count; i++) d += t.samples.duration[i]!;
      if (r.durationTicks !== d) bad.push(`track ${ti} segment ${k}: durationTicks ${r.durationTicks} ≠ ${d}`);
      next = r.first + r.count;
    });
    if (next !== t.samples.count) bad.push(`track ${ti}: ${t.samples.count - next} samples in no segment`);
  });
  const lead = tracks[plan.leadTrack]!;
  plan.segments.forEach((seg, k) => {
    const r = seg.ranges[plan.leadTrack]!;
    if (r.count <= 0) bad.push(`segment ${k}: no lead sample`);
    if (k > 0 && lead.kind === 'video' && seg.independent && !(lead.samples.flags[r.first]! & SYNC)) bad.push(`segment ${k}: does not start with a sync sample`);
    if (k + 1 < plan.segments.length && seg.startTicks + seg.durationTicks !== plan.segments[k + 1]!.startTicks) bad.push(`segment ${k}: duration does not reach the next start`);
  });
  expect(bad.slice(0, 10)).toEqual([]);
}

describe('planSegments', () => {
  test('cuts at the first sync sample at or after each multiple of the target (2 s GOPs, 6 s target)', () => {
    const v = video({ frames: 30 * 60, timescale: 90000, frameTicks: 3000, gop: 60 });
    const plan = planSegments([v], { segmentTimeSec: 6 });
    checkInvariants([v], plan);
    expect(plan.segments.map((s) => s.startTicks / 90000)).toEqual([0, 6, 12, 18, 24, 30, 36, 42, 48, 54]);
    expect(plan.segments.every((s) => s.durationTicks === 6 * 90000)).toBe(true);
    expect(plan.warnings).toEqual([]);
  });

  test('a target of 0 cuts at every sync sample', () => {
    const v = video({ frames: 300, timescale: 15360, frameTicks: 512, gop: 48, bFrames: 2 });
    const plan = planSegments([v], { segmentTimeSec: 0 });
    checkInvariants([v], plan);
    expect(plan.segments).toHaveLength(Math.ceil(300 / 48));
  });

  test('no drift after 10,000 segments of 29.97 fps video in a 90 kHz timescale (1001-rate)', () => {
    // 30000/1001 fps, GOP 15 frames (~0.5 s), target 2.002 s = 60 frames exactly per boundary.
    const frames = 10_000 * 60 + 1;
    const v = video({ frames, timescale: 90000, frameTicks: 3003, gop: 15 });
    const plan = planSegments([v], { segmentTimeSec: 2.002 });
    checkInvariants([v], plan);
    expect(plan.segments).toHaveLength(10_001);
    // Boundary k is 2.002 k s exactly: segment 10,000 starts at frame 600,000.
    expect(plan.segments[10_000]!.startTicks).toBe(10_000 * 60 * 3003);
    expect(plan.segments[10_000]!.ranges[0]!.first).toBe(600_000);
  });

  test('no drift with a target that is not a whole number of frames: cuts follow k × target, not the previous cut', () => {
    // 30000/1001 fps in timescale 30000, every frame a sync sample, target 1 s: frame k is at k × 1.001/30 s.
    const frames = 10_000 * 30;
    const v = video({ frames, timescale: 30000, frameTicks: 1001, gop: 1 });
    const plan = planSegments([v], { segmentTimeSec: 1 });
    checkInvariants([v], plan);
    plan.segments.forEach((s, k) => {
      // The first frame at or after k seconds.
      expect(s.ranges[0]!.first).toBe(Math.ceil((k * 30000) / 1001));
    });
  });

  test('audio at 44.1 kHz is cut at the frame nearest each video cut, over 10,000 segments', () => {
    const seconds = 10_000 * 2;
    const v = video({ frames: seconds * 25, timescale: 12800, frameTicks: 512, gop: 50 });
    const a = audio(Math.ceil((seconds * 44100) / 1024), 44100, 1024);
    const plan = planSegments([v, a], { segmentTimeSec: 2 });
    checkInvariants([v, a], plan);
    expect(plan.segments).toHaveLength(10_000);
    plan.segments.forEach((s, k) => {
      if (k === 0) return;
      const cutSec = s.startTicks / 12800;
      const audioStartSec = (s.ranges[1]!.first * 1024) / 44100;
      // Nearest frame: within half a frame of the video cut.
      expect(Math.abs(audioStartSec - cutSec)).toBeLessThanOrEqual((512 + 0.5) / 44100); // (the cut rounds to a whole tick)
    });
  });

  test('audio-only input is cut at frame boundaries, at or after each multiple of the target', () => {
    const a = audio(5000, 48000, 1024);
    const plan = planSegments([a], { segmentTimeSec: 1 });
    checkInvariants([a], plan);
    plan.segments.forEach((s, k) => expect(s.ranges[0]!.first).toBe(Math.ceil((k * 48000) / 1024)));
  });

  test('randomised timelines keep every invariant (irregular GOPs, B-frames, late audio, several targets)', () => {
    const r = prng(42);
    for (let round = 0; round < 200; round++) {
      const timescale = [90000, 1000, 15360, 24000, 30000][Math.floor(r() * 5)]!;
      const frameTicks = Math.max(1, Math.round(timescale / [24, 25, 30, 29.97, 60][Math.floor(r() * 5)]!));
      const v = video({ frames: 1 + Math.floor(r() * 2000), timescale, frameTicks, gop: () => 1 + Math.floor(r() * 120), bFrames: Math.floor(r() * 3), start: Math.floor(r() * 10000) });
      const rate = [44100, 48000, 22050][Math.floor(r() * 3)]!;
      const a = audio(Math.floor(r() * 3000), rate, 1024, Math.floor(r() * rate));
      const tracks = r() < 0.5 ? [v, a] : [a, v];
      const target = [0, 0.5, 2, 6, 10][Math.floor(r() * 5)]!;
      const max = r() < 0.3 ? target + 1 + r() * 4 : undefined;
      const plan = planSegments(tracks, { segmentTimeSec: target, ...(max !== undefined ? { maxSegmentTimeSec: max } : {}) });
      expect(tracks[plan.leadTrack]).toBe(v);
      checkInvariants(tracks, plan);
      if (max !== undefined) {
        for (const s of plan.segments) {
          const lead = s.ranges[plan.leadTrack]!;
          // Decode duration within the maximum (a single frame longer than it is its own segment).
          if (lead.count > 1) expect(lead.durationTicks).toBeLessThanOrEqual(max * timescale + 1e-6);
        }
      }
    }
  });

  test('a target shorter than the GOPs packages anyway and says so', () => {
    const v = video({ frames: 30 * 40, timescale: 90000, frameTicks: 3000, gop: 300 });
    const plan = planSegments([v], { segmentTimeSec: 2 });
    checkInvariants([v], plan);
    expect(plan.segments.map((s) => s.startTicks / 90000)).toEqual([0, 10, 20, 30]);
    expect(plan.warnings.join(' ')).toMatch(/GOPs longer than 2 s/);
  });

  test('maxSegmentTimeSec cuts at the last sync sample that fits, or at a non-sync picture when the GOP is longer', () => {
    const v = video({ frames: 30 * 40, timescale: 90000, frameTicks: 3000, gop: () => 60 });
    const plan = planSegments([v], { segmentTimeSec: 6, maxSegmentTimeSec: 5 });
    checkInvariants([v], plan);
    expect(plan.segments.map((s) => s.startTicks / 90000)).toEqual([0, 4, 6, 10, 12, 16, 18, 22, 24, 28, 30, 34, 36]);
    const long = video({ frames: 30 * 30, timescale: 90000, frameTicks: 3000, gop: 900 });
    const forced = planSegments([long], { segmentTimeSec: 6, maxSegmentTimeSec: 8 });
    checkInvariants([long], forced);
    expect(forced.segments.map((s) => s.independent)).toEqual([true, false, false, false]);
    expect(forced.segments.every((s) => s.ranges[0]!.durationTicks <= 8 * 90000)).toBe(true);
    expect(forced.warnings.join(' ')).toMatch(/not a sync sample/);
  });

  test('edit lists place tracks on the presentation timeline before aligning them', () => {
    // Video with a 2-frame B-frame delay removed by its edit (media time 1024 at 15360), AAC with 1024 priming.
    const v = { ...video({ frames: 240, timescale: 15360, frameTicks: 512, gop: 48, bFrames: 2 }) };
    const vTrack = { ...v, presentationOffsetTicks: presentationOffsetTicks({ timescale: 15360, edits: [{ segmentDurationTicks: 10000, mediaTimeTicks: 1024, rate: 1 }] }, 1000) };
    const aTrack = { ...audio(400, 48000, 1024), presentationOffsetTicks: presentationOffsetTicks({ timescale: 48000, edits: [{ segmentDurationTicks: 8000, mediaTimeTicks: 1024, rate: 1 }] }, 1000) };
    expect(vTrack.presentationOffsetTicks).toBe(-1024);
    expect(aTrack.presentationOffsetTicks).toBe(-1024);
    const plan = planSegments([vTrack, aTrack], { segmentTimeSec: 0 });
    checkInvariants([vTrack, aTrack], plan);
    // The second GOP is shown from 1.6 s: audio presented from there starts at media frame (1.6 × 48000 + 1024) / 1024 = 76.
    expect(plan.segments[1]!.startTicks).toBe(48 * 512);
    expect(plan.segments[1]!.ranges[1]!.first).toBe(76);
    // An empty edit delays a track.
    expect(presentationOffsetTicks({ timescale: 48000, edits: [{ segmentDurationTicks: 500, mediaTimeTicks: -1, rate: 1 }, { segmentDurationTicks: 0, mediaTimeTicks: 0, rate: 1 }] }, 1000)).toBe(24000);
  });

  test('alignTrackCuts keeps cuts monotonic and covers a track that ends early', () => {
    const a = audio(10, 48000, 1024);
    expect(alignTrackCuts(a, 1000, [5, 100, 100, 1000])).toEqual([0, 0, 5, 5, 10]);
  });

  test('bad options are RangeErrors', () => {
    const v = video({ frames: 10, timescale: 90000, frameTicks: 3000, gop: 5 });
    expect(() => planSegments([v], { segmentTimeSec: -1 })).toThrow(RangeError);
    expect(() => planSegments([v], { segmentTimeSec: NaN })).toThrow(RangeError);
    expect(() => planSegments([v], { segmentTimeSec: 2, maxSegmentTimeSec: 0 })).toThrow(RangeError);
    expect(() => planSegments([v], { segmentTimeSec: 2, leadTrack: 3 })).toThrow(RangeError);
    expect(planSegments([], { segmentTimeSec: 2 }).segments).toEqual([]);
  });
});
