/**
 * detectVfrCfr vs ffmpeg 5.1: packet count and mean presentation delta from ffprobe's packets (pts sorted, as
 * presented); the mode against ffmpeg's `vfrdet` filter where the timescale expresses the rate exactly (vfrdet
 * compares each delta with the previous one, so it calls rounded timestamps VFR: there we check that its deltas
 * differ by one tick only); the frame rate against the rate the sample was made at (samples/analyze/make.sh).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectVfrCfr, type VfrAnalysis } from '../../src/api/vfr.js';
import { ffprobeJson } from '../helpers/ffprobe.js';
import { allSamples, REPO } from '../helpers/samples.js';

const dir = (n: string): string => join(REPO, 'samples/analyze', n);

/** ffprobe's first video stream: time base and the pts of its packets (edit-list discards left out). */
function ffprobePts(path: string): { timeBase: number; pts: number[]; packets: number } | undefined {
  const ff = ffprobeJson(path, ['-select_streams', 'v:0', '-show_streams', '-show_packets', '-show_entries', 'stream=time_base:packet=pts,flags']);
  const stream = (ff?.streams as Array<{ time_base: string }> | undefined)?.[0];
  if (!stream) return undefined;
  const [n, d] = stream.time_base.split('/').map(Number);
  const packets = (ff?.packets ?? []) as Array<{ pts?: number; flags: string }>;
  const pts = packets.filter((p) => !p.flags.includes('D') && p.pts !== undefined).map((p) => p.pts!);
  return { timeBase: d! / n!, pts: pts.sort((a, b) => a - b), packets: packets.length };
}

/** vfrdet's verdict: the VFR ratio and its min/max delta (in the filter's time base). */
function vfrdet(path: string): { ratio: number; min?: number; max?: number } {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-nostdin', '-i', path, '-map', '0:v:0', '-vf', 'vfrdet', '-an', '-f', 'null', '-'], { encoding: 'utf8' });
  const m = /VFR:([0-9.]+) \(\d+\/\d+\)(?: min: (\d+) max: (\d+))?/.exec(r.stderr);
  if (!m) throw new Error(`no vfrdet line for ${path}`);
  return { ratio: Number(m[1]), ...(m[2] ? { min: Number(m[2]), max: Number(m[3]) } : {}) };
}

const read = (p: string): VfrAnalysis => detectVfrCfr(new Uint8Array(readFileSync(p)));

describe('generated CFR and VFR samples', () => {
  const cases: Array<[string, 'cfr' | 'vfr', [number, number] | undefined]> = [
    ['cfr-2997.ts', 'cfr', [30000, 1001]],
    ['cfr-2997-ms.mp4', 'cfr', [30000, 1001]],
    ['cfr-23976-ms.mp4', 'cfr', [24000, 1001]],
    ['cfr-5994.ts', 'cfr', [60000, 1001]],
    ['cfr-5994-ms.mp4', 'cfr', [60000, 1001]],
    ['cfr-25.mp4', 'cfr', [25, 1]],
    ['cfr-30.ts', 'cfr', [30, 1]],
    ['gop-h264-open.mp4', 'cfr', [24, 1]],
    ['gop-hevc-open.ts', 'cfr', [24, 1]],
    ['vfr-dropped.mp4', 'vfr', undefined],
    ['vfr-dropped.ts', 'vfr', undefined],
    ['vfr-irregular.mp4', 'vfr', undefined],
    ['../vfr-h264.mp4', 'vfr', undefined],
  ];
  test.each(cases)('%s: %s', (name, mode, rate) => {
    const path = dir(name);
    const ours = read(path);
    expect(ours.mode).toBe(mode);
    const det = vfrdet(path);
    if (mode === 'vfr') expect(det.ratio).toBeGreaterThan(0);
    // vfrdet sees VFR only where rounding alternates the delta by one tick.
    else if (det.ratio > 0) expect(det.max! - det.min!).toBe(1);
    if (rate) expect([ours.frameRate.num, ours.frameRate.den]).toEqual(rate);
    if (mode === 'cfr') expect(ours.jitter).toBeLessThan(0.05);
    else expect(ours.maxDelta - ours.minDelta).toBeGreaterThan(ours.toleranceSec * 2);
  });

  test('rounded timestamps: 29.97 fps in 1000 Hz steps 33/34 ms, 59.94 fps in 90 kHz steps 1501/1502 ticks — both CFR', () => {
    const ms = read(dir('cfr-2997-ms.mp4'));
    expect([ms.minDelta, ms.maxDelta]).toEqual([0.033, 0.034]);
    expect(ms.toleranceSec).toBe(0.001);
    const ts = read(dir('cfr-5994.ts'));
    expect([Math.round(ts.minDelta * 90000), Math.round(ts.maxDelta * 90000)]).toEqual([1501, 1502]);
    expect(ts.toleranceSec).toBeCloseTo(0.001, 12);
  });

  test('B-frames do not read as jitter: a CFR file with B-frames has jitter 0 in 90 kHz', () => {
    const r = read(dir('cfr-2997.ts'));
    expect(r.jitter).toBe(0);
    expect(r.minDelta).toBe(r.maxDelta);
  });

  test('fewer than two frames: a defined result, never NaN', () => {
    const r = read(dir('one-frame.mp4'));
    expect(r).toMatchObject({ mode: 'cfr', jitter: 0, meanDelta: 0, minDelta: 0, maxDelta: 0, frameCount: 1, packetCount: 1, frameRate: { num: 0, den: 1, value: 0 } });
    expect(JSON.stringify(r)).not.toMatch(/null|NaN/);
  });
});

/**
 * Files ffprobe cannot read whole (the same exceptions as test/oracle/probe-parity.test.ts): ffmpeg 5.1 lists no
 * packets of encrypted-cenc-frag.mp4 (no per-fragment senc/saiz/saio) and stops in cbcs.mp4 at its cbcs senc
 * handling; we read every packet. Also the H.264-over-PES file whose packet times differ (see gop.test.ts).
 */
const FFPROBE_CANNOT = /samples\/encrypted-cenc-frag\.mp4$|mp4ff\/cbcs\.mp4$|with-overflow-nalus/;

/** Every sample with a video stream: packetCount, meanDelta, min/max and jitter from ffprobe's packets. */
const files = [
  ...['cfr-2997.ts', 'cfr-2997-ms.mp4', 'cfr-23976-ms.mp4', 'cfr-5994.ts', 'cfr-5994-ms.mp4', 'cfr-25.mp4', 'cfr-30.ts', 'vfr-dropped.mp4', 'vfr-dropped.ts', 'vfr-irregular.mp4'].map(dir),
  ...allSamples().map((s) => s.path),
].filter((p) => !/\.(m4s|m4a|aac|adts|mp3|ac3|ec3|wav)$/i.test(p) && !FFPROBE_CANNOT.test(p));

test.each(files.map((p) => [p.replace(/.*(samples|thirdparty)\//, '$1/'), p] as const))('%s: counts and deltas equal ffprobe packets', (_n, path) => {
  const ff = ffprobePts(path);
  let ours: VfrAnalysis;
  try {
    ours = read(path);
  } catch (e) {
    // No video stream (ffprobe agrees), or media ffprobe cannot open either.
    expect((e as { code?: string }).code).toBeDefined();
    if (ff) expect(ff.pts.length).toBe(0);
    return;
  }
  if (!ff) return; // a bare segment ffprobe cannot open
  expect(ours.packetCount).toBe(ff.packets);
  expect(ours.frameCount).toBe(ff.pts.length);
  const d = ff.pts.slice(1).map((p, k) => p - ff.pts[k]!);
  if (d.length === 0) {
    expect(ours.meanDelta).toBe(0);
    return;
  }
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const std = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
  expect(ours.meanDelta).toBeCloseTo(mean / ff.timeBase, 9);
  expect(ours.minDelta).toBeCloseTo(Math.min(...d) / ff.timeBase, 9);
  expect(ours.maxDelta).toBeCloseTo(Math.max(...d) / ff.timeBase, 9);
  expect(ours.jitter).toBeCloseTo(mean > 0 ? std / mean : 0, 9);
  const tol = Math.max(1, ff.timeBase / 1000);
  expect(ours.mode).toBe(d.every((x) => Math.abs(x - mean) <= tol + 1e-9) && mean > 0 ? 'cfr' : 'vfr');
});

describe('arguments and errors', () => {
  test('no video track: NO_TRACK; a track that is not video: NO_TRACK; bad track option: RangeError', () => {
    expect(() => detectVfrCfr(new Uint8Array(readFileSync(join(REPO, 'samples/aac.m4a'))))).toThrow(expect.objectContaining({ code: 'NO_TRACK' }));
    const mp4 = new Uint8Array(readFileSync(join(REPO, 'samples/h264-aac.mp4')));
    expect(() => detectVfrCfr(mp4, { track: 2 })).toThrow(expect.objectContaining({ code: 'NO_TRACK' }));
    expect(() => detectVfrCfr(mp4, { track: -1 })).toThrow(RangeError);
    expect(() => detectVfrCfr(new Uint8Array(10))).toThrow(expect.objectContaining({ name: 'BoxwrightError' }));
  });
});
