/**
 * MPEG transport stream (ISO/IEC 13818-1; 188-byte packets, 192-byte M2TS, 204-byte) → {@link Movie}.
 *
 * Every track has timescale 90000 (the PTS/DTS clock) and no edit list. Timestamps are the PES
 * values with the 33-bit wrap unwrapped so that they stay continuous (a wrap adds 2^33); they are
 * not rebased, so the first DTS is the stream's own. At a time base discontinuity (timestamps going
 * back, or ahead by more than 10 s) the later part is shifted to start where the earlier one ended,
 * the same for every track (`PacketView.shift` keeps what was added, for ffprobe's view). Track ids
 * are the PIDs.
 */
import { BoxwrightError } from '../../io/errors.js';
import type { Movie, SampleDescription, Track, TrackKind } from '../../model/movie.js';
import { buildAudioTrack, buildMetadataTrack, type FrameTrackData } from './audio-track.js';
import { scanAudio } from './audio-frames.js';
import { mendTimeline } from './discontinuity.js';
import { collectStreams, type CollectReport, type ElementaryStream, type SkippedStream, type TsWindow } from './collect.js';
import type { EsFormat } from './stream-types.js';
import { TS_TIMESCALE } from './timing.js';
import { buildVideoTrack } from './video-track.js';

export { collectStreams } from './collect.js';
export type { EsFormat } from './stream-types.js';

/** What the demuxer met and recovered from; nothing in here is an error that stopped it. */
export interface TsDemuxReport extends CollectReport {
  /** PMT entries whose stream type we do not read (skipped). */
  skippedStreams: SkippedStream[];
  /** H.264/HEVC access units without a picture (only delimiters, parameter sets, SEI): dropped. */
  droppedAccessUnits: number;
  /** Video access units timed from their predecessor because no PES timestamp started them. */
  untimedAccessUnits: number;
  /** Audio elementary stream bytes that were not inside a frame (garbage, frames cut by lost packets). */
  skippedAudioBytes: number;
}

/** A demuxed transport stream with the report of what was recovered. */
export interface TsDemux {
  movie: Movie;
  report: TsDemuxReport;
}

const KIND: Record<EsFormat, TrackKind> = { h264: 'video', hevc: 'video', aac: 'audio', latm: 'audio', mp3: 'audio', ac3: 'audio', eac3: 'audio', opus: 'audio', id3: 'data' };
const HANDLER: Record<TrackKind, [string, string]> = {
  video: ['vide', 'VideoHandler'],
  audio: ['soun', 'SoundHandler'],
  subtitle: ['subt', 'SubtitleHandler'],
  data: ['meta', 'MetadataHandler'],
};

/** The description used when a stream carried no readable frame at all. */
function emptyDescription(format: EsFormat): SampleDescription {
  switch (format) {
    case 'h264':
      return { entryType: 'avc1', format: 'avc1', codec: 'h264' };
    case 'hevc':
      return { entryType: 'hvc1', format: 'hvc1', codec: 'hevc' };
    case 'aac':
      return { entryType: 'mp4a', format: 'mp4a', codec: 'aac' };
    case 'latm':
      return { entryType: 'mp4a', format: 'mp4a', codec: 'aac', latm: true };
    case 'mp3':
      return { entryType: '.mp3', format: '.mp3', codec: 'mp3' };
    case 'ac3':
      return { entryType: 'ac-3', format: 'ac-3', codec: 'ac3' };
    case 'eac3':
      return { entryType: 'ec-3', format: 'ec-3', codec: 'eac3' };
    case 'opus':
      return { entryType: 'Opus', format: 'Opus', codec: 'opus' };
    case 'id3':
      return { entryType: 'ID3 ', format: 'ID3 ' };
  }
}

/** One stream → its track data, adding to the report. */
function trackData(s: ElementaryStream, report: TsDemuxReport, window?: TsWindow): FrameTrackData {
  switch (s.format) {
    case 'h264':
    case 'hevc': {
      const v = buildVideoTrack(s.format, s.data, s.pes);
      report.droppedAccessUnits += v.droppedAccessUnits;
      report.untimedAccessUnits += v.untimedAccessUnits;
      return v;
    }
    case 'id3':
      return buildMetadataTrack(s.data.materialize(), s.pes);
    default: {
      // Audio is a small part of a stream: it is read from one copy of its elementary stream.
      const es = s.data.materialize();
      let latm = window?.latm?.get(s.pid);
      if (window?.latm && s.format === 'latm' && !latm) window.latm.set(s.pid, (latm = {}));
      // A whole file ends its streams: a frame cut by its end is kept (as ffmpeg's parsers return it); a window of
      // a stream that goes on drops it (the transmuxer's next window has it whole).
      const scan = scanAudio(s.format, es, s.descriptors.opusChannelConfig, latm, window ? 'drop' : 'partial')!;
      report.skippedAudioBytes += scan.skippedBytes;
      return buildAudioTrack(scan.data ?? es, scan, s.pes);
    }
  }
}

/** Sum of the sample durations. */
function durationOf(d: FrameTrackData): number {
  let t = 0;
  for (let i = 0; i < d.samples.count; i++) t += d.samples.duration[i]!;
  return t;
}

/**
 * Demuxes a transport stream and reports what it recovered from: lost packets (continuity errors),
 * garbage between packets, bad PSI sections and PES headers, streams it does not read.
 * Throws a BoxwrightError (UNSUPPORTED_FORMAT) only when there is no transport packet at all;
 * damage inside a stream is skipped and counted.
 */
export function demuxTsWithReport(data: Uint8Array, window?: TsWindow): TsDemux {
  const collected = collectStreams(data, window);
  if (collected.report.packets === 0) {
    throw new BoxwrightError('UNSUPPORTED_FORMAT', `no MPEG-TS packets (sync bytes 0x47 188, 192 or 204 bytes apart) in ${data.length} bytes`, 0, '');
  }
  const report: TsDemuxReport = {
    ...collected.report,
    skippedStreams: collected.skipped,
    droppedAccessUnits: 0,
    untimedAccessUnits: 0,
    skippedAudioBytes: 0,
  };
  const tracks: Track[] = [];
  let start = Infinity;
  let end = -Infinity;
  const built = collected.streams.map((s) => trackData(s, report, window));
  // One continuous timeline across time base discontinuities; ffprobe's view keeps the input's timestamps.
  const added = mendTimeline(
    built.map((d) => d.samples),
    built.map((d) => d.generations),
  );
  collected.streams.forEach((s, k) => {
    const d = built[k]!;
    const shift = added[k];
    if (shift) d.packetView = { ...d.packetView, shift };
    const kind = KIND[s.format];
    const [handlerType, handlerName] = HANDLER[kind];
    const descriptions = d.descriptions.length > 0 ? d.descriptions : [emptyDescription(s.format)];
    // ffmpeg's codec_tag for TS streams: the registration descriptor's identifier, else the stream_type byte.
    // ID3 in PES (stream type 0x15) takes the metadata descriptor's format identifier.
    const tag = s.descriptors.registration ?? (s.format === 'id3' ? s.descriptors.metadataFormat : undefined) ?? String.fromCharCode(s.streamType, 0, 0, 0);
    for (const desc of descriptions) desc.containerTag = tag;
    const durationTicks = durationOf(d);
    const track: Track = {
      id: s.pid,
      kind,
      handlerType,
      handlerName,
      timescale: TS_TIMESCALE,
      durationTicks,
      edits: [],
      descriptions,
      samples: d.samples,
      data: d.data,
      ...(d.source ? { source: d.source } : {}),
      packetView: d.packetView,
      enabled: true,
      alternateGroup: 0,
      references: {},
    };
    if (s.descriptors.language !== undefined) track.language = s.descriptors.language;
    tracks.push(track);
    const n = d.samples.count;
    if (n > 0) {
      start = Math.min(start, d.samples.dts[0]! + d.samples.ctsOffset[0]!);
      end = Math.max(end, d.samples.dts[n - 1]! + d.samples.duration[n - 1]!);
    }
  });
  const movie: Movie = {
    container: 'mpegts',
    programCount: collected.report.programCount,
    compatibleBrands: [],
    timescale: TS_TIMESCALE,
    durationTicks: end > start ? end - start : 0,
    fragmented: false,
    tracks,
    tags: {},
  };
  return { movie, report };
}

/** Demuxes a transport stream (188-byte TS or 192-byte M2TS), or a window of one, into the movie model. */
export function demuxTs(data: Uint8Array, window?: TsWindow): Movie {
  return demuxTsWithReport(data, window).movie;
}
export { isId3Track, movieTimedMetadata, timedMetadata, type TimedId3 } from './timed-metadata.js';
