/**
 * Gated measures over the stored block powers (mean squares of the K-weighted, channel-weighted signal):
 * integrated loudness (ITU-R BS.1770-4 §2.3/2.4: 400 ms blocks, absolute gate −70 LUFS, relative gate −10 LU) and
 * loudness range (EBU Tech 3342: 3 s short-term values, absolute gate −70 LUFS, relative gate −20 LU, the spread
 * between the 10th and 95th percentiles). Blocks at a gate pass it (≥), as in ffmpeg's ebur128 filter.
 */
import { log10, pow } from '../../model/portable-math.js';

/** Absolute gate (LUFS). */
export const ABSOLUTE_GATE_LUFS = -70;

/** Loudness (LUFS) of a mean-square power: −0.691 + 10·log10(power); −Infinity for 0. */
export function loudnessOf(power: number): number {
  return -0.691 + 10 * log10(power);
}

/** The power whose loudness is `lufs`. */
export function powerOf(lufs: number): number {
  return pow(10, (lufs + 0.691) / 10);
}

/** Block powers at or above the absolute gate are the only ones worth keeping. */
export const ABSOLUTE_GATE_POWER = powerOf(ABSOLUTE_GATE_LUFS);

function mean(values: Float64Array, from: number): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i]! >= from) {
      sum += values[i]!;
      n++;
    }
  }
  return n ? sum / n : 0;
}

/**
 * Integrated loudness (LUFS) of the 400 ms block powers that passed the absolute gate; −Infinity when none did
 * (silence, or less than 400 ms of audio).
 */
export function integratedLoudness(blocks: Float64Array): number {
  if (blocks.length === 0) return -Infinity;
  const relativeGate = mean(blocks, ABSOLUTE_GATE_POWER) * 0.1;
  return loudnessOf(mean(blocks, Math.max(relativeGate, ABSOLUTE_GATE_POWER)));
}

/**
 * Loudness range (LU) of the short-term (3 s) powers that passed the absolute gate: L95 − L10 of those within 20 LU
 * of their mean, percentiles taken as EBU Tech 3342's reference code and libebur128 do (sorted, index
 * round((n − 1)·p)). 0 when there is no short-term value (silence, or less than 3 s of audio).
 */
export function loudnessRange(shortTerm: Float64Array): number {
  if (shortTerm.length === 0) return 0;
  const gate = Math.max(mean(shortTerm, ABSOLUTE_GATE_POWER) * 0.01, ABSOLUTE_GATE_POWER);
  const kept = shortTerm.filter((p) => p >= gate).sort();
  if (kept.length === 0) return 0;
  const at = (p: number): number => loudnessOf(kept[Math.round((kept.length - 1) * p)]!);
  return at(0.95) - at(0.1);
}
