/**
 * Which codecs MPEG-TS carries and how: stream_type (ISO/IEC 13818-1 §2.4.4.9 Table 2-34; ATSC A/52
 * Annex A and G for AC-3 / E-AC-3), PES stream_id (Table 2-22) and PMT descriptors.
 */
import { BoxwrightError } from '../../io/errors.js';
import type { Track } from '../../model/movie.js';
import { adtsSource } from './aac-adts.js';
import { concatDescriptors, languageDescriptor, passthroughSource, registrationDescriptor, type EsSource } from './es-source.js';
import { opusSource } from './opus-control.js';
import { STREAM_ID } from './pes.js';
import { annexBSource } from './video-annexb.js';

/** Codec ids {@link esSourceFor} accepts. */
export const TS_CODECS: readonly string[] = ['h264', 'hevc', 'aac', 'mp3', 'mp2', 'ac3', 'eac3', 'opus'];

/** Table 2-34 / ATSC stream_type values. */
export const STREAM_TYPE = {
  MPEG1_AUDIO: 0x03,
  MPEG2_AUDIO: 0x04,
  PRIVATE_PES: 0x06,
  AAC_ADTS: 0x0f,
  H264: 0x1b,
  HEVC: 0x24,
  AC3: 0x81,
  EAC3: 0x87,
} as const;

/**
 * The {@link EsSource} for a track, or UNSUPPORTED_CODEC ("codec X cannot be carried in MPEG-TS") when
 * the codec has no MPEG-TS mapping here. Every sample description must share the codec: a PID has one
 * stream_type.
 */
export function esSourceFor(track: Track): EsSource {
  const d0 = track.descriptions[0];
  const codec = d0?.codec ?? d0?.format ?? 'unknown';
  const path = `track ${track.id}`;
  if (track.kind !== 'video' && track.kind !== 'audio') {
    throw new BoxwrightError('UNSUPPORTED_CODEC', `codec ${codec} (${track.kind} track ${track.id}) cannot be carried in MPEG-TS`, 0, path);
  }
  const encrypted = track.descriptions.find((d) => d.protection);
  if (encrypted) {
    throw new BoxwrightError('UNSUPPORTED_CODEC', `codec ${codec} encrypted with ${encrypted.protection!.scheme} cannot be carried in MPEG-TS`, 0, path);
  }
  const other = track.descriptions.find((d) => (d.codec ?? d.format) !== codec);
  if (other) {
    throw new BoxwrightError('UNSUPPORTED_CODEC', `track ${track.id} switches codec from ${codec} to ${other.codec ?? other.format}: one MPEG-TS PID carries one codec`, 0, path);
  }
  const lang = track.kind === 'audio' ? languageDescriptor(track.language) : new Uint8Array(0);
  switch (codec) {
    case 'h264':
      return annexBSource(track, 'h264', STREAM_TYPE.H264, STREAM_ID.VIDEO, new Uint8Array(0));
    case 'hevc':
      // ffmpeg and HLS tooling also add the 'HEVC' registration descriptor; harmless to other demuxers.
      return annexBSource(track, 'hevc', STREAM_TYPE.HEVC, STREAM_ID.VIDEO, registrationDescriptor('HEVC'));
    case 'aac':
      return adtsSource(track, STREAM_TYPE.AAC_ADTS, STREAM_ID.AUDIO, lang);
    case 'mp3':
    case 'mp2': {
      // 11172-3 (MPEG-1) covers 32/44.1/48 kHz; the lower rates are 13818-3 (MPEG-2) extensions.
      const rate = d0?.sampleRate ?? 0;
      const type = rate > 0 && rate < 32000 ? STREAM_TYPE.MPEG2_AUDIO : STREAM_TYPE.MPEG1_AUDIO;
      return passthroughSource(track, type, STREAM_ID.AUDIO, lang);
    }
    case 'ac3':
      // ATSC A/52 Annex A: stream_type 0x81, private_stream_1, registration 'AC-3'.
      return passthroughSource(track, STREAM_TYPE.AC3, STREAM_ID.PRIVATE_1, concatDescriptors(registrationDescriptor('AC-3'), lang));
    case 'eac3':
      // ATSC A/52 Annex G: stream_type 0x87, private_stream_1, registration 'EAC3'.
      return passthroughSource(track, STREAM_TYPE.EAC3, STREAM_ID.PRIVATE_1, concatDescriptors(registrationDescriptor('EAC3'), lang));
    case 'opus':
      return opusSource(track, STREAM_ID.PRIVATE_1);
    default:
      throw new BoxwrightError('UNSUPPORTED_CODEC', `codec ${codec} cannot be carried in MPEG-TS`, 0, path);
  }
}
