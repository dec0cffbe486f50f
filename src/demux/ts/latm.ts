/**
 * AAC in LATM/LOAS (ISO/IEC 14496-3 §1.7; MPEG-TS stream_type 0x11) → raw AAC frames, the form MP4
 * and every other writer carries. LOAS AudioSyncStream frames (syncword 0x2B7, 13-bit length) hold one
 * AudioMuxElement with an in-band StreamMuxConfig (muxConfigPresent = 1): the AudioSpecificConfig is
 * read from it, and each PayloadMux is copied out (it need not start on a byte boundary).
 * One program with one layer is read (what broadcast and ffmpeg write); other multiplexes are skipped.
 */
import { BitReader } from '../../io/bit-reader.js';
import { BoxwrightError } from '../../io/errors.js';
import { AAC_CHANNELS_BY_CONFIG, readAudioSpecificConfig, type AudioSpecificConfig } from '../../model/codec/aac-asc.js';
import type { SampleDescription } from '../../model/movie.js';
import type { AudioFrame, AudioScan } from './audio-frames.js';

/** What a StreamMuxConfig says about the one stream we read. */
/** A StreamMuxConfig as read (kept between calls by a caller that demuxes a stream in parts). */
export interface MuxConfig {
  asc: AudioSpecificConfig;
  /** The AudioSpecificConfig bytes (byte-aligned copy, zero-padded). */
  config: Uint8Array;
  numSubFrames: number;
  /** 0: PayloadLengthInfo bytes; 1: fixed frameLength. */
  frameLengthType: number;
  frameLength: number;
  otherDataPresent: boolean;
  otherDataLenBits: number;
}

/** LatmGetValue() (§1.7.3.1). */
function latmValue(r: BitReader): number {
  const bytes = r.bits(2);
  let v = 0;
  for (let i = 0; i <= bytes; i++) v = v * 256 + r.bits(8);
  return v;
}

/** `n` bits of `data` from bit `bit` on, as bytes (the last one zero-padded). */
function copyBits(data: Uint8Array, bit: number, n: number, out: Uint8Array, at: number): void {
  const bytes = Math.ceil(n / 8);
  const shift = bit & 7;
  let q = bit >> 3;
  for (let i = 0; i < bytes; i++, q++) {
    const hi = data[q]! << shift;
    const lo = shift > 0 && q + 1 < data.length ? data[q + 1]! >> (8 - shift) : 0;
    out[at + i] = (hi | lo) & 0xff;
  }
  const rest = n & 7;
  if (rest) out[at + bytes - 1]! &= (0xff << (8 - rest)) & 0xff;
}

/** The 11 bits of `b` from bit `bit` on. */
function peek11(b: Uint8Array, bit: number): number {
  let v = 0;
  for (let i = bit; i < bit + 11; i++) v = v * 2 + ((b[i >> 3]! >> (7 - (i & 7))) & 1);
  return v;
}

/** StreamMuxConfig (§1.7.3.1); undefined for multiplexes we do not read. */
function readStreamMuxConfig(r: BitReader, data: Uint8Array, path: string): MuxConfig | undefined {
  const audioMuxVersion = r.bit();
  const audioMuxVersionA = audioMuxVersion ? r.bit() : 0;
  if (audioMuxVersionA !== 0) return undefined;
  if (audioMuxVersion === 1) latmValue(r); // taraBufferFullness
  const allStreamsSameTimeFraming = r.bit();
  const numSubFrames = r.bits(6);
  const numProgram = r.bits(4);
  const numLayer = r.bits(3);
  if (numProgram !== 0 || numLayer !== 0 || !allStreamsSameTimeFraming) return undefined;
  // useSameConfig is implicitly 0 for the first program's first layer. Version 1 gives the config's
  // length (its sync extension, if any, lies inside it); version 0 ends it where its syntax ends.
  let config: Uint8Array;
  let asc: AudioSpecificConfig;
  if (audioMuxVersion === 1) {
    const ascLength = latmValue(r);
    if (ascLength > r.bitsLeft || ascLength < 16) return undefined;
    const bits = new Uint8Array(Math.ceil(ascLength / 8));
    copyBits(data, r.position, ascLength, bits, 0);
    r.skip(ascLength); // the config and its fillBits
    // The config proper ends before the fill bits: where its syntax ends, or after a sync extension.
    const core = new BitReader(bits, 0, path);
    asc = readAudioSpecificConfig(core, path, false);
    let used = core.position;
    if (ascLength - used >= 16 && peek11(bits, used) === 0x2b7) {
      const full = new BitReader(bits.subarray(0, Math.ceil(ascLength / 8)), 0, path);
      asc = readAudioSpecificConfig(full, path, true);
      used = Math.min(ascLength, full.position);
    }
    config = new Uint8Array(Math.ceil(used / 8));
    copyBits(bits, 0, used, config, 0);
  } else {
    const start = r.position;
    asc = readAudioSpecificConfig(r, path, false);
    config = new Uint8Array(Math.ceil((r.position - start) / 8));
    copyBits(data, start, r.position - start, config, 0);
  }
  const frameLengthType = r.bits(3);
  let frameLength = 0;
  if (frameLengthType === 0) r.skip(8); // latmBufferFullness
  else if (frameLengthType === 1) frameLength = r.bits(9);
  else return undefined; // CELP / HVXC framing
  const otherDataPresent = r.flag();
  let otherDataLenBits = 0;
  if (otherDataPresent) {
    if (audioMuxVersion === 1) otherDataLenBits = latmValue(r);
    else {
      let esc: boolean;
      do {
        esc = r.flag();
        otherDataLenBits = otherDataLenBits * 256 + r.bits(8);
      } while (esc);
    }
  }
  if (r.flag()) r.skip(8); // crcCheckSum
  return { asc, config, numSubFrames, frameLengthType, frameLength, otherDataPresent, otherDataLenBits };
}

/**
 * LOAS frames of a LATM elementary stream → raw AAC frames, copied into a buffer of their own
 * (`scan.data`). Frames before the first StreamMuxConfig, cut frames and garbage are skipped and
 * counted; resync is on the LOAS syncword.
 */
export function scanLatm(es: Uint8Array, carried?: { config?: MuxConfig }): AudioScan & { data: Uint8Array } {
  const out = new Uint8Array(es.length);
  let o = 0;
  const frames: AudioFrame[] = [];
  const descriptions = new Map<string, SampleDescription>();
  // A stream demuxed in parts (the transmuxer's windows) starts with the config its previous part ended with:
  // frames that use the same StreamMuxConfig (useSameStreamMux) are readable without waiting for a repeat.
  let config: MuxConfig | undefined = carried?.config;
  let skippedBytes = 0;
  let p = 0;
  let synced = false;
  const isSync = (q: number): boolean => q + 3 <= es.length && es[q] === 0x56 && (es[q + 1]! & 0xe0) === 0xe0;
  while (p < es.length) {
    const len = isSync(p) ? 3 + (((es[p + 1]! & 0x1f) << 8) | es[p + 2]!) : 0;
    // A frame is trusted when another syncword (or the end) follows it, or when already in sync.
    if (len <= 3 || p + len > es.length || !(synced || p + len === es.length || isSync(p + len))) {
      synced = false;
      skippedBytes++;
      p++;
      continue;
    }
    synced = true;
    const body = es.subarray(p + 3, p + len);
    const path = `latm@${p}`;
    const o0 = o;
    const taken = frames.length;
    try {
      const r = new BitReader(body, p + 3, path);
      if (!r.flag()) config = readStreamMuxConfig(r, body, path) ?? undefined; // useSameStreamMux = 0
      if (!config) throw new BoxwrightError('UNSUPPORTED_CODEC', 'LATM frame without a StreamMuxConfig we read', p, path);
      const c = config;
      const key = Array.from(c.config, (b) => b.toString(16).padStart(2, '0')).join('');
      if (!descriptions.has(key)) {
        descriptions.set(key, {
          entryType: 'mp4a',
          format: 'mp4a',
          codec: 'aac',
          latm: true,
          sampleRate: c.asc.sampleRate,
          channels: c.asc.channels || AAC_CHANNELS_BY_CONFIG[c.asc.channelConfiguration] || 0,
          config: { kind: 'aac', audioSpecificConfig: c.config },
        });
      }
      for (let sub = 0; sub <= c.numSubFrames; sub++) {
        let bytes: number;
        if (c.frameLengthType === 0) {
          bytes = 0;
          let t: number;
          do {
            t = r.bits(8);
            bytes += t;
          } while (t === 255);
        } else {
          bytes = (c.frameLength + 20) >> 3;
        }
        if (bytes * 8 > r.bitsLeft) throw new BoxwrightError('TRUNCATED', `LATM payload of ${bytes} bytes exceeds the frame`, p, path);
        copyBits(body, r.position, bytes * 8, out, o);
        r.skip(bytes * 8);
        frames.push({ start: p, payloadStart: o, end: o + bytes, samples: c.asc.frameLength ?? 1024, sampleRate: c.asc.sampleRate, key, packetSize: sub === 0 ? len : 0 });
        o += bytes;
      }
    } catch (e) {
      if (!(e instanceof BoxwrightError)) throw e;
      // Not a frame we can read: drop what it produced.
      frames.length = taken;
      o = o0;
      skippedBytes += len;
    }
    p += len;
  }
  if (carried && config) carried.config = config;
  return { frames, descriptions, skippedBytes, data: out.subarray(0, o) };
}
