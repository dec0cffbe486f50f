/**
 * AC-3 and E-AC-3: the `dac3` / `dec3` boxes (ETSI TS 102 366 Annex F) and sync frame headers
 * (ATSC A/52 §5.3 and Annex E). Channel layouts follow ffmpeg 5.1 (ac3tab.c ff_ac3_channel_layout_tab:
 * dual mono 1+1 is 'stereo').
 */
import { BitReader } from '../../io/bit-reader.js';
import { BoxwrightError } from '../../io/errors.js';
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

/** Parsed dac3 (AC3SpecificBox, TS 102 366 §F.4). */
export interface Dac3 extends Ac3Info {
  fscod: number;
  bitRateCode: number;
}

function need(bytes: Uint8Array, n: number, what: string, offset: number, path: string): void {
  if (bytes.length < n) throw new BoxwrightError('TRUNCATED', `${what} needs ${n} bytes but ${bytes.length} remain`, offset, path);
}

function sampleRate(fscod: number, offset: number, path: string): number {
  const sr = AC3_SAMPLE_RATES[fscod];
  if (sr === undefined) throw new BoxwrightError('BAD_VALUE', `reserved fscod ${fscod}`, offset, path);
  return sr;
}

/** Parses a dac3 box payload (3 bytes). */
export function parseDac3(bytes: Uint8Array, offset = 0, path = 'dac3'): Dac3 {
  need(bytes, 3, 'dac3', offset, path);
  const r = new BitReader(bytes, offset, path);
  const fscod = r.bits(2);
  const bsid = r.bits(5);
  const bsmod = r.bits(3);
  const acmod = r.bits(3);
  const lfeon = r.flag();
  const bitRateCode = r.bits(5);
  const kbps = AC3_BITRATES_KBPS[bitRateCode];
  if (kbps === undefined) throw new BoxwrightError('BAD_VALUE', `bit_rate_code ${bitRateCode}`, offset, path);
  return {
    fscod,
    bsid,
    bsmod,
    acmod,
    lfeon,
    bitRateCode,
    sampleRate: sampleRate(fscod, offset, path),
    channels: AC3_ACMOD_CHANNELS[acmod]! + (lfeon ? 1 : 0),
    channelLayout: ac3ChannelLayout(acmod, lfeon),
    bitRate: kbps * 1000,
  };
}

/** One independent substream of a dec3 box. */
export interface Dec3Substream {
  fscod: number;
  bsid: number;
  asvc: boolean;
  bsmod: number;
  acmod: number;
  lfeon: boolean;
  numDepSub: number;
  /** chan_loc (9 bits) when numDepSub > 0, else 0. */
  chanLoc: number;
}

/** Parsed dec3 (EC3SpecificBox, TS 102 366 §F.6); the Ac3Info fields describe substream 0 with its dependents. */
export interface Dec3 extends Ac3Info {
  /** data_rate in kbit/s. */
  dataRate: number;
  substreams: Dec3Substream[];
  /** flag_ec3_extension_type_a (Dolby Atmos JOC) when present. */
  ec3ExtensionTypeA?: boolean;
  complexityIndexTypeA?: number;
}

/** Parses a dec3 box payload. */
export function parseDec3(bytes: Uint8Array, offset = 0, path = 'dec3'): Dec3 {
  need(bytes, 5, 'dec3', offset, path);
  const r = new BitReader(bytes, offset, path);
  const dataRate = r.bits(13);
  const numInd = r.bits(3) + 1;
  const substreams: Dec3Substream[] = [];
  for (let i = 0; i < numInd; i++) {
    const fscod = r.bits(2);
    const bsid = r.bits(5);
    r.skip(1); // reserved
    const asvc = r.flag();
    const bsmod = r.bits(3);
    const acmod = r.bits(3);
    const lfeon = r.flag();
    r.skip(3); // reserved
    const numDepSub = r.bits(4);
    const chanLoc = numDepSub > 0 ? r.bits(9) : (r.skip(1), 0);
    substreams.push({ fscod, bsid, asvc, bsmod, acmod, lfeon, numDepSub, chanLoc });
  }
  const s0 = substreams[0]!;
  const mask = ac3ChannelMask(s0.acmod, s0.lfeon, s0.chanLoc);
  const out: Dec3 = {
    dataRate,
    substreams,
    sampleRate: sampleRate(s0.fscod, offset, path),
    channels: channelCountOf(mask),
    channelLayout: channelLayoutName(mask),
    acmod: s0.acmod,
    lfeon: s0.lfeon,
    bsid: s0.bsid,
    bsmod: s0.bsmod,
    bitRate: dataRate * 1000,
  };
  if (r.bitsLeft >= 16) {
    r.skip(7); // reserved
    out.ec3ExtensionTypeA = r.flag();
    if (out.ec3ExtensionTypeA) out.complexityIndexTypeA = r.bits(8);
  }
  return out;
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
