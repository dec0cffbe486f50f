/**
 * individual_channel_stream() of AAC-LC (14496-3 §4.4.2.7): ics_info, section data, scalefactors, pulse
 * and TNS data, spectral data; then inverse quantisation and perceptual noise substitution, as ffmpeg's
 * float decoder does them (coefficients carry ffmpeg's negated scale, which its IMDCT undoes).
 */
import { cbrt, pow } from '../../model/portable-math.js';
import type { AacBits } from './bits.js';
import { decodeSymbol, SCALEFACTOR_TABLE, SPECTRAL_TABLES } from './huffman.js';
import { SWB_OFFSET_LONG, SWB_OFFSET_SHORT } from './tables.js';

export const ONLY_LONG = 0;
export const LONG_START = 1;
export const EIGHT_SHORT = 2;
export const LONG_STOP = 3;

const ZERO_BT = 0;
const ESC_BT = 11;
const NOISE_BT = 13;
const INTENSITY_BT2 = 14;
const INTENSITY_BT = 15;

const TNS_MAX_BANDS_LONG = [31, 31, 34, 40, 42, 51, 46, 46, 42, 42, 42, 39, 39];
const TNS_MAX_BANDS_SHORT = [9, 9, 10, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14];
/** TNS coefficient maps by 2·coef_compress + coef_res (§4.6.9.3, values as in ffmpeg's tables). */
const TNS_COEFS: readonly Float32Array[] = [
  [0.0, -0.43388373, -0.7818315, -0.9749279, 0.98480773, 0.86602539, 0.64278758, 0.34202015],
  [0.0, -0.2079117, -0.40673664, -0.58778524, -0.74314481, -0.86602539, -0.95105654, -0.99452192, 0.99573416, 0.96182561, 0.8951633, 0.7980172, 0.67369562, 0.52643216, 0.36124167, 0.18374951],
  [0.0, -0.43388373, 0.64278758, 0.34202015],
  [0.0, -0.2079117, -0.40673664, -0.58778524, 0.67369562, 0.52643216, 0.36124167, 0.18374951],
].map((a) => Float32Array.from(a));

/** 2^(i/4) for i = −200…227 as float32: ffmpeg's pow2sf table, indexed by i + 200. */
let POW2SF = new Float32Array(0);
/** |q|^(4/3) as float32 for |q| < 8192. */
let POW43 = new Float32Array(0);

/** Builds the inverse-quantisation tables once, when the first decoder is made (not at import). */
export function initQuantTables(): void {
  if (POW43.length > 0) return;
  POW2SF = new Float32Array(428);
  for (let i = 0; i < 428; i++) POW2SF[i] = pow(2, (i - 200) / 4);
  POW43 = new Float32Array(8192);
  for (let i = 0; i < 8192; i++) POW43[i] = cbrt(i) * i;
}

/** ics_info() of the current frame. */
export interface IcsInfo {
  windowSequence: number;
  /** 1 = KBD window. */
  windowShape: number;
  maxSfb: number;
  numWindows: number;
  numGroups: number;
  /** Windows per group. */
  groupLen: Uint8Array;
  swbOffset: readonly number[];
  numSwb: number;
  tnsMaxBands: number;
}

/** TNS data of one frame. */
export interface Tns {
  present: boolean;
  nFilt: Uint8Array;
  length: Uint8Array;
  order: Uint8Array;
  direction: Uint8Array;
  /** Reflection coefficients, 32 per filter. */
  coef: Float32Array;
}

/** One coded channel: this frame's syntax and spectrum, and the filterbank state carried across frames. */
export class ChannelState {
  readonly info: IcsInfo = { windowSequence: ONLY_LONG, windowShape: 0, maxSfb: 0, numWindows: 1, numGroups: 1, groupLen: new Uint8Array(8), swbOffset: [], numSwb: 0, tnsMaxBands: 0 };
  /** Band type by group·64 + band. */
  readonly bandType = new Uint8Array(8 * 64);
  /** Scale by group·64 + band (negated gain for spectral and noise bands, intensity scale for IS bands). */
  readonly sf = new Float32Array(8 * 64);
  readonly quant = new Int32Array(1024);
  readonly spec = new Float32Array(1024);
  readonly tns: Tns = { present: false, nFilt: new Uint8Array(8), length: new Uint8Array(32), order: new Uint8Array(32), direction: new Uint8Array(32), coef: new Float32Array(32 * 32) };
  /** Overlap: the second half of the previous IMDCT, as ffmpeg's `saved`. */
  readonly saved = new Float32Array(1024);
  prevWindowSequence = ONLY_LONG;
  prevWindowShape = 0;
}

/** Decoder-wide state an ICS needs. */
export interface IcsContext {
  readonly r: AacBits;
  readonly samplingIndex: number;
  /** ffmpeg's PNS random state (one LCG for the whole decoder). */
  randomState: number;
}

/** ics_info(): window sequence, shape, max_sfb and grouping. */
export function readIcsInfo(ctx: IcsContext, ch: ChannelState): void {
  const r = ctx.r;
  const info = ch.info;
  if (r.bit()) throw r.error('ics_reserved_bit set');
  info.windowSequence = r.read(2);
  info.windowShape = r.bit();
  const si = ctx.samplingIndex;
  if (info.windowSequence === EIGHT_SHORT) {
    info.maxSfb = r.read(4);
    const grouping = r.read(7);
    info.numWindows = 8;
    info.numGroups = 1;
    info.groupLen.fill(0);
    info.groupLen[0] = 1;
    for (let w = 0; w < 7; w++) {
      if (grouping & (1 << (6 - w))) info.groupLen[info.numGroups - 1]!++;
      else info.groupLen[info.numGroups++] = 1;
    }
    info.swbOffset = SWB_OFFSET_SHORT[si]!;
    info.numSwb = info.swbOffset.length - 1;
    info.tnsMaxBands = TNS_MAX_BANDS_SHORT[si]!;
  } else {
    info.maxSfb = r.read(6);
    info.numWindows = 1;
    info.numGroups = 1;
    info.groupLen[0] = 1;
    info.swbOffset = SWB_OFFSET_LONG[si]!;
    info.numSwb = info.swbOffset.length - 1;
    info.tnsMaxBands = TNS_MAX_BANDS_LONG[si]!;
    if (r.bit()) throw r.error('predictor_data_present in AAC-LC');
  }
  if (info.maxSfb > info.numSwb) throw r.error(`max_sfb ${info.maxSfb} exceeds ${info.numSwb} bands`);
}

/** section_data(): a band type per (group, band). */
function readSectionData(r: AacBits, ch: ChannelState): void {
  const { numGroups, maxSfb, windowSequence } = ch.info;
  const lenBits = windowSequence === EIGHT_SHORT ? 3 : 5;
  const esc = (1 << lenBits) - 1;
  for (let g = 0; g < numGroups; g++) {
    let k = 0;
    while (k < maxSfb) {
      const cb = r.read(4);
      if (cb === 12) throw r.error('reserved codebook 12');
      let len = 0;
      let incr: number;
      do {
        incr = r.read(lenBits);
        len += incr;
      } while (incr === esc);
      if (k + len > maxSfb) throw r.error(`section runs past max_sfb (${k + len} > ${maxSfb})`);
      for (let end = k + len; k < end; k++) ch.bandType[g * 64 + k] = cb;
    }
  }
}

/** scale_factor_data(): the scale of every band (ffmpeg's sf[] values). */
function readScalefactors(r: AacBits, ch: ChannelState, globalGain: number): void {
  const { numGroups, maxSfb } = ch.info;
  let offset = globalGain;
  let noise = globalGain - 90;
  let intensity = 0;
  let firstNoise = true;
  for (let g = 0; g < numGroups; g++) {
    for (let b = 0; b < maxSfb; b++) {
      const idx = g * 64 + b;
      const bt = ch.bandType[idx]!;
      if (bt === ZERO_BT) {
        ch.sf[idx] = 0;
      } else if (bt === INTENSITY_BT || bt === INTENSITY_BT2) {
        intensity += decodeSymbol(r, SCALEFACTOR_TABLE) - 60;
        const c = Math.max(-155, Math.min(100, intensity));
        ch.sf[idx] = POW2SF[-c + 200]!;
      } else if (bt === NOISE_BT) {
        if (firstNoise) {
          firstNoise = false;
          noise += r.read(9) - 256;
        } else noise += decodeSymbol(r, SCALEFACTOR_TABLE) - 60;
        const c = Math.max(-100, Math.min(155, noise));
        ch.sf[idx] = -POW2SF[c + 200]!;
      } else {
        offset += decodeSymbol(r, SCALEFACTOR_TABLE) - 60;
        if (offset < 0 || offset > 255) throw r.error(`scalefactor ${offset} out of range`);
        ch.sf[idx] = -POW2SF[offset - 100 + 200]!;
      }
    }
  }
}

/** tns_data(). */
function readTns(r: AacBits, ch: ChannelState): void {
  const tns = ch.tns;
  const short = ch.info.windowSequence === EIGHT_SHORT;
  const maxOrder = short ? 7 : 12;
  for (let w = 0; w < ch.info.numWindows; w++) {
    const n = r.read(short ? 1 : 2);
    tns.nFilt[w] = n;
    if (n === 0) continue;
    const coefRes = r.bit();
    for (let f = 0; f < n; f++) {
      const i = w * 4 + f;
      tns.length[i] = r.read(short ? 4 : 6);
      const order = r.read(short ? 3 : 5);
      if (order > maxOrder) throw r.error(`TNS order ${order} above ${maxOrder}`);
      tns.order[i] = order;
      if (order === 0) continue;
      tns.direction[i] = r.bit();
      const compress = r.bit();
      const bits = coefRes + 3 - compress;
      const map = TNS_COEFS[2 * compress + coefRes]!;
      for (let k = 0; k < order; k++) tns.coef[i * 32 + k] = map[r.read(bits)]!;
    }
  }
}

/** An escape value (§4.6.3.3): 16 = escape sequence of N ones, a zero and N + 4 bits. */
function readEscape(r: AacBits): number {
  let n = 0;
  while (r.bit() === 1) {
    if (++n > 8) throw r.error('escape sequence too long');
  }
  const bits = n + 4;
  return (1 << bits) + r.read(bits);
}

/** spectral_data(): quantised values into `ch.quant` (zero where the band is not Huffman coded). */
function readSpectralData(r: AacBits, ch: ChannelState): void {
  const { numGroups, maxSfb, swbOffset, groupLen } = ch.info;
  const q = ch.quant;
  q.fill(0);
  let win = 0;
  for (let g = 0; g < numGroups; g++) {
    const gl = groupLen[g]!;
    for (let b = 0; b < maxSfb; b++) {
      const cb = ch.bandType[g * 64 + b]!;
      if (cb === ZERO_BT || cb >= NOISE_BT) continue;
      const table = SPECTRAL_TABLES[cb]!;
      const start = swbOffset[b]!;
      const end = swbOffset[b + 1]!;
      for (let w = win; w < win + gl; w++) {
        const base = w * 128;
        if (cb <= 4) {
          const signed = cb <= 2;
          for (let k = base + start; k < base + end; k += 4) {
            const s = decodeSymbol(r, table);
            let v0 = ((s / 27) | 0) % 3;
            let v1 = ((s / 9) | 0) % 3;
            let v2 = ((s / 3) | 0) % 3;
            let v3 = s % 3;
            if (signed) {
              v0--;
              v1--;
              v2--;
              v3--;
            } else {
              if (v0 && r.bit()) v0 = -v0;
              if (v1 && r.bit()) v1 = -v1;
              if (v2 && r.bit()) v2 = -v2;
              if (v3 && r.bit()) v3 = -v3;
            }
            q[k] = v0;
            q[k + 1] = v1;
            q[k + 2] = v2;
            q[k + 3] = v3;
          }
        } else if (cb <= 6) {
          for (let k = base + start; k < base + end; k += 2) {
            const s = decodeSymbol(r, table);
            q[k] = ((s / 9) | 0) - 4;
            q[k + 1] = (s % 9) - 4;
          }
        } else {
          const mod = cb <= 8 ? 8 : cb <= 10 ? 13 : 17;
          for (let k = base + start; k < base + end; k += 2) {
            const s = decodeSymbol(r, table);
            let y = (s / mod) | 0;
            let z = s - y * mod;
            const sy = y !== 0 && r.bit() === 1;
            const sz = z !== 0 && r.bit() === 1;
            if (cb === ESC_BT) {
              if (y === 16) y = readEscape(r);
              if (z === 16) z = readEscape(r);
            }
            q[k] = sy ? -y : y;
            q[k + 1] = sz ? -z : z;
          }
        }
      }
    }
    win += gl;
  }
}

/**
 * individual_channel_stream(): reads the channel's syntax (ics_info too unless `commonWindow`) and leaves
 * its dequantised spectrum, noise included, in `ch.spec`.
 */
export function decodeIcs(ctx: IcsContext, ch: ChannelState, commonWindow: boolean): void {
  const r = ctx.r;
  const globalGain = r.read(8);
  if (!commonWindow) readIcsInfo(ctx, ch);
  readSectionData(r, ch);
  readScalefactors(r, ch, globalGain);
  const info = ch.info;
  let pulses = 0;
  const pulsePos = [0, 0, 0, 0];
  const pulseAmp = [0, 0, 0, 0];
  if (r.bit()) {
    if (info.windowSequence === EIGHT_SHORT) throw r.error('pulse data in a short window');
    pulses = r.read(2) + 1;
    const startSfb = r.read(6);
    if (startSfb > info.numSwb) throw r.error(`pulse_start_sfb ${startSfb} out of range`);
    let pos = info.swbOffset[Math.min(startSfb, info.numSwb)]!;
    for (let i = 0; i < pulses; i++) {
      pos += r.read(5);
      if (pos > 1023) throw r.error('pulse position past 1023');
      pulsePos[i] = pos;
      pulseAmp[i] = r.read(4);
    }
  }
  ch.tns.present = r.bit() === 1;
  if (ch.tns.present) readTns(r, ch);
  if (r.bit()) throw r.error('gain_control_data in AAC-LC');
  readSpectralData(r, ch);
  const q = ch.quant;
  for (let i = 0; i < pulses; i++) {
    const p = pulsePos[i]!;
    q[p] = q[p]! > 0 ? q[p]! + pulseAmp[i]! : q[p]! - pulseAmp[i]!;
  }
  dequantize(ctx, ch);
}

/** Inverse quantisation and noise filling into `ch.spec`. */
function dequantize(ctx: IcsContext, ch: ChannelState): void {
  const { numGroups, maxSfb, swbOffset, groupLen } = ch.info;
  const q = ch.quant;
  const spec = ch.spec;
  spec.fill(0);
  let win = 0;
  for (let g = 0; g < numGroups; g++) {
    const gl = groupLen[g]!;
    for (let b = 0; b < maxSfb; b++) {
      const idx = g * 64 + b;
      const bt = ch.bandType[idx]!;
      const start = swbOffset[b]!;
      const end = swbOffset[b + 1]!;
      const sf = ch.sf[idx]!;
      if (bt === NOISE_BT) {
        for (let w = win; w < win + gl; w++) {
          const o = w * 128;
          let state = ctx.randomState;
          let energy = 0;
          for (let k = o + start; k < o + end; k++) {
            state = (Math.imul(state, 1664525) + 1013904223) | 0;
            spec[k] = state;
            energy += state * state;
          }
          ctx.randomState = state;
          const scale = Math.fround(sf / Math.fround(Math.sqrt(Math.fround(energy))));
          for (let k = o + start; k < o + end; k++) spec[k] = spec[k]! * scale;
        }
      } else if (bt !== ZERO_BT && bt < NOISE_BT) {
        for (let w = win; w < win + gl; w++) {
          const o = w * 128;
          for (let k = o + start; k < o + end; k++) {
            const v = q[k]!;
            if (v === 0) continue;
            spec[k] = v > 0 ? POW43[v]! * sf : -(POW43[-v]! * sf);
          }
        }
      }
    }
    win += gl;
  }
}

/** Applies TNS to `ch.spec` (§4.6.9; ffmpeg's apply_tns, decoding direction). */
export function applyTns(ch: ChannelState): void {
  const { numWindows, numSwb, swbOffset, tnsMaxBands, maxSfb } = ch.info;
  const tns = ch.tns;
  const spec = ch.spec;
  const mmm = Math.min(tnsMaxBands, maxSfb);
  const lpc = new Float64Array(32);
  for (let w = 0; w < numWindows; w++) {
    let bottom = numSwb;
    for (let f = 0; f < tns.nFilt[w]!; f++) {
      const i = w * 4 + f;
      const top = bottom;
      bottom = Math.max(0, top - tns.length[i]!);
      const order = tns.order[i]!;
      if (order === 0) continue;
      // Reflection coefficients to LPC (Levinson recursion step). The table holds them negated, as ffmpeg's does.
      for (let m = 0; m < order; m++) {
        const rc = -tns.coef[i * 32 + m]!;
        lpc[m] = rc;
        for (let j = 0; j < (m + 1) >> 1; j++) {
          const fw = lpc[j]!;
          const bw = lpc[m - 1 - j]!;
          lpc[j] = Math.fround(fw + rc * bw);
          lpc[m - 1 - j] = Math.fround(bw + rc * fw);
        }
      }
      let start = swbOffset[Math.min(bottom, mmm)]!;
      const end = swbOffset[Math.min(top, mmm)]!;
      const size = end - start;
      if (size <= 0) continue;
      let inc = 1;
      if (tns.direction[i]) {
        inc = -1;
        start = end - 1;
      }
      start += w * 128;
      for (let m = 0; m < size; m++, start += inc) {
        let v = spec[start]!;
        const lim = Math.min(m, order);
        for (let k = 1; k <= lim; k++) v -= spec[start - k * inc]! * lpc[k - 1]!;
        spec[start] = v;
      }
    }
  }
}

/** M/S stereo (§4.6.8.1) on bands coded with spectral codebooks in both channels. */
export function applyMidSide(left: ChannelState, right: ChannelState, msMask: Uint8Array): void {
  const { numGroups, maxSfb, swbOffset, groupLen } = left.info;
  const a = left.spec;
  const b = right.spec;
  let win = 0;
  for (let g = 0; g < numGroups; g++) {
    for (let s = 0; s < maxSfb; s++) {
      const idx = g * 64 + s;
      if (!msMask[idx] || left.bandType[idx]! >= NOISE_BT || right.bandType[idx]! >= NOISE_BT) continue;
      for (let w = win; w < win + groupLen[g]!; w++) {
        for (let k = w * 128 + swbOffset[s]!, e = w * 128 + swbOffset[s + 1]!; k < e; k++) {
          const m = a[k]!;
          const d = b[k]!;
          a[k] = m + d;
          b[k] = m - d;
        }
      }
    }
    win += groupLen[g]!;
  }
}

/** Intensity stereo (§4.6.8.2): the right channel's IS bands from the left spectrum. */
export function applyIntensity(left: ChannelState, right: ChannelState, msMask: Uint8Array, msPresent: number): void {
  const { numGroups, maxSfb, swbOffset, groupLen } = right.info;
  const a = left.spec;
  const b = right.spec;
  let win = 0;
  for (let g = 0; g < numGroups; g++) {
    for (let s = 0; s < maxSfb; s++) {
      const idx = g * 64 + s;
      const bt = right.bandType[idx]!;
      if (bt !== INTENSITY_BT && bt !== INTENSITY_BT2) continue;
      let c = -1 + 2 * (bt - 14);
      if (msPresent) c *= 1 - 2 * msMask[idx]!;
      const scale = Math.fround(c * right.sf[idx]!);
      for (let w = win; w < win + groupLen[g]!; w++) {
        for (let k = w * 128 + swbOffset[s]!, e = w * 128 + swbOffset[s + 1]!; k < e; k++) b[k] = a[k]! * scale;
      }
    }
    win += groupLen[g]!;
  }
}
