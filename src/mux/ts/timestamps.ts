/**
 * Track ticks → the 90 kHz system clock of PTS/DTS (ISO/IEC 13818-1 §2.4.3.7) and the 27 MHz PCR
 * (§2.4.3.5), with the fixed offsets this muxer applies.
 */
import { divRound, requireFiniteTicks } from '../../model/time.js';

/** PTS/DTS run at 90 kHz (§2.4.3.7: system_clock_frequency / 300). */
export const PES_CLOCK = 90000;

/** PTS, DTS and PCR base are 33-bit counters that wrap (§2.4.3.7, §2.4.3.5). */
export const WRAP_33 = 2 ** 33;

/**
 * Added to every PTS/DTS: 1.4 s, as ffmpeg's mpegts muxer does (its delay is 2 × the default
 * `-muxdelay` 0.7 s). A leading offset keeps B-frame reordering and small negative timestamps positive,
 * and makes our files look like ffmpeg's to players that expect a non-zero start.
 */
export const TIMESTAMP_OFFSET_90K = 126000;

/**
 * How far the PCR runs behind the DTS of the PES it is carried with: 0.7 s, as ffmpeg (PCR = DTS −
 * max_delay). Data then arrives well before it is decoded, within the 1 s the T-STD allows (§2.7.4).
 */
export const PCR_LEAD_90K = 63000;

/**
 * `ticks` in `timescale` as 90 kHz units, rounded to nearest (halves up), exactly: plain integer
 * arithmetic while `ticks × 90000` is a safe integer, BigInt beyond.
 */
export function ticksTo90k(ticks: number, timescale: number): number {
  requireFiniteTicks(ticks, 'a timestamp');
  const t = Math.round(ticks);
  if (timescale === PES_CLOCK) return t;
  const p = t * PES_CLOCK;
  if (Number.isSafeInteger(p)) return divRound(p, timescale, 'up');
  const num = 2n * BigInt(t) * BigInt(PES_CLOCK) + BigInt(timescale);
  const den = 2n * BigInt(timescale);
  // Floor division for negative numerators (BigInt division truncates toward zero).
  const q = num / den;
  return Number(num % den < 0n ? q - 1n : q);
}

/** `v` reduced modulo 2^33 into [0, 2^33). */
export function wrap33(v: number): number {
  const m = v % WRAP_33;
  return m < 0 ? m + WRAP_33 : m;
}
