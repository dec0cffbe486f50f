/**
 * H.264 SPS parsing against ffprobe 5.1 (the oracle) on real files, plus profile names,
 * codec strings and mutation safety (only BoxwrightError may escape).
 */
import { avcCodecString, avcProfileName, parseAvcSps, sarFromAspectRatioIdc, type AvcSps } from '../../../src/model/codec/avc-sps.js';
import { colorPrimariesName, colorRangeName, colorSpaceName, colorTransferName, pixFmtName } from '../../../src/model/codec/color.js';
import { avcNalHeader, avcNalType, splitAnnexB, splitLengthPrefixed, unescapeRbsp } from '../../../src/model/codec/nal.js';
import { BoxwrightError } from '../../../src/io/errors.js';
import { avcCNals, ffprobeStream, findBoxPayloads, mutationFailures, readSample, scanTargets } from './helpers.js';

/** The first SPS of a file: from its avcC, else from an Annex B scan (TS, or avc1 with in-band SPS). */
export function firstAvcSps(name: string): Uint8Array {
  const data = readSample(name);
  for (const avcC of findBoxPayloads(data, 'avcC')) {
    if (avcC.length < 7) continue;
    const sps = avcCNals(avcC).sps[0];
    if (sps) return sps;
  }
  for (const bytes of scanTargets(name)) {
    const nal = splitAnnexB(bytes).find((n) => avcNalType(n) === 7);
    if (nal) return nal;
  }
  throw new Error(`${name}: no SPS`);
}

const FILES = [
  'samples/h264-aac.mp4',
  'samples/vfr-h264.mp4',
  'samples/long-gop-h264.mp4',
  'samples/h264-aac.ts',
  'thirdparty/mediabunny/annex-b.mp4',
  'thirdparty/mediabunny/sar_2x1.mp4',
  'thirdparty/mediabunny/edts.mp4',
  'thirdparty/mediabunny/cursed-vfr.mp4',
  'thirdparty/mediabunny/no-initial-keyframe.ts',
  'thirdparty/mediabunny/no-aud.ts',
  'thirdparty/mp4ff/bbb_prog_10s.mp4',
  'thirdparty/mp4ff/prog_8s.mp4',
  'thirdparty/mux.js/test-segment.ts',
  'thirdparty/mux.js/sintel-captions.ts',
  'thirdparty/mux.js/multi-channel-608-captions.ts',
  'thirdparty/mux.js/test-middle-pat-pmt.ts',
  'thirdparty/go-mp4/sample_fragmented.mp4',
  'thirdparty/shaka-player/hls-ts-b-frames/1.ts',
  'thirdparty/shaka-player/captions-test.ts',
  'thirdparty/shaka-player/hls-ts-rollover/360p30_h264_48k_160_aac_ts-0000000024.ts',
];

function reduce(num: number, den: number): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(num, den) || 1;
  return `${num / g}:${den / g}`;
}

describe('parseAvcSps vs ffprobe 5.1', () => {
  test.each(FILES)('%s', (name) => {
    const sps: AvcSps = parseAvcSps(firstAvcSps(name));
    const p = ffprobeStream(name, 'video');
    expect(p.codec_name).toBe('h264');
    expect(avcProfileName(sps.profileIdc, sps.constraintFlags)).toBe(p.profile);
    expect(sps.levelIdc).toBe(p.level);
    expect(sps.width).toBe(p.width);
    expect(sps.height).toBe(p.height);
    // ffprobe 5.1 never runs the H.264 decoder on its own context, so its coded_width/height equal
    // width/height; ours are the macroblock-aligned sizes the crop was taken from.
    expect(p.coded_width).toBe(p.width);
    expect(sps.codedWidth % 16).toBe(0);
    expect(sps.codedWidth - sps.crop.left - sps.crop.right).toBe(sps.width);
    expect(sps.codedHeight % 16).toBe(0);
    expect(sps.codedHeight - sps.crop.top - sps.crop.bottom).toBe(sps.height);
    expect(pixFmtName(sps.chromaFormatIdc, sps.bitDepthLuma, { fullRange: sps.videoFullRange, rgb: sps.matrixCoefficients === 0 })).toBe(p.pix_fmt);
    expect(String(sps.bitDepthLuma)).toBe(p.bits_per_raw_sample);
    expect(colorRangeName(sps.videoFullRange)).toBe(p.color_range ?? 'unknown');
    expect(colorSpaceName(sps.matrixCoefficients)).toBe(p.color_space ?? 'unknown');
    expect(colorTransferName(sps.transferCharacteristics)).toBe(p.color_transfer ?? 'unknown');
    expect(colorPrimariesName(sps.colourPrimaries)).toBe(p.color_primaries ?? 'unknown');
    if (sps.frameMbsOnly) expect(p.field_order).toBe('progressive');
    // ffprobe prefers a `pasp` box over the VUI; compare only where there is none.
    if (findBoxPayloads(readSample(name), 'pasp').length === 0) {
      expect(sps.sar.num ? reduce(sps.sar.num, sps.sar.den) : 'N/A').toBe(p.sample_aspect_ratio ?? 'N/A');
    }
  });

  test('SAR 4:3 in the VUI of mp4ff/bbb_prog_10s.mp4 agrees with its pasp', () => {
    const sps = parseAvcSps(firstAvcSps('thirdparty/mp4ff/bbb_prog_10s.mp4'));
    expect(sps.aspectRatioIdc).toBe(14);
    expect(sps.sar).toEqual({ num: 4, den: 3 });
    expect(ffprobeStream('thirdparty/mp4ff/bbb_prog_10s.mp4', 'video').sample_aspect_ratio).toBe('4:3');
  });

  test('details of samples/h264-aac.mp4 (x264 160x90: cropping, VUI timing, bitstream restriction)', () => {
    const sps = parseAvcSps(firstAvcSps('samples/h264-aac.mp4'));
    expect(sps).toMatchObject({
      profileIdc: 100,
      chromaFormatIdc: 1,
      codedWidth: 160,
      codedHeight: 96,
      crop: { left: 0, right: 0, top: 0, bottom: 6 },
      picOrderCntType: 0,
      log2MaxFrameNum: 4,
      log2MaxPicOrderCntLsb: 6,
      frameMbsOnly: true,
      timingInfo: { numUnitsInTick: 1, timeScale: 48, fixedFrameRate: false },
      maxNumReorderFrames: 2,
    });
    expect(ffprobeStream('samples/h264-aac.mp4', 'video').has_b_frames).toBe(sps.maxNumReorderFrames);
  });

  test('Extended_SAR (aspect_ratio_idc 255) and HRD parameters in real streams', () => {
    const edts = parseAvcSps(firstAvcSps('thirdparty/mediabunny/edts.mp4'));
    expect(edts.aspectRatioIdc).toBe(255);
    expect(edts.sar).toEqual({ num: 1280, den: 1281 });
    const hrd = parseAvcSps(firstAvcSps('thirdparty/mediabunny/no-initial-keyframe.ts'));
    expect(hrd.nalHrd).toBe(true);
    expect(hrd.picStructPresent).toBe(true);
    expect(hrd.sar).toEqual({ num: 44, den: 45 });
  });
});

describe('avcProfileName (ffmpeg ff_h264_get_profile + profiles.c)', () => {
  test.each([
    [66, 0x00, 'Baseline'],
    [66, 0x40, 'Constrained Baseline'],
    [66, 0xc0, 'Constrained Baseline'],
    [77, 0x00, 'Main'],
    [77, 0x40, 'Main'],
    [88, 0x00, 'Extended'],
    [100, 0x00, 'High'],
    [100, 0x10, 'High'],
    [110, 0x00, 'High 10'],
    [110, 0x10, 'High 10 Intra'],
    [122, 0x00, 'High 4:2:2'],
    [122, 0x10, 'High 4:2:2 Intra'],
    [244, 0x00, 'High 4:4:4 Predictive'],
    [244, 0x10, 'High 4:4:4 Intra'],
    [44, 0x00, 'CAVLC 4:4:4'],
    [118, 0x00, 'Multiview High'],
    [128, 0x00, 'Stereo High'],
  ])('profile_idc %i, constraint byte %i → %s', (idc, flags, name) => {
    expect(avcProfileName(idc, flags)).toBe(name);
  });
  test('unknown profiles give undefined', () => {
    expect(avcProfileName(83, 0)).toBeUndefined();
    expect(avcProfileName(0, 0)).toBeUndefined();
  });
});

describe('avcCodecString (RFC 6381 §3.3)', () => {
  test('known strings', () => {
    expect(avcCodecString('avc1', 100, 0x00, 31)).toBe('avc1.64001f');
    expect(avcCodecString('avc1', 66, 0xe0, 30)).toBe('avc1.42e01e');
    expect(avcCodecString('avc3', 77, 0x40, 40)).toBe('avc3.4d4028');
  });
  test('from real SPSs', () => {
    const s = parseAvcSps(firstAvcSps('samples/h264-aac.mp4'));
    expect(avcCodecString('avc1', s.profileIdc, s.constraintFlags, s.levelIdc)).toBe('avc1.64000a');
    const b = parseAvcSps(firstAvcSps('thirdparty/mediabunny/annex-b.mp4'));
    expect(avcCodecString('avc1', b.profileIdc, b.constraintFlags, b.levelIdc)).toBe('avc1.424028');
  });
});

describe('nal helpers', () => {
  test('unescapeRbsp removes 0x000003 and returns the same view when there is none', () => {
    const plain = Uint8Array.of(0x67, 1, 2, 0, 0, 4);
    expect(unescapeRbsp(plain)).toBe(plain);
    expect(Array.from(unescapeRbsp(Uint8Array.of(0x67, 0, 0, 3, 1, 0, 0, 3, 0, 0, 0, 3)))).toEqual([0x67, 0, 0, 1, 0, 0, 0, 0, 0]);
    // 00 00 03 03: only the first 03 is an emulation-prevention byte.
    expect(Array.from(unescapeRbsp(Uint8Array.of(0, 0, 3, 3)))).toEqual([0, 0, 3]);
  });
  test('NAL headers', () => {
    expect(avcNalHeader(Uint8Array.of(0x67))).toEqual({ forbiddenZeroBit: 0, nalRefIdc: 3, nalUnitType: 7 });
    expect(() => avcNalHeader(new Uint8Array(0))).toThrow(BoxwrightError);
  });
  test('splitAnnexB', () => {
    const nals = splitAnnexB(Uint8Array.of(0, 0, 0, 1, 0x09, 0xf0, 0, 0, 1, 0x67, 1, 0, 0, 0, 1, 0x68, 2));
    expect(nals.map((n) => Array.from(n))).toEqual([[0x09, 0xf0], [0x67, 1], [0x68, 2]]);
  });
  test('splitLengthPrefixed', () => {
    expect(splitLengthPrefixed(Uint8Array.of(0, 0, 0, 2, 9, 9, 0, 0, 0, 1, 7), 4).map((n) => Array.from(n))).toEqual([[9, 9], [7]]);
    expect(() => splitLengthPrefixed(Uint8Array.of(0, 5, 1), 2)).toThrow(expect.objectContaining({ code: 'TRUNCATED' }));
    expect(() => splitLengthPrefixed(Uint8Array.of(0), 2)).toThrow(expect.objectContaining({ code: 'TRUNCATED' }));
  });
  test('sarFromAspectRatioIdc', () => {
    expect(sarFromAspectRatioIdc(16)).toEqual({ num: 2, den: 1 });
    expect(sarFromAspectRatioIdc(0)).toEqual({ num: 0, den: 1 });
    expect(sarFromAspectRatioIdc(200)).toEqual({ num: 0, den: 1 });
  });
});

describe('parseAvcSps errors', () => {
  test('non-SPS NAL units are UNSUPPORTED_FORMAT', () => {
    expect(() => parseAvcSps(Uint8Array.of(0x68, 0xce, 0x3c, 0x80))).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_FORMAT' }));
  });
  test('mutated SPSs only ever throw BoxwrightError', () => {
    const inputs = ['samples/h264-aac.mp4', 'thirdparty/mediabunny/edts.mp4', 'thirdparty/mediabunny/no-initial-keyframe.ts', 'thirdparty/mux.js/test-segment.ts'].map(firstAvcSps);
    const failures = inputs.flatMap((sps, i) => mutationFailures(sps, parseAvcSps, 400, i + 1));
    expect(failures).toEqual([]);
  });
});
