/**
 * Packet order across tracks as ffmpeg's MOV demuxer reads them (mov_find_next_sample): the next packet is
 * the one at the lowest byte position among tracks whose next decode times are within one second of each
 * other, else the one with the lowest decode time.
 */
import type { Track } from '../../model/movie.js';
import type { Timeline } from './timeline.js';

/** One packet reference: track index and packet index within its timeline. */
export interface PacketRef {
  track: number;
  packet: number;
}

/** Packets of all tracks in demuxer order. */
export function interleave(tracks: readonly Track[], timelines: readonly Timeline[]): PacketRef[] {
  const cursor = timelines.map(() => 0);
  const total = timelines.reduce((a, t) => a + t.sample.length, 0);
  const out: PacketRef[] = new Array<PacketRef>(total);
  for (let k = 0; k < total; k++) {
    let best = -1;
    let bestDts = 0;
    let bestPos = 0;
    for (let t = 0; t < timelines.length; t++) {
      const tl = timelines[t]!;
      const c = cursor[t]!;
      if (c >= tl.sample.length) continue;
      // Decode time in microseconds (AV_TIME_BASE), rounded like av_rescale.
      const dts = Math.round((tl.dts[c]! * 1_000_000) / tracks[t]!.timescale);
      const pos = tracks[t]!.samples.offset[tl.sample[c]!]!;
      const better =
        best < 0 || (Math.abs(bestDts - dts) <= 1_000_000 && pos < bestPos) || (Math.abs(bestDts - dts) > 1_000_000 && dts < bestDts);
      if (better) {
        best = t;
        bestDts = dts;
        bestPos = pos;
      }
    }
    out[k] = { track: best, packet: cursor[best]! };
    cursor[best]!++;
  }
  return out;
}
