/** Views of part of a track: a range of its samples, or its samples moved in time. Nothing is copied but a column. */
import type { Track } from './movie.js';
import type { SampleTable } from './sample-table.js';

/** Samples [first, first + count) of `t` as a table of views. */
export function sampleRange(t: SampleTable, first: number, count: number): SampleTable {
  const end = first + count;
  return {
    count,
    dts: t.dts.subarray(first, end),
    ctsOffset: t.ctsOffset.subarray(first, end),
    duration: t.duration.subarray(first, end),
    size: t.size.subarray(first, end),
    offset: t.offset.subarray(first, end),
    flags: t.flags.subarray(first, end),
    description: t.description.subarray(first, end),
  };
}

/** The track holding only its samples [first, first + count) (their bytes stay where they are). */
export function sliceTrack(track: Track, first: number, count: number): Track {
  const { packetView: _packets, source, ...rest } = track;
  const out: Track = { ...rest, samples: sampleRange(track.samples, first, count) };
  if (source) out.source = { sample: (k) => source.sample(first + k) };
  return out;
}

/** The track with `shiftTicks` added to every decode time (a new dts column; the rest shared). */
export function shiftTrack(track: Track, shiftTicks: number): Track {
  if (shiftTicks === 0) return track;
  const s = track.samples;
  const dts = new Float64Array(s.count);
  for (let i = 0; i < s.count; i++) dts[i] = s.dts[i]! + shiftTicks;
  const { packetView: _packets, ...rest } = track;
  return { ...rest, samples: { ...s, dts } };
}
