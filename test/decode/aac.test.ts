/**
 * The AAC-LC decoder against ffmpeg 5.1's native AAC decoder (float output): every committed AAC sample and the
 * third-party AAC-LC files, every channel, signal-to-difference ratio ≥ 100 dB over the whole stream. ffmpeg
 * trims the encoder priming that an MP4 edit list declares and keeps it for ADTS and MPEG-TS, so the comparison
 * aligns on the offset that matches (0 for ADTS/TS, the edit list's media time for MP4) — a wrong decoder matches at none.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { decodeFile } from '../helpers/decode.js';
import { ffmpegDecodeF32 } from '../helpers/ffmpeg-loudness.js';
import { OWN_SAMPLES, thirdPartyDir } from '../helpers/samples.js';

const OWN = ['aac/mono-44k.m4a', 'aac/stereo-22k.m4a', 'aac/stereo-8k.m4a', 'aac/stereo-96k.m4a', 'aac/transients-48k.m4a', 'aac/surround-51.m4a', 'aac/tools-lowrate.m4a', 'aac/tools-adts.aac', 'aac/latm-48k.ts', 'aac.m4a', 'aac.adts', 'h264-aac.ts', 'h264-aac.mp4'].map((f) => join(OWN_SAMPLES, f));
const THIRD = [
  'go-mp4/sample.mp4',
  'mediabunny/edts.mp4',
  'mediabunny/sample3.aac',
  'mediabunny/hevc.ts',
  'mp4ff/bbb_prog_10s.mp4',
  'mp4ff/prog_8s.mp4',
  'mux.js/test-aac-segment.aac',
  'mux.js/sintel-captions.ts',
  'shaka-player/small.mp4',
  'shaka-player/hls-ts-rollover/360p30_h264_48k_160_aac_ts-0000000024.ts',
].map((f) => join(thirdPartyDir(), f));

/**
 * SDR (dB) of our channel against ffmpeg's, aligned at the priming offset ffmpeg applied (0 for ADTS and TS, the
 * edit list's media time for MP4: 1024, 2112 …), found as the offset in [0, 4096] where a window matches best.
 */
function sdr(ours: Float32Array, ff: Float32Array, n: number, c: number): { sdr: number; compared: number; offset: number } {
  const len = ff.length / n;
  const w0 = Math.min(4096, Math.max(0, len - 4096));
  const w1 = Math.min(len, w0 + 4096);
  let offset = 0;
  let bestErr = Infinity;
  for (let off = 0; off <= 4096; off++) {
    let e = 0;
    for (let i = w0; i < w1 && e < bestErr; i++) e += (ff[i * n + c]! - (ours[i + off] ?? 0)) ** 2;
    if (e < bestErr) (bestErr = e), (offset = off);
  }
  let s = 0;
  let d = 0;
  const m = Math.min(len, ours.length - offset);
  for (let i = 0; i < m; i++) {
    const a = ff[i * n + c]!;
    const e = a - ours[i + offset]!;
    s += a * a;
    d += e * e;
  }
  return { sdr: d === 0 ? Infinity : 10 * Math.log10(s / d), compared: m, offset };
}

describe.each([...OWN, ...THIRD].map((p) => [basename(p), p]))('AAC-LC %s decodes as ffmpeg does', (_n, path) => {
  test('every channel ≥ 100 dB SDR over the whole stream', () => {
    expect(existsSync(path)).toBe(true);
    const ours = decodeFile(path);
    expect(ours.limitation).toBeUndefined();
    const ff = ffmpegDecodeF32(path);
    const n = ours.channels.length;
    const len = ff.length / n;
    expect(Number.isInteger(len)).toBe(true);
    for (let c = 0; c < n; c++) {
      const r = sdr(ours.channels[c]!, ff, n, c);
      expect({ channel: c, ok: r.sdr >= 100 }).toEqual({ channel: c, ok: true });
      // The whole of ffmpeg's output was compared, give or take the final partial frame.
      expect(r.compared).toBeGreaterThanOrEqual(len - 1024);
    }
  });
});

test('HE-AAC: the AAC-LC core is decoded and the missing SBR is reported, not hidden', () => {
  const d = decodeFile(join(thirdPartyDir(), 'mediabunny/no-initial-keyframe.ts'));
  expect(d.limitation).toMatch(/SBR/);
  expect(d.channels[0]!.length).toBeGreaterThan(0);
  expect(d.channels[0]!.every(Number.isFinite)).toBe(true);
});
