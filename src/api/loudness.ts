/** Public `analyzeLoudness`. */
import { measureTrackLoudness, type ChannelLoudness, type LoudnessReport } from '../analyze/loudness/index.js';
import { demuxAny } from '../demux/index.js';
import { readWavFormat } from '../demux/es/index.js';
import { BoxwrightError } from '../io/errors.js';
import { rescale } from '../model/time.js';

export type { ChannelLoudness, LoudnessReport } from '../analyze/loudness/index.js';

/** Options for {@link analyzeLoudness}. */
export interface AnalyzeLoudnessOptions {
  /** Track ID to analyse (as ffprobe's stream `id` / the MP4 track_ID); default: the first audio track. */
  track?: number;
}

/**
 * Loudness and levels of an audio track: integrated loudness and loudness range (ITU-R BS.1770-4 / EBU R128,
 * EBU Tech 3341–3342, as ffmpeg's `ebur128=peak=true` filter), true peak (4× oversampled), and RMS and sample peak
 * overall and per channel (as ffmpeg's `astats`). The track is decoded in pure TypeScript, one sample at a time, in
 * a single pass: memory does not grow with the length of the audio beyond 16 bytes per 100 ms.
 *
 * Levels of digital silence are `-Infinity` (and the integrated loudness of audio that never reaches −70 LUFS);
 * `JSON.stringify` turns those into `null` — {@link loudnessReportToJson} gives that form with its type.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { analyzeLoudness } from 'boxwright';
 *
 * const r = analyzeLoudness(readFileSync('samples/pcm.wav'));
 * console.log(`${r.integratedLufs.toFixed(1)} LUFS, LRA ${r.loudnessRangeLu.toFixed(1)} LU, ${r.truePeakDbtp.toFixed(1)} dBTP`);
 * ```
 * @throws TypeError / RangeError for bad arguments; BoxwrightError NO_TRACK when there is no such audio track,
 *   UNSUPPORTED_CODEC naming the codec when it has no decoder here, other codes for unreadable media.
 */
export function analyzeLoudness(data: Uint8Array, options: AnalyzeLoudnessOptions = {}): LoudnessReport {
  if (!(data instanceof Uint8Array)) throw new TypeError('analyzeLoudness: data must be a Uint8Array (or Buffer)');
  if (options === null || typeof options !== 'object') throw new TypeError('analyzeLoudness: options must be an object');
  for (const k of Object.keys(options)) {
    if (k !== 'track') throw new RangeError(`analyzeLoudness: unknown option '${k}' (supported: track)`);
  }
  const wanted = options.track;
  if (wanted !== undefined && (typeof wanted !== 'number' || !Number.isSafeInteger(wanted) || wanted < 0)) {
    throw new TypeError('analyzeLoudness: options.track must be a track ID (a non-negative integer)');
  }
  // An MP3's LAME/Xing encoder delay (+ 529 samples of decoder delay) and padding are trimmed, as ffmpeg does.
  const { movie, format } = demuxAny(data, { gapless: true });
  const audio = movie.tracks.filter((t) => t.kind === 'audio');
  const track = wanted === undefined ? audio[0] : audio.find((t) => t.id === wanted);
  if (!track) {
    const ids = audio.map((t) => t.id).join(', ');
    const detail = wanted === undefined ? 'no audio track' : `no audio track with ID ${wanted} (audio tracks: ${ids || 'none'})`;
    throw new BoxwrightError('NO_TRACK', detail, 0, '');
  }
  const mask = format === 'wav' ? readWavFormat(data).channelMask : undefined;
  // ffmpeg also drops an MP3's LAME padding at the end (the gapless edit's duration says what is kept).
  const edit = format === 'mp3' && track.edits.length === 1 ? track.edits[0]! : undefined;
  const keep = edit && edit.mediaTimeTicks >= 0 ? rescale(edit.segmentDurationTicks, movie.timescale, track.timescale) : Infinity;
  return measureTrackLoudness(movie, track, mask, keep);
}

/** A level in the JSON form of a report: a number, or `null` for −Infinity (digital silence). */
export type JsonLevel = number | null;

/** {@link LoudnessReport} with every −Infinity level as `null`, the shape `JSON.stringify` writes. */
export interface LoudnessReportJson extends Omit<LoudnessReport, 'rmsDbfs' | 'peakDbfs' | 'integratedLufs' | 'truePeakDbtp' | 'perChannel'> {
  rmsDbfs: JsonLevel;
  peakDbfs: JsonLevel;
  integratedLufs: JsonLevel;
  truePeakDbtp: JsonLevel;
  perChannel: Array<{ rmsDbfs: JsonLevel; peakDbfs: JsonLevel; truePeakDbtp: JsonLevel }>;
}

const level = (v: number): JsonLevel => (Number.isFinite(v) ? v : null);

/**
 * The JSON-safe form of a loudness report: −Infinity levels become `null` (what `JSON.stringify` would write
 * anyway, here with a type that says so). `loudnessRangeLu` and `duration` are always finite.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { analyzeLoudness, loudnessReportToJson } from 'boxwright';
 *
 * const json = loudnessReportToJson(analyzeLoudness(readFileSync('samples/pcm.wav')));
 * console.log(json.integratedLufs ?? 'silence');
 * ```
 */
export function loudnessReportToJson(report: LoudnessReport): LoudnessReportJson {
  return {
    ...report,
    rmsDbfs: level(report.rmsDbfs),
    peakDbfs: level(report.peakDbfs),
    integratedLufs: level(report.integratedLufs),
    truePeakDbtp: level(report.truePeakDbtp),
    perChannel: report.perChannel.map((c) => ({ rmsDbfs: level(c.rmsDbfs), peakDbfs: level(c.peakDbfs), truePeakDbtp: level(c.truePeakDbtp) })),
  };
}
