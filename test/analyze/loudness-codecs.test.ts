/**
 * analyzeLoudness on compressed audio against ffmpeg 5.1 (its native AAC, mp3float and fixed-point mp2 decoders, then
 * ebur128=peak=true+sample and astats), with the tolerances of loudness.test.ts. Priming: MP4 edit lists as ffmpeg
 * applies them; for .mp3 files ffmpeg trims the LAME header's encoder delay + 529 samples and the padding; ADTS and
 * MPEG-TS carry neither.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeLoudness, type LoudnessReport } from '../../src/api/loudness.js';
import { ffmpegAstats, ffmpegDecodeF32, ffmpegEbur128 } from '../helpers/ffmpeg-loudness.js';
import { OWN_SAMPLES } from '../helpers/samples.js';

/** [file, track ID (undefined: the first audio track), index among ffmpeg's audio streams, codec decoded]. */
const CASES: ReadonlyArray<readonly [string, number | undefined, number, string]> = [
  ['aac.m4a', undefined, 0, 'aac'],
  ['h264-aac.mp4', undefined, 0, 'aac'],
  ['multi-track.mp4', 2, 0, 'aac'],
  ['multi-track.mp4', 3, 1, 'aac'],
  ['aac.adts', undefined, 0, 'aac'],
  ['h264-aac.ts', undefined, 0, 'aac'],
  ['aac/surround-51.m4a', undefined, 0, 'aac'],
  ['aac/stereo-96k.m4a', undefined, 0, 'aac'],
  ['aac/transients-48k.m4a', undefined, 0, 'aac'],
  ['aac/tools-adts.aac', undefined, 0, 'aac'],
  ['aac/latm-48k.ts', undefined, 0, 'aac'],
  ['mp3.mp3', undefined, 0, 'mp3'],
  ['mp3/stereo-48k-vbr.mp3', undefined, 0, 'mp3'],
  ['mp3/stereo-22k.mp3', undefined, 0, 'mp3'],
  ['mp3/transients-44k.mp3', undefined, 0, 'mp3'],
  ['mp3/stereo-44k.mp4', undefined, 0, 'mp3'],
  ['mp3/stereo-44k.ts', undefined, 0, 'mp3'],
  ['mp3/mp2-48k.mp2', undefined, 0, 'mp2'],
  // Not here: mp2-joint-44k.mp2, whose first frame ffmpeg's demuxer drops (see test/decode/mp3.test.ts), and
  // samples/mp2.ts and mp2-48k.ts, whose right channel peaks in the last 16 ms (ffmpeg's own decode too), after the
  // last 100 ms step whose ebur128 log line gives the per-channel true peaks compared here.
];

const near = (a: number, b: number, tol: number): boolean => a === b || Math.abs(a - b) <= tol;

describe.each(CASES.map(([f, id, index, codec]) => [`${f}${id ? ` track ${id}` : ''}`, f, id, index, codec] as const))('%s vs ffmpeg', (_n, file, id, index, codec) => {
  const path = join(OWN_SAMPLES, file);
  let ours: LoudnessReport;
  beforeAll(() => {
    ours = analyzeLoudness(new Uint8Array(readFileSync(path)), id === undefined ? {} : { track: id });
  });

  test('decoded length equals ffmpeg’s (priming removed as the edit list, or for .mp3 the LAME header, says)', () => {
    expect(ours.codec).toBe(codec);
    expect(Math.round(ours.duration * ours.sampleRate)).toBe(ffmpegDecodeF32(path, index).length / ours.channels);
  });

  test('integrated loudness ±0.1 LU, LRA ±0.2 LU, true peak ±0.2 dB of ebur128', () => {
    const r = ffmpegEbur128(path, index);
    expect(Math.abs(ours.integratedLufs - r.integrated)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(ours.loudnessRangeLu - r.lra)).toBeLessThanOrEqual(0.2);
    expect(near(ours.truePeakDbtp, r.truePeak, 0.2)).toBe(true);
    expect(ours.perChannel.filter((c, i) => !near(c.truePeakDbtp, r.truePeaks[i]!, 0.2))).toEqual([]);
  });

  test('RMS and peak ±0.01 dB of astats, overall and per channel', () => {
    const a = ffmpegAstats(path, index);
    const pairs = [
      [ours.rmsDbfs, a.rms],
      [ours.peakDbfs, a.peak],
      ...ours.perChannel.flatMap((c, i) => [
        [c.rmsDbfs, a.perChannel[i]!.rms],
        [c.peakDbfs, a.perChannel[i]!.peak],
      ]),
    ];
    expect(pairs.filter(([x, y]) => !near(x!, y!, 0.01))).toEqual([]);
  });
});
