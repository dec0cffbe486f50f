/**
 * Frame rates as ffprobe reports them. avg_frame_rate is frames × timescale / summed durations (MOV demuxer);
 * r_frame_rate is the container's constant rate when stts has one delta, else ffmpeg's "real base frame rate"
 * guess (ff_rfps_add_frame / ff_rfps_calculate): the standard rate on whose grid the first decode times fall best.
 */
import { gcd } from '../../model/time.js';

/** A reduced fraction as ffprobe prints it (`24/1`, `30000/1001`, `0/0`). */
export function ratio(num: number, den: number): string {
  if (!den || !num) return num === 0 && den === 0 ? '0/0' : `${num}/${den || 1}`;
  const g = gcd(num, den) || 1;
  return `${num / g}/${den / g}`;
}

/** ffmpeg's get_std_framerate(i): rates in units of 1/(12·1001) fps. */
function stdFrameRate(i: number): number {
  if (i < 30 * 12) return (i + 1) * 1001;
  i -= 30 * 12;
  if (i < 30) return (i + 31) * 1001 * 12;
  i -= 30;
  if (i < 3) return [80, 120, 240][i]! * 1001 * 12;
  i -= 3;
  return [24, 30, 60, 12, 15, 48][i]! * 1000 * 12;
}
const STD_COUNT = 30 * 12 + 30 + 3 + 6;

/**
 * ffmpeg's stream-info avg_frame_rate for a stream whose packets all last `frameTicks` (MPEG-TS video, where the
 * parser times packets from the bitstream): `timescale / frameTicks`, rounded to the nearest standard rate when
 * one lies within 1 % (avformat_find_stream_info). Undefined when none does and the ratio is not exact in 60000.
 */
export function streamInfoFrameRate(timescale: number, frameTicks: number): string | undefined {
  const fps = timescale / frameTicks;
  let best = 0.01;
  let num = 0;
  for (let i = 0; i < STD_COUNT; i++) {
    const error = Math.abs((fps * 12 * 1001) / stdFrameRate(i) - 1);
    if (error < best) {
      best = error;
      num = stdFrameRate(i);
    }
  }
  if (num) return ratio(num, 12 * 1001);
  const g = gcd(timescale, frameTicks) || 1;
  return timescale / g <= 60000 && frameTicks / g <= 60000 ? ratio(timescale, frameTicks) : undefined;
}

/** Frames the stream-info probe looks at before it settles on a rate (fps_analyze_framecount). */
export const RFPS_FRAMES = 20;

/**
 * The real-base-frame-rate guess from the decode times (in ticks of `timescale`) of the first packets.
 * Returns `[num, den]`, or undefined when no standard rate fits.
 */
export function guessRealFrameRate(dts: readonly number[], timescale: number): [number, number] | undefined {
  const errors = [new Float64Array(STD_COUNT), new Float64Array(STD_COUNT), new Float64Array(STD_COUNT), new Float64Array(STD_COUNT)];
  let count = 0;
  let durationSum = 0;
  for (let k = 1; k < dts.length; k++) {
    const sec = dts[k]! / timescale;
    for (let i = 0; i < STD_COUNT; i++) {
      if (errors[1]![i]! >= 1e10) continue;
      const sdts = (sec * stdFrameRate(i)) / (1001 * 12);
      for (let j = 0; j < 2; j++) {
        const ticks = Math.round(sdts + j * 0.5);
        const e = sdts - ticks + j * 0.5;
        errors[j * 2]![i]! += e;
        errors[j * 2 + 1]![i]! += e * e;
      }
    }
    count++;
    durationSum += dts[k]! - dts[k - 1]!;
    if (count % 10 === 0) {
      for (let i = 0; i < STD_COUNT; i++) {
        if (errors[1]![i]! >= 1e10) continue;
        const a0 = errors[0]![i]! / count;
        const e0 = errors[1]![i]! / count - a0 * a0;
        const a1 = errors[2]![i]! / count;
        const e1 = errors[3]![i]! / count - a1 * a1;
        if (e0 > 0.04 && e1 > 0.04) {
          errors[1]![i] = 2e10;
          errors[3]![i] = 2e10;
        }
      }
    }
  }
  if (count < 2) return undefined;
  const meanPeriodSec = durationSum / count / timescale;
  const analyzedSec = durationSum / timescale;
  let best = 0.01;
  let num = 0;
  for (let i = 0; i < STD_COUNT; i++) {
    const period = (1001 * 12) / stdFrameRate(i);
    if (analyzedSec < period * 0.8) continue;
    if (meanPeriodSec < period * 0.8) continue;
    for (let k = 0; k < 2; k++) {
      const a = errors[k * 2]![i]! / count;
      const e = errors[k * 2 + 1]![i]! / count - a * a;
      if (e < best && best > 1e-9) {
        best = e;
        num = stdFrameRate(i);
      }
    }
  }
  // Never more than 1 % above the time base's own rate.
  if (!num || num / (12 * 1001) >= 1.01 * timescale) return undefined;
  const g = gcd(num, 12 * 1001);
  return [num / g, (12 * 1001) / g];
}
