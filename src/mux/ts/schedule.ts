/**
 * The order of PES packets in the multiplex and where PAT/PMT repeat. Pure planning over timestamps;
 * nothing is written here.
 */
import type { Track } from '../../model/movie.js';
import { isSync } from '../../model/sample-table.js';
import { TIMESTAMP_OFFSET_90K, ticksTo90k } from './timestamps.js';

/** PTS and DTS of a track's samples in 90 kHz units, offset and not yet wrapped to 33 bits. */
export interface Timestamps90k {
  pts: Float64Array;
  dts: Float64Array;
}

/**
 * PTS/DTS in 90 kHz: ticks converted exactly, plus {@link TIMESTAMP_OFFSET_90K}. A TS decoder needs
 * DTS ≤ PTS (§2.7.5: an access unit cannot be presented before it is decoded), so when the track
 * has negative composition offsets (pts < dts) the DTS of every sample moves back by the largest of
 * them, as ffmpeg's MP4 demuxer does (its dts_shift); the PTS stay as they are.
 */
export function timestamps90k(track: Track): Timestamps90k {
  const s = track.samples;
  let shift = 0;
  for (let i = 0; i < s.count; i++) shift = Math.max(shift, -s.ctsOffset[i]!);
  const pts = new Float64Array(s.count);
  const dts = new Float64Array(s.count);
  for (let i = 0; i < s.count; i++) {
    dts[i] = ticksTo90k(s.dts[i]! - shift, track.timescale) + TIMESTAMP_OFFSET_90K;
    pts[i] = ticksTo90k(s.dts[i]! + s.ctsOffset[i]!, track.timescale) + TIMESTAMP_OFFSET_90K;
  }
  return { pts, dts };
}

/** One stream as the scheduler sees it. */
export interface ScheduledStream {
  track: Track;
  ts: Timestamps90k;
  video: boolean;
}

/** The multiplex order: unit u is sample `sample[u]` of stream `stream[u]`; `psi[u]` = 1 when PAT+PMT go first. */
export interface Schedule {
  count: number;
  stream: Uint16Array;
  sample: Uint32Array;
  psi: Uint8Array;
}

/**
 * PAT/PMT repeat at least this often (0.5 s of DTS): the maximum ETSI TR 101 290 allows (1.3, 1.4),
 * so a receiver joining mid-stream finds the program within half a second even in a long GOP.
 */
export const PSI_INTERVAL_90K = 45000;

/**
 * Interleaves the streams' samples by DTS (ties: stream order), each stream in its own sample order.
 * PAT+PMT go before the first unit, before every video sync sample (so each random access point
 * is self-contained) and whenever {@link PSI_INTERVAL_90K} has passed since the last repetition.
 */
export function schedule(streams: readonly ScheduledStream[]): Schedule {
  const count = streams.reduce((n, s) => n + s.track.samples.count, 0);
  const stream = new Uint16Array(count);
  const sample = new Uint32Array(count);
  const psi = new Uint8Array(count);
  const next = streams.map(() => 0);
  let lastPsi = -Infinity;
  for (let u = 0; u < count; u++) {
    let best = -1;
    for (let k = 0; k < streams.length; k++) {
      const i = next[k]!;
      if (i >= streams[k]!.track.samples.count) continue;
      if (best < 0 || streams[k]!.ts.dts[i]! < streams[best]!.ts.dts[next[best]!]!) best = k;
    }
    const st = streams[best]!;
    const i = next[best]!++;
    stream[u] = best;
    sample[u] = i;
    const dts = st.ts.dts[i]!;
    if (u === 0 || (st.video && isSync(st.track.samples, i)) || dts - lastPsi >= PSI_INTERVAL_90K) {
      psi[u] = 1;
      lastPsi = dts;
    }
  }
  return { count, stream, sample, psi };
}
