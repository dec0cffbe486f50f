/** Public remux functions: `createFragmentedMp4` and `streamCopy`. */
import { demuxAny } from '../demux/index.js';
import { BoxwrightError } from '../io/errors.js';
import type { Movie, Track } from '../model/movie.js';
import { completeSamples } from '../model/sample-bytes.js';
import { shiftTrack } from '../model/track-slice.js';
import { firstDecodeTime, moveDecodeTimes, startTime, ticksIn, zeroStartEdits } from '../model/zero-start.js';
import type { ContainerFormat } from '../demux/sniff.js';
import { fragmentBoxes, fragmentMovie, type FragmentedMp4, type FragmentOptions } from '../mux/fragment.js';
import { progressiveBoxes } from '../mux/mp4.js';
import { writeTree, writeTreeChunks } from '../../boxes/tree.js';
import { muxTs } from '../mux/ts/index.js';

export type { FragmentedMp4, FragmentOptions };

/** Options for {@link createFragmentedMp4}. */
export interface CreateFragmentedMp4Options extends FragmentOptions {
  /**
   * Keep the input's timestamps (default `false`). By default an MPEG-TS input (and an ADTS/MP3/AC-3 stream whose
   * HLS ID3 tag gives a start time) is moved, every track by the same number of ticks, so its earliest
   * presentation time is 0 — what a plain MSE page needs to start playing without a seek, and where
   * `ffmpeg -c copy` starts it; `true` writes the transport's clock as it is. MP4 inputs are never moved.
   */
  keepTimestamps?: boolean;
}

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
  /**
   * Keep the input's timestamps (default `false`). By default an MPEG-TS input (and an ADTS/MP3/AC-3 stream whose
   * HLS ID3 tag gives a start time) is moved, every track by the same number of ticks, so the file starts at 0, as
   * `ffmpeg -c copy` does; `true` writes the transport's clock as it is (a TS starting at 1.48 s gives a file
   * starting at 1.48 s). MP4 inputs are never moved: they start where their edit lists say.
   */
  keepTimestamps?: boolean;
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
function demuxForWriting(data: Uint8Array): { movie: Movie; format: ContainerFormat } {
  const { movie, format } = demuxAny(data, { gapless: true });
  return { movie: { ...movie, tracks: movie.tracks.map(completeSamples) }, format };
}

/** Where the output of {@link startAtZero} goes: each container represents a negative decode time its own way. */
type ZeroStartTarget = 'progressive' | 'fmp4' | 'ts';

/**
 * `tracks` moved so the input's start time (the earliest first presentation time over all its tracks, ffmpeg's
 * `start_time`) is 0: every track by the same number of ticks (A/V sync kept exactly), as `ffmpeg -c copy`
 * does. Only inputs whose timestamps are a transport's clock move (MPEG-TS; an elementary stream carrying an HLS
 * ID3 timestamp); MP4 inputs already say where they start, in their edit lists. Video whose first decode time then
 * falls before 0 (B-frames):
 * - progressive MP4/MOV/M4A: an edit list, as ffmpeg's muxer writes it (an empty edit until the first picture,
 *   then the media from its composition offset) — ffmpeg rounds that empty edit down to its 1/1000 s movie
 *   timescale, we keep the input's timescale, so pictures stay exactly where the input put them;
 * - fragmented MP4: decode times move up to 0 and the composition offsets down by as much (negative ones, trun
 *   v1), because players ignore edit lists: presentation times are exactly those of the progressive output (ffmpeg
 *   instead restarts each track's decode time at 0, moving the video by its B-frame delay against the audio);
 * - MPEG-TS: one more amount for every track so the earliest decode time is 0 (ffmpeg's `avoid_negative_ts`
 *   `make_non_negative` for its mpegts muxer), before the TS writer's 1.4 s offset.
 */
function startAtZero(movie: Movie, format: ContainerFormat, tracks: Track[], target: ZeroStartTarget): Track[] {
  if (format === 'mp4') return tracks;
  const start = startTime(movie.tracks);
  if (start === undefined) return tracks;
  const moved = tracks.map((t) => shiftTrack(t, -ticksIn(start, t.timescale)));
  if (target === 'ts') {
    const first = firstDecodeTime(moved);
    return first === undefined || first.ticks >= 0 ? moved : moved.map((t) => shiftTrack(t, -ticksIn(first, t.timescale)));
  }
  if (target === 'fmp4') {
    return moved.map((t) => {
      const d0 = t.samples.count ? t.samples.dts[0]! : 0;
      // tfdt cannot be negative: without a 32-bit room for the offsets, the track moves as a whole (as ffmpeg's).
      return d0 < 0 ? moveDecodeTimes(t, -d0) ?? shiftTrack(t, -d0) : t;
    });
  }
  const movieTimescale = movie.timescale || 1000;
  return moved.map((t) => (t.edits.length > 0 ? t : { ...t, edits: zeroStartEdits(t, movieTimescale) }));
}

function checkKeepTimestamps(fn: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'boolean') throw new TypeError(`${fn}: keepTimestamps must be a boolean, got ${JSON.stringify(v)}`);
}

/**
 * Remuxes any supported input into a fragmented MP4: an init segment (ftyp with iso6/cmfc, moov with mvex/trex/mehd)
 * and moof+mdat fragments starting at video sync samples (one GOP each by default). Every sample keeps its bytes;
 * edit lists are carried. An MPEG-TS input starts at 0 (every track moved by the input's start time, A/V sync kept
 * to the tick; B-frame video takes its delay in negative composition offsets) unless `keepTimestamps` is set.
 * @throws TypeError/RangeError for bad arguments; BoxwrightError for unreadable or unsupported media.
 * @example
 * ```ts
 * import { createFragmentedMp4 } from 'boxwright';
 * const { init, fragments } = createFragmentedMp4(bytes);
 * sourceBuffer.appendBuffer(init); // then each fragment, in order
 * ```
 */
export function createFragmentedMp4(data: Uint8Array, options: CreateFragmentedMp4Options = {}): FragmentedMp4 {
  requireBytes(data, 'createFragmentedMp4');
  if (options === null || typeof options !== 'object') throw new TypeError('createFragmentedMp4: options must be an object');
  for (const k of Object.keys(options)) {
    if (k !== 'fragmentDurationSec' && k !== 'keepTimestamps') {
      throw new RangeError(`createFragmentedMp4: unknown option '${k}' (supported: fragmentDurationSec, keepTimestamps)`);
    }
  }
  checkKeepTimestamps('createFragmentedMp4', options.keepTimestamps);
  const d = options.fragmentDurationSec;
  if (d !== undefined && !(typeof d === 'number' && Number.isFinite(d) && d >= 0)) {
    throw new RangeError(`createFragmentedMp4: fragmentDurationSec must be a finite number ≥ 0, got ${String(d)}`);
  }
  const { movie, format } = demuxForWriting(data);
  const all = writable(movie);
  if (all.length === 0) throw new BoxwrightError('UNSUPPORTED_FORMAT', 'the input has no track with samples to write', 0, '');
  const tracks = options.keepTimestamps === true ? all : startAtZero(movie, format, all, 'fmp4');
  return fragmentMovie(movie, tracks, d === undefined ? {} : { fragmentDurationSec: d });
}

/** ffmpeg's default stream selection: the first video and the first audio track. */
function defaultSelection(tracks: readonly Track[]): Track[] {
  const v = tracks.find((t) => t.kind === 'video');
  const a = tracks.find((t) => t.kind === 'audio');
  return tracks.filter((t) => t === v || t === a);
}

/**
 * Remuxes into another container without re-encoding: every packet keeps its bytes and its place on the timeline.
 * `format`: 'mp4' (default; moov first, co64 past 4 GiB), 'mov', 'm4a' (audio only), 'fmp4', 'ts' (MPEG-TS).
 * An MPEG-TS input (or an elementary stream with an HLS ID3 timestamp) is moved to start at 0 as
 * `ffmpeg -c copy` moves it — every track by the same number of ticks — unless `keepTimestamps` is set; for
 * `'ts'` output the earliest decode time then lands at the TS writer's 1.4 s, as ffmpeg's mpegts muxer puts it.
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
  for (const k of Object.keys(options)) {
    if (k !== 'map' && k !== 'format' && k !== 'keepTimestamps') throw new RangeError(`${fn}: unknown option '${k}' (supported: map, format, keepTimestamps)`);
  }
  checkKeepTimestamps(fn, options.keepTimestamps);
  if (options.map !== undefined && !(STREAM_COPY_MAPS as readonly string[]).includes(options.map)) {
    throw new RangeError(`${fn}: map must be undefined (first video + first audio) or 'all', got ${JSON.stringify(options.map)}`);
  }
  const format = options.format ?? 'mp4';
  if (!(STREAM_COPY_FORMATS as readonly string[]).includes(format)) {
    throw new RangeError(`${fn}: format must be one of ${STREAM_COPY_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  }
  const { movie, format: input } = demuxForWriting(data);
  const all = writable(movie);
  let tracks = options.map === 'all' ? all : defaultSelection(all);
  if (format === 'm4a') {
    tracks = tracks.filter((t) => t.kind === 'audio');
    if (tracks.length === 0) throw new BoxwrightError('UNSUPPORTED_CODEC', 'm4a carries audio only and the input has no audio track', 0, '');
  }
  if (tracks.length === 0) throw new BoxwrightError('UNSUPPORTED_FORMAT', 'the input has no track with samples to write', 0, '');
  if (options.keepTimestamps !== true) tracks = startAtZero(movie, input, tracks, format === 'ts' ? 'ts' : format === 'fmp4' ? 'fmp4' : 'progressive');
  if (format === 'ts') {
    const ts = muxTs({ ...movie, tracks }, tracks.map((_t, i) => i));
    return chunks ? [ts] : ts;
  }
  const boxes = format === 'fmp4' ? fragmentBoxes(movie, tracks).boxes : progressiveBoxes(movie, tracks, format);
  return chunks ? writeTreeChunks(boxes) : writeTree(boxes);
}
