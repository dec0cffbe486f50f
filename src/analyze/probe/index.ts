/** `probeMedia` for ISO-BMFF / QuickTime input: the movie model rendered as ffprobe would report it. */
import type { Movie, SampleDescription, Track } from '../../model/movie.js';
import { SYNC } from '../../model/sample-table.js';
import { gcd } from '../../model/time.js';
import { codecFields, type CodecFields } from './codec-fields.js';
import { fixed6, fourccString, fourccTag, timeString } from './format-number.js';
import { guessRealFrameRate, ratio, RFPS_FRAMES } from './frame-rate.js';
import { interleave } from './interleave.js';
import type { ProbeDisposition, ProbeFrame, ProbePacket, ProbeReport, ProbeStream } from './report.js';
import { buildTimeline, type Timeline } from './timeline.js';
import { framePictTypes } from './pict-type.js';

export type { ProbeReport, ProbeStream, ProbeFormat, ProbePacket, ProbeFrame } from './report.js';

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

function streamReport(track: Track, index: number, tl: Timeline, fragmentedOnly: boolean): ProbeStream {
  const d = track.descriptions[0] ?? { entryType: '\0\0\0\0', format: '\0\0\0\0' };
  const f = codecFields(d);
  const tagFourcc = d.format;
  const s: ProbeStream = {
    index,
    codec_type: codecTypeOf(track),
    codec_tag_string: fourccString(tagFourcc),
    codec_tag: fourccTag(tagFourcc),
    id: `0x${track.id.toString(16)}`,
    r_frame_rate: '0/0',
    avg_frame_rate: '0/0',
    time_base: `1/${track.timescale}`,
    disposition: disposition(track.enabled),
    tags: {},
  };
  if (d.codec) s.codec_name = d.codec;
  if (f.profile) s.profile = f.profile;
  if (track.kind === 'video') {
    s.width = f.width ?? 0;
    s.height = f.height ?? 0;
    s.coded_width = f.coded_width ?? s.width;
    s.coded_height = f.coded_height ?? s.height;
    const a = aspect(d, f);
    if (a.sar) s.sample_aspect_ratio = a.sar;
    if (a.dar) s.display_aspect_ratio = a.dar;
    if (f.pix_fmt) s.pix_fmt = f.pix_fmt;
    if (f.level !== undefined) s.level = f.level;
    if (f.color_range) s.color_range = f.color_range;
    if (f.color_space) s.color_space = f.color_space;
    if (f.color_transfer) s.color_transfer = f.color_transfer;
    if (f.color_primaries) s.color_primaries = f.color_primaries;
    if (f.field_order) s.field_order = f.field_order;
    frameRates(s, track, tl, f);
  }
  if (track.kind === 'audio') {
    if (f.sample_rate !== undefined) s.sample_rate = String(f.sample_rate);
    if (f.channels !== undefined) s.channels = f.channels;
    if (f.channel_layout) s.channel_layout = f.channel_layout;
    s.bits_per_sample = f.bits_per_sample ?? 0;
  }
  if (tl.sample.length > 0 || track.durationTicks > 0) {
    s.start_pts = tl.startTicks;
    s.start_time = timeString(tl.startTicks, track.timescale);
  }
  if (tl.durationTicks > 0) {
    s.duration_ts = tl.durationTicks;
    s.duration = timeString(tl.durationTicks, track.timescale);
    let bytes = 0;
    for (let i = 0; i < track.samples.count; i++) bytes += track.samples.size[i]!;
    s.bit_rate = String(Math.round((bytes * 8 * track.timescale) / tl.durationTicks));
  }
  if (!fragmentedOnly) s.nb_frames = String(track.samples.count);
  if (track.language) s.tags.language = track.language;
  if (track.handlerName) s.tags.handler_name = track.handlerName;
  if (track.kind === 'video' || track.kind === 'audio') s.tags.vendor_id = '[0][0][0][0]';
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

function frameRates(s: ProbeStream, track: Track, tl: Timeline, f: CodecFields): void {
  const t = track.samples;
  if (t.count === 0) return;
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
  const dts = Array.from(tl.dts.subarray(0, RFPS_FRAMES + 1));
  const guess = guessRealFrameRate(dts, track.timescale);
  if (guess) s.r_frame_rate = ratio(guess[0], guess[1]);
  else if (f.timingRate) s.r_frame_rate = ratio(f.timingRate.num, f.timingRate.den);
  else s.r_frame_rate = ratio(track.timescale, 1);
}

const FORMAT_NAME = 'mov,mp4,m4a,3gp,3g2,mj2';

/** The ffprobe-shaped report of a demuxed ISO-BMFF movie. */
export function probeMovie(movie: Movie, size: number, data: Uint8Array, options: ProbeOptions = {}): ProbeReport {
  const tracks = movie.tracks;
  const timelines = tracks.map((t) => buildTimeline(t, movie.timescale));
  const fragmentedOnly = movie.fragmented;
  const streams = tracks.map((t, i) => streamReport(t, i, timelines[i]!, fragmentedOnly));

  // Format timing: earliest stream start to latest stream end (AV_TIME_BASE precision), as avformat does.
  let start = Infinity;
  let end = -Infinity;
  tracks.forEach((t, i) => {
    const tl = timelines[i]!;
    if (tl.sample.length === 0 && tl.durationTicks === 0) return;
    const st = Math.round((tl.startTicks * 1e6) / t.timescale);
    start = Math.min(start, st);
    end = Math.max(end, st + Math.round((tl.durationTicks * 1e6) / t.timescale));
  });
  const tags: Record<string, string> = {};
  if (movie.majorBrand !== undefined) {
    tags.major_brand = movie.majorBrand;
    tags.minor_version = String(movie.minorVersion ?? 0);
    tags.compatible_brands = movie.compatibleBrands.join('');
  }
  Object.assign(tags, movie.tags);
  const format: ProbeReport['format'] = {
    nb_streams: tracks.length,
    nb_programs: 0,
    format_name: FORMAT_NAME,
    format_long_name: 'QuickTime / MOV',
    size: String(size),
    probe_score: 100,
    tags,
  };
  if (Number.isFinite(start)) {
    format.start_time = fixed6(start / 1e6);
    const durationUs = end - start;
    format.duration = fixed6(durationUs / 1e6);
    if (durationUs > 0) format.bit_rate = String(Math.floor((size * 8 * 1e6) / durationUs));
  }
  const report: ProbeReport = { format, streams };
  if (options.packets) report.packets = packetsOf(tracks, timelines);
  if (options.frames) report.frames = framesOf(tracks, timelines, data);
  return report;
}

function packetsOf(tracks: readonly Track[], timelines: readonly Timeline[]): ProbePacket[] {
  return interleave(tracks, timelines).map(({ track, packet }) => {
    const t = tracks[track]!;
    const tl = timelines[track]!;
    const i = tl.sample[packet]!;
    const ts = t.timescale;
    const key = (t.samples.flags[i]! & SYNC) !== 0;
    return {
      codec_type: t.kind,
      stream_index: track,
      pts: tl.pts[packet]!,
      pts_time: timeString(tl.pts[packet]!, ts),
      dts: tl.dts[packet]!,
      dts_time: timeString(tl.dts[packet]!, ts),
      duration: tl.duration[packet]!,
      duration_time: timeString(tl.duration[packet]!, ts),
      size: String(t.samples.size[i]!),
      pos: String(t.samples.offset[i]!),
      flags: `${key ? 'K' : '_'}${tl.discard[packet] ? 'D' : '_'}`,
    };
  });
}

/** Frame timestamp estimates: decodable (not discarded) packets in presentation order, per stream. */
function framesOf(tracks: readonly Track[], timelines: readonly Timeline[], data: Uint8Array): ProbeFrame[] {
  const out: ProbeFrame[] = [];
  tracks.forEach((t, si) => {
    const tl = timelines[si]!;
    const kept: number[] = [];
    for (let k = 0; k < tl.sample.length; k++) if (!tl.discard[k]) kept.push(k);
    const order = [...kept].sort((a, b) => tl.pts[a]! - tl.pts[b]! || a - b);
    // A decoder with reordering outputs frame n when packet n + delay arrives: that packet's dts is the frame's pkt_dts.
    const decodeIndex = new Map<number, number>();
    kept.forEach((k, n) => decodeIndex.set(k, n));
    let delay = 0;
    order.forEach((k, n) => (delay = Math.max(delay, decodeIndex.get(k)! - n)));
    const pict = t.kind === 'video' ? framePictTypes(t, data) : undefined;
    order.forEach((k, n) => {
      const dtsPacket = kept[Math.min(n + delay, kept.length - 1)]!;
      const i = tl.sample[k]!;
      const frame: ProbeFrame = {
        media_type: t.kind,
        stream_index: si,
        key_frame: (t.samples.flags[i]! & SYNC) !== 0 ? 1 : 0,
        pts: tl.pts[k]!,
        pts_time: timeString(tl.pts[k]!, t.timescale),
        pkt_dts: tl.dts[dtsPacket]!,
        pkt_dts_time: timeString(tl.dts[dtsPacket]!, t.timescale),
      };
      const p = pict?.(i);
      if (p) frame.pict_type = p;
      out.push(frame);
    });
  });
  return out;
}
