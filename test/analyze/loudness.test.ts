/**
 * analyzeLoudness on PCM against ffmpeg 5.1 (ebur128=peak=true+sample for integrated loudness, loudness range and
 * true peak; astats for RMS and peak levels), on the committed PCM samples and the signals of samples/loudness/
 * (make.sh), plus the known values of the standards' test signals and the meter's own invariants.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeLoudness, loudnessReportToJson, type LoudnessReport } from '../../src/api/loudness.js';
import { BoxwrightError } from '../../src/io/errors.js';
import { kWeighting } from '../../src/analyze/loudness/k-weighting.js';
import { LoudnessMeter } from '../../src/analyze/loudness/meter.js';
import { channelMaskOf, channelWeights } from '../../src/analyze/loudness/channels.js';
import { measureTrackLoudness } from '../../src/analyze/loudness/index.js';
import { demuxAny } from '../../src/demux/index.js';
import { ffmpegAstats, ffmpegDecodeF32, ffmpegEbur128 } from '../helpers/ffmpeg-loudness.js';
import { ffprobeJson } from '../helpers/ffprobe.js';
import { OWN_SAMPLES } from '../helpers/samples.js';

const LOUDNESS_DIR = join(OWN_SAMPLES, 'loudness');
const FILES = [
  ...readdirSync(LOUDNESS_DIR).filter((f) => /\.(wav|mov)$/.test(f)).map((f) => join(LOUDNESS_DIR, f)),
  ...['pcm.wav', 'pcm-float.wav', 'pcm-s16le.mov', 'pcm-s16be.mov', 'pcm-s24le.mov', 'pcm-f32le.mov', 'pcm-alaw.mov', 'pcm-mulaw.mov'].map((f) => join(OWN_SAMPLES, f)),
];
const name = (p: string): string => p.slice(OWN_SAMPLES.length + 1);
const analyze = (p: string, options?: { track?: number }): LoudnessReport => analyzeLoudness(new Uint8Array(readFileSync(p)), options);

/** |a − b| ≤ tol, with equal infinities passing. */
function near(a: number, b: number, tol: number): boolean {
  return a === b || Math.abs(a - b) <= tol;
}

describe.each(FILES.map((p) => [name(p), p]))('%s vs ffmpeg', (_n, path) => {
  let ours: LoudnessReport;
  let r128: ReturnType<typeof ffmpegEbur128>;
  let stats: ReturnType<typeof ffmpegAstats>;
  beforeAll(() => {
    ours = analyze(path);
    r128 = ffmpegEbur128(path);
    stats = ffmpegAstats(path);
  });

  test('stream facts and duration equal ffprobe / ffmpeg decode', () => {
    const st = (ffprobeJson(path, ['-show_streams'])!.streams as Array<Record<string, unknown>>).find((s) => s.codec_type === 'audio')!;
    expect({ codec: ours.codec, sampleRate: ours.sampleRate, channels: ours.channels }).toEqual({
      codec: st.codec_name,
      sampleRate: Number(st.sample_rate),
      channels: st.channels,
    });
    expect(ours.duration * ours.sampleRate).toBe(ffmpegDecodeF32(path).length / ours.channels);
  });

  test('integrated loudness within 0.1 LU and loudness range within 0.2 LU of ebur128', () => {
    // ffmpeg starts (and stays) at −70 LUFS when no block passes the gate; the math says −Infinity.
    if (r128.integrated <= -70) expect(ours.integratedLufs).toBe(-Infinity);
    else expect(Math.abs(ours.integratedLufs - r128.integrated)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(ours.loudnessRangeLu - r128.lra)).toBeLessThanOrEqual(0.2);
  });

  test('true peak within 0.2 dB of ebur128, overall and per channel', () => {
    expect(near(ours.truePeakDbtp, r128.truePeak, 0.2)).toBe(true);
    expect(ours.perChannel.map((c, i) => near(c.truePeakDbtp, r128.truePeaks[i]!, 0.2) || `${c.truePeakDbtp} vs ${r128.truePeaks[i]}`)).toEqual(ours.perChannel.map(() => true));
    // ebur128's own sample peak (0.1 dB steps) agrees with ours too.
    expect(near(ours.peakDbfs, r128.samplePeak, 0.051)).toBe(true);
  });

  test('RMS and peak levels within 0.01 dB of astats, overall and per channel', () => {
    const pairs = [
      [ours.rmsDbfs, stats.rms],
      [ours.peakDbfs, stats.peak],
      ...ours.perChannel.flatMap((c, i) => [
        [c.rmsDbfs, stats.perChannel[i]!.rms],
        [c.peakDbfs, stats.perChannel[i]!.peak],
      ]),
    ];
    expect(stats.perChannel).toHaveLength(ours.channels);
    expect(pairs.filter(([a, b]) => !near(a!, b!, 0.01))).toEqual([]);
  });
});

describe('known signals', () => {
  test('1 kHz sine at −20 dBFS: RMS −23.01 dBFS, peak −20 dBFS, true peak −20 dBTP', () => {
    const r = analyze(join(LOUDNESS_DIR, 'sine-1k-20dbfs-stereo-48k.wav'));
    expect(r.rmsDbfs).toBeCloseTo(-23.01, 2);
    expect(r.peakDbfs).toBeCloseTo(-20, 2);
    expect(r.truePeakDbtp).toBeCloseTo(-20, 1);
    // Two channels of a −20 dBFS 1 kHz sine: the mono value −23.0 LUFS (EBU Tech 3341) plus 3 LU.
    expect(r.integratedLufs).toBeCloseTo(-20, 1);
  });

  test('EBU Tech 3341 test 1 shape: stereo 1 kHz at −23 dBFS reads −23.0 LUFS, LRA 0', () => {
    const r = analyze(join(LOUDNESS_DIR, 'ebu-1k-23dbfs-stereo-48k.mov'));
    expect(Math.abs(r.integratedLufs + 23)).toBeLessThan(0.05);
    expect(r.loudnessRangeLu).toBe(0);
  });

  test('EBU Tech 3342 test 1 shape: −20 / −30 dBFS alternation has a loudness range of about 10 LU', () => {
    const r = analyze(join(LOUDNESS_DIR, 'lra-alternating-8k.wav'));
    expect(Math.abs(r.loudnessRangeLu - 10)).toBeLessThan(0.2);
  });

  test('digital silence: every level −Infinity, LRA 0; the JSON form has null', () => {
    const r = analyze(join(LOUDNESS_DIR, 'silence-u8-stereo-48k.wav'));
    expect([r.integratedLufs, r.rmsDbfs, r.peakDbfs, r.truePeakDbtp, ...r.perChannel.flatMap((c) => [c.rmsDbfs, c.peakDbfs, c.truePeakDbtp])]).toEqual(new Array(10).fill(-Infinity));
    expect(r.loudnessRangeLu).toBe(0);
    const json = loudnessReportToJson(r);
    expect(json.integratedLufs).toBeNull();
    expect(json.perChannel[1]).toEqual({ rmsDbfs: null, peakDbfs: null, truePeakDbtp: null });
    expect(JSON.parse(JSON.stringify(r))).toEqual(JSON.parse(JSON.stringify(json)));
    expect(json.duration).toBe(1);
  });

  test('shorter than a 3 s window: loudness range 0, integrated loudness still measured', () => {
    const r = analyze(join(LOUDNESS_DIR, 'short-0.5s-mulaw.mov'));
    expect(r.duration).toBe(0.5);
    expect(r.loudnessRangeLu).toBe(0);
    expect(Number.isFinite(r.integratedLufs)).toBe(true);
  });

  test('inter-sample peaks: fs/4 sine at 45°, amplitude 0.9 — true peak 20·log10(0.9) = −0.92 dBTP, 3 dB above the samples', () => {
    const r = analyze(join(LOUDNESS_DIR, 'intersample-peak-48k.wav'));
    expect(Math.abs(r.truePeakDbtp - 20 * Math.log10(0.9))).toBeLessThan(0.1);
    expect(r.truePeakDbtp - r.peakDbfs).toBeGreaterThan(2.9);
  });

  test('5.1: the LFE does not count and the surrounds weigh 1.41 (FL FR FC LFE BL BR)', () => {
    const r = analyze(join(LOUDNESS_DIR, 'surround-5.1-16k.mov'));
    // The LFE channel carries a 0.9 sine, by far the loudest; counted, it would dominate the integrated loudness.
    expect(r.perChannel[3]!.peakDbfs).toBeGreaterThan(-1);
    expect(r.integratedLufs).toBeLessThan(-18);
    expect([...channelWeights(0x3f, 6)]).toEqual([1, 1, 1, 0, 1.41, 1.41]);
  });

  test('channel layouts: a WAVE_FORMAT_EXTENSIBLE mask first, then the AAC configuration, then ffmpeg’s default for the count', () => {
    const pcm = { entryType: 'sowt', format: 'sowt', codec: 'pcm_s16le' };
    // 5.1(side): FL FR FC LFE SL SR; 2.1: FL FR LFE; a mask that does not match the count is ignored.
    expect([...channelWeights(channelMaskOf(pcm, 6, 0x60f), 6)]).toEqual([1, 1, 1, 0, 1.41, 1.41]);
    expect([...channelWeights(channelMaskOf(pcm, 3, 0x0b), 3)]).toEqual([1, 1, 0]);
    // No usable mask: ffmpeg's default layout for 3 channels is 2.1, so the third is an LFE…
    expect([...channelWeights(channelMaskOf(pcm, 3, 0x3f), 3)]).toEqual([1, 1, 0]);
    // …but AAC channel configuration 3 is 3.0 (FL FR FC in ffmpeg's order). ASC: LC, 48 kHz, configuration 3.
    const aac = { entryType: 'mp4a', format: 'mp4a', codec: 'aac', config: { kind: 'aac' as const, audioSpecificConfig: Uint8Array.of(0x11, 0x98) } };
    expect([...channelWeights(channelMaskOf(aac, 3), 3)]).toEqual([1, 1, 1]);
  });
});

describe('edit lists', () => {
  test('an edit starting inside the media drops what precedes it, as ffmpeg decodes (atrim oracle)', () => {
    // Loud for 4 s, quiet for 4 s (8 kHz): an edit from 3.9 s on leaves mostly the quiet part.
    const path = join(LOUDNESS_DIR, 'lra-alternating-8k.wav');
    const { movie } = demuxAny(new Uint8Array(readFileSync(path)));
    const track = movie.tracks[0]!;
    const start = 31_200;
    // An edit from inside a packet (4096 frames each) to the end, as an encoder writes to hide priming.
    const edited = { ...track, edits: [{ segmentDurationTicks: (track.durationTicks - start) * (movie.timescale / track.timescale), mediaTimeTicks: start, rate: 1 }] };
    const r = measureTrackLoudness(movie, edited);
    expect(r.duration * r.sampleRate).toBe(track.durationTicks - start);
    const trimmed = ffmpegAstats(path, 0, `atrim=start_sample=${start}`);
    expect(Math.abs(r.rmsDbfs - trimmed.rms)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(r.peakDbfs - trimmed.peak)).toBeLessThanOrEqual(0.01);
    // …and differs from the untrimmed measure, so the check means something.
    expect(Math.abs(analyze(path).rmsDbfs - r.rmsDbfs)).toBeGreaterThan(1);
  });
});

describe('the meter', () => {
  test('K-weighting at 48 kHz reproduces the coefficient tables of ITU-R BS.1770-4 (Tables 1 and 2)', () => {
    const { shelf, highPass } = kWeighting(48000);
    const table = [1.53512485958697, -2.69169618940638, 1.19839281085285, -1.69065929318241, 0.73248077421585];
    [shelf.b0, shelf.b1, shelf.b2, shelf.a1, shelf.a2].forEach((v, i) => expect(Math.abs(v - table[i]!)).toBeLessThan(1e-10));
    expect([highPass.b0, highPass.b1, highPass.b2]).toEqual([1, -2, 1]);
    expect(Math.abs(highPass.a1 + 1.99004745483398)).toBeLessThan(1e-10);
    expect(Math.abs(highPass.a2 - 0.99007225036621)).toBeLessThan(1e-10);
  });

  test('any chunking gives the same result as one call (state carried across pushes)', () => {
    const rate = 44100;
    const n = rate * 5;
    const planes = [new Float32Array(n), new Float32Array(n)];
    for (let i = 0; i < n; i++) {
      const t = i / rate;
      planes[0]![i] = (t % 2 < 1 ? 0.3 : 0.03) * Math.sin(2 * Math.PI * 440 * t);
      planes[1]![i] = 0.2 * Math.sin(2 * Math.PI * 3000 * t + 1);
    }
    const whole = new LoudnessMeter(rate, new Float64Array([1, 1]));
    whole.push(planes, 0, n);
    const chunked = new LoudnessMeter(rate, new Float64Array([1, 1]));
    let seed = 7;
    for (let at = 0; at < n; ) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const len = 1 + (seed % 9000);
      const end = Math.min(n, at + len);
      chunked.push(planes.map((p) => p.slice(at, end)), 0, end - at);
      at = end;
    }
    const a = whole.finish();
    const b = chunked.finish();
    expect(b.frames).toBe(a.frames);
    expect(b.integratedLufs).toBeCloseTo(a.integratedLufs, 9);
    expect(b.loudnessRangeLu).toBeCloseTo(a.loudnessRangeLu, 9);
    expect(b.perChannel.map((c) => c.truePeak)).toEqual(a.perChannel.map((c) => c.truePeak));
    b.perChannel.forEach((c, i) => expect(c.rms).toBeCloseTo(a.perChannel[i]!.rms, 12));
  });
});

describe('tracks and errors', () => {
  const bytes = (f: string): Uint8Array => new Uint8Array(readFileSync(join(OWN_SAMPLES, f)));
  const codeOf = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return e instanceof BoxwrightError ? `${e.code}: ${e.detail}` : `${(e as Error).name}`;
    }
    return undefined;
  };

  test('options.track picks the audio track by ID', () => {
    expect(analyzeLoudness(bytes('pcm-s16le.mov'), { track: 1 }).track).toBe(1);
    expect(codeOf(() => analyzeLoudness(bytes('pcm-s16le.mov'), { track: 2 }))).toBe('NO_TRACK: no audio track with ID 2 (audio tracks: 1)');
  });

  test('no audio track → NO_TRACK', () => {
    expect(codeOf(() => analyzeLoudness(bytes('av1.mp4')))).toBe('NO_TRACK: no audio track');
  });

  test('a codec without a decoder → UNSUPPORTED_CODEC naming it', () => {
    expect(codeOf(() => analyzeLoudness(bytes('ac3.ac3')))).toMatch(/^UNSUPPORTED_CODEC: .*ac3/);
    expect(codeOf(() => analyzeLoudness(bytes('opus.mp4')))).toMatch(/^UNSUPPORTED_CODEC: .*opus/);
  });

  test('bad arguments → TypeError / RangeError', () => {
    expect(codeOf(() => analyzeLoudness('x' as unknown as Uint8Array))).toBe('TypeError');
    expect(codeOf(() => analyzeLoudness(bytes('pcm.wav'), { track: -1 }))).toBe('TypeError');
    expect(codeOf(() => analyzeLoudness(bytes('pcm.wav'), { tracks: 1 } as never))).toBe('RangeError');
  });
});
