/**
 * analyzeGop vs ffmpeg 5.1 on every sample with a video track: keyframe times = the pts of ffprobe's key packets
 * (-show_packets, decode order); frames per GOP and leading pictures counted from ffprobe's packets; I/P/B per GOP
 * from `ffprobe -show_frames` pict_type (which decodes) matched to the packets by pts; IDR flags from the NAL unit
 * types ffmpeg's `trace_headers` bitstream filter prints.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeGop, type GopAnalysis } from '../../src/api/gop.js';
import { isBoxwrightError } from '../../src/io/errors.js';
import { ffprobeJson } from '../helpers/ffprobe.js';
import { allSamples, REPO } from '../helpers/samples.js';

interface FfPacket {
  pts?: number;
  dts?: number;
  flags: string;
}

/** ffprobe's view of the first video stream: time base, packets (decode order) and pict_type by pts. */
function ffprobeVideo(path: string): { timeBase: number; packets: FfPacket[]; pict: Map<number, string>; codec: string } | undefined {
  const ff = ffprobeJson(path, ['-select_streams', 'v:0', '-show_streams', '-show_packets', '-show_entries', 'stream=codec_name,time_base:packet=pts,dts,flags']);
  const stream = (ff?.streams as Array<{ codec_name?: string; time_base: string }> | undefined)?.[0];
  if (!stream) return undefined;
  const [n, d] = stream.time_base.split('/').map(Number);
  const frames = ffprobeJson(path, ['-select_streams', 'v:0', '-show_frames', '-show_entries', 'frame=pts,pict_type']);
  const pict = new Map<number, string>();
  for (const f of (frames?.frames ?? []) as Array<{ pts?: number; pict_type?: string }>) if (f.pts !== undefined && f.pict_type) pict.set(f.pts, f.pict_type);
  return { timeBase: d! / n!, packets: (ff?.packets ?? []) as FfPacket[], pict, codec: stream.codec_name ?? '' };
}

/** The expected GOPs from ffprobe's packets and frames. */
function expectedGops(ff: NonNullable<ReturnType<typeof ffprobeVideo>>): Array<{ pts: number; frames: number; leading: number; types: Record<string, number> }> {
  const out: Array<{ pts: number; frames: number; leading: number; types: Record<string, number> }> = [];
  for (const p of ff.packets) {
    if (p.flags.includes('D')) continue;
    if (p.flags.includes('K')) out.push({ pts: p.pts!, frames: 0, leading: 0, types: { I: 0, P: 0, B: 0 } });
    const g = out[out.length - 1];
    if (!g) continue;
    g.frames++;
    if (p.pts! < g.pts) g.leading++;
    const t = ff.pict.get(p.pts!);
    if (t) g.types[t] = (g.types[t] ?? 0) + 1;
  }
  return out;
}

/** The first VCL nal_unit_type of each packet, in decode order (ffmpeg's trace_headers). */
function vclNalTypes(path: string, hevc: boolean): number[] {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-nostdin', '-i', path, '-map', '0:v:0', '-c', 'copy', '-bsf:v', 'trace_headers', '-f', 'null', '-'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return traceTypes(r.stderr, hevc);
}

function traceTypes(log: string, hevc: boolean): number[] {
  const out: number[] = [];
  let inPacket = false;
  let found = true;
  for (const line of log.split('\n')) {
    if (line.includes('] Packet: ')) {
      if (inPacket && !found) out.push(-1);
      inPacket = true;
      found = false;
      continue;
    }
    const m = /nal_unit_type\s+[01]+ = (\d+)/.exec(line);
    if (!m || !inPacket || found) continue;
    const t = Number(m[1]);
    if (hevc ? t <= 31 : t >= 1 && t <= 5) {
      out.push(t);
      found = true;
    }
  }
  if (inPacket && !found) out.push(-1);
  return out;
}

const OWN = ['gop-h264-open.mp4', 'gop-h264-open.ts', 'gop-h264-closed.mp4', 'gop-hevc-open.mp4', 'gop-hevc-open.ts', 'gop-hevc-closed.mp4'].map((n) =>
  join(REPO, 'samples/analyze', n),
);

/** Every sample with a video track ffprobe sees, ours and third-party. */
function videoSamples(): string[] {
  const files = [...OWN, ...allSamples().map((s) => s.path)];
  return [...new Set(files)].filter((p) => !/\.(m4s|m4a|aac|adts|mp3|ac3|ec3|wav)$/i.test(p));
}

const ENCRYPTED = /encrypted|cbcs|cenc|PIFF|_enc|encv|multidrm/i;
/**
 * Where our packet times differ from ffprobe's, the same as probeMedia's (test/oracle/probe-parity.test.ts lists
 * why): H.264 access units that continue into the next PES get their PES timestamp differently. The keyframes are
 * the same pictures, one frame's duration later.
 */
const TIMES_DIFFER = /with-overflow-nalus/;

const results = new Map<string, GopAnalysis>();

describe.each(videoSamples().map((p) => [p.replace(`${REPO}/`, '').replace(/.*thirdparty\//, 'thirdparty/'), p] as const))('%s', (_name, path) => {
  const ff = ffprobeVideo(path);
  let ours: GopAnalysis | undefined;
  let error: unknown;
  try {
    ours = analyzeGop(new Uint8Array(readFileSync(path)));
    results.set(path, ours);
  } catch (e) {
    error = e;
  }
  if (!ff) {
    test('no video stream: NO_TRACK or another BoxwrightError', () => {
      if (ours) return; // ffprobe cannot open some inputs we read (a bare segment): nothing to compare.
      expect(isBoxwrightError(error)).toBe(true);
    });
    return;
  }
  // Encrypted video: ffmpeg parses and decodes ciphertext (its key flags and picture types are noise); we read
  // the container's sync flags and no slice headers.
  const encrypted = ENCRYPTED.test(path);
  test('keyframes, frames per GOP and leading pictures equal ffprobe packets', () => {
    if (!ours) throw error;
    if (encrypted) {
      expect(ours.frameTypes).toBe('keyframes-only');
      return;
    }
    const exp = expectedGops(ff);
    if (TIMES_DIFFER.test(path)) {
      expect(ours.framesPerGop).toEqual(exp.map((g) => g.frames));
      return;
    }
    // Seconds back to ffprobe's ticks.
    expect(ours.keyframes.map((s) => Math.round(s * ff.timeBase))).toEqual(exp.map((g) => g.pts));
    expect(ours.framesPerGop).toEqual(exp.map((g) => g.frames));
    expect(ours.gops.map((g) => g.leading)).toEqual(exp.map((g) => g.leading));
  });
  test('picture types per GOP equal ffprobe -show_frames pict_type', () => {
    if (!ours) throw error;
    if ((ff.codec !== 'h264' && ff.codec !== 'hevc') || encrypted) {
      expect(ours.frameTypes).toBe('keyframes-only');
      expect(ours.gops.every((g) => g.types === undefined && g.idr === undefined)).toBe(true);
      return;
    }
    const expected = expectedGops(ff);
    if (ours.frameCount === 0) {
      expect(expected).toEqual([]); // an init segment: nothing to analyse
      return;
    }
    expect(ours.frameTypes).toBe('slice-header');
    const exp = expectedGops(ff);
    expect(ours.gops.map((g) => g.types)).toEqual(exp.map((g) => g.types));
  });
});

describe('IDR and open/closed GOPs', () => {
  test.each(OWN.map((p) => [p.split('/').pop()!, p] as const))('%s: idr equals the keyframe NAL type (trace_headers)', (_n, path) => {
    const ours = results.get(path) ?? analyzeGop(new Uint8Array(readFileSync(path)));
    const hevc = ours.codec === 'hevc';
    const ff = ffprobeVideo(path)!;
    const types = vclNalTypes(path, hevc);
    expect(types.length).toBe(ff.packets.length);
    const keyTypes = ff.packets.map((p, k) => (p.flags.includes('K') ? types[k]! : undefined)).filter((t): t is number => t !== undefined);
    expect(ours.gops.map((g) => g.idr)).toEqual(keyTypes.map((t) => (hevc ? t === 19 || t === 20 : t === 5)));
    expect(ours.idrCount).toBe(keyTypes.filter((t) => (hevc ? t === 19 || t === 20 : t === 5)).length);
  });

  test('x264 open GOP: IDR first, then open GOPs (non-IDR I with leading B-frames)', () => {
    for (const f of ['gop-h264-open.mp4', 'gop-h264-open.ts']) {
      const g = results.get(join(REPO, 'samples/analyze', f))!.gops;
      expect(g.map((x) => [x.idr, x.closed])).toEqual([[true, true], [false, false], [false, false]]);
      expect(g.slice(1).every((x) => x.leading > 0 && x.types!.I === 1)).toBe(true);
    }
  });

  test('x265 open GOP: CRA with RASL pictures is open; closed-GOP x265 has only IDRs', () => {
    for (const f of ['gop-hevc-open.mp4', 'gop-hevc-open.ts']) {
      const g = results.get(join(REPO, 'samples/analyze', f))!.gops;
      expect(g.map((x) => [x.idr, x.closed])).toEqual([[true, true], [false, false], [false, false]]);
    }
    const closed = results.get(join(REPO, 'samples/analyze/gop-hevc-closed.mp4'))!;
    expect(closed.gops.every((x) => x.idr && x.closed && x.leading === 0)).toBe(true);
    expect(closed.idrCount).toBe(3);
  });

  test('intra refresh: one IDR, then GOPs at recovery points made of P pictures (open)', () => {
    const r = results.get(join(REPO, 'samples/h264-intra-refresh.ts'))!;
    expect(r.gops[0]).toMatchObject({ idr: true, closed: true });
    expect(r.gops.length).toBeGreaterThan(3);
    for (const g of r.gops.slice(1)) expect(g).toMatchObject({ idr: false, closed: false, types: { I: 0, B: 0 } });
  });

  test('summary fields agree with the GOP list', () => {
    for (const r of results.values()) {
      expect(r.gopDurations).toEqual(r.gops.map((g) => g.duration));
      expect(r.framesPerGop.reduce((a, b) => a + b, 0) + r.framesBeforeFirstKeyframe).toBe(r.frameCount);
      if (r.gops.length) {
        expect(r.maxGop).toBeCloseTo(Math.max(...r.gopDurations), 9);
        expect(r.minGop).toBeCloseTo(Math.min(...r.gopDurations), 9);
        expect(r.avgGop).toBeCloseTo(r.gopDurations.reduce((a, b) => a + b, 0) / r.gops.length, 9);
      }
    }
  });
});

describe('arguments and errors', () => {
  const mp4 = new Uint8Array(readFileSync(join(REPO, 'samples/h264-aac.mp4')));
  test('no video track: NO_TRACK', () => {
    expect(() => analyzeGop(new Uint8Array(readFileSync(join(REPO, 'samples/aac.m4a'))))).toThrow(expect.objectContaining({ code: 'NO_TRACK' }));
  });
  test('track names the audio track or no track: NO_TRACK; the video track ID works', () => {
    expect(() => analyzeGop(mp4, { track: 2 })).toThrow(expect.objectContaining({ code: 'NO_TRACK' }));
    expect(() => analyzeGop(mp4, { track: 9 })).toThrow(expect.objectContaining({ code: 'NO_TRACK' }));
    expect(analyzeGop(mp4, { track: 1 }).track).toBe(1);
    const ts = new Uint8Array(readFileSync(join(REPO, 'samples/h264-aac.ts')));
    expect(analyzeGop(ts, { track: 256 }).track).toBe(256);
  });
  test('bad arguments: TypeError / RangeError', () => {
    expect(() => analyzeGop('x' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => analyzeGop(mp4, { track: 1.5 })).toThrow(RangeError);
    expect(() => analyzeGop(mp4, { track: '1' as unknown as number })).toThrow(TypeError);
    expect(() => analyzeGop(mp4, { tracks: 1 } as unknown as { track: number })).toThrow(RangeError);
  });
  test('one frame: one GOP of one frame lasting its duration', () => {
    const r = analyzeGop(new Uint8Array(readFileSync(join(REPO, 'samples/analyze/one-frame.mp4'))));
    expect(r).toMatchObject({ keyframes: [0], gopDurations: [0.04], framesPerGop: [1], frameCount: 1, idrCount: 1, avgGop: 0.04 });
    expect(r.gops[0]).toEqual({ start: 0, duration: 0.04, frames: 1, leading: 0, closed: true, idr: true, types: { I: 1, P: 0, B: 0 } });
  });
  test('not media: a BoxwrightError', () => {
    expect(() => analyzeGop(new Uint8Array(100))).toThrow(expect.objectContaining({ name: 'BoxwrightError' }));
  });
});
