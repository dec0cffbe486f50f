/** Public `probeMedia`. */
import { probeMovie, type ProbeReport } from '../analyze/probe/index.js';
import { concatBytes } from '../io/bytes.js';
import { demuxAny } from '../demux/index.js';

export type { ProbeReport, ProbeStream, ProbeFormat, ProbePacket, ProbeFrame, ProbeDisposition, ProbeSideData } from '../analyze/probe/index.js';

/** Options for {@link probeMedia}. */
export interface ProbeMediaOptions {
  /** Add `packets[]` (file order, as ffprobe -show_packets). */
  packets?: boolean;
  /** Add `frames[]`: frame timestamp estimates per stream in presentation order (as ffprobe -show_frames, without decoding). */
  frames?: boolean;
  /** An init segment to read before `data` when `data` is a bare media segment (moof/mdat). */
  init?: Uint8Array;
}

/**
 * A JSON-safe report of the media whose field names and meanings follow ffprobe's
 * `-show_format -show_streams [-show_packets] [-show_frames]` JSON. Reads only metadata (plus the first
 * slice header of each frame when `frames` is asked for).
 * @throws TypeError for bad arguments; BoxwrightError for unreadable or unsupported media.
 * @example
 * ```ts
 * import { probeMedia } from 'boxwright';
 * const report = probeMedia(bytes, { packets: true });
 * console.log(report.format.duration, report.streams.map((s) => s.codec_name), report.packets?.length);
 * ```
 */
export function probeMedia(data: Uint8Array, options: ProbeMediaOptions = {}): ProbeReport {
  if (!(data instanceof Uint8Array)) throw new TypeError('probeMedia: data must be a Uint8Array (or Buffer)');
  if (options === null || typeof options !== 'object') throw new TypeError('probeMedia: options must be an object');
  for (const k of Object.keys(options)) {
    if (!['packets', 'frames', 'init'].includes(k)) throw new RangeError(`probeMedia: unknown option '${k}' (supported: packets, frames, init)`);
  }
  for (const k of ['packets', 'frames'] as const) {
    if (options[k] !== undefined && typeof options[k] !== 'boolean') throw new TypeError(`probeMedia: options.${k} must be a boolean`);
  }
  if (options.init !== undefined && !(options.init instanceof Uint8Array)) throw new TypeError('probeMedia: options.init must be a Uint8Array');
  // A bare segment is read as init + segment, like `cat init seg | ffprobe -`.
  const input = options.init ? concatBytes([options.init, data]) : data;
  const { movie } = demuxAny(input);
  return probeMovie(movie, input.length, input, { packets: options.packets === true, frames: options.frames === true });
}

