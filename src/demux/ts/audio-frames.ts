/**
 * Audio elementary streams → frames: ADTS AAC (ISO/IEC 13818-7 §6.2 / 14496-3 §1.A.2), MPEG audio
 * (ISO/IEC 11172-3 §2.4.2.3), AC-3 / E-AC-3 (ATSC A/52 §5.3, Annex E) and Opus with the
 * opus_control_header of the Opus-in-MPEG-TS mapping (ETSI TS 102 366-like, Xiph "Opus in TS"
 * §3.1). Each scanner walks the stream, resyncs on the codec's syncword after garbage, and says
 * which bytes of every frame form the sample and how many audio samples it holds.
 */
import { BoxwrightError } from '../../io/errors.js';
import type { Dac3, Dec3, DOps, Ec3Substream } from '../../../boxes/families/audio-config.js';
import type { SampleDescription } from '../../model/movie.js';
import { buildAudioSpecificConfig, parseAdtsHeader, type AdtsHeader } from '../../model/codec/aac-asc.js';
import { AC3_BITRATES_KBPS, AC3_SAMPLE_RATES, parseAc3FrameHeader, type Ac3FrameHeader } from '../../model/codec/ac3.js';
import { parseMpegAudioHeader, type MpegAudioHeader } from '../../model/codec/mp3.js';
import { scanLatm, type MuxConfig } from './latm.js';
import type { EsFormat } from './stream-types.js';

/** One audio frame found in the elementary stream (offsets into it). */
export interface AudioFrame {
  /** Where the frame (its header) starts: what PES timestamps are matched against. */
  start: number;
  /** The sample bytes [payloadStart, end). */
  payloadStart: number;
  end: number;
  /** Audio samples per channel in the frame, at `sampleRate`. */
  samples: number;
  sampleRate: number;
  /** Identity of the frame's stream parameters: a change starts a new sample description. */
  key: string;
  /** ffprobe's packet size when not end − start (LATM: the LOAS frame; its payload offsets are in another buffer). */
  packetSize?: number;
}

/** The frames of a stream and the description for each parameter key. */
export interface AudioScan {
  frames: AudioFrame[];
  descriptions: Map<string, SampleDescription>;
  /** Bytes that were not part of any frame (garbage, cut frames). */
  skippedBytes: number;
  /** The bytes the frames' payload offsets point into, when not the elementary stream (LATM: realigned copies). */
  data?: Uint8Array;
}

/** Runs a header parser; a BoxwrightError (not a frame here) becomes undefined. */
function tryParse<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof BoxwrightError) return undefined;
    throw e;
  }
}

/**
 * What a scanner does with a frame cut by the end of the stream: 'drop' it (a stream that goes on: the transmuxer's
 * windows), or keep it as a 'partial' frame whose `end` lies past the stream's end (a whole file cut short; writers
 * drop such a sample, probe lists it with the bytes that are there).
 */
export type AudioTail = 'drop' | 'partial';

/** Fewer bytes than any of the scanned formats' longest frame header (ADTS with CRC: 9; AC-3 fields read: < 16). */
const PARTIAL_HEADER_BYTES = 16;

/** A syncword test and a header parser for one frame format. */
interface Framing<H> {
  isSync: (es: Uint8Array, p: number) => boolean;
  parse: (es: Uint8Array, p: number) => H | undefined;
  /** Total frame length in bytes (header included), > 0. */
  length: (h: H) => number;
}

/**
 * Walks frames: at a syncword with a valid header the frame is taken; otherwise one byte is skipped.
 * After skipping (and at the start) a frame is trusted only if another syncword, or the end of the
 * stream, follows it — random bytes that look like a header are then not taken for a frame.
 * A frame cut by the end of the stream is dropped, unless `tail` is 'partial': then a frame that follows a frame
 * and whose header is whole is taken with its declared length (its end past the end of `es`), as ffmpeg's parsers
 * return the last bytes of a file cut inside a frame. Always advances.
 */
function walk<H>(es: Uint8Array, f: Framing<H>, take: (h: H, p: number, len: number) => void, tail: AudioTail = 'drop'): number {
  let p = 0;
  let skipped = 0;
  let synced = false;
  let last: { h: H; len: number } | undefined;
  while (p < es.length) {
    const h = f.isSync(es, p) ? f.parse(es, p) : undefined;
    const len = h === undefined ? 0 : f.length(h);
    if (h !== undefined && len > 0 && p + len <= es.length && (synced || p + len === es.length || f.isSync(es, p + len))) {
      take(h, p, len);
      last = { h, len };
      p += len;
      synced = true;
      continue;
    }
    if (tail === 'partial' && synced && last !== undefined) {
      // The bytes after the last whole frame, cut by the end: a whole header with its declared length, or a syncword
      // with too few bytes for a header read as the frame before it. ffmpeg's parser returns them at the end either way.
      if (h !== undefined && len > 0 && p + len > es.length) {
        take(h, p, len);
        break;
      }
      if (h === undefined && es.length - p < PARTIAL_HEADER_BYTES && f.isSync(es, p)) {
        take(last.h, p, Math.max(last.len, es.length - p + 1));
        break;
      }
    }
    synced = false;
    skipped++;
    p++;
  }
  return skipped;
}

/** 14496-3 Table 1.19: channelConfiguration → channels (7 is 7.1: 8 channels). */
const AAC_CHANNELS = [0, 1, 2, 3, 4, 5, 6, 8];

/** ADTS frames: the sample is the raw_data_block(s) after the 7-byte header (9 with CRC). */
export function scanAdts(es: Uint8Array, tail: AudioTail = 'drop'): AudioScan {
  const frames: AudioFrame[] = [];
  const descriptions = new Map<string, SampleDescription>();
  const framing: Framing<AdtsHeader> = {
    isSync: (b, p) => b[p] === 0xff && p + 1 < b.length && (b[p + 1]! & 0xf6) === 0xf0,
    parse: (b, p) => tryParse(() => parseAdtsHeader(b, p)),
    length: (h) => h.frameLength,
  };
  const skippedBytes = walk(es, framing, (h, p, len) => {
    const key = `${h.objectType}/${h.samplingFrequencyIndex}/${h.channelConfiguration}`;
    if (!descriptions.has(key)) {
      const d: SampleDescription = { entryType: 'mp4a', format: 'mp4a', codec: 'aac', sampleRate: h.sampleRate, channels: AAC_CHANNELS[h.channelConfiguration]! };
      const asc = tryParse(() => buildAudioSpecificConfig(h));
      if (asc) d.config = { kind: 'aac', audioSpecificConfig: asc };
      descriptions.set(key, d);
    }
    frames.push({ start: p, payloadStart: p + h.headerLength, end: p + len, samples: 1024 * h.numberOfRawDataBlocks, sampleRate: h.sampleRate, key });
  }, tail);
  return { frames, descriptions, skippedBytes };
}

/** MPEG-1/2 audio frames (Layer I–III): the sample is the whole frame, header included (as in MP4). */
export function scanMpegAudio(es: Uint8Array, tail: AudioTail = 'drop'): AudioScan {
  const frames: AudioFrame[] = [];
  const descriptions = new Map<string, SampleDescription>();
  const framing: Framing<MpegAudioHeader> = {
    isSync: (b, p) => b[p] === 0xff && p + 1 < b.length && (b[p + 1]! & 0xe0) === 0xe0,
    parse: (b, p) => tryParse(() => parseMpegAudioHeader(b, p)),
    length: (h) => h.frameLength ?? 0,
  };
  const skippedBytes = walk(es, framing, (h, p, len) => {
    const key = `${h.version}/${h.layer}/${h.sampleRate}/${h.channels}`;
    if (!descriptions.has(key)) {
      const codec = h.layer === 3 ? 'mp3' : h.layer === 2 ? 'mp2' : 'mp1';
      descriptions.set(key, { entryType: '.mp3', format: '.mp3', codec, sampleRate: h.sampleRate, channels: h.channels });
    }
    frames.push({ start: p, payloadStart: p, end: p + len, samples: h.samplesPerFrame, sampleRate: h.sampleRate, key });
  }, tail);
  return { frames, descriptions, skippedBytes };
}

/** The `dac3` value (ETSI TS 102 366 §F.4) of an AC-3 frame header. */
function dac3Of(h: Ac3FrameHeader): Dac3 {
  const fscod = AC3_SAMPLE_RATES.indexOf(h.sampleRate);
  const brc = AC3_BITRATES_KBPS.indexOf(h.bitRate / 1000);
  return { fscod, bsid: h.bsid & 0x1f, bsmod: h.bsmod & 7, acmod: h.acmod & 7, lfeon: h.lfeon ? 1 : 0, bitRateCode: Math.max(0, brc) };
}

/** The `dec3` value (ETSI TS 102 366 §F.6) for one independent substream with `dependents` dependent ones. */
function dec3Of(h: Ac3FrameHeader, dependents: number): Dec3 {
  // E-AC-3 with reduced sample rates (fscod 3) is signalled with fscod2 in the frame; dec3 keeps fscod 3 rates out.
  const fscod = Math.max(0, AC3_SAMPLE_RATES.indexOf(h.sampleRate));
  const numDepSub = Math.min(15, dependents);
  const sub: Ec3Substream = { fscod, bsid: h.bsid & 0x1f, asvc: 0, bsmod: h.bsmod & 7, acmod: h.acmod & 7, lfeon: h.lfeon ? 1 : 0, numDepSub };
  // chan_loc of the dependent substreams is not derived here (left 0).
  if (numDepSub > 0) sub.chanLoc = 0;
  return { dataRate: Math.min(0x1fff, Math.round(h.bitRate / 1000)), independentSubstreams: [sub] };
}

/**
 * AC-3 and E-AC-3 sync frames: the sample is the whole frame. E-AC-3 dependent substream frames
 * (strmtyp 1) join the frame before them, as ffmpeg's parser and the MP4 `ec-3` sample format do.
 */
export function scanAc3(es: Uint8Array, format: 'ac3' | 'eac3', tail: AudioTail = 'drop'): AudioScan {
  const frames: AudioFrame[] = [];
  const descriptions = new Map<string, SampleDescription>();
  const heads = new Map<string, { h: Ac3FrameHeader; dependents: number }>();
  const framing: Framing<Ac3FrameHeader> = {
    isSync: (b, p) => b[p] === 0x0b && p + 1 < b.length && b[p + 1] === 0x77,
    parse: (b, p) => tryParse(() => parseAc3FrameHeader(b, p)),
    length: (h) => h.frameSize,
  };
  let depsInFrame = 0;
  const skippedBytes = walk(es, framing, (h, p, len) => {
    const last = frames[frames.length - 1];
    if (h.codec === 'eac3' && h.streamType === 1 && last && last.end === p) {
      last.end = p + len;
      depsInFrame++;
      const e = heads.get(last.key);
      if (e && depsInFrame > e.dependents) e.dependents = depsInFrame;
      return;
    }
    depsInFrame = 0;
    const key = `${h.codec}/${h.sampleRate}/${h.acmod}/${h.lfeon}/${h.bsid}`;
    if (!heads.has(key)) heads.set(key, { h, dependents: 0 });
    frames.push({ start: p, payloadStart: p, end: p + len, samples: h.samples, sampleRate: h.sampleRate, key });
  }, tail);
  for (const [key, { h, dependents }] of heads) {
    const eac3 = h.codec === 'eac3' || format === 'eac3';
    descriptions.set(key, {
      entryType: eac3 ? 'ec-3' : 'ac-3',
      format: eac3 ? 'ec-3' : 'ac-3',
      codec: eac3 ? 'eac3' : 'ac3',
      sampleRate: h.sampleRate,
      channels: h.channels,
      config: h.codec === 'eac3' ? { kind: 'eac3', dec3: dec3Of(h, dependents) } : { kind: 'ac3', dac3: dac3Of(h) },
    });
  }
  return { frames, descriptions, skippedBytes };
}

/** RFC 6716 §3.1: samples at 48 kHz of an Opus packet from its TOC byte (and frame count byte). */
export function opusPacketSamples(packet: Uint8Array): number {
  if (packet.length === 0) return 0;
  const toc = packet[0]!;
  const config = toc >> 3;
  // Frame size in 1/400 s units (2.5 ms = 120 samples at 48 kHz).
  let size: number;
  if (config < 12) size = [480, 960, 1920, 2880][config & 3]!;
  else if (config < 16) size = [480, 960][config & 1]!;
  else size = [120, 240, 480, 960][config & 3]!;
  const code = toc & 3;
  const count = code === 0 ? 1 : code === 3 ? (packet.length > 1 ? packet[1]! & 0x3f : 0) : 2;
  return size * count;
}

/** ffmpeg's defaults for channel_config_code 0..8 (mpegts.c): streams, coupled streams, mapping. */
const OPUS_STREAMS = [2, 1, 1, 2, 2, 3, 4, 4, 5];
const OPUS_COUPLED = [0, 0, 1, 1, 2, 2, 2, 3, 3];
const OPUS_MAPS: readonly (readonly number[])[] = [
  [0], [0, 1], [0, 2, 1], [0, 1, 2, 3], [0, 4, 1, 2, 3], [0, 4, 1, 2, 3, 5], [0, 4, 1, 2, 3, 5, 6], [0, 6, 1, 2, 3, 4, 5, 7],
];

/**
 * The `dOps` value (Opus in ISOBMFF §4.3.2) for an Opus-in-TS channel_config_code (Opus audio descriptor):
 * 1–2 channels use mapping family 0, 3–8 family 1 (Vorbis order), 0 is dual mono (family 255, 2 streams).
 */
export function opusDOps(channelConfigCode: number | undefined): { dOps: DOps; channels: number } {
  const code = channelConfigCode !== undefined && channelConfigCode <= 8 ? channelConfigCode : 2;
  const channels = code === 0 ? 2 : code;
  const family = code === 0 ? 255 : channels > 2 ? 1 : 0;
  const dOps: DOps = { outputChannelCount: channels, preSkip: 0, inputSampleRate: 48000, outputGain: 0, channelMappingFamily: family };
  if (family !== 0) {
    dOps.streamCount = OPUS_STREAMS[code]!;
    dOps.coupledCount = OPUS_COUPLED[code]!;
    dOps.channelMapping = Uint8Array.from(code === 0 ? [0, 1] : OPUS_MAPS[channels - 1]!);
  }
  return { dOps, channels };
}

/**
 * Opus access units: opus_control_header (11-bit prefix 0x3FF, trim and extension flags, au_size in
 * 0xFF-continued bytes, optional start/end trim and extension) followed by one Opus packet, which
 * is the sample. The control header is what resyncs.
 */
export function scanOpus(es: Uint8Array, channelConfigCode: number | undefined): AudioScan {
  const frames: AudioFrame[] = [];
  const { dOps, channels } = opusDOps(channelConfigCode);
  const descriptions = new Map<string, SampleDescription>([['opus', { entryType: 'Opus', format: 'Opus', codec: 'opus', sampleRate: 48000, channels, config: { kind: 'opus', dOps } }]]);
  interface Control {
    headerLength: number;
    auSize: number;
  }
  const framing: Framing<Control> = {
    isSync: (b, p) => b[p] === 0x7f && p + 1 < b.length && (b[p + 1]! & 0xe0) === 0xe0,
    parse: (b, p) => {
      const flags = b[p + 1]!;
      let q = p + 2;
      let auSize = 0;
      for (;;) {
        if (q >= b.length) return undefined;
        const v = b[q++]!;
        auSize += v;
        if (v !== 0xff) break;
      }
      if (flags & 0x10) q += 2; // start_trim
      if (flags & 0x08) q += 2; // end_trim
      if (flags & 0x04) {
        if (q >= b.length) return undefined;
        q += 1 + b[q]!; // control_extension_length + bytes
      }
      return { headerLength: q - p, auSize };
    },
    length: (c) => (c.auSize > 0 ? c.headerLength + c.auSize : 0),
  };
  const skippedBytes = walk(es, framing, (c, p, len) => {
    const payloadStart = p + c.headerLength;
    // ffmpeg returns the Opus packet without its control header.
    frames.push({ start: p, payloadStart, end: p + len, samples: opusPacketSamples(es.subarray(payloadStart, p + len)), sampleRate: 48000, key: 'opus', packetSize: p + len - payloadStart });
  });
  return { frames, descriptions, skippedBytes };
}

/** The scanner for an audio format. */
export function scanAudio(format: EsFormat, es: Uint8Array, opusChannelConfig?: number, latm?: { config?: MuxConfig }, tail: AudioTail = 'drop'): AudioScan | undefined {
  switch (format) {
    case 'aac':
      return scanAdts(es, tail);
    case 'latm':
      return scanLatm(es, latm);
    case 'mp3':
      return scanMpegAudio(es, tail);
    case 'ac3':
    case 'eac3':
      return scanAc3(es, format, tail);
    case 'opus':
      return scanOpus(es, opusChannelConfig);
    default:
      return undefined;
  }
}

/** How much of a stream {@link sniffAudio} looks at. */
export const SNIFF_BYTES = 16384;

/**
 * The audio format of a stream whose PMT entry names none, from its first bytes: the first of ADTS
 * AAC, MPEG audio, AC-3 / E-AC-3 and LOAS whose frames fill most of them; undefined for none.
 */
export function sniffAudio(es: Uint8Array): EsFormat | undefined {
  const head = es.subarray(0, SNIFF_BYTES);
  for (const format of ['aac', 'mp3', 'ac3', 'latm'] as const) {
    const scan = scanAudio(format, head);
    if (!scan || scan.frames.length < 2 || scan.skippedBytes * 4 > head.length) continue;
    if (format === 'ac3' && [...scan.descriptions.values()][0]?.codec === 'eac3') return 'eac3';
    return format;
  }
  return undefined;
}
