/** The one-audio-track {@link Movie} every elementary-stream demuxer returns. */
import { BoxwrightError } from '../../io/errors.js';
import type { EditEntry, Movie, PacketView, SampleDescription } from '../../model/movie.js';
import type { SampleTable } from '../../model/sample-table.js';

/** What a demuxer found: everything else of the track and movie is fixed for elementary streams. */
export interface EsTrackParts {
  container: string;
  description: SampleDescription;
  /** Track timescale: the sample rate, so every frame duration is an integer. */
  timescale: number;
  samples: SampleTable;
  /** The input (sample offsets point into it). */
  data: Uint8Array;
  edits?: EditEntry[];
  /** Movie duration in the movie timescale (= track timescale) when edits shorten it. */
  movieDurationTicks?: number;
  /** ffprobe's packets when they are not the samples (ADTS: whole frames, header included). */
  packetView?: PacketView;
}

/**
 * Builds the movie: track 1, kind 'audio', handler 'soun' named 'SoundHandler' (what ffmpeg's MP4 muxer
 * writes, so a remux looks like ffmpeg's), language 'und', enabled, no alternate group or references;
 * movie timescale = track timescale. Track duration = the sum of sample durations.
 */
export function esMovie(parts: EsTrackParts): Movie {
  const { samples } = parts;
  let durationTicks = 0;
  for (let i = 0; i < samples.count; i++) durationTicks += samples.duration[i]!;
  return {
    container: parts.container,
    compatibleBrands: [],
    timescale: parts.timescale,
    durationTicks: parts.movieDurationTicks ?? durationTicks,
    fragmented: false,
    tags: {},
    tracks: [
      {
        id: 1,
        kind: 'audio',
        handlerType: 'soun',
        handlerName: 'SoundHandler',
        language: 'und',
        timescale: parts.timescale,
        durationTicks,
        edits: parts.edits ?? [],
        descriptions: [parts.description],
        samples,
        data: parts.data,
        enabled: true,
        alternateGroup: 0,
        references: {},
        ...(parts.packetView ? { packetView: parts.packetView } : {}),
      },
    ],
  };
}

/** Converts a 90 kHz MPEG-2 timestamp to ticks of `timescale` (exact integer maths: ts < 2^33, timescale < 2^20). */
export function ticksFrom90k(ts90k: number, timescale: number): number {
  return Math.round((ts90k * timescale) / 90000);
}

/** Throws the error every demuxer here raises when it finds no frame at all. */
export function noFrames(what: string, data: Uint8Array, path: string): never {
  throw new BoxwrightError('UNSUPPORTED_FORMAT', `no ${what} frame found in ${data.length} bytes`, 0, path);
}

/**
 * How an elementary-stream demuxer here finds its frames, for readers that see the stream a piece at a time
 * (the push-based transmuxer): the same functions the whole-file demuxer runs, so both agree on what a frame is.
 * `d` is the data seen so far from the frame on; a reader calls them only once enough bytes are there for the
 * answer not to change (a header: {@link ES_HEADER_BYTES}; a frame: its length plus {@link ES_LOOKAHEAD_BYTES}).
 */
export interface EsFraming<H> {
  /** The frame header at `p`, or undefined when the bytes there are not one. */
  headerAt(d: Uint8Array, p: number): H | undefined;
  /** Whole frame length in bytes (header included), from the header. */
  frameLength(h: H): number;
  /** The resync check: the frame is followed by the end of `d`, an ID3 tag or a header of the same stream. */
  confirmed(d: Uint8Array, p: number, h: H): boolean;
  /** Right after a frame, a header of the same stream as the first is trusted without confirmation. */
  sameStream(first: H, h: H): boolean;
  /** The frame starts an access unit (E-AC-3: dependent and further substreams join the unit before them). */
  startsUnit(h: H): boolean;
  /** Sample rate and samples per access unit (a header of a unit start). */
  sampleRate(h: H): number;
  unitSamples(h: H): number;
}

/** Bytes from a candidate header on that decide whether it is one (every header here, E-AC-3's bsi fields included, fits). */
export const ES_HEADER_BYTES = 32;
/** Bytes past a frame's end that decide its resync check (the next header). */
export const ES_LOOKAHEAD_BYTES = 32;
