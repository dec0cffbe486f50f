/**
 * Elementary-stream sources: how one track's samples become PES payloads, and what the PMT says
 * about the stream (stream_type, descriptors, PES stream_id).
 */
import type { Track } from '../../model/movie.js';
import { concatBytes } from '../../io/bytes.js';
import { sampleBytes } from '../../model/sample-bytes.js';
import type { ByteSink } from './packets.js';

/** One track prepared for carriage in MPEG-TS. */
export interface EsSource {
  /** §2.4.4.9 Table 2-34 stream_type (or a registered private value). */
  readonly streamType: number;
  /** PES stream_id (Table 2-22). */
  readonly streamId: number;
  /** Serialized ES_info descriptors for the PMT. */
  readonly descriptors: Uint8Array;
  /** Video: PES_packet_length 0, parameter sets on keyframes, PCR preferred on this PID. */
  readonly video: boolean;
  /** PES payload bytes of sample `i` (after any framing added for the TS). */
  size(i: number): number;
  /** Writes exactly {@link EsSource.size} bytes of sample `i`. */
  write(i: number, sink: ByteSink): void;
}


/** §2.6.8 registration_descriptor (tag 5) with a 4-character format_identifier. */
export function registrationDescriptor(formatIdentifier: string): Uint8Array {
  return Uint8Array.of(0x05, 4, ...Array.from(formatIdentifier, (c) => c.charCodeAt(0) & 0xff));
}

/** §2.6.18 ISO_639_language_descriptor (tag 10) for a 3-letter code, audio_type 0 (undefined); empty when the code is not 3 ASCII letters. */
export function languageDescriptor(language: string | undefined): Uint8Array {
  if (language === undefined || !/^[a-z]{3}$/i.test(language)) return new Uint8Array(0);
  return Uint8Array.of(0x0a, 4, language.charCodeAt(0), language.charCodeAt(1), language.charCodeAt(2), 0);
}

/** Concatenation of descriptors. */
export function concatDescriptors(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}

/** Frames carried as they are (MPEG audio, AC-3, E-AC-3: each sample is one self-synchronizing frame). */
export function passthroughSource(track: Track, streamType: number, streamId: number, descriptors: Uint8Array): EsSource {
  return {
    streamType,
    streamId,
    descriptors,
    video: false,
    size: (i) => track.samples.size[i]!,
    write: (i, sink) => sink.bytes(sampleBytes(track, i)),
  };
}
