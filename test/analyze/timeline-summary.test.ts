/**
 * probeMedia without packets reports start and duration from `timelineSummary` (no per-packet pass); with packets or
 * frames it builds the whole timeline. Both must say the same on every sample we have, in every container.
 */
import { demuxAny } from '../../src/demux/index.js';
import { buildTimeline, timelineSummary } from '../../src/analyze/probe/timeline.js';
import { isoSamples, otherMediaSamples } from '../helpers/samples.js';

const samples = [...isoSamples(), ...otherMediaSamples()];

test('the corpus holds samples', () => {
  expect(samples.length).toBeGreaterThan(60);
});

test.each(samples.map((s) => [s.name, s] as const))('%s: summary = built timeline', (_name, s) => {
  let movie;
  try {
    movie = demuxAny(s.data).movie;
  } catch {
    return; // inputs that do not demux are not probed either
  }
  for (const t of movie.tracks) {
    const full = buildTimeline(t, movie.timescale, movie.fragmented);
    const sum = timelineSummary(t, movie.timescale, movie.fragmented);
    expect({ ...sum }).toEqual({
      startTicks: full.startTicks,
      durationTicks: full.durationTicks,
      mediaDurationTicks: full.mediaDurationTicks,
      hasPackets: full.sample.length > 0,
    });
  }
});
