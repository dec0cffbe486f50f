/** Tick arithmetic. Seconds appear only at the edges (reports, manifests), and their names say so. */
import { BoxwrightError } from '../io/errors.js';

/** Throws BAD_VALUE for a timestamp that is not a finite number (an all-ones 64-bit field reads as Infinity). */
export function requireFiniteTicks(ticks: number, what: string): void {
  if (!Number.isFinite(ticks)) throw new BoxwrightError('BAD_VALUE', `${what} is ${ticks}, not a time that can be written`, 0, '');
}

/** `ticks` in timescale `from` converted to timescale `to`, rounded to nearest; exact below 2^53, BigInt beyond. */
export function rescale(ticks: number, from: number, to: number): number {
  if (from === to) return ticks;
  requireFiniteTicks(ticks, 'a timestamp');
  if (!(from > 0) || !Number.isFinite(to)) throw new BoxwrightError('BAD_VALUE', `timescale ${from} → ${to} cannot convert a timestamp`, 0, '');
  const p = ticks * to;
  if (Number.isSafeInteger(p)) return Math.round(p / from);
  const neg = ticks < 0;
  const q = (BigInt(Math.abs(Math.round(ticks))) * BigInt(to) + BigInt(Math.floor(from / 2))) / BigInt(from);
  return neg ? -Number(q) : Number(q);
}

/**
 * Integer `n / d` (d > 0) rounded to nearest, exactly for safe integers (the float quotient is
 * corrected with the exact remainder): halves `'up'` (toward +∞, as Math.round) or `'away'` from zero
 * (ffmpeg's AV_ROUND_NEAR_INF).
 */
export function divRound(n: number, d: number, halves: 'up' | 'away'): number {
  if (halves === 'away' && n < 0) return -divRound(-n, d, 'up');
  let q = Math.floor(n / d);
  let r = n - q * d;
  if (r < 0) {
    q--;
    r += d;
  } else if (r >= d) {
    q++;
    r -= d;
  }
  return 2 * r >= d ? q + 1 : q;
}

/** Seconds for display (a float); not for further arithmetic on timestamps. */
export function toSeconds(ticks: number, timescale: number): number {
  return ticks / timescale;
}

/** Greatest common divisor of two non-negative integers. */
export function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}
