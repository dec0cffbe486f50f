/**
 * Opus in MPEG-TS ("Encapsulation of Opus in MPEG-2 Transport Stream", opus-codec.org, as ffmpeg
 * writes it): stream_type 0x06 (PES private data), registration_descriptor 'Opus', an
 * extension descriptor with the channel_config_code, and an opus_control_header before every packet.
 */
import { BoxwrightError } from '../../io/errors.js';
import type { Track } from '../../model/movie.js';
import { dOpsInfo, type OpusHeader } from '../../model/codec/opus.js';
import { sampleBytes } from '../../model/sample-bytes.js';
import { concatDescriptors, languageDescriptor, registrationDescriptor, type EsSource } from './es-source.js';

/** Vorbis-order coupled stream counts per channel count (RFC 7845 §5.1.1.2), index = channels. */
const COUPLED = [1, 0, 1, 1, 2, 2, 2, 3, 3];
/** The channel mappings channel_config_code 1..8 implies (RFC 7845 §5.1.1.2 family 1). */
const MAPPING: readonly (readonly number[])[] = [
  [0],
  [0, 1],
  [0, 2, 1],
  [0, 1, 2, 3],
  [0, 4, 1, 2, 3],
  [0, 4, 1, 2, 3, 5],
  [0, 4, 1, 2, 3, 5, 6],
  [0, 6, 1, 2, 3, 4, 5, 7],
];

/**
 * channel_config_code of the Opus audio descriptor: the channel count for mapping family 0 (mono/stereo)
 * and for family 1 with the default Vorbis-order stream layout; anything else would need the extended
 * descriptor form, which we do not write (UNSUPPORTED_CODEC).
 */
export function opusChannelConfigCode(c: OpusHeader, path = 'dOps'): number {
  const n = c.outputChannelCount;
  if (c.channelMappingFamily === 0 && n >= 1 && n <= 2) return n;
  if (c.channelMappingFamily === 1 && n >= 1 && n <= 8) {
    const m = MAPPING[n - 1]!;
    const coupled = COUPLED[n]!;
    if (c.streamCount === n - coupled && c.coupledCount === coupled && c.channelMapping?.every((v, k) => v === m[k])) return n;
  }
  throw new BoxwrightError('UNSUPPORTED_CODEC', `codec opus (mapping family ${c.channelMappingFamily}, ${n} channels, non-default layout) cannot be carried in MPEG-TS`, 0, path);
}

/** Bytes of the opus_control_header for a packet of `size` bytes: prefix + flags (2), au_size (0xFF run + 1), start_trim (2). */
function controlHeaderSize(size: number, startTrim: boolean): number {
  return 2 + Math.floor(size / 255) + 1 + (startTrim ? 2 : 0);
}

/** An {@link EsSource} for Opus: every packet behind its control header; the first trims the pre-skip. */
export function opusSource(track: Track, streamId: number): EsSource {
  const path = `track ${track.id}/dOps`;
  const d = track.descriptions[0];
  if (d?.config?.kind !== 'opus') throw new BoxwrightError('BAD_VALUE', `Opus track ${track.id} has no dOps configuration`, 0, path);
  const cfg = dOpsInfo(d.config.dOps, 0, path);
  const code = opusChannelConfigCode(cfg, path);
  // start_trim counts 48 kHz samples to drop from the start of the first packet (at most its duration).
  const firstDuration = track.samples.count > 0 ? Math.round((track.samples.duration[0]! * 48000) / track.timescale) : 0;
  const startTrim = Math.min(cfg.preSkip, firstDuration, 0x1fff);
  const trims = (i: number): boolean => i === 0 && startTrim > 0;
  return {
    streamType: 0x06,
    streamId,
    descriptors: concatDescriptors(registrationDescriptor('Opus'), Uint8Array.of(0x7f, 2, 0x80, code), languageDescriptor(track.language)),
    video: false,
    size: (i) => controlHeaderSize(track.samples.size[i]!, trims(i)) + track.samples.size[i]!,
    write(i, sink) {
      const size = track.samples.size[i]!;
      const trim = trims(i);
      // opus_control_header_prefix 0x3FF (11 bits), start_trim_flag, end_trim_flag 0, control_extension_flag 0, 2 reserved bits.
      sink.u8(0x7f);
      sink.u8(0xe0 | (trim ? 0x10 : 0));
      for (let n = size; ; n -= 255) {
        if (n < 255) {
          sink.u8(n);
          break;
        }
        sink.u8(0xff);
      }
      if (trim) {
        sink.u8(startTrim >> 8); // 3 reserved bits (0), start_trim (13 bits)
        sink.u8(startTrim & 0xff);
      }
      sink.bytes(sampleBytes(track, i));
    },
  };
}
