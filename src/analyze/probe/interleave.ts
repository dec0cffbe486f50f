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
  if (tracks.length > 0 && tracks.every((t) => t.packetView?.readOrder)) return byReadOrder(tracks, timelines);
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

/**
 * Demuxers that say when each packet is returned (MPEG-TS, see PacketView.readOrder): packets in that order.
 * At the same point (the end of the input) by PID, as ffmpeg's final PES flush walks its PIDs; what only
 * the parsers' flush returns (Infinity) comes last, in stream order.
 */
function byReadOrder(tracks: readonly Track[], timelines: readonly Timeline[]): PacketRef[] {
  const refs: Array<PacketRef & { key: number }> = [];
  timelines.forEach((tl, t) => {
    const order = tracks[t]!.packetView!.readOrder!;
    for (let k = 0; k < tl.sample.length; k++) refs.push({ track: t, packet: k, key: order[tl.sample[k]!]! });
  });
  refs.sort((a, b) => {
    if (a.key !== b.key) return a.key < b.key ? -1 : 1;
    if (a.track !== b.track) return a.key === Infinity ? a.track - b.track : tracks[a.track]!.id - tracks[b.track]!.id;
    return a.packet - b.packet;
  });
  return refs.map(({ track, packet }) => ({ track, packet }));
}
