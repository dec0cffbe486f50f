/** ffprobe 5.1 as the oracle for the elementary-stream demuxers: packet-by-packet agreement. */
import { ffprobeJson } from '../../helpers/ffprobe.js';
import type { Movie } from '../../../src/model/movie.js';

export interface ProbePacket {
  pts: number;
  dts: number;
  duration: number;
  size: number;
  pos: number;
}

export interface ProbeStream {
  codec_name?: string;
  sample_rate?: string;
  channels?: number;
  channel_layout?: string;
  time_base: string;
  duration?: string;
  bits_per_sample?: number;
}

export interface Probe {
  packets: ProbePacket[];
  stream: ProbeStream;
  format: { format_name?: string; duration?: string };
}

/** ffprobe's audio stream and its packets for `path` (fails when ffprobe cannot open it). */
export function probeAudio(path: string): Probe {
  const j = ffprobeJson(path, ['-show_packets', '-show_streams', '-show_format']) as
    | { packets?: Array<Record<string, unknown>>; streams?: Array<Record<string, unknown>>; format?: Record<string, unknown> }
    | undefined;
  if (!j) throw new Error(`ffprobe cannot read ${path}`);
  const stream = j.streams?.find((s) => s.codec_type === 'audio') as (ProbeStream & { index: number }) | undefined;
  if (!stream) throw new Error(`ffprobe finds no audio stream in ${path}`);
  const num = (v: unknown): number => (typeof v === 'string' ? Number(v) : NaN);
  const packets = (j.packets ?? [])
    .filter((p) => p.stream_index === stream.index)
    .map((p) => ({ pts: Number(p.pts), dts: Number(p.dts), duration: Number(p.duration), size: num(p.size), pos: num(p.pos) }));
  return { packets, stream, format: (j.format ?? {}) as Probe['format'] };
}

/** Per-packet agreement between track 1 of `movie` and ffprobe. */
export interface Agreement {
  ours: number;
  theirs: number;
  /** Packets (by index) where every compared field agrees. */
  matching: number;
  /** First few disagreements, human-readable. */
  diffs: string[];
}

/**
 * Compares packet count and each packet's pts, dts, duration, size and pos. Times are compared in
 * ffprobe's time_base, relative to the first packet (ffprobe's raw demuxers start at 0; ours may start at
 * an HLS ID3 timestamp). ffmpeg derives raw-stream timestamps the way we emulate here: each packet's
 * duration rescaled to the time base rounding down (ff_compute_frame_duration → AV_ROUND_DOWN), pts the
 * running sum — so AC-3 at 44.1 kHz in 1/90000 gets 3134 per frame, not 3134.69. Where the time base is a
 * multiple of the sample rate (AAC, MP3, WAV) this is exact. `headerOf(i)` is how many bytes ffprobe's packet i has in front of ours
 * (the ADTS header: ffprobe's packets are whole ADTS frames, our samples only the payload).
 */
export function agreement(movie: Movie, probe: Probe, headerOf: (i: number) => number = () => 0): Agreement {
  const t = movie.tracks[0]!;
  const s = t.samples;
  const [n, d] = probe.stream.time_base.split('/').map(Number) as [number, number];
  const toTb = (ticks: number): number => Math.floor((ticks * d) / (n * t.timescale));
  const diffs: string[] = [];
  let matching = 0;
  const count = Math.min(s.count, probe.packets.length);
  const p0 = probe.packets[0]?.pts ?? 0;
  let clock = 0;
  let ticksBefore = 0;
  for (let i = 0; i < count; i++) {
    const p = probe.packets[i]!;
    const h = headerOf(i);
    const duration = toTb(s.duration[i]!);
    const ours = { pts: clock + toTb(s.ctsOffset[i]!), dts: clock, duration, size: s.size[i]! + h, pos: s.offset[i]! - h };
    clock += duration;
    // Our own timeline must be gap-free: dts = first dts + the durations before it.
    if (s.dts[i]! !== s.dts[0]! + ticksBefore) diffs.push(`#${i}: dts ${s.dts[i]} is not the running sum ${s.dts[0]! + ticksBefore}`);
    ticksBefore += s.duration[i]!;
    const theirs = { pts: p.pts - p0, dts: p.dts - p0, duration: p.duration, size: p.size, pos: p.pos };
    const bad = (Object.keys(ours) as Array<keyof typeof ours>).filter((k) => ours[k] !== theirs[k]);
    if (bad.length === 0) matching++;
    else if (diffs.length < 5) diffs.push(`#${i}: ${bad.map((k) => `${k} ours ${ours[k]} ffprobe ${theirs[k]}`).join(', ')}`);
  }
  if (s.count !== probe.packets.length) diffs.push(`count ours ${s.count} ffprobe ${probe.packets.length}`);
  return { ours: s.count, theirs: probe.packets.length, matching, diffs };
}

/** Track duration in seconds. */
export function durationSeconds(movie: Movie): number {
  const t = movie.tracks[0]!;
  return t.durationTicks / t.timescale;
}
