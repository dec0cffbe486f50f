/**
 * A remuxed MPEG-TS (or an elementary stream with an HLS ID3 timestamp) starts at 0, as `ffmpeg -c copy` starts it.
 * For every such input among our samples and the third-party corpus, per output format, ffprobe on our output
 * against ffprobe on ffmpeg's own `-c copy` output of the same streams:
 * - mp4 / mov: the same start_time and packet pts/dts per stream, up to one constant per stream smaller than 1 ms
 *   (ffmpeg rounds the empty edit that delays B-frame video down to its 1/1000 s movie timescale; ours is in the
 *   input's 90 kHz, so A/V sync stays exact) plus one tick of either time base;
 * - ts: the same pts/dts to the tick (ffmpeg's mpegts muxer: earliest decode time 0, then its 1.4 s offset);
 * - fmp4: the presentation times of ffmpeg's MP4 (ffmpeg's own fragmented output restarts each track's decode
 *   time at 0 and so moves video against audio; ours moves the decode times of B-frame video up to 0 and its
 *   composition offsets down, so presentation is exact), read with mp4box.js because ffprobe adds its dts_shift
 *   to the pts of fragmented files with negative composition offsets.
 * Payloads: every packet has the same bytes (framemd5) as with `keepTimestamps: true`, the behaviour before this
 * change, which is also checked: the input's own timestamps.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFile, MP4BoxBuffer } from 'mp4box';
import { createFragmentedMp4, streamCopy } from '../../src/api/remux.js';
import { findBoxes, readBoxes } from '../../src/api/boxes.js';
import { demuxAny } from '../../src/demux/index.js';
import { sniffFormat } from '../../src/demux/sniff.js';
import type { Movie } from '../../src/model/movie.js';
import { TIMESTAMP_OFFSET_90K } from '../../src/mux/ts/index.js';
import { ffprobeBin, ffprobeJson } from '../helpers/ffprobe.js';
import { otherMediaSamples } from '../helpers/samples.js';

const dir = mkdtempSync(join(tmpdir(), 'boxwright-tszero-'));

interface Stream {
  index: number;
  codec_type: string;
  codec_name?: string;
  time_base: string;
  start_time?: string;
}
interface Packet {
  stream_index: number;
  pts?: number;
  dts?: number;
}
/** Per output stream: time base (seconds per tick), start time (s), packets' pts and dts (ticks). */
interface Timeline {
  tb: number;
  start: number;
  pts: number[];
  dts: number[];
}

function timelines(path: string): Timeline[] {
  const j = ffprobeJson(path, ['-show_streams', '-show_packets']);
  if (!j) throw new Error(`ffprobe cannot read ${path}`);
  const streams = j.streams as Stream[];
  return streams.map((s) => {
    const [n, d] = s.time_base.split('/').map(Number) as [number, number];
    const pk = (j.packets as Packet[]).filter((p) => p.stream_index === s.index);
    return { tb: n / d, start: Number(s.start_time), pts: pk.map((p) => Number(p.pts)), dts: pk.map((p) => Number(p.dts)) };
  });
}

/** framemd5 payload hashes (size:md5) per stream. */
function hashes(path: string): string[][] {
  ffprobeBin();
  const out = execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-map', '0', '-c', 'copy', '-f', 'framemd5', '-'], { maxBuffer: 1 << 28 }).toString();
  const by: string[][] = [];
  for (const line of out.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const c = line.split(',').map((x) => x.trim());
    (by[Number(c[0])] ??= []).push(`${c[4]}:${c[5]}`);
  }
  return by;
}

/** Raw sample times per track as mp4box.js reads them (no edit lists, no dts_shift): seconds. */
function mp4boxTimes(data: Uint8Array): Array<{ dts: number[]; pts: number[] }> {
  const f = createFile();
  let ids: number[] = [];
  f.onReady = (info) => (ids = info.tracks.map((t) => t.id));
  const ab = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as MP4BoxBuffer;
  ab.fileStart = 0;
  f.appendBuffer(ab);
  f.flush();
  return ids.map((id) => {
    const s = f.getTrackSamplesInfo(id);
    return { dts: s.map((x) => x.dts / x.timescale), pts: s.map((x) => x.cts / x.timescale) };
  });
}

/** The streams our default selection writes (first video + first audio with packets), as ffmpeg `-map`s. */
function selection(path: string): number[] {
  const j = ffprobeJson(path, ['-show_streams', '-show_packets']);
  const withPackets = new Set(((j?.packets ?? []) as Packet[]).map((p) => p.stream_index));
  const streams = ((j?.streams ?? []) as Stream[]).filter((s) => s.codec_name !== undefined && withPackets.has(s.index));
  const v = streams.find((s) => s.codec_type === 'video');
  const a = streams.find((s) => s.codec_type === 'audio');
  return streams.filter((s) => s === v || s === a).map((s) => s.index);
}

/** Inputs where ffmpeg re-derives the video DTS (some PES carry a PTS only), so its DTS differ from the PES values we keep. */
const KNOWN_DTS = /overflow-nalus/;

/** Each track's first `tfdt` by track ID. */
function firstDecodeTimes(fmp4: Uint8Array): Map<number, number> {
  const out = new Map<number, number>();
  for (const traf of findBoxes(readBoxes(fmp4), 'moof/traf')) {
    const tfhd = traf.children?.find((b) => b.type === 'tfhd')?.value as { trackId: number } | undefined;
    const tfdt = traf.children?.find((b) => b.type === 'tfdt')?.value as { baseMediaDecodeTime: number } | undefined;
    if (tfhd && tfdt && !out.has(tfhd.trackId)) out.set(tfhd.trackId, tfdt.baseMediaDecodeTime);
  }
  return out;
}

const FFMPEG_FORMAT = { mp4: 'mp4', mov: 'mov', ts: 'mpegts' } as const;

/** ffmpeg's `-c copy` output of `streams`, or undefined when ffmpeg cannot write it. */
function ffmpegCopy(path: string, streams: number[], format: keyof typeof FFMPEG_FORMAT, out: string): string | undefined {
  const maps = streams.flatMap((s) => ['-map', `0:${s}`]);
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', '-i', path, ...maps, '-c', 'copy', '-f', FFMPEG_FORMAT[format], out]);
  return r.status === 0 ? out : undefined;
}

const inputs = otherMediaSamples().filter((s) => {
  const f = sniffFormat(s.data);
  if (f === 'mpegts' || f === 'm2ts') return true;
  // Elementary streams with an HLS packed-audio ID3 timestamp.
  return (f === 'adts' || f === 'mp3' || f === 'ac3') && /hls|id3|segment/i.test(s.name);
});

/** Seconds per tick of the coarser of two time bases, plus the finer one's (each side rounds once). */
const tickOf = (a: number, b: number): number => a + b + 1e-9;

const checked: string[] = [];
const skipped: string[] = [];

test('the inputs include MPEG-TS and ID3-timestamped elementary streams', () => {
  expect(inputs.filter((s) => /\.ts$/.test(s.path)).length).toBeGreaterThan(20);
  expect(inputs.some((s) => /id3-metadata\.aac$/.test(s.path))).toBe(true);
});

describe.each(inputs.map((s) => [s.name, s] as const))('%s', (name, s) => {
  const base = join(dir, name.replace(/\W/g, '_'));
  let sel: number[] = [];
  beforeAll(() => {
    sel = selection(s.path);
  });

  test.each(['mp4', 'mov', 'ts'] as const)('%s output starts where ffmpeg -c copy starts it', (format) => {
    let ours: Uint8Array;
    try {
      ours = streamCopy(s.data, { format });
    } catch (e) {
      skipped.push(`${name} ${format}: ${(e as Error).message}`);
      return;
    }
    const ref = sel.length ? ffmpegCopy(s.path, sel, format, `${base}.ff.${format}`) : undefined;
    if (!ref) {
      skipped.push(`${name} ${format}: ffmpeg cannot write it`);
      return;
    }
    const file = `${base}.ours.${format}`;
    writeFileSync(file, ours);
    const got = timelines(file);
    const want = timelines(ref);
    const kinds = (ffprobeJson(ref, ['-show_streams'])!.streams as Stream[]).map((x) => x.codec_type);
    expect(got.length).toBe(want.length);
    got.forEach((g, k) => {
      const w = want[k]!;
      // ffmpeg re-derives audio timestamps from the sample count (av_rescale_delta in its stream copy), so where the
      // input's PES timestamps jitter its packets move by up to a few hundred µs; we keep the input's.
      const tick = kinds[k] === 'audio' ? 0.001 : tickOf(g.tb, w.tb);
      // ffmpeg's empty edit is rounded down to 1 ms (mp4/mov); TS has no edits.
      const allowed = format === 'ts' ? tick : 0.001 + tick;
      const n = Math.min(g.pts.length, w.pts.length);
      // ffmpeg's stream copy drops video packets before the first keyframe; we keep them: align on the end.
      const gp = g.pts.slice(g.pts.length - n).map((x) => x * g.tb);
      const gd = g.dts.slice(g.dts.length - n).map((x) => x * g.tb);
      const wp = w.pts.slice(w.pts.length - n).map((x) => x * w.tb);
      const wd = w.dts.slice(w.dts.length - n).map((x) => x * w.tb);
      if (g.pts.length !== w.pts.length) expect(g.pts.length).toBeGreaterThan(w.pts.length);
      else expect(Math.abs(g.start - w.start)).toBeLessThanOrEqual(allowed);
      // KNOWN_DTS: ffmpeg re-derives the video DTS there; presentation times are still compared.
      const dtsToo = !(kinds[k] === 'video' && KNOWN_DTS.test(name));
      const diffs = [...gp.map((x, i) => x - wp[i]!), ...(dtsToo ? gd.map((x, i) => x - wd[i]!) : [])];
      const lo = Math.min(...diffs);
      const hi = Math.max(...diffs);
      // One constant per stream (ffmpeg's rounded edit), never more than the allowance, and ticks otherwise.
      expect(hi - lo).toBeLessThanOrEqual(tick);
      expect(Math.max(Math.abs(lo), Math.abs(hi))).toBeLessThanOrEqual(allowed);
    });
    // The file starts at 0 (TS: at the writer's 1.4 s, the earliest decode time there).
    if (format !== 'ts') expect(Math.min(...got.map((g) => g.start))).toBeCloseTo(0, 9);
    // Same payloads as with the input's own timestamps.
    const keep = `${base}.keep.${format}`;
    writeFileSync(keep, streamCopy(s.data, { format, keepTimestamps: true }));
    expect(hashes(file)).toEqual(hashes(keep));
    checked.push(`${name} ${format}`);
  });

  test('fmp4 output: presentation times of ffmpeg -c copy to MP4, decode times from 0', () => {
    let ours: Uint8Array;
    try {
      ours = createFragmentedMp4(s.data).data;
    } catch (e) {
      skipped.push(`${name} fmp4: ${(e as Error).message}`);
      return;
    }
    const ref = sel.length ? ffmpegCopy(s.path, sel, 'mp4', `${base}.ff.mp4`) : undefined;
    if (!ref) {
      skipped.push(`${name} fmp4: ffmpeg cannot write it`);
      return;
    }
    const want = timelines(ref);
    // createFragmentedMp4 writes every track: compare those ffmpeg was given (our default selection's order).
    const keepBytes = createFragmentedMp4(s.data, { keepTimestamps: true }).data;
    const fileK = `${base}.keep.fmp4.mp4`;
    writeFileSync(fileK, keepBytes);
    const file = `${base}.ours.fmp4.mp4`;
    writeFileSync(file, ours);
    const got = mp4boxTimes(ours);
    const order = timelines(file).map((_t, i) => i);
    let earliest = Infinity;
    for (const t of got) earliest = Math.min(earliest, ...t.pts.slice(0, 16));
    expect(earliest).toBeCloseTo(0, 9);
    for (const t of got) expect(t.dts[0]).toBeGreaterThanOrEqual(0);
    // Match tracks by kind order: the selection is the first video then the first audio track in input order.
    const kinds = (ffprobeJson(file, ['-show_streams'])!.streams as Stream[]).map((x) => x.codec_type);
    const wantKinds = (ffprobeJson(ref, ['-show_streams'])!.streams as Stream[]).map((x) => x.codec_type);
    wantKinds.forEach((kind, k) => {
      const i = order.find((o) => kinds[o] === kind && kinds.slice(0, o).filter((x) => x === kind).length === wantKinds.slice(0, k).filter((x) => x === kind).length)!;
      const g = got[i]!;
      const w = want[k]!;
      const tick = tickOf(w.tb, 1 / 90000);
      const n = Math.min(g.pts.length, w.pts.length);
      const gp = g.pts.slice(g.pts.length - n);
      const wp = w.pts.slice(w.pts.length - n).map((x) => x * w.tb);
      const diffs = gp.map((x, j) => x - wp[j]!);
      expect(Math.max(...diffs) - Math.min(...diffs)).toBeLessThanOrEqual(tick);
      expect(Math.max(...diffs.map(Math.abs))).toBeLessThanOrEqual(0.001 + tick);
    });
    expect(hashes(file)).toEqual(hashes(fileK));
    checked.push(`${name} fmp4`);
  });

  test('keepTimestamps: true keeps the input timestamps (the behaviour before)', () => {
    let movie: Movie;
    try {
      movie = demuxAny(s.data, { gapless: true }).movie;
    } catch {
      return;
    }
    const tracks = movie.tracks.filter((t) => t.samples.count > 0 && t.descriptions.length > 0);
    if (tracks.length === 0) return;
    let keptFmp4: Uint8Array;
    try {
      keptFmp4 = createFragmentedMp4(s.data, { keepTimestamps: true }).data;
    } catch {
      return; // a track fMP4 cannot carry (timed ID3)
    }
    // fmp4: each track's first tfdt is its first decode time as demuxed (the demuxer unwraps the 33-bit clock).
    const firstTfdt = firstDecodeTimes(keptFmp4);
    // (A negative first decode time, B-frames from PTS 0, has no tfdt: not checked here; the default path avoids it.)
    tracks.forEach((t, i) => t.samples.dts[0]! >= 0 && expect(firstTfdt.get(i + 1)).toBe(t.samples.dts[0]));
    // The default moves every track by the same amount, and the earliest first presentation to 0.
    const movedTfdt = firstDecodeTimes(createFragmentedMp4(s.data).data);
    const start = Math.min(...movie.tracks.filter((t) => t.samples.count > 0).map((t) => t.samples.dts[0]! + t.samples.ctsOffset[0]!));
    if (start !== 0 && tracks.every((t) => t.timescale === 90000)) {
      // Audio (no composition offsets) moves by exactly the start time; video by it less its B-frame lead-in.
      tracks.forEach((t, i) => {
        if (t.samples.ctsOffset[0] === 0 && t.samples.dts[0]! - start >= 0) expect(movedTfdt.get(i + 1)).toBe(t.samples.dts[0]! - start);
      });
    }
    // TS: the input's presentation times plus the writer's 1.4 s.
    let ts: Uint8Array;
    try {
      ts = streamCopy(s.data, { format: 'ts', keepTimestamps: true });
    } catch {
      return;
    }
    const back = demuxAny(ts).movie.tracks.filter((t) => t.samples.count > 0);
    const chosen = tracks.filter((t) => t === tracks.find((x) => x.kind === 'video') || t === tracks.find((x) => x.kind === 'audio'));
    chosen.forEach((t, k) => {
      if (t.timescale !== 90000) return;
      const want = (t.samples.dts[0]! + t.samples.ctsOffset[0]! + TIMESTAMP_OFFSET_90K) % 2 ** 33;
      expect((back[k]!.samples.dts[0]! + back[k]!.samples.ctsOffset[0]!) % 2 ** 33).toBe(want);
    });
  });
});

afterAll(() => console.log(`checked ${checked.length}:\n${checked.join('\n')}\nskipped ${skipped.length}:\n${skipped.join('\n')}`));
