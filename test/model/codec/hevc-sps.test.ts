/**
 * HEVC SPS/VPS parsing against ffprobe 5.1 on real files, profile names, the 14496-15 Annex E
 * codec string and mutation safety.
 */
import { hevcCodecString, hevcProfileName, parseHevcSps, parseHevcVps, type HevcProfileTierLevel } from '../../../src/model/codec/hevc-sps.js';
import { colorPrimariesName, colorSpaceName, colorTransferName, pixFmtName } from '../../../src/model/codec/color.js';
import { hevcNalHeader, hevcNalType, splitAnnexB } from '../../../src/model/codec/nal.js';
import { ffprobeStream, findBoxPayloads, hvcCNals, mutationFailures, readSample, scanTargets } from './helpers.js';

/** The first NAL unit of `type` (32 VPS, 33 SPS): from an hvcC, else an Annex B scan. */
function firstHevcNal(name: string, type: number): Uint8Array {
  for (const hvcC of findBoxPayloads(readSample(name), 'hvcC')) {
    if (hvcC.length < 23) continue;
    const nal = hvcCNals(hvcC).get(type)?.[0];
    if (nal) return nal;
  }
  for (const bytes of scanTargets(name)) {
    const nal = splitAnnexB(bytes).find((n) => hevcNalType(n) === type);
    if (nal) return nal;
  }
  throw new Error(`${name}: no NAL unit of type ${type}`);
}

const FILES = [
  'samples/hevc-aac.mp4',
  'samples/hevc-hev1.mp4',
  'samples/hevc-aac.ts',
  'thirdparty/mediabunny/video-h265.mp4',
  'thirdparty/mediabunny/hevc.ts',
  'thirdparty/mediabunny/entry24-segment3.ts',
  'thirdparty/mp4ff/ed_hevc.mp4',
  'thirdparty/mp4ff/hvc1_init.mp4',
  'thirdparty/mp4ff/cmd/mp4ff-mvhevc/testdata/stereo_spatial.mp4',
  'thirdparty/shaka-player/h265-cea-init.mp4',
  'thirdparty/shaka-player/hls-ts-h265/0.ts',
  'thirdparty/shaka-player/hls-ts-muxed-aac-h265/0.ts',
];

function reduce(num: number, den: number): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(num, den) || 1;
  return `${num / g}:${den / g}`;
}

describe('parseHevcSps vs ffprobe 5.1', () => {
  test.each(FILES)('%s', (name) => {
    const sps = parseHevcSps(firstHevcNal(name, 33));
    const p = ffprobeStream(name, 'video');
    expect(p.codec_name).toBe('hevc');
    const ptl = sps.profileTierLevel;
    expect(hevcProfileName(ptl.generalProfileIdc, ptl.generalProfileCompatibilityFlags)).toBe(p.profile);
    expect(ptl.generalLevelIdc).toBe(p.level);
    expect(sps.width).toBe(p.width);
    expect(sps.height).toBe(p.height);
    expect(sps.codedWidth).toBe(p.coded_width);
    expect(sps.codedHeight).toBe(p.coded_height);
    expect(pixFmtName(sps.chromaFormatIdc, sps.bitDepthLuma, { fullRange: sps.videoFullRange, rgb: sps.matrixCoefficients === 0 })).toBe(p.pix_fmt);
    // hevcdec: no video_signal_type means limited range ('tv').
    expect(sps.videoFullRange ? 'pc' : 'tv').toBe(p.color_range);
    expect(colorSpaceName(sps.matrixCoefficients)).toBe(p.color_space ?? 'unknown');
    expect(colorTransferName(sps.transferCharacteristics)).toBe(p.color_transfer ?? 'unknown');
    expect(colorPrimariesName(sps.colourPrimaries)).toBe(p.color_primaries ?? 'unknown');
    if (findBoxPayloads(readSample(name), 'pasp').length === 0) {
      expect(sps.sar.num ? reduce(sps.sar.num, sps.sar.den) : 'N/A').toBe(p.sample_aspect_ratio ?? 'N/A');
    }
  });

  test('conformance window of samples/hevc-aac.mp4 (x265 pads 90 to 96)', () => {
    const sps = parseHevcSps(firstHevcNal('samples/hevc-aac.mp4', 33));
    expect(sps).toMatchObject({ codedWidth: 160, codedHeight: 96, width: 160, height: 90, conformanceWindow: { left: 0, right: 0, top: 0, bottom: 6 } });
    expect(sps.maxNumReorderPics).toBe(ffprobeStream('samples/hevc-aac.mp4', 'video').has_b_frames);
  });

  test('Main 10 with short-term RPS in the SPS (shaka hls-ts-h265)', () => {
    const sps = parseHevcSps(firstHevcNal('thirdparty/shaka-player/hls-ts-h265/0.ts', 33));
    expect(sps.bitDepthLuma).toBe(10);
    expect(sps.numShortTermRefPicSets).toBe(9);
    expect(hevcCodecString('hvc1', sps.profileTierLevel)).toBe('hvc1.2.4.L123.B0');
  });

  test('VPS carries the same profile_tier_level as the SPS', () => {
    for (const name of ['samples/hevc-aac.mp4', 'thirdparty/mediabunny/video-h265.mp4', 'thirdparty/shaka-player/h265-cea-init.mp4']) {
      const vps = parseHevcVps(firstHevcNal(name, 32));
      const sps = parseHevcSps(firstHevcNal(name, 33));
      expect(vps.profileTierLevel).toEqual(sps.profileTierLevel);
      expect(vps.maxSubLayers).toBe(sps.maxSubLayers);
    }
  });
});

describe('hevcProfileName', () => {
  test('ffmpeg names', () => {
    expect(hevcProfileName(1)).toBe('Main');
    expect(hevcProfileName(2)).toBe('Main 10');
    expect(hevcProfileName(3)).toBe('Main Still Picture');
    expect(hevcProfileName(4)).toBe('Rext');
    expect(hevcProfileName(9)).toBeUndefined();
    // general_profile_idc 0: the first compatibility flag j > 0 decides (flag[2] = bit 29).
    expect(hevcProfileName(0, 1 << 29)).toBe('Main 10');
  });
});

describe('hevcCodecString (ISO/IEC 14496-15 Annex E.3)', () => {
  const ptl = (p: Partial<HevcProfileTierLevel>): HevcProfileTierLevel => ({
    generalProfileSpace: 0,
    generalTierFlag: false,
    generalProfileIdc: 1,
    generalProfileCompatibilityFlags: 0x60000000,
    generalConstraintIndicatorFlags: Uint8Array.of(0xb0, 0, 0, 0, 0, 0),
    generalLevelIdc: 93,
    ...p,
  });
  test('examples from the spec and common usage', () => {
    expect(hevcCodecString('hvc1', ptl({}))).toBe('hvc1.1.6.L93.B0');
    expect(hevcCodecString('hev1', ptl({ generalProfileIdc: 2, generalProfileCompatibilityFlags: 0x20000000, generalLevelIdc: 120 }))).toBe('hev1.2.4.L120.B0');
    // Spec example 'hev1.A4.41.H120.B0.12.34.56.78.90'
    expect(
      hevcCodecString('hev1', ptl({ generalProfileSpace: 1, generalProfileIdc: 4, generalProfileCompatibilityFlags: 0x82000000, generalTierFlag: true, generalLevelIdc: 120, generalConstraintIndicatorFlags: Uint8Array.of(0xb0, 0x12, 0x34, 0x56, 0x78, 0x90) })),
    ).toBe('hev1.A4.41.H120.B0.12.34.56.78.90');
    expect(hevcCodecString('hvc1', ptl({ generalConstraintIndicatorFlags: new Uint8Array(6) }))).toBe('hvc1.1.6.L93');
  });
  test('from real SPSs', () => {
    expect(hevcCodecString('hvc1', parseHevcSps(firstHevcNal('samples/hevc-aac.mp4', 33)).profileTierLevel)).toBe('hvc1.1.6.L30.90');
    expect(hevcCodecString('hev1', parseHevcSps(firstHevcNal('thirdparty/mediabunny/video-h265.mp4', 33)).profileTierLevel)).toBe('hev1.1.6.L120.90');
  });
});

describe('HEVC errors', () => {
  test('NAL header', () => {
    expect(hevcNalHeader(Uint8Array.of(0x42, 0x01))).toEqual({ forbiddenZeroBit: 0, nalUnitType: 33, nuhLayerId: 0, temporalId: 0 });
    expect(() => parseHevcSps(Uint8Array.of(0x40, 0x01, 0x0c))).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_FORMAT' }));
  });
  test('mutated SPS/VPS only ever throw BoxwrightError', () => {
    const spss = ['samples/hevc-aac.mp4', 'thirdparty/mediabunny/video-h265.mp4', 'thirdparty/shaka-player/h265-cea-init.mp4', 'thirdparty/shaka-player/hls-ts-h265/0.ts'].map((n) => firstHevcNal(n, 33));
    const failures = spss.flatMap((sps, i) => mutationFailures(sps, parseHevcSps, 400, i + 10));
    const vps = firstHevcNal('samples/hevc-aac.mp4', 32);
    failures.push(...mutationFailures(vps, parseHevcVps, 300, 99));
    expect(failures).toEqual([]);
  });
});
