/** `probeMedia` for ISO-BMFF / QuickTime input: the movie model rendered as ffprobe would report it. */
import type { Movie, SampleDescription, Track } from '../../model/movie.js';
import { withContiguousData } from '../../model/sample-bytes.js';
import { SYNC } from '../../model/sample-table.js';
import { gcd } from '../../model/time.js';
import { codecFields, type CodecFields } from './codec-fields.js';
import { fixed6, fourccString, fourccTag, timeString } from './format-number.js';
import { guessRealFrameRate, ratio, RFPS_FRAMES, streamInfoFrameRate } from './frame-rate.js';
import { interleave } from './interleave.js';
import type { ProbeDisposition, ProbeFrame, ProbePacket, ProbeReport, ProbeStream } from './report.js';
import { buildTimeline, timelineSummary, type Timeline, type TimelineSummary } from './timeline.js';
import { bitstreamKeyframes, framePictTypes } from './pict-type.js';
import { codecFrameTicks, packetDurationRule } from './packet-duration.js';
import { avcFieldOrder } from './field-order.js';

export type { ProbeReport, ProbeStream, ProbeFormat, ProbePacket, ProbeFrame, ProbeDisposition, ProbeSideData } from './report.js';

/** Options for {@link probeMovie}. */
export interface ProbeOptions {
  packets?: boolean;
  frames?: boolean;
}

function disposition(defaultFlag: boolean): ProbeDisposition {
  return {
    default: defaultFlag ? 1 : 0, dub: 0, original: 0, comment: 0, lyrics: 0, karaoke: 0, forced: 0, hearing_impaired: 0,
    visual_impaired: 0, clean_effects: 0, attached_pic: 0, timed_thumbnails: 0, captions: 0, descriptions: 0, metadata: 0,
    dependent: 0, still_image: 0,
  };
}

/** ffprobe's "displaymatrix" text: three rows of three values, each row prefixed by its index. */
function displayMatrixText(m: readonly number[]): string {
  let s = '\n';
  for (let row = 0; row < 3; row++) {
    s += `${row.toString(16).padStart(8, '0')}: ${m.slice(row * 3, row * 3 + 3).map((v) => String(v).padStart(11, ' ')).join(' ')}\n`;
  }
  return s;
}

/** av_display_rotation_get, truncated to an integer as ffprobe prints it. */
function rotationOf(m: readonly number[]): number | undefined {
  const f = (v: number): number => v / 65536;
  const s0 = Math.hypot(f(m[0]!), f(m[3]!));
  const s1 = Math.hypot(f(m[1]!), f(m[4]!));
  if (s0 === 0 || s1 === 0) return undefined;
  const r = -((Math.atan2(f(m[1]!) / s1, f(m[0]!) / s0) * 180) / Math.PI);
  return Math.trunc(r === 0 ? 0 : r);
}

const IDENTITY = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];

function codecTypeOf(track: Track): ProbeStream['codec_type'] {
  return track.kind;
}

/** Sample aspect ratio: the container's (pasp) wins over the bitstream's, as av_guess_sample_aspect_ratio. */
function aspect(d: SampleDescription, f: CodecFields): { sar?: string; dar?: string } {
  let num = 0;
  let den = 1;
  if (d.pixelAspect && d.pixelAspect.h > 0 && d.pixelAspect.v > 0) {
    num = d.pixelAspect.h;
    den = d.pixelAspect.v;
  } else if (f.codecSar) {
    num = f.codecSar.num;
    den = f.codecSar.den;
  }
  if (!num || !den || f.width === undefined || f.height === undefined) return {};
  const g = gcd(num, den);
  const out = { sar: `${num / g}:${den / g}` } as { sar?: string; dar?: string };
  const dn = f.width * num;
  const dd = f.height * den;
  if (dn && dd) {
    const h = gcd(dn, dd);
    out.dar = `${dn / h}:${dd / h}`;
  }
  return out;
}

function firstSampleOf(track: Track): Uint8Array | undefined {
  const s = track.samples;
  const data = track.data;
  if (!s.count || s.offset[0]! >= data.length) return undefined;
  return data.subarray(s.offset[0]!, Math.min(data.length, s.offset[0]! + s.size[0]!));
}

/** The description a stream is reported from (its first sample description). */
function mainDescription(track: Track): SampleDescription {
  return track.descriptions[0] ?? { entryType: '\0\0\0\0', format: '\0\0\0\0' };
}

function streamReport(track: Track, index: number, tl: TimelineSummary, packets: () => Timeline, fragmentedOnly: boolean, container: string, f: CodecFields): ProbeStream {
  const mp4 = container === 'mp4';
  const d = mainDescription(track);
  // MP4: the sample entry type; other containers: their own tag (TS stream_type/registration, WAV format tag) or none.
  const tagFourcc = mp4 ? d.format : d.containerTag ?? '\0\0\0\0';
  const s: ProbeStream = {
    index,
    // ffmpeg has no codec for some timed text (wvtt, stpp in 5.1): such streams are reported as data.
    codec_type: track.kind === 'subtitle' && !d.codec ? 'data' : codecTypeOf(track),
    codec_tag_string: fourccString(tagFourcc),
    codec_tag: fourccTag(tagFourcc),
    id: `0x${track.id.toString(16)}`,
    r_frame_rate: '0/0',
    avg_frame_rate: '0/0',
    time_base: `1/${track.timescale}`,
    // Only MP4's tkhd says which track plays by default.
    disposition: disposition(mp4 && track.enabled),
    tags: {},
  };
  // ffmpeg's names: AAC in LATM is aac_latm; ID3 in MPEG-TS PES packets is timed_id3.
  const codecName = d.latm ? 'aac_latm' : d.codec ?? (d.entryType === 'ID3 ' ? 'timed_id3' : undefined);
  if (codecName) s.codec_name = codecName;
  if (f.profile) s.profile = f.profile;
  if (track.kind === 'video') {
    s.width = f.width ?? 0;
    s.height = f.height ?? 0;
    // ffprobe 5.1: H.264 reports the cropped size as coded size, HEVC the SPS picture size; unknown codecs none.
    if (d.codec) {
      s.coded_width = d.codec === 'hevc' ? f.coded_width ?? s.width : s.width;
      s.coded_height = d.codec === 'hevc' ? f.coded_height ?? s.height : s.height;
    }
    const a = aspect(d, f);
    if (a.sar) s.sample_aspect_ratio = a.sar;
    if (a.dar) s.display_aspect_ratio = a.dar;
    if (f.pix_fmt) s.pix_fmt = f.pix_fmt;
    // ffprobe prints -99 (FF_LEVEL_UNKNOWN) when the codec does not say.
    s.level = f.level ?? -99;
    if (f.color_range) s.color_range = f.color_range;
    if (f.color_space) s.color_space = f.color_space;
    if (f.color_transfer) s.color_transfer = f.color_transfer;
    if (f.color_primaries) s.color_primaries = f.color_primaries;
    // ffmpeg's HEVC parser (MPEG-TS) does not set a field order; its MP4 path reads it from the decoder.
    if (f.field_order && !(container === 'mpegts' && d.codec === 'hevc')) s.field_order = f.field_order;
    // H.264: what ffmpeg's parser read from the SEI and slice header of the packet that completed its probe.
    if (d.codec === 'h264' && f.profile !== undefined) {
      const order = avcFieldOrder(track, f.reorderDepth ?? 0);
      if (order === null) delete s.field_order;
      else if (order !== undefined) s.field_order = order;
    }
    frameRates(s, track, packets, f);
    // MPEG-TS: avg_frame_rate is the stream-info estimate from the probed packets' parser durations.
    const frameTicks = container === 'mpegts' && f.codecFrameRate ? codecFrameTicks(f.codecFrameRate, track.timescale) : undefined;
    const avg = frameTicks ? streamInfoFrameRate(track.timescale, frameTicks) : undefined;
    if (avg) s.avg_frame_rate = avg;
  }
  // ffmpeg gives timecode tracks the (unreduced) timecode rate as their average frame rate.
  if (d.timecode && d.timecode.frameDuration) s.avg_frame_rate = `${d.timecode.timescale}/${d.timecode.frameDuration}`;
  if (track.kind === 'audio') {
    if (f.sample_rate !== undefined) s.sample_rate = String(f.sample_rate);
    if (f.channels !== undefined) s.channels = f.channels;
    // Plain WAVE PCM has no channel mask: ffprobe leaves the layout unknown, even for one or two channels.
    // (WAVE_FORMAT_EXTENSIBLE: the layout of dwChannelMask, when it has as many bits as there are channels.)
    if (f.channel_layout && (container !== 'wav' || d.channelMask !== undefined)) s.channel_layout = f.channel_layout;
    s.bits_per_sample = f.bits_per_sample ?? 0;
  }
  // Raw ADTS and WAV carry no timestamps: ffprobe reports no start.
  const timestamped = container !== 'aac' && container !== 'wav';
  if ((tl.hasPackets || track.durationTicks > 0) && timestamped) {
    s.start_pts = tl.startTicks;
    s.start_time = timeString(tl.startTicks, track.timescale);
  }
  if (tl.durationTicks > 0) {
    s.duration_ts = tl.durationTicks;
    s.duration = timeString(tl.durationTicks, track.timescale);
    let bytes = 0;
    for (let i = 0; i < track.samples.count; i++) bytes += track.samples.size[i]!;
    // A rate the codec declares (esds average, AC-3 nominal) wins in progressive files; fragments are measured.
    const declared = fragmentedOnly ? undefined : f.declaredBitRate;
    // MPEG-TS declares no rates: ffprobe has none for video (audio it estimates from the frames).
    // ffmpeg measures over the media duration (before the edit list trims it).
    const over = tl.mediaDurationTicks || tl.durationTicks;
    // (av_rescale rounds for fragments; the progressive path divides in integers.)
    const measured = (bytes * 8 * track.timescale) / over;
    const parsed = adtsParserBitRate(track);
    if (d.latm || (container === 'mpegts' && track.kind !== 'audio')) {
      // ffmpeg's LATM parser reports none, and nothing in MPEG-TS declares a video or data rate.
    } else if (parsed !== undefined) s.bit_rate = String(parsed);
    else s.bit_rate = String(declared || (fragmentedOnly ? Math.round(measured) : Math.floor(measured)));
  }
  // Other containers do not declare a frame count (ffprobe: N/A). A fragmented MP4 declares the samples of its moov
  // (ffmpeg's nb_frames counts the stsz entries and no fragment): none for an empty moov.
  if (!fragmentedOnly && mp4) s.nb_frames = String(track.frameCount ?? track.samples.count);
  else if (mp4 && (track.frameCount ?? track.moovSampleCount)) s.nb_frames = String(track.frameCount ?? track.moovSampleCount);
  // Only containers that carry a language say 'und'; elementary streams have none.
  // (MPEG-TS sets one only from an ISO 639 descriptor, which may say und.)
  if (track.language && (mp4 || container === 'mpegts' || track.language !== 'und')) s.tags.language = track.language;
  if (mp4 && track.handlerName) s.tags.handler_name = track.handlerName;
  if (mp4 && (track.kind === 'video' || track.kind === 'audio')) s.tags.vendor_id = '[0][0][0][0]';
  if (f.codec_string) s.codec_string = f.codec_string;
  if (d.protection) s.protection = d.protection.kid ? { scheme: d.protection.scheme, kid: d.protection.kid } : { scheme: d.protection.scheme };
  if (track.kind === 'video' && track.matrix && track.matrix.some((v, i) => v !== IDENTITY[i])) {
    const side: ProbeStream['side_data_list'] = [{ side_data_type: 'Display Matrix', displaymatrix: displayMatrixText(track.matrix) }];
    const rot = rotationOf(track.matrix);
    if (rot !== undefined) side[0]!.rotation = rot;
    s.side_data_list = side;
  }
  return s;
}

function frameRates(s: ProbeStream, track: Track, packets: () => Timeline, f: CodecFields): void {
  const t = track.samples;
  if (t.count === 0) {
    s.r_frame_rate = f.timingRate ? ratio(f.timingRate.num, f.timingRate.den) : ratio(track.timescale, 1);
    return;
  }
  let total = 0;
  let constant = true;
  for (let i = 0; i < t.count; i++) {
    total += t.duration[i]!;
    // ffmpeg trusts a single stts delta (or a different last one) as the real frame rate.
    if (i > 0 && i < t.count - 1 && t.duration[i] !== t.duration[0]) constant = false;
  }
  if (total > 0) s.avg_frame_rate = ratio(t.count * track.timescale, total);
  if (constant && t.duration[0]! > 0) {
    s.r_frame_rate = ratio(track.timescale, t.duration[0]!);
    return;
  }
  // ffmpeg guesses from the packets its stream-info probe reads: at least 20, up to its 5 s analysis window.
  const tl = packets();
  const dts: number[] = [];
  // (At most a few hundred packets: the guess costs ~800 operations per packet.)
  for (let k = 0; k < Math.min(tl.dts.length, 400); k++) {
    if (k > RFPS_FRAMES && tl.dts[k]! - tl.dts[0]! > 5 * track.timescale) break;
    dts.push(tl.dts[k]!);
  }
  const guess = guessRealFrameRate(dts, track.timescale);
  if (guess) s.r_frame_rate = ratio(guess[0], guess[1]);
  else if (f.timingRate) s.r_frame_rate = ratio(f.timingRate.num, f.timingRate.den);
  else s.r_frame_rate = ratio(track.timescale, 1);
}

/** ffprobe's format_name / format_long_name per container. */
const FORMAT_NAMES: Record<string, [string, string]> = {
  mp4: ['mov,mp4,m4a,3gp,3g2,mj2', 'QuickTime / MOV'],
  mpegts: ['mpegts', 'MPEG-TS (MPEG-2 Transport Stream)'],
  aac: ['aac', 'raw ADTS AAC (Advanced Audio Coding)'],
  mp3: ['mp3', 'MP2/3 (MPEG audio layer 2/3)'],
  wav: ['wav', 'WAV / WAVE (Waveform Audio)'],
  ac3: ['ac3', 'raw AC-3'],
  eac3: ['eac3', 'raw E-AC-3'],
};

/**
 * The movie as ffmpeg reads it, for reports that quote ffprobe's timestamps (probeMedia, analyzeGop,
 * detectVfrCfr): each sample in one piece for the bitstream readers; MPEG-TS timestamps as the input has them
 * (a mended discontinuity undone) and wrapped as ffmpeg wraps them; raw audio on ffmpeg's clock.
 */
export function asFfmpegReadsIt(demuxed: Movie): Movie {
  let movie: Movie = demuxed.tracks.some((t) => t.source) ? { ...demuxed, tracks: demuxed.tracks.map(withContiguousData) } : demuxed;
  if (movie.container === 'mpegts') movie = ffmpegTsWrap(inputTimestamps(movie));
  return ffmpegRawAudioClock(movie);
}

/** The ffprobe-shaped report of a demuxed movie (any container). */
export function probeMovie(demuxed: Movie, size: number, data: Uint8Array, options: ProbeOptions = {}): ProbeReport {
  const movie = asFfmpegReadsIt(demuxed);
  const tracks = movie.tracks;
  // Start and duration come from the edit list and the sample table's ends; the packets' timeline (a pass over every
  // sample) is built only when something needs it: packets, frames, or a frame rate guessed from the first packets.
  // Codec fields are read once per track and shared by the stream report, the timeline, packet durations and frames.
  const fields = tracks.map((t) => codecFields(mainDescription(t), firstSampleOf(t)));
  const ts = movie.container === 'mpegts';
  const videoFrameTicks = (t: Track, i: number): number | undefined =>
    ts && t.kind === 'video' && fields[i]!.codecFrameRate ? codecFrameTicks(fields[i]!.codecFrameRate!, t.timescale) : undefined;
  const summaries = tracks.map((t, i) => timelineSummary(t, movie.timescale, movie.fragmented, videoFrameTicks(t, i)));
  const mp3 = movie.container === 'mp3';
  if (mp3) tracks.forEach((t, i) => mp3Start(t, summaries[i]!));
  const built: Array<Timeline | undefined> = [];
  const timelineOf = (i: number): Timeline => {
    let tl = built[i];
    if (!tl) {
      tl = buildTimeline(tracks[i]!, movie.timescale, movie.fragmented);
      if (mp3) mp3Start(tracks[i]!, tl);
      built[i] = tl;
    }
    return tl;
  };
  const fragmentedOnly = movie.fragmented;
  const streams = tracks.map((t, i) => streamReport(t, i, summaries[i]!, () => timelineOf(i), fragmentedOnly, movie.container, fields[i]!));

  // Format timing as avformat's update_stream_timings: audio/video streams decide start and end; subtitle and
  // data streams count only when they are within a second of them. Duration = max(longest stream, end − start).
  let start = Infinity;
  let end = -Infinity;
  let startText = Infinity;
  let endText = -Infinity;
  let longest = 0;
  tracks.forEach((t, i) => {
    const tl = summaries[i]!;
    // Streams without a codec ffmpeg knows do not take part (their start is unknown to avformat).
    const st0 = streams[i]!;
    if ((!tl.hasPackets && tl.durationTicks === 0) || st0.start_pts === undefined) return;
    if (st0.codec_name === undefined && (st0.codec_type === 'data' || st0.codec_type === 'subtitle')) return;
    const st = Math.round((tl.startTicks * 1e6) / t.timescale);
    const du = Math.round((tl.durationTicks * 1e6) / t.timescale);
    const text = streams[i]!.codec_type === 'subtitle' || streams[i]!.codec_type === 'data';
    if (text) {
      startText = Math.min(startText, st);
      endText = Math.max(endText, st + du);
    } else {
      start = Math.min(start, st);
      end = Math.max(end, st + du);
      longest = Math.max(longest, du);
    }
  });
  if (start === Infinity || (start > startText && start - startText < 1e6)) start = startText;
  if (end === -Infinity || (end < endText && endText - end < 1e6)) end = endText;
  const tags: Record<string, string> = {};
  if (movie.majorBrand !== undefined) {
    tags.major_brand = movie.majorBrand;
    tags.minor_version = String(movie.minorVersion ?? 0);
    tags.compatible_brands = movie.compatibleBrands.join('');
  }
  Object.assign(tags, movie.tags);
  const format: ProbeReport['format'] = {
    nb_streams: tracks.length,
    nb_programs: movie.programCount ?? 0,
    format_name: (FORMAT_NAMES[movie.container] ?? [movie.container])[0],
    format_long_name: (FORMAT_NAMES[movie.container] ?? [movie.container, movie.container])[1]!,
    size: String(size),
    probe_score: 100,
    tags,
  };
  // The movie header's duration for progressive files; fragmented files last at least as long as their fragments.
  const mvhdUs = movie.durationTicks > 0 && Number.isFinite(movie.durationTicks) ? Math.round((movie.durationTicks * 1e6) / movie.timescale) : 0;
  const spanUs = Number.isFinite(start) ? Math.max(longest, end - start) : 0;
  // MPEG-TS has no header duration: ffmpeg spans its streams' estimates.
  const durationUs = movie.fragmented ? Math.max(mvhdUs, spanUs) : movie.container === 'mpegts' ? spanUs || mvhdUs : mvhdUs || spanUs;
  if (Number.isFinite(start)) format.start_time = fixed6(start / 1e6);
  if (durationUs > 0) {
    format.duration = fixed6(durationUs / 1e6);
    format.bit_rate = String(Math.floor((size * 8 * 1e6) / durationUs));
  }
  const report: ProbeReport = { format, streams };
  // QuickTime chapter tracks are read into chapters by ffmpeg, not listed as packets.
  const chapterIds = new Set(tracks.flatMap((t) => t.references.chap ?? []));
  const listed = tracks.map((t) => !chapterIds.has(t.id));
  if (options.packets) {
    const raw = RAW_AUDIO_CLOCK[movie.container] !== undefined;
    const durations = tracks.map((t, i) =>
      // Raw audio: each packet's own (already rounded-down) frame duration, whatever the stream start.
      raw
        ? (k: number) => t.samples.duration[k]
        : movie.fragmented || movie.container === 'mpegts' || hasCompositionOffsets(t) || hasParsedFrames(t)
          ? packetDurationRule(t, streams[i]!, t.data, fields[i]!.codecFrameRate)
          : undefined,
    );
    report.packets = packetsOf(tracks, tracks.map((_, i) => timelineOf(i)), data, listed, durations);
  }
  if (options.frames) report.frames = framesOf(tracks, tracks.map((_, i) => timelineOf(i)), fields);
  return report;
}

/**
 * ffmpeg turns a c608 sample (cdat/cdt2 atoms of byte pairs) into 3-byte cc triplets (get_eia608_packet):
 * the packet size ffprobe shows is 3 per pair.
 */
function eia608PacketSize(data: Uint8Array, off: number, size: number): number {
  if (size <= 8) return size;
  let p = off;
  const end = Math.min(off + size, data.length);
  let out = 0;
  while (p + 8 <= end) {
    const atom = ((data[p]! << 24) >>> 0) + (data[p + 1]! << 16) + (data[p + 2]! << 8) + data[p + 3]!;
    if (atom < 8 || p + atom > end) break;
    out += Math.floor((atom - 8) / 2) * 3;
    p += atom;
  }
  return out;
}

/** AC-3/E-AC-3 are re-parsed by ffmpeg, so their packets last one frame each. */
function hasParsedFrames(t: Track): boolean {
  const c = t.descriptions[0]?.codec;
  return c === 'ac3' || c === 'eac3';
}

function hasCompositionOffsets(t: Track): boolean {
  const c = t.samples.ctsOffset;
  for (let i = 0; i < c.length; i++) if (c[i] !== 0) return true;
  return false;
}

function packetsOf(
  tracks: readonly Track[],
  timelines: readonly Timeline[],
  data: Uint8Array,
  listed: readonly boolean[],
  durations: ReadonlyArray<((i: number) => number | undefined) | undefined>,
): ProbePacket[] {
  const keys = tracks.map((t) => bitstreamKeyframes(t, t.data));
  const shown = timelines.map((tl, i) => (listed[i] ? tl : { ...tl, sample: new Uint32Array(0) }));
  const order = interleave(tracks, shown);
  // ffprobe stops at the first packet it cannot read whole (a cut file, a moov whose media is elsewhere);
  // the packet that crosses the end is listed with the bytes that are there.
  let stop = order.length;
  let cut = -1;
  for (let k = 0; k < order.length; k++) {
    const { track, packet } = order[k]!;
    const i = timelines[track]!.sample[packet]!;
    const off = tracks[track]!.samples.offset[i]!;
    if (tracks[track]!.data !== data) continue;
    if (off >= data.length) {
      stop = k;
      break;
    }
    if (off + tracks[track]!.samples.size[i]! > data.length) {
      cut = k;
      stop = k + 1;
      break;
    }
  }
  return order.slice(0, stop).map(({ track, packet }, k) => {
    const t = tracks[track]!;
    const tl = timelines[track]!;
    const i = tl.sample[packet]!;
    const ts = t.timescale;
    const key = keys[track] ? keys[track]!(i) : (t.samples.flags[i]! & SYNC) !== 0;
    // Without a codec rule: the distance to the track's next packet (the last one keeps its own duration).
    const rule = durations[track];
    const last = tl.durationTicks + tl.startTicks - tl.dts[packet]!;
    const duration = rule ? rule(i) : packet + 1 < tl.dts.length ? tl.dts[packet + 1]! - tl.dts[packet]! : last >= 0 ? last : undefined;
    return {
      codec_type: t.kind,
      stream_index: track,
      pts: tl.pts[packet]!,
      pts_time: timeString(tl.pts[packet]!, ts),
      dts: tl.dts[packet]!,
      dts_time: timeString(tl.dts[packet]!, ts),
      ...(duration === undefined ? {} : { duration, duration_time: timeString(duration, ts) }),
      size: String(
        k === cut
          ? data.length - t.samples.offset[i]!
          : t.descriptions[0]?.codec === 'eia_608'
            ? eia608PacketSize(t.data, t.samples.offset[i]!, t.samples.size[i]!)
            : t.packetView
              ? t.packetView.size[i]!
              : t.samples.size[i]!,
      ),
      ...posOf(t, i),
      flags: `${key ? 'K' : '_'}${tl.discard[packet] ? 'D' : '_'}`,
    };
  });
}

/**
 * ADTS AAC (raw or in MPEG-TS): ffmpeg's AAC parser keeps a running average, in integers, of each whole
 * frame's rate (frame bytes × 8 × sample rate / 1024); ffprobe shows it after the frames it read while
 * probing — all of them in files of a few seconds, which is what we report.
 */
function adtsParserBitRate(track: Track): number | undefined {
  const d = track.descriptions[0];
  const view = track.packetView;
  if (!view || d?.codec !== 'aac' || d.latm || !d.sampleRate) return undefined;
  let avg = 0;
  for (let i = 0; i < view.size.length; i++) {
    const rate = Math.floor((view.size[i]! * 8 * d.sampleRate) / 1024);
    avg += Math.trunc((rate - avg) / (i + 1));
  }
  return avg;
}

/** 2^33: the MPEG-TS timestamp range. */
const TS_WRAP = 2 ** 33;

/**
 * ffmpeg's PTS wrap handling (libavformat update_wrap_reference): when the first timestamp of a
 * program lies within 60 s before the 33-bit wrap, timestamps from 60 s before it on are reported
 * minus 2^33 (negative) rather than after the wrap plus 2^33, as our demuxer unwraps them.
 */
function ffmpegTsWrap(movie: Movie): Movie {
  let first = Infinity;
  for (const t of movie.tracks) if (t.samples.count > 0 && t.timescale === 90000) first = Math.min(first, t.samples.dts[0]!);
  if (!Number.isFinite(first) || first % TS_WRAP < TS_WRAP - 60 * 90000) return movie;
  const tracks = movie.tracks.map((t) => {
    if (t.timescale !== 90000) return t;
    const dts = t.samples.dts.map((v) => v - TS_WRAP);
    return { ...t, samples: { ...t.samples, dts } };
  });
  return { ...movie, tracks };
}

/** The timestamps as the input has them: ffprobe shows a discontinuity the demuxer mended (PacketView.shift). */
function inputTimestamps(movie: Movie): Movie {
  if (!movie.tracks.some((t) => t.packetView?.shift)) return movie;
  const tracks = movie.tracks.map((t) => {
    const shift = t.packetView?.shift;
    if (!shift) return t;
    const dts = t.samples.dts.map((v, i) => v - shift[i]!);
    return { ...t, samples: { ...t.samples, dts } };
  });
  return { ...movie, tracks };
}

/**
 * ffmpeg's MP3 demuxer starts the stream after the LAME tag's encoder delay plus the decoder's 529 samples
 * (mp3dec.c: start_pad + 528 + 1), while its packets still start at 0.
 */
function mp3Start(t: Track, tl: TimelineSummary): void {
  const d = t.descriptions[0];
  if (d?.encoderDelay === undefined || !d.sampleRate) return;
  tl.startTicks = Math.floor(((d.encoderDelay + 529) * t.timescale) / d.sampleRate);
}

/** The time base ffmpeg's raw audio demuxers give their stream (aacdec, mp3dec, ac3 raw: 1/90000). */
const RAW_AUDIO_CLOCK: Record<string, number> = { aac: 28224000, mp3: 14112000, ac3: 90000, eac3: 90000 };

/**
 * Raw audio files as ffmpeg times them: in its time base, from 0 (an HLS ID3 timestamp is not used), each
 * packet the parser's frame duration rounded down, accumulated.
 */
function ffmpegRawAudioClock(movie: Movie): Movie {
  const clock = RAW_AUDIO_CLOCK[movie.container];
  if (!clock) return movie;
  const tracks = movie.tracks.map((t) => {
    const s = t.samples;
    const dts = new Float64Array(s.count);
    const duration = new Float64Array(s.count);
    let at = 0;
    for (let i = 0; i < s.count; i++) {
      dts[i] = at;
      duration[i] = Math.floor((s.duration[i]! * clock) / t.timescale);
      at += duration[i]!;
    }
    return { ...t, timescale: clock, durationTicks: at, edits: [], samples: { ...s, dts, duration } };
  });
  return { ...movie, timescale: clock, durationTicks: Math.max(0, ...tracks.map((t) => t.durationTicks)), tracks };
}

/** ffprobe's packet pos: the container's unit offset when the demuxer kept one, else the sample offset. */
function posOf(t: Track, i: number): { pos?: string } {
  const p = t.packetView ? t.packetView.pos[i]! : t.samples.offset[i]!;
  return Number.isNaN(p) ? {} : { pos: String(p) };
}

/** Frame timestamp estimates: decodable (not discarded) packets in presentation order, per stream. */
function framesOf(tracks: readonly Track[], timelines: readonly Timeline[], fields: readonly CodecFields[]): ProbeFrame[] {
  const out: ProbeFrame[] = [];
  tracks.forEach((t, si) => {
    const tl = timelines[si]!;
    const kept: number[] = [];
    // Frames exist only for packets whose bytes are in the input (as ffprobe stops at the end of the data).
    for (let k = 0; k < tl.sample.length; k++) {
      const i = tl.sample[k]!;
      if (!tl.discard[k] && t.samples.offset[i]! + t.samples.size[i]! <= t.data.length) kept.push(k);
    }
    const order = [...kept].sort((a, b) => tl.pts[a]! - tl.pts[b]! || a - b);
    // A decoder with reordering outputs frame n when packet n + delay arrives: that packet's dts is the frame's pkt_dts.
    const decodeIndex = new Map<number, number>();
    kept.forEach((k, n) => decodeIndex.set(k, n));
    let delay = t.kind === 'video' ? fields[si]!.reorderDepth ?? 0 : 0;
    order.forEach((k, n) => (delay = Math.max(delay, decodeIndex.get(k)! - n)));
    const pict = t.kind === 'video' ? framePictTypes(t, t.data) : undefined;
    order.forEach((k, n) => {
      const dtsPacket = kept[Math.min(n + delay, kept.length - 1)]!;
      const i = tl.sample[k]!;
      // The decoder trims audio priming (skip samples): the first frame starts where the edit starts.
      const trimmed = t.kind === 'audio' && n === 0 && tl.pts[k]! < tl.startTicks;
      const frame: ProbeFrame = {
        media_type: t.kind,
        stream_index: si,
        key_frame: (t.samples.flags[i]! & SYNC) !== 0 ? 1 : 0,
        pts: trimmed ? tl.startTicks : tl.pts[k]!,
        pts_time: timeString(trimmed ? tl.startTicks : tl.pts[k]!, t.timescale),
        pkt_dts: trimmed ? tl.startTicks : tl.dts[dtsPacket]!,
        pkt_dts_time: timeString(trimmed ? tl.startTicks : tl.dts[dtsPacket]!, t.timescale),
      };
      const p = pict?.(i);
      if (p) frame.pict_type = p;
      out.push(frame);
    });
  });
  return out;
}
