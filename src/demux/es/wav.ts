/**
 * WAVE files (RIFF, RF64 / BW64 with `ds64`) holding PCM → {@link Movie}.
 *
 * References: Microsoft "Multimedia Programming Interface and Data Specifications 1.0" (RIFF, fmt),
 * WAVEFORMATEXTENSIBLE (mmreg.h / ksmedia.h), EBU Tech 3306 (RF64, ds64) and ITU-R BS.2088 (BW64).
 */
import { BoxwrightError } from '../../io/errors.js';
import type { Movie, SampleDescription } from '../../model/movie.js';
import { SampleTableBuilder, SYNC } from '../../model/sample-table.js';
import { esMovie } from './track.js';

const PATH = 'wav';

/** wFormatTag values we read (mmreg.h). */
export const WAVE_FORMAT = { PCM: 1, IEEE_FLOAT: 3, ALAW: 6, MULAW: 7, EXTENSIBLE: 0xfffe } as const;

/**
 * Bytes per packet, as ffmpeg's wav demuxer (wavdec.c, option max_size = 4096): 4096 rounded down to
 * whole sample frames (block_align), at least one frame. ffprobe's packets are therefore 1024 frames of
 * 16-bit stereo, 512 of 32-bit stereo, and so on; the last one holds what is left.
 */
export const WAV_PACKET_BYTES = 4096;

/** The `fmt ` chunk, resolved to the PCM layout it describes. */
export interface WavFormat {
  /** wFormatTag, or the SubFormat's tag for WAVE_FORMAT_EXTENSIBLE. */
  formatTag: number;
  extensible: boolean;
  channels: number;
  sampleRate: number;
  /** nBlockAlign as stored. */
  blockAlign: number;
  /** wBitsPerSample as stored (the container size may be larger: 20 bits in 3 bytes). */
  bitsPerSample: number;
  /** wValidBitsPerSample of WAVEFORMATEXTENSIBLE. */
  validBitsPerSample?: number;
  /** dwChannelMask of WAVEFORMATEXTENSIBLE (same bit order as ffmpeg's AV_CH_* for the first 18). */
  channelMask?: number;
  /** ffprobe codec_name. */
  codec: string;
  /** Sample entry fourcc we would write in MP4/MOV. */
  entryType: string;
  pcm: NonNullable<SampleDescription['pcm']>;
}

/** KSDATAFORMAT_SUBTYPE_* GUIDs end with these 12 bytes (…-0000-0010-8000-00AA00389B71, stored little-endian). */
const KSDATAFORMAT_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

const u16 = (d: Uint8Array, p: number): number => d[p]! | (d[p + 1]! << 8);
const u32 = (d: Uint8Array, p: number): number => d[p]! + d[p + 1]! * 2 ** 8 + d[p + 2]! * 2 ** 16 + d[p + 3]! * 2 ** 24;
const fourcc = (d: Uint8Array, p: number): string => String.fromCharCode(d[p]!, d[p + 1]!, d[p + 2]!, d[p + 3]!);

/** 64-bit little-endian size of a ds64 chunk; sizes past 2^53 are rejected (no real file reaches them). */
function u64(d: Uint8Array, p: number): number {
  const hi = u32(d, p + 4);
  if (hi >= 2 ** 21) throw new BoxwrightError('TOO_LARGE', `ds64 size ${hi} × 2^32 does not fit a safe integer`, p, `${PATH}/ds64`);
  return hi * 2 ** 32 + u32(d, p);
}

/**
 * ffprobe codec name and the MP4/MOV sample entry for a PCM layout. Entries follow ffmpeg's MOV muxer:
 * 'sowt' (16-bit little-endian), 'raw ' (unsigned 8-bit), 'alaw'/'ulaw', and 'in24', 'in32', 'fl32',
 * 'fl64' for 24/32-bit integer and 32/64-bit float — those four are big-endian unless the entry carries
 * a QuickTime 'enda' atom = 1, which a writer must add since WAV samples are little-endian (`pcm.littleEndian`).
 */
function pcmCodec(tag: number, bytes: number): { codec: string; entryType: string } | undefined {
  if (tag === WAVE_FORMAT.ALAW && bytes === 1) return { codec: 'pcm_alaw', entryType: 'alaw' };
  if (tag === WAVE_FORMAT.MULAW && bytes === 1) return { codec: 'pcm_mulaw', entryType: 'ulaw' };
  if (tag === WAVE_FORMAT.IEEE_FLOAT) {
    if (bytes === 4) return { codec: 'pcm_f32le', entryType: 'fl32' };
    if (bytes === 8) return { codec: 'pcm_f64le', entryType: 'fl64' };
    return undefined;
  }
  if (tag === WAVE_FORMAT.PCM) {
    // ffmpeg (ff_get_pcm_codec_id): 8-bit WAV PCM is unsigned, wider is signed.
    if (bytes === 1) return { codec: 'pcm_u8', entryType: 'raw ' };
    if (bytes === 2) return { codec: 'pcm_s16le', entryType: 'sowt' };
    if (bytes === 3) return { codec: 'pcm_s24le', entryType: 'in24' };
    if (bytes === 4) return { codec: 'pcm_s32le', entryType: 'in32' };
  }
  return undefined;
}

/** Parses a `fmt ` chunk body (`size` bytes at `p`). Throws BAD_VALUE / UNSUPPORTED_CODEC / TRUNCATED. */
export function parseWavFormat(d: Uint8Array, p: number, size: number): WavFormat {
  const path = `${PATH}/fmt `;
  if (size < 16 || p + 16 > d.length) throw new BoxwrightError('TRUNCATED', `fmt chunk of ${size} bytes is shorter than 16`, p, path);
  let formatTag = u16(d, p);
  const channels = u16(d, p + 2);
  const sampleRate = u32(d, p + 4);
  const blockAlign = u16(d, p + 12);
  const bitsPerSample = u16(d, p + 14);
  const extensible = formatTag === WAVE_FORMAT.EXTENSIBLE;
  let validBitsPerSample: number | undefined;
  let channelMask: number | undefined;
  if (extensible) {
    // WAVEFORMATEXTENSIBLE: cbSize ≥ 22, wValidBitsPerSample, dwChannelMask, SubFormat GUID.
    if (size < 40 || p + 40 > d.length) throw new BoxwrightError('TRUNCATED', 'WAVE_FORMAT_EXTENSIBLE fmt chunk shorter than 40 bytes', p, path);
    validBitsPerSample = u16(d, p + 18);
    channelMask = u32(d, p + 20);
    const guid = p + 24;
    if (!KSDATAFORMAT_TAIL.every((b, i) => d[guid + 2 + i] === b)) {
      throw new BoxwrightError('UNSUPPORTED_CODEC', 'WAVE_FORMAT_EXTENSIBLE SubFormat is not a KSDATAFORMAT_SUBTYPE GUID', guid, path);
    }
    formatTag = u16(d, guid);
  }
  if (channels === 0) throw new BoxwrightError('BAD_VALUE', 'fmt nChannels is 0', p + 2, path);
  if (sampleRate === 0) throw new BoxwrightError('BAD_VALUE', 'fmt nSamplesPerSec is 0', p + 4, path);
  if (bitsPerSample === 0) throw new BoxwrightError('BAD_VALUE', 'fmt wBitsPerSample is 0', p + 14, path);
  const bytes = Math.ceil(bitsPerSample / 8);
  const codec = pcmCodec(formatTag, bytes);
  if (!codec) throw new BoxwrightError('UNSUPPORTED_CODEC', `WAV format tag 0x${formatTag.toString(16)} with ${bitsPerSample} bits`, p, path);
  const pcm: WavFormat['pcm'] = { bitsPerSample: bytes * 8, littleEndian: true, float: formatTag === WAVE_FORMAT.IEEE_FLOAT };
  if (formatTag === WAVE_FORMAT.ALAW) pcm.companding = 'alaw';
  if (formatTag === WAVE_FORMAT.MULAW) pcm.companding = 'ulaw';
  const out: WavFormat = { formatTag, extensible, channels, sampleRate, blockAlign, bitsPerSample, ...codec, pcm };
  if (validBitsPerSample !== undefined) out.validBitsPerSample = validBitsPerSample;
  if (channelMask !== undefined) out.channelMask = channelMask;
  return out;
}

/** Where the fmt and data chunks are. */
interface WavLayout {
  format: WavFormat;
  dataStart: number;
  dataEnd: number;
}

/** Walks the RIFF chunks (word-aligned: an odd-sized chunk is followed by a pad byte). */
function layoutOf(d: Uint8Array): WavLayout {
  if (d.length < 12) throw new BoxwrightError('TRUNCATED', 'RIFF header needs 12 bytes', 0, PATH);
  const riff = fourcc(d, 0);
  if ((riff !== 'RIFF' && riff !== 'RF64' && riff !== 'BW64') || fourcc(d, 8) !== 'WAVE') {
    throw new BoxwrightError('UNSUPPORTED_FORMAT', 'not a RIFF/RF64 WAVE file', 0, PATH);
  }
  let ds64DataSize: number | undefined;
  let format: WavFormat | undefined;
  let p = 12;
  while (p + 8 <= d.length) {
    const id = fourcc(d, p);
    const size = u32(d, p + 4);
    const body = p + 8;
    if (id === 'ds64') {
      // EBU Tech 3306 §3: riffSize, dataSize, sampleCount (64-bit each), table.
      if (body + 16 > d.length || size < 16) throw new BoxwrightError('TRUNCATED', 'ds64 chunk shorter than 16 bytes', p, `${PATH}/ds64`);
      ds64DataSize = u64(d, body + 8);
    } else if (id === 'fmt ') {
      format = parseWavFormat(d, body, Math.min(size, d.length - body));
    } else if (id === 'data') {
      if (!format) throw new BoxwrightError('BAD_VALUE', 'data chunk before the fmt chunk', p, `${PATH}/data`);
      // 0xFFFFFFFF: the real size is in ds64 (RF64) or unknown (streamed); 0: a writer that never came back.
      let dataSize = size === 0xffffffff && ds64DataSize !== undefined ? ds64DataSize : size;
      if (size === 0 || size === 0xffffffff && ds64DataSize === undefined) dataSize = d.length - body;
      return { format, dataStart: body, dataEnd: Math.min(d.length, body + dataSize) };
    }
    p = body + size + (size & 1);
  }
  throw new BoxwrightError(format ? 'TRUNCATED' : 'BAD_VALUE', format ? 'no data chunk' : 'no fmt chunk', p, PATH);
}

/** The `fmt ` chunk of a WAVE file (e.g. for the WAVE_FORMAT_EXTENSIBLE channel mask). Throws like {@link demuxWav}. */
export function readWavFormat(data: Uint8Array): WavFormat {
  return layoutOf(data).format;
}

/**
 * Demuxes a WAVE file. PCM (1), IEEE float (3), A-law (6), µ-law (7) and WAVE_FORMAT_EXTENSIBLE with one of
 * those as SubFormat. Samples are packets of ⌊4096 / frame⌋ sample frames, the last one shorter (the bytes
 * ffprobe reports); a trailing partial frame stays in the last packet but adds no duration.
 * The frame size is channels × ⌈wBitsPerSample / 8⌉ (what a decoder consumes), not the stored nBlockAlign.
 * Timescale = sample rate. The channel mask of an extensible header is the description's `channelMask`.
 * Throws {@link BoxwrightError}: UNSUPPORTED_FORMAT (not WAVE), UNSUPPORTED_CODEC (other format tags), BAD_VALUE, TRUNCATED.
 */
export function demuxWav(data: Uint8Array): Movie {
  const { format, dataStart, dataEnd } = layoutOf(data);
  const frameBytes = format.channels * (format.pcm.bitsPerSample / 8);
  const packetBytes = Math.max(frameBytes, WAV_PACKET_BYTES - (WAV_PACKET_BYTES % frameBytes));
  const table = new SampleTableBuilder(Math.max(1, Math.min(1 << 16, Math.ceil((dataEnd - dataStart) / packetBytes))));
  let dts = 0;
  for (let p = dataStart; p < dataEnd; p += packetBytes) {
    const size = Math.min(packetBytes, dataEnd - p);
    const duration = Math.floor(size / frameBytes);
    table.push(dts, 0, duration, size, p, SYNC, 0);
    dts += duration;
  }
  const description: SampleDescription = {
    entryType: format.entryType,
    format: format.entryType,
    codec: format.codec,
    sampleRate: format.sampleRate,
    channels: format.channels,
    sampleSize: format.pcm.bitsPerSample,
    pcm: format.pcm,
    avgBitrate: format.sampleRate * frameBytes * 8,
  };
  if (format.channelMask !== undefined) description.channelMask = format.channelMask;
  return esMovie({ container: 'wav', description, timescale: format.sampleRate, samples: table.build(), data });
}
