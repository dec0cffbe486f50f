/**
 * AC-3 and E-AC-3: stream properties from the `dac3` / `dec3` box values (ETSI TS 102 366 Annex F) and sync frame headers
 * (ATSC A/52 §5.3 and Annex E). Channel layouts follow ffmpeg 5.1 (ac3tab.c ff_ac3_channel_layout_tab:
 * dual mono 1+1 is 'stereo').
 */
import { BitReader } from '../../io/bit-reader.js';
import { BoxwrightError } from '../../io/errors.js';
import type { Dac3, Dec3 } from '../../../boxes/families/audio-config.js';
import { CH, channelLayoutName } from './channel-layout.js';

/** fscod → sample rate (A/52 Table 5.6). */
export const AC3_SAMPLE_RATES: readonly number[] = [48000, 44100, 32000];
/** frmsizecod >> 1 (and the dac3 bit_rate_code) → kbit/s (A/52 Table 5.18). */
export const AC3_BITRATES_KBPS: readonly number[] = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 576, 640];
/** acmod → full-bandwidth channel count (A/52 Table 5.8). */
export const AC3_ACMOD_CHANNELS: readonly number[] = [2, 1, 2, 3, 3, 4, 4, 5];

const { FL, FR, FC, LFE, BL, BR, FLC, FRC, BC, SL, SR, TC, TFL, TFC, TFR, WL, WR, SDL, SDR, TSL, TSR } = CH;

/** acmod → ffmpeg channel mask (ff_ac3_channel_layout_tab). */
const ACMOD_MASKS: readonly number[] = [FL + FR, FC, FL + FR, FL + FR + FC, FL + FR + BC, FL + FR + FC + BC, FL + FR + SL + SR, FL + FR + FC + SL + SR];

/** dec3 chan_loc bits, MSB first (TS 102 366 Table F.6.1 = chanmap bits 5..13) → ffmpeg channels. */
const CHAN_LOC_MASKS: readonly number[] = [FLC + FRC, BL + BR, BC, TC, SDL + SDR, WL + WR, TFL + TFR, TFC, TSL + TSR];

/** The ffmpeg channel mask for acmod + lfeon (+ a dec3 chan_loc of dependent substreams). */
export function ac3ChannelMask(acmod: number, lfeon: boolean, chanLoc = 0): number {
  let mask = (ACMOD_MASKS[acmod] ?? 0) + (lfeon ? LFE : 0);
  for (let i = 0; i < 9; i++) if ((chanLoc >> (8 - i)) & 1) mask += CHAN_LOC_MASKS[i]!;
  return mask;
}

/** ffprobe channel_layout for acmod + lfeon (+ chan_loc), e.g. 7 + LFE → '5.1(side)'. */
export function ac3ChannelLayout(acmod: number, lfeon: boolean, chanLoc = 0): string | undefined {
  return channelLayoutName(ac3ChannelMask(acmod, lfeon, chanLoc));
}

/** Audio properties common to every parser here. */
export interface Ac3Info {
  sampleRate: number;
  channels: number;
  channelLayout: string | undefined;
  acmod: number;
  lfeon: boolean;
  bsid: number;
  bsmod: number;
  /** Bits per second. */
  bitRate: number;
}

function sampleRate(fscod: number, offset: number, path: string): number {
  const sr = AC3_SAMPLE_RATES[fscod];
  if (sr === undefined) throw new BoxwrightError('BAD_VALUE', `reserved fscod ${fscod}`, offset, path);
  return sr;
}

/** Audio properties of an AC-3 stream from its `dac3` box value (TS 102 366 §F.4). Throws BAD_VALUE on reserved codes. */
export function dac3Info(v: Dac3, offset = 0, path = 'dac3'): Ac3Info {
  const kbps = AC3_BITRATES_KBPS[v.bitRateCode];
  if (kbps === undefined) throw new BoxwrightError('BAD_VALUE', `bit_rate_code ${v.bitRateCode}`, offset, path);
  const lfeon = v.lfeon === 1;
  return {
    sampleRate: sampleRate(v.fscod, offset, path),
    channels: AC3_ACMOD_CHANNELS[v.acmod]! + (lfeon ? 1 : 0),
    channelLayout: ac3ChannelLayout(v.acmod, lfeon),
    acmod: v.acmod,
    lfeon,
    bsid: v.bsid,
    bsmod: v.bsmod,
    bitRate: kbps * 1000,
  };
}

/**
 * Audio properties of an E-AC-3 stream from its `dec3` box value (TS 102 366 §F.6): independent substream 0
 * with the channels its dependent substreams add (chan_loc).
 */
export function dec3Info(v: Dec3, offset = 0, path = 'dec3'): Ac3Info {
  const s0 = v.independentSubstreams[0];
  if (!s0) throw new BoxwrightError('BAD_VALUE', 'dec3 has no independent substream', offset, path);
  const lfeon = s0.lfeon === 1;
  const mask = ac3ChannelMask(s0.acmod, lfeon, s0.numDepSub > 0 ? (s0.chanLoc ?? 0) : 0);
  return {
    sampleRate: sampleRate(s0.fscod, offset, path),
    channels: channelCountOf(mask),
    channelLayout: channelLayoutName(mask),
    acmod: s0.acmod,
    lfeon,
    bsid: s0.bsid,
    bsmod: s0.bsmod,
    bitRate: v.dataRate * 1000,
  };
}

function channelCountOf(mask: number): number {
  let n = 0;
  for (let m = mask; m > 0; m = Math.floor(m / 2)) n += m % 2;
  return n;
}

/** A parsed AC-3 or E-AC-3 sync frame header. */
export interface Ac3FrameHeader extends Ac3Info {
  /** 'ac3' for bsid ≤ 10, 'eac3' for bsid 11..16. */
  codec: 'ac3' | 'eac3';
  /** Sync frame size in bytes. */
  frameSize: number;
  /** Audio samples per channel in this frame (1536 for AC-3; 256 × blocks for E-AC-3). */
  samples: number;
  /** E-AC-3 only: strmtyp (0 independent, 1 dependent, 2 AC-3 convertible) and substreamid. */
  streamType?: number;
  substreamId?: number;
}

/** AC-3 frame size in 16-bit words for frmsizecod at 44.1 kHz: floor(kbps·320/147) + (frmsizecod & 1). */
function ac3FrameWords(fscod: number, frmsizecod: number, kbps: number): number {
  if (fscod === 0) return kbps * 2;
  if (fscod === 2) return kbps * 3;
  return Math.floor((kbps * 320) / 147) + (frmsizecod & 1);
}

/**
 * Parses the AC-3 (A/52 §5.3.1–5.3.2) or E-AC-3 (Annex E §E.2.2) sync frame header at `offset`.
 * Throws TRUNCATED when short, BAD_VALUE without the 0x0B77 syncword or with reserved codes.
 */
export function parseAc3FrameHeader(bytes: Uint8Array, offset = 0, path = 'ac3'): Ac3FrameHeader {
  if (!(offset >= 0 && bytes.length - offset >= 8)) throw new BoxwrightError('TRUNCATED', 'AC-3 sync frame header needs 8 bytes', offset, path);
  const r = new BitReader(bytes.subarray(offset, offset + 8), offset, path);
  if (r.bits(16) !== 0x0b77) throw new BoxwrightError('BAD_VALUE', 'no AC-3 syncword', offset, path);
  const bsid = (bytes[offset + 5]! >> 3) & 0x1f;
  if (bsid <= 10) {
    r.skip(16); // crc1
    const fscod = r.bits(2);
    const frmsizecod = r.bits(6);
    r.skip(5); // bsid
    const bsmod = r.bits(3);
    const acmod = r.bits(3);
    if (acmod & 1 && acmod !== 1) r.skip(2); // cmixlev
    if (acmod & 4) r.skip(2); // surmixlev
    if (acmod === 2) r.skip(2); // dsurmod
    const lfeon = r.flag();
    const sr = sampleRate(fscod, offset, path);
    const kbps = AC3_BITRATES_KBPS[frmsizecod >> 1];
    if (kbps === undefined) throw new BoxwrightError('BAD_VALUE', `frmsizecod ${frmsizecod}`, offset, path);
    return {
      codec: 'ac3',
      sampleRate: sr,
      channels: AC3_ACMOD_CHANNELS[acmod]! + (lfeon ? 1 : 0),
      channelLayout: ac3ChannelLayout(acmod, lfeon),
      acmod,
      lfeon,
      bsid,
      bsmod,
      bitRate: kbps * 1000,
      frameSize: ac3FrameWords(fscod, frmsizecod, kbps) * 2,
      samples: 1536,
    };
  }
  if (bsid > 16) throw new BoxwrightError('UNSUPPORTED_FORMAT', `AC-3 bsid ${bsid}`, offset, path);
  const streamType = r.bits(2);
  const substreamId = r.bits(3);
  const frameSize = (r.bits(11) + 1) * 2;
  const fscod = r.bits(2);
  let sr: number;
  let blocks: number;
  if (fscod === 3) {
    const fscod2 = r.bits(2);
    if (fscod2 === 3) throw new BoxwrightError('BAD_VALUE', 'reserved fscod2', offset, path);
    sr = AC3_SAMPLE_RATES[fscod2]! / 2;
    blocks = 6;
  } else {
    sr = AC3_SAMPLE_RATES[fscod]!;
    blocks = [1, 2, 3, 6][r.bits(2)]!;
  }
  const acmod = r.bits(3);
  const lfeon = r.flag();
  r.skip(5); // bsid
  const samples = blocks * 256;
  return {
    codec: 'eac3',
    sampleRate: sr,
    channels: AC3_ACMOD_CHANNELS[acmod]! + (lfeon ? 1 : 0),
    channelLayout: ac3ChannelLayout(acmod, lfeon),
    acmod,
    lfeon,
    bsid,
    bsmod: 0,
    bitRate: Math.round((frameSize * 8 * sr) / samples),
    frameSize,
    samples,
    streamType,
    substreamId,
  };
}
