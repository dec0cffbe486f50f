/**
 * analyzeLoudness on MP3 and MP2 against ffmpeg 5.1 (its mp3float and fixed-point mp2 decoders, then
 * ebur128=peak=true+sample and astats), with the tolerances of loudness.test.ts. For .mp3 files ffmpeg trims the LAME
 * header's encoder delay + 529 samples and the padding; inside MP4 and MPEG-TS nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeLoudness, type LoudnessReport } from '../../src/api/loudness.js';
import { ffmpegAstats, ffmpegDecodeF32, ffmpegEbur128 } from '../helpers/ffmpeg-loudness.js';
import { OWN_SAMPLES } from '../helpers/samples.js';

/** [file, track ID (undefined: the first audio track), index among ffmpeg's audio streams]. */
const CASES: ReadonlyArray<readonly [string, number | undefined, number]> = [
  ['mp3.mp3', undefined, 0],
  ['mp3/stereo-48k-vbr.mp3', undefined, 0],
  ['mp3/stereo-22k.mp3', undefined, 0],
  ['mp3/transients-44k.mp3', undefined, 0],
  ['mp3/stereo-44k.mp4', undefined, 0],
  ['mp3/stereo-44k.ts', undefined, 0],
  ['mp3/mp2-48k.mp2', undefined, 0],
  // Not here: mp2-joint-44k.mp2, whose first frame ffmpeg's demuxer drops (see test/decode/mp3.test.ts), and
  // samples/mp2.ts and mp2-48k.ts, whose right channel peaks in the last 16 ms (ffmpeg's own decode too), after the
  // last 100 ms step whose ebur128 log line gives the per-channel true peaks compared here.
];

const near = (a: number, b: number, tol: number): boolean => a === b || Math.abs(a - b) <= tol;

describe.each(CASES.map(([f, id, index]) => [`${f}${id ? ` track ${id}` : ''}`, f, id, index] as const))('%s vs ffmpeg', (_n, file, id, index) => {
  const path = join(OWN_SAMPLES, file);
  let ours: LoudnessReport;
  beforeAll(() => {
    ours = analyzeLoudness(new Uint8Array(readFileSync(path)), id === undefined ? {} : { track: id });
  });

  test('decoded length equals ffmpeg’s (priming removed as the LAME header, or the edit list, says)', () => {
    expect(ours.codec).toBe(file.includes('mp2') ? 'mp2' : 'mp3');
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
