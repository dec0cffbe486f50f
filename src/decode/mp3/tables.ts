/**
 * Layer III constant tables (ISO/IEC 11172-3 §2.4.3.4 and Annex B, ISO/IEC 13818-3 Annex B): scale factor band
 * widths per sampling rate, pretab, scale factor lengths and the antialias coefficients.
 */

/**
 * Sampling-rate index used by every table here: 0–2 MPEG-1 (44.1, 48, 32 kHz), 3–5 MPEG-2 (22.05, 24, 16 kHz),
 * 6–8 MPEG-2.5 (11.025, 12, 8 kHz).
 */
export function rateIndex(sampleRate: number): number {
  const i = [44100, 48000, 32000, 22050, 24000, 16000, 11025, 12000, 8000].indexOf(sampleRate);
  return i < 0 ? 0 : i;
}

/** Widths of the 22 long-block scale factor bands (576 lines) by rate index. */
export const LONG_BAND_WIDTHS: readonly (readonly number[])[] = [
  [4, 4, 4, 4, 4, 4, 6, 6, 8, 8, 10, 12, 16, 20, 24, 28, 34, 42, 50, 54, 76, 158],
  [4, 4, 4, 4, 4, 4, 6, 6, 6, 8, 10, 12, 16, 18, 22, 28, 34, 40, 46, 54, 54, 192],
  [4, 4, 4, 4, 4, 4, 6, 6, 8, 10, 12, 16, 20, 24, 30, 38, 46, 56, 68, 84, 102, 26],
  [6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 38, 46, 52, 60, 68, 58, 54],
  [6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 18, 22, 26, 32, 38, 46, 52, 64, 70, 76, 36],
  [6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 38, 46, 52, 60, 68, 58, 54],
  [6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 38, 46, 52, 60, 68, 58, 54],
  [6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 38, 46, 52, 60, 68, 58, 54],
  [12, 12, 12, 12, 12, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64, 76, 90, 2, 2, 2, 2, 2],
];

/** Widths of the 13 short-block scale factor bands (192 lines per window) by rate index. */
export const SHORT_BAND_WIDTHS: readonly (readonly number[])[] = [
  [4, 4, 4, 4, 6, 8, 10, 12, 14, 18, 22, 30, 56],
  [4, 4, 4, 4, 6, 6, 10, 12, 14, 16, 20, 26, 66],
  [4, 4, 4, 4, 6, 8, 12, 16, 20, 26, 34, 42, 12],
  [4, 4, 4, 6, 6, 8, 10, 14, 18, 26, 32, 42, 18],
  [4, 4, 4, 6, 8, 10, 12, 14, 18, 24, 32, 44, 12],
  [4, 4, 4, 6, 8, 10, 12, 14, 18, 24, 30, 40, 18],
  [4, 4, 4, 6, 8, 10, 12, 14, 18, 24, 30, 40, 18],
  [4, 4, 4, 6, 8, 10, 12, 14, 18, 24, 30, 40, 18],
  [8, 8, 8, 12, 16, 20, 24, 28, 36, 2, 2, 2, 26],
];

/** Start line of each long band (23 entries, the last 576) by rate index. */
export function longBandStarts(ri: number): readonly number[] {
  const w = LONG_BAND_WIDTHS[ri]!;
  const s = [0];
  for (const x of w) s.push(s[s.length - 1]! + x);
  return s;
}

/** pretab: the preemphasis added to long-band scale factors when preflag is set (Table B.6). */
export const PRETAB: readonly number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 3, 2, 0];

/** MPEG-1 scalefac_compress → (slen1, slen2). */
export const SLEN1: readonly number[] = [0, 0, 0, 0, 3, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4];
export const SLEN2: readonly number[] = [0, 1, 2, 3, 0, 1, 2, 3, 1, 2, 3, 1, 2, 3, 2, 3];

/**
 * MPEG-2 LSF: scale factors per partition (13818-3 Table B.1): [scalefac_compress case][block kind: long,
 * short, mixed][partition]. Cases 0–2 normal, 3–5 the right channel of intensity stereo.
 */
export const LSF_PARTITIONS: readonly (readonly (readonly number[])[])[] = [
  [[6, 5, 5, 5], [9, 9, 9, 9], [6, 9, 9, 9]],
  [[6, 5, 7, 3], [9, 9, 12, 6], [6, 9, 12, 6]],
  [[11, 10, 0, 0], [18, 18, 0, 0], [15, 18, 0, 0]],
  [[7, 7, 7, 0], [12, 12, 12, 0], [6, 15, 12, 0]],
  [[6, 6, 6, 3], [12, 9, 9, 6], [6, 12, 9, 6]],
  [[8, 8, 5, 0], [15, 12, 9, 0], [6, 18, 9, 0]],
];

/** Antialias butterfly coefficients c_i (Table B.9). */
export const ALIAS_C: readonly number[] = [-0.6, -0.535, -0.33, -0.185, -0.095, -0.041, -0.0142, -0.0037];
