/**
 * Raw AAC frames → ADTS frames (ISO/IEC 13818-7 / 14496-3 §1.A.2), the only AAC framing stream_type
 * 0x0F carries (ISO/IEC 13818-1 Table 2-34: "ISO/IEC 13818-7 Audio with ADTS transport syntax").
 */
import { BoxwrightError } from '../../io/errors.js';
import type { Track } from '../../model/movie.js';
import { parseAudioSpecificConfig } from '../../model/codec/aac-asc.js';
import { sampleBytes } from '../../model/sample-bytes.js';
import type { EsSource } from './es-source.js';

/** The ADTS header without CRC is 7 bytes. */
export const ADTS_HEADER_SIZE = 7;
/** aac_frame_length is 13 bits and includes the header. */
const MAX_FRAME = 0x1fff;

/** The fixed ADTS header fields derived from an AudioSpecificConfig. */
export interface AdtsFields {
  /** ADTS profile_ObjectType = audioObjectType − 1 (2 bits: Main, LC, SSR, LTP). */
  profile: number;
  samplingFrequencyIndex: number;
  channelConfiguration: number;
}

/**
 * ADTS fields for an AudioSpecificConfig. Explicitly signalled SBR/PS (HE-AAC) maps to its core
 * object type and core sampling rate: ADTS then signals it implicitly, as ffmpeg does. Configurations
 * ADTS cannot express (object types above 4, an explicit 24-bit rate, a program_config_element)
 * throw UNSUPPORTED_CODEC.
 */
export function adtsFields(asc: Uint8Array, path = 'esds'): AdtsFields {
  const c = parseAudioSpecificConfig(asc, 0, path);
  const fail = (why: string): never => {
    throw new BoxwrightError('UNSUPPORTED_CODEC', `codec aac (${why}) cannot be carried in MPEG-TS (ADTS)`, 0, path);
  };
  if (c.objectType < 1 || c.objectType > 4) fail(`audio object type ${c.objectType}`);
  if (c.samplingFrequencyIndex > 12) fail('explicit sampling frequency');
  if (c.channelConfiguration === 0 || c.channelConfiguration > 7) fail(`channelConfiguration ${c.channelConfiguration}`);
  return { profile: c.objectType - 1, samplingFrequencyIndex: c.samplingFrequencyIndex, channelConfiguration: c.channelConfiguration };
}

/**
 * The 7-byte ADTS header (§1.A.2.2.1) for a raw frame of `payloadSize` bytes: ID 0 (MPEG-4), layer 0,
 * protection_absent 1, adts_buffer_fullness 0x7FF (variable rate), one raw_data_block.
 */
export function adtsHeader(f: AdtsFields, payloadSize: number): Uint8Array {
  const len = ADTS_HEADER_SIZE + payloadSize;
  if (len > MAX_FRAME) throw new BoxwrightError('BAD_VALUE', `AAC frame of ${payloadSize} bytes exceeds the 13-bit aac_frame_length`, 0, 'adts');
  return Uint8Array.of(
    0xff,
    0xf1,
    (f.profile << 6) | (f.samplingFrequencyIndex << 2) | (f.channelConfiguration >> 2),
    ((f.channelConfiguration & 3) << 6) | (len >> 11),
    (len >> 3) & 0xff,
    ((len & 7) << 5) | 0x1f,
    0xfc,
  );
}

/** An {@link EsSource} for AAC: each raw frame behind its ADTS header, one frame per PES. */
export function adtsSource(track: Track, streamType: number, streamId: number, descriptors: Uint8Array): EsSource {
  const path = `track ${track.id}`;
  const fields = track.descriptions.map((d, k) => {
    if (d.config?.kind !== 'aac') throw new BoxwrightError('BAD_VALUE', `AAC track ${track.id} has no AudioSpecificConfig (sample description ${k})`, 0, path);
    return adtsFields(d.config.audioSpecificConfig, `${path}/esds`);
  });
  return {
    streamType,
    streamId,
    descriptors,
    video: false,
    size(i) {
      const n = ADTS_HEADER_SIZE + track.samples.size[i]!;
      if (n > MAX_FRAME) throw new BoxwrightError('BAD_VALUE', `AAC frame ${i} of track ${track.id} (${n} bytes with header) exceeds the 13-bit aac_frame_length`, track.samples.offset[i]!, path);
      return n;
    },
    write(i, sink) {
      const f = fields[track.samples.description[i]!];
      if (!f) throw new BoxwrightError('BAD_VALUE', `sample ${i} of track ${track.id} uses a missing sample description`, track.samples.offset[i]!, path);
      sink.bytes(adtsHeader(f, track.samples.size[i]!));
      sink.bytes(sampleBytes(track, i));
    },
  };
}
