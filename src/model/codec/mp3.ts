/**
 * MPEG-1/2/2.5 audio frame headers (ISO/IEC 11172-3 §2.4.2.3, 13818-3) and the Xing/Info, LAME and
 * VBRI headers that encoders put in the first frame.
 */
import { BoxwrightError } from '../../io/errors.js';

/** A parsed MPEG audio frame header. */
export interface MpegAudioHeader {
  /** 1 (MPEG-1), 2 (MPEG-2 LSF) or 2.5. */
  version: 1 | 2 | 2.5;
  layer: 1 | 2 | 3;
  protectionAbsent: boolean;
  /** Bits per second; 0 for free format. */
  bitRate: number;
  sampleRate: number;
  padding: boolean;
  /** 0 stereo, 1 joint stereo, 2 dual channel, 3 single channel. */
  channelMode: number;
  modeExtension: number;
  channels: 1 | 2;
  /** ffprobe channel_layout. */
  channelLayout: 'mono' | 'stereo';
  samplesPerFrame: number;
  /** Frame length in bytes including the header; undefined for free format. */
  frameLength?: number;
}

const BITRATES: Record<string, readonly number[]> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  '2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES = [44100, 48000, 32000];

/**
 * Parses the 4-byte frame header at `offset`. Throws TRUNCATED when short and BAD_VALUE without
 * the 11-bit sync or with reserved version/layer/bitrate/sample-rate codes.
 */
export function parseMpegAudioHeader(bytes: Uint8Array, offset = 0, path = 'mp3'): MpegAudioHeader {
  if (!(offset >= 0 && bytes.length - offset >= 4)) throw new BoxwrightError('TRUNCATED', 'MPEG audio header needs 4 bytes', offset, path);
  const bad = (d: string): never => {
    throw new BoxwrightError('BAD_VALUE', d, offset, path);
  };
  const b1 = bytes[offset + 1]!;
  const b2 = bytes[offset + 2]!;
  const b3 = bytes[offset + 3]!;
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) bad('no MPEG audio sync');
  const v = (b1 >> 3) & 3;
  if (v === 1) bad('reserved MPEG audio version');
  const version = v === 3 ? 1 : v === 2 ? 2 : 2.5;
  const l = (b1 >> 1) & 3;
  if (l === 0) bad('reserved layer');
  const layer = (4 - l) as 1 | 2 | 3;
  const brIdx = b2 >> 4;
  if (brIdx === 15) bad('bad bitrate index 15');
  const srIdx = (b2 >> 2) & 3;
  if (srIdx === 3) bad('reserved sampling frequency');
  const sampleRate = SAMPLE_RATES[srIdx]! / (version === 1 ? 1 : version === 2 ? 2 : 4);
  const bitRate = BITRATES[`${version === 1 ? 1 : 2}-${layer}`]![brIdx]! * 1000;
  const padding = (b2 & 2) !== 0;
  const channelMode = b3 >> 6;
  const samplesPerFrame = layer === 1 ? 384 : layer === 2 || version === 1 ? 1152 : 576;
  const h: MpegAudioHeader = {
    version,
    layer,
    protectionAbsent: (b1 & 1) !== 0,
    bitRate,
    sampleRate,
    padding,
    channelMode,
    modeExtension: (b3 >> 4) & 3,
    channels: channelMode === 3 ? 1 : 2,
    channelLayout: channelMode === 3 ? 'mono' : 'stereo',
    samplesPerFrame,
  };
  if (bitRate > 0) {
    // §2.4.3.1: slots per frame = samples/8 · bitrate / fs (+1 padding slot; Layer I slots are 4 bytes).
    h.frameLength = layer === 1 ? (Math.floor((12 * bitRate) / sampleRate) + (padding ? 1 : 0)) * 4 : Math.floor(((samplesPerFrame / 8) * bitRate) / sampleRate) + (padding ? 1 : 0);
  }
  return h;
}

/** Xing/Info (+ LAME) or VBRI header found in a first frame. */
/**
 * Samples per frame of an MPEG audio codec (ISO/IEC 11172-3 / 13818-3): Layer I 384, Layer II 1152,
 * Layer III 1152, or 576 at the half rates of MPEG-2 / 2.5 (below 32 kHz). Undefined for other codecs.
 */
export function mpegAudioFrameSamples(codec: string | undefined, sampleRate: number | undefined): number | undefined {
  if (codec === 'mp1') return 384;
  if (codec === 'mp2') return 1152;
  if (codec === 'mp3') return (sampleRate ?? 48000) < 32000 ? 576 : 1152;
  return undefined;
}

export interface VbrHeader {
  kind: 'Xing' | 'Info' | 'VBRI';
  frames?: number;
  bytes?: number;
  /** Xing TOC (100 entries) when present. */
  toc?: number[];
  quality?: number;
  /** LAME tag: encoder string ('LAME3.100', 'Lavc59.37') and delay/padding in samples. */
  encoder?: string;
  encoderDelay?: number;
  encoderPadding?: number;
}

function u32(b: Uint8Array, p: number): number {
  return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
}

function ascii(b: Uint8Array, p: number, n: number): string {
  return String.fromCharCode(...b.subarray(p, p + n));
}

/**
 * Looks for a Xing/Info header (after the side information) or a VBRI header (32 bytes after the
 * header) in the frame at `offset`. Returns undefined when there is none or it is cut short.
 */
export function parseVbrHeader(bytes: Uint8Array, offset = 0, path = 'mp3'): VbrHeader | undefined {
  const h = parseMpegAudioHeader(bytes, offset, path);
  if (h.layer !== 3) return undefined;
  const sideInfo = h.version === 1 ? (h.channels === 1 ? 17 : 32) : h.channels === 1 ? 9 : 17;
  const x = offset + 4 + (h.protectionAbsent ? 0 : 2) + sideInfo;
  if (x + 8 <= bytes.length) {
    const tag = ascii(bytes, x, 4);
    if (tag === 'Xing' || tag === 'Info') {
      const flags = u32(bytes, x + 4);
      const out: VbrHeader = { kind: tag };
      let p = x + 8;
      const take = (n: number): boolean => p + n <= bytes.length;
      if (flags & 1) {
        if (!take(4)) return out;
        out.frames = u32(bytes, p);
        p += 4;
      }
      if (flags & 2) {
        if (!take(4)) return out;
        out.bytes = u32(bytes, p);
        p += 4;
      }
      if (flags & 4) {
        if (!take(100)) return out;
        out.toc = Array.from(bytes.subarray(p, p + 100));
        p += 100;
      }
      if (flags & 8) {
        if (!take(4)) return out;
        out.quality = u32(bytes, p);
        p += 4;
      }
      // LAME extension: 9-byte encoder string, …, delay(12 bits)/padding(12 bits) at +21.
      if (take(24)) {
        const enc = ascii(bytes, p, 9);
        if (/^(LAME|Lavc|Lavf|GOGO|L3.99)/.test(enc)) {
          out.encoder = enc.replace(/\0+$/, '').trimEnd();
          out.encoderDelay = (bytes[p + 21]! << 4) | (bytes[p + 22]! >> 4);
          out.encoderPadding = ((bytes[p + 22]! & 0x0f) << 8) | bytes[p + 23]!;
        }
      }
      return out;
    }
  }
  const v = offset + 4 + 32;
  if (v + 18 <= bytes.length && ascii(bytes, v, 4) === 'VBRI') {
    return { kind: 'VBRI', quality: (bytes[v + 8]! << 8) | bytes[v + 9]!, bytes: u32(bytes, v + 10), frames: u32(bytes, v + 14) };
  }
  return undefined;
}

/** Size of an ID3v2 tag at `offset` (header + syncsafe size + footer), or 0 when there is none. */
export function id3v2Size(bytes: Uint8Array, offset = 0): number {
  if (bytes.length - offset < 10 || ascii(bytes, offset, 3) !== 'ID3') return 0;
  const s = bytes.subarray(offset + 6, offset + 10);
  if ((s[0]! | s[1]! | s[2]! | s[3]!) & 0x80) return 0;
  const size = (s[0]! << 21) | (s[1]! << 14) | (s[2]! << 7) | s[3]!;
  return 10 + size + (bytes[offset + 5]! & 0x10 ? 10 : 0);
}
