/** AV1 (av1C + sequence header OBU) and VP9 (vpcC) against ffprobe 5.1, codec strings, mutation safety. */
import { av1CodecFields, av1CodecString, av1ProfileName, findAv1SequenceHeader, splitObus } from '../../../src/model/codec/av1.js';
import { vp9CodecString, vp9ProfileName } from '../../../src/model/codec/vp9.js';
import { colorPrimariesName, colorSpaceName, colorTransferName, pixFmtName } from '../../../src/model/codec/color.js';
import { ffprobeStream, firstBoxPayload, mutationFailures, readSample, decodeBox } from './helpers.js';

describe('AV1 vs ffprobe 5.1', () => {
  test.each(['samples/av1.mp4', 'thirdparty/mp4ff/av1_multitile_init.mp4'])('%s', (name) => {
    const cfg = decodeBox('av1C', firstBoxPayload(readSample(name), 'av1C'));
    const sh = findAv1SequenceHeader(cfg.configObus)!;
    expect(sh).toBeDefined();
    const p = ffprobeStream(name, 'video');
    expect(p.codec_name).toBe('av1');
    expect(av1ProfileName(sh.seqProfile)).toBe(p.profile);
    expect(sh.operatingPoints[0]!.seqLevelIdx).toBe(p.level);
    expect(sh.maxFrameWidth).toBe(p.width);
    expect(sh.maxFrameHeight).toBe(p.height);
    const chroma = sh.monoChrome ? 0 : sh.subsamplingX && sh.subsamplingY ? 1 : sh.subsamplingX ? 2 : 3;
    expect(pixFmtName(chroma, sh.bitDepth, { jpegNames: false, rgb: sh.matrixCoefficients === 0 })).toBe(p.pix_fmt);
    expect(sh.colorRange ? 'pc' : 'tv').toBe(p.color_range);
    expect(colorSpaceName(sh.matrixCoefficients)).toBe(p.color_space ?? 'unknown');
    expect(colorTransferName(sh.transferCharacteristics)).toBe(p.color_transfer ?? 'unknown');
    expect(colorPrimariesName(sh.colorPrimaries)).toBe(p.color_primaries ?? 'unknown');
    // The av1C header repeats sequence header fields.
    expect(cfg.seqProfile).toBe(sh.seqProfile);
    expect(cfg.seqLevelIdx0).toBe(sh.operatingPoints[0]!.seqLevelIdx);
    expect(cfg.chromaSubsamplingX).toBe(sh.subsamplingX);
    expect(cfg.highBitdepth).toBe(sh.bitDepth > 8 ? 1 : 0);
  });

  test('codec strings', () => {
    const sh = findAv1SequenceHeader(decodeBox('av1C', firstBoxPayload(readSample('samples/av1.mp4'), 'av1C')).configObus)!;
    // libaom leaves the colour description unset (2/2/2), so the full form is needed.
    expect(av1CodecString(av1CodecFields(sh))).toBe('av01.0.00M.08.0.110.02.02.02.0');
    const mt = findAv1SequenceHeader(decodeBox('av1C', firstBoxPayload(readSample('thirdparty/mp4ff/av1_multitile_init.mp4'), 'av1C')).configObus)!;
    expect(av1CodecString(av1CodecFields(mt)).startsWith('av01.0.05M.08')).toBe(true);
    const base = { seqProfile: 0, seqLevelIdx: 4, seqTier: 0, bitDepth: 8, monoChrome: false, subsamplingX: 1, subsamplingY: 1, chromaSamplePosition: 0, colorPrimaries: 1, transferCharacteristics: 1, matrixCoefficients: 1, colorRange: false };
    expect(av1CodecString(base)).toBe('av01.0.04M.08');
    expect(av1CodecString(base, true)).toBe('av01.0.04M.08.0.110.01.01.01.0');
    expect(av1CodecString({ ...base, seqProfile: 1, seqLevelIdx: 13, seqTier: 1, bitDepth: 10, subsamplingX: 0, subsamplingY: 0, colorPrimaries: 9, transferCharacteristics: 16, matrixCoefficients: 9 })).toBe('av01.1.13H.10.0.000.09.16.09.0');
    expect(['Main', 'High', 'Professional'].map((_, i) => av1ProfileName(i))).toEqual(['Main', 'High', 'Professional']);
  });

  test('mutated av1C / OBUs only ever throw BoxwrightError', () => {
    const inputs = ['samples/av1.mp4', 'thirdparty/mp4ff/av1_multitile_init.mp4'].map((n) => firstBoxPayload(readSample(n), 'av1C'));
    const failures = inputs.flatMap((b, i) =>
      mutationFailures(b, (x) => {
        const c = decodeBox('av1C', x);
        splitObus(c.configObus);
        findAv1SequenceHeader(c.configObus);
      }, 400, 40 + i),
    );
    expect(failures).toEqual([]);
  });
});

describe('VP9 vs ffprobe 5.1', () => {
  test('samples/vp9-opus.mp4', () => {
    const c = decodeBox('vpcC', firstBoxPayload(readSample('samples/vp9-opus.mp4'), 'vpcC'));
    const p = ffprobeStream('samples/vp9-opus.mp4', 'video');
    expect(vp9ProfileName(c.profile)).toBe(p.profile);
    expect(pixFmtName(c.chromaSubsampling <= 1 ? 1 : c.chromaSubsampling, c.bitDepth, { jpegNames: false })).toBe(p.pix_fmt);
    expect(c.videoFullRangeFlag ? 'pc' : 'tv').toBe(p.color_range);
    expect(colorSpaceName(c.matrixCoefficients)).toBe(p.color_space ?? 'unknown');
    expect(vp9CodecString(c)).toBe('vp09.00.10.08');
    expect(vp9CodecString(c, true)).toBe('vp09.00.10.08.01.02.02.02.00');
  });
  test('codec strings and names', () => {
    expect(vp9CodecString({ profile: 2, level: 41, bitDepth: 10 })).toBe('vp09.02.41.10');
    expect(vp9CodecString({ profile: 0, level: 31, bitDepth: 8 }, true)).toBe('vp09.00.31.08.01.01.01.01.00');
    expect([0, 1, 2, 3, 4].map(vp9ProfileName)).toEqual(['Profile 0', 'Profile 1', 'Profile 2', 'Profile 3', undefined]);
  });
  test('mutated vpcC only ever throws BoxwrightError', () => {
    expect(mutationFailures(firstBoxPayload(readSample('samples/vp9-opus.mp4'), 'vpcC'), (x) => decodeBox('vpcC', x), 200, 50)).toEqual([]);
  });
});
