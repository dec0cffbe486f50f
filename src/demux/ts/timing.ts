/**
 * Timestamps of the units (access units, audio frames) cut out of an elementary stream: which PES
 * timestamp belongs to which unit (ISO/IEC 13818-1 §2.4.3.7: a PES PTS/DTS applies to the first
 * access unit that starts in that PES payload), and the exact 90 kHz arithmetic for the units that
 * carry none.
 */
import { divRound } from '../../model/time.js';
import type { PesRecord } from './collect.js';

/** 90 kHz: PTS/DTS units and the timescale of every track of a transport stream. */
export const TS_TIMESCALE = 90000;

/**
 * For each unit start (ascending offsets in the elementary stream), the PES record whose payload
 * starts after the previous unit's start and at or before this one (the last such record with a PTS),
 * or undefined when no PES with a timestamp starts there.
 */
export function pesForUnits(starts: ArrayLike<number>, pes: readonly PesRecord[]): Array<PesRecord | undefined> {
  const out: Array<PesRecord | undefined> = [];
  let j = 0;
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i]!;
    let found: PesRecord | undefined;
    while (j < pes.length && pes[j]!.esOffset <= s) {
      if (pes[j]!.pts !== undefined) found = pes[j];
      j++;
    }
    out.push(found);
  }
  return out;
}

/** ffprobe's packet pos: the PES start packet for the unit the PES timestamp went to, else unknown (NaN). */
export function positionsOf(timed: ReadonlyArray<PesRecord | undefined>): Float64Array {
  const out = new Float64Array(timed.length);
  for (let i = 0; i < timed.length; i++) out[i] = timed[i]?.pos ?? NaN;
  return out;
}

/**
 * Per unit, the time base of its PES ({@link PesRecord.generation}; units without a PES timestamp take
 * their predecessor's); undefined when all are on the first.
 */
export function generationsOf(timed: ReadonlyArray<PesRecord | undefined>): Uint8Array | undefined {
  if (!timed.some((r) => r?.generation !== undefined)) return undefined;
  const out = new Uint8Array(timed.length);
  let g = 0;
  for (let i = 0; i < timed.length; i++) {
    const r = timed[i];
    if (r?.pts !== undefined) g = Math.min(255, r.generation ?? 0);
    out[i] = g;
  }
  return out;
}

/**
 * Where ffmpeg's demuxer returns the PES holding ES offset `p` (its {@link PesRecord.end}); `pes` is in
 * order of esOffset. Before the first PES: the first one's.
 */
export function pesEndAt(pes: readonly PesRecord[], p: number): number {
  let lo = 0;
  let hi = pes.length - 1;
  if (hi < 0) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pes[mid]!.esOffset <= p) lo = mid;
    else hi = mid - 1;
  }
  return pes[lo]!.end;
}

/**
 * `ts` (90 kHz) plus one frame of `samples / sampleRate` seconds, without accumulating rounding
 * error over a run of frames. The increment is taken from a grid of frame boundaries anchored at 0
 * (the frame index nearest to `ts`, then the next one), so a run of frames after one PES timestamp
 * stays within half a tick of the exact times. This is ffmpeg's av_add_stable(), which is how
 * ffprobe times the frames after the first one of a PES; computing round(k·frame) from the PES
 * start would differ from it by a tick now and then.
 */
export function addFrameDuration(ts: number, samples: number, sampleRate: number): number {
  const m = samples * TS_TIMESCALE;
  const d = sampleRate;
  if (m % d === 0) return ts + m / d;
  if (m < d) return ts;
  const old = divRound(ts * d, m, 'away');
  const oldTs = divRound(old * m, d, 'away');
  return divRound((old + 1) * m, d, 'away') + (ts - oldTs);
}
