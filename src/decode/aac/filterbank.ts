/**
 * IMDCT, windowing and overlap-add (14496-3 §4.6.11) of one channel, laid out as ffmpeg's
 * imdct_and_windowing so that the float output matches its decoder sample for sample.
 */
import { EIGHT_SHORT, LONG_START, LONG_STOP, ONLY_LONG, type ChannelState } from './ics.js';
import { Imdct } from './imdct.js';
import { aacWindows } from './windows.js';

let transforms: { long: Imdct; short: Imdct } | undefined;
/** The two IMDCT sizes, set up on first use (not at import). */
const imdcts = (): { long: Imdct; short: Imdct } => (transforms ??= { long: new Imdct(2048, 1 / (32768 * 1024)), short: new Imdct(256, 1 / (32768 * 128)) });
const buf = new Float32Array(1024);
const temp = new Float32Array(128);

/**
 * dst[k] and dst[2·len−1−k] from the falling tail `s0` and the rising head `s1` (reversed) under window
 * half `win` (length 2·len): ffmpeg's vector_fmul_window.
 */
function fmulWindow(dst: Float32Array, d: number, s0: Float32Array, o0: number, s1: Float32Array, o1: number, win: Float32Array, len: number): void {
  for (let k = 0; k < len; k++) {
    const a = s0[o0 + k]!;
    const b = s1[o1 + len - 1 - k]!;
    const wi = win[k]!;
    const wj = win[2 * len - 1 - k]!;
    dst[d + k] = a * wj - b * wi;
    dst[d + 2 * len - 1 - k] = a * wi + b * wj;
  }
}

/** Turns `ch.spec` into 1024 output samples in `out`, updating the channel's overlap state. */
export function imdctAndWindow(ch: ChannelState, out: Float32Array): void {
  const seq = ch.info.windowSequence;
  const prev = ch.prevWindowSequence;
  const kbd = ch.info.windowShape === 1;
  const prevKbd = ch.prevWindowShape === 1;
  const { sineLong: SINE_LONG, sineShort: SINE_SHORT, kbdLong: KBD_LONG, kbdShort: KBD_SHORT } = aacWindows();
  const { long: LONG, short: SHORT } = imdcts();
  const lwinPrev = prevKbd ? KBD_LONG : SINE_LONG;
  const swinPrev = prevKbd ? KBD_SHORT : SINE_SHORT;
  const swin = kbd ? KBD_SHORT : SINE_SHORT;
  const saved = ch.saved;
  if (seq === EIGHT_SHORT) for (let i = 0; i < 1024; i += 128) SHORT.half(ch.spec, i, buf, i);
  else LONG.half(ch.spec, 0, buf, 0);

  if ((prev === ONLY_LONG || prev === LONG_STOP) && (seq === ONLY_LONG || seq === LONG_START)) {
    fmulWindow(out, 0, saved, 0, buf, 0, lwinPrev, 512);
  } else {
    out.set(saved.subarray(0, 448), 0);
    if (seq === EIGHT_SHORT) {
      fmulWindow(out, 448, saved, 448, buf, 0, swinPrev, 64);
      fmulWindow(out, 448 + 128, buf, 64, buf, 128, swin, 64);
      fmulWindow(out, 448 + 256, buf, 128 + 64, buf, 256, swin, 64);
      fmulWindow(out, 448 + 384, buf, 256 + 64, buf, 384, swin, 64);
      fmulWindow(temp, 0, buf, 384 + 64, buf, 512, swin, 64);
      out.set(temp.subarray(0, 64), 448 + 512);
    } else {
      fmulWindow(out, 448, saved, 448, buf, 0, swinPrev, 64);
      out.set(buf.subarray(64, 512), 576);
    }
  }
  if (seq === EIGHT_SHORT) {
    saved.set(temp.subarray(64, 128), 0);
    fmulWindow(saved, 64, buf, 512 + 64, buf, 640, swin, 64);
    fmulWindow(saved, 192, buf, 640 + 64, buf, 768, swin, 64);
    fmulWindow(saved, 320, buf, 768 + 64, buf, 896, swin, 64);
    saved.set(buf.subarray(896 + 64, 1024), 448);
  } else if (seq === LONG_START) {
    saved.set(buf.subarray(512, 960), 0);
    saved.set(buf.subarray(896 + 64, 1024), 448);
  } else {
    saved.set(buf.subarray(512, 1024), 0);
  }
  ch.prevWindowSequence = seq;
  ch.prevWindowShape = ch.info.windowShape;
}
