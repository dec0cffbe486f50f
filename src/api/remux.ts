/** Public remux functions: `createFragmentedMp4` and `streamCopy`. */
import { demuxAny } from '../demux/index.js';
import { BoxwrightError } from '../io/errors.js';
import type { Movie, Track } from '../model/movie.js';
import { completeSamples } from '../model/sample-bytes.js';
import { fragmentBoxes, fragmentMovie, type FragmentedMp4, type FragmentOptions } from '../mux/fragment.js';
import { progressiveBoxes } from '../mux/mp4.js';
import { writeTree, writeTreeChunks } from '../../boxes/tree.js';
import { muxTs } from '../mux/ts/index.js';

export type { FragmentedMp4, FragmentOptions };

/** Output formats of {@link streamCopy}. */
export const STREAM_COPY_FORMATS = ['mp4', 'mov', 'm4a', 'fmp4', 'ts'] as const;
/** One of {@link STREAM_COPY_FORMATS}: the container `streamCopy` writes. */
export type StreamCopyFormat = (typeof STREAM_COPY_FORMATS)[number];
/** Track selections of {@link streamCopy}. */
export const STREAM_COPY_MAPS = ['all'] as const;

/** Options for {@link streamCopy}. */
export interface StreamCopyOptions {
  /** `undefined`: first video + first audio track (ffmpeg's default selection); `'all'`: every track. */
  map?: 'all';
  /** Output container (default `'mp4'`). */
  format?: StreamCopyFormat;
}

function requireBytes(data: unknown, fn: string): asserts data is Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError(`${fn}: data must be a Uint8Array (or Buffer)`);
}

/** Tracks worth writing: with samples and a codec we can describe. */
function writable(movie: Movie): Track[] {
  return movie.tracks.filter((t) => t.samples.count > 0 && t.descriptions.length > 0);
}

/**
 * The input demuxed for writing: an MP3's gapless trim kept (its encoder delay and padding, as an edit list, as
 * ffmpeg does), and samples past the end of the input (a file cut inside its mdat) left out — each track keeps its
 * complete samples before the first incomplete one.
 */
function demuxForWriting(data: Uint8Array): Movie {
  const { movie } = demuxAny(data, { gapless: true });
  return { ...movie, tracks: movie.tracks.map(completeSamples) };
}

/**
 * Remuxes any supported input into a fragmented MP4: an init segment (ftyp with iso6/cmfc, moov with mvex/trex/mehd)
 * and moof+mdat fragments starting at video sync samples (one GOP each by default). Every sample keeps its bytes
 * and timestamps; edit lists are carried.
 * @throws TypeError/RangeError for bad arguments; BoxwrightError for unreadable or unsupported media.
 * @example
 * ```ts
 * import { createFragmentedMp4 } from 'boxwright';
 * const { init, fragments } = createFragmentedMp4(bytes);
 * sourceBuffer.appendBuffer(init); // then each fragment, in order
 * ```
 */
export function createFragmentedMp4(data: Uint8Array, options: FragmentOptions = {}): FragmentedMp4 {
  requireBytes(data, 'createFragmentedMp4');
  if (options === null || typeof options !== 'object') throw new TypeError('createFragmentedMp4: options must be an object');
  for (const k of Object.keys(options)) {
    if (k !== 'fragmentDurationSec') throw new RangeError(`createFragmentedMp4: unknown option '${k}' (supported: fragmentDurationSec)`);
  }
  const d = options.fragmentDurationSec;
  if (d !== undefined && !(typeof d === 'number' && Number.isFinite(d) && d >= 0)) {
    throw new RangeError(`createFragmentedMp4: fragmentDurationSec must be a finite number ≥ 0, got ${String(d)}`);
  }
  const movie = demuxForWriting(data);
  const tracks = writable(movie);
  if (tracks.length === 0) throw new BoxwrightError('UNSUPPORTED_FORMAT', 'the input has no track with samples to write', 0, '');
  return fragmentMovie(movie, tracks, options);
}

/** ffmpeg's default stream selection: the first video and the first audio track. */
function defaultSelection(tracks: readonly Track[]): Track[] {
  const v = tracks.find((t) => t.kind === 'video');
  const a = tracks.find((t) => t.kind === 'audio');
  return tracks.filter((t) => t === v || t === a);
}

/**
 * Remuxes into another container without re-encoding: every packet keeps its bytes and timestamps.
 * `format`: 'mp4' (default; moov first, co64 past 4 GiB), 'mov', 'm4a' (audio only), 'fmp4', 'ts' (MPEG-TS).
 * @throws RangeError for an unknown `map` or `format`; BoxwrightError UNSUPPORTED_CODEC when the target cannot carry a codec.
 * @example
 * ```ts
 * import { streamCopy } from 'boxwright';
 * const ts = streamCopy(mp4Bytes, { format: 'ts' });          // MP4 → MPEG-TS, no re-encoding
 * const mp4 = streamCopy(tsBytes, { format: 'mp4', map: 'all' });
 * ```
 */
export function streamCopy(data: Uint8Array, options: StreamCopyOptions = {}): Uint8Array {
  return copy(data, options, 'streamCopy', false) as Uint8Array;
}

/**
 * {@link streamCopy} returning the output as a list of chunks whose concatenation is the file: sample payloads are
 * views of the input (nothing copied), headers and tables are small buffers — for writing to a file or socket
 * without assembling one buffer. MPEG-TS output (packetized) comes back as one chunk.
 * @example
 * ```ts
 * import { createWriteStream } from 'node:fs';
 * const out = createWriteStream('out.mp4');
 * for (const chunk of streamCopyChunks(bytes, { format: 'mp4' })) out.write(chunk);
 * out.end();
 * ```
 */
export function streamCopyChunks(data: Uint8Array, options: StreamCopyOptions = {}): Uint8Array[] {
  return copy(data, options, 'streamCopyChunks', true) as Uint8Array[];
}

function copy(data: Uint8Array, options: StreamCopyOptions, fn: string, chunks: boolean): Uint8Array | Uint8Array[] {
  requireBytes(data, fn);
  if (options === null || typeof options !== 'object') throw new TypeError(`${fn}: options must be an object`);
  for (const k of Object.keys(options)) if (k !== 'map' && k !== 'format') throw new RangeError(`${fn}: unknown option '${k}' (supported: map, format)`);
  if (options.map !== undefined && !(STREAM_COPY_MAPS as readonly string[]).includes(options.map)) {
    throw new RangeError(`${fn}: map must be undefined (first video + first audio) or 'all', got ${JSON.stringify(options.map)}`);
  }
  const format = options.format ?? 'mp4';
  if (!(STREAM_COPY_FORMATS as readonly string[]).includes(format)) {
    throw new RangeError(`${fn}: format must be one of ${STREAM_COPY_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  }
  const movie = demuxForWriting(data);
  const all = writable(movie);
  let tracks = options.map === 'all' ? all : defaultSelection(all);
  if (format === 'm4a') {
    tracks = tracks.filter((t) => t.kind === 'audio');
    if (tracks.length === 0) throw new BoxwrightError('UNSUPPORTED_CODEC', 'm4a carries audio only and the input has no audio track', 0, '');
  }
  if (tracks.length === 0) throw new BoxwrightError('UNSUPPORTED_FORMAT', 'the input has no track with samples to write', 0, '');
  if (format === 'ts') {
    const ts = muxTs(movie, tracks.map((t) => movie.tracks.indexOf(t)));
    return chunks ? [ts] : ts;
  }
  const boxes = format === 'fmp4' ? fragmentBoxes(movie, tracks).boxes : progressiveBoxes(movie, tracks, format);
  return chunks ? writeTreeChunks(boxes) : writeTree(boxes);
}
