/**
 * AudioSpecificConfig and ADTS parsing against ffprobe 5.1 on real files, plus hand-built and
 * ffmpeg-encoded vectors for explicit SBR/PS, the sync extension, escapes and program_config_element.
 */
import {
  aacChannelLayout,
  aacOutputSampleRate,
  aacProfileName,
  buildAudioSpecificConfig,
  mp4aCodecString,
  parseAdtsHeader,
  parseAudioSpecificConfig,
  type AdtsHeader,
} from '../../../src/model/codec/aac-asc.js';
import { BoxwrightError } from '../../../src/io/errors.js';
import { esdsDecoderSpecificInfo, ffprobeStreams, findBoxPayloads, mutationFailures, readSample, tsPayloads } from './helpers.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

/** MSB-first bit writer for building test configs. */
function bitsToBytes(fields: Array<[number, number]>): Uint8Array {
  const bits: number[] = [];
  for (const [value, n] of fields) for (let i = n - 1; i >= 0; i--) bits.push(Math.floor(value / 2 ** i) % 2);
  while (bits.length % 8) bits.push(0);
  const out = new Uint8Array(bits.length / 8);
  bits.forEach((b, i) => (out[i >> 3]! |= b << (7 - (i & 7))));
  return out;
}

/** Every AudioSpecificConfig in a file's esds boxes (MPEG-4 Audio only). */
function ascsOf(name: string): Uint8Array[] {
  return findBoxPayloads(readSample(name), 'esds')
    .map(esdsDecoderSpecificInfo)
    .filter((e) => e.objectTypeIndication === 0x40 && e.dsi)
    .map((e) => e.dsi!);
}

const ESDS_FILES = [
  'samples/h264-aac.mp4',
  'samples/aac.m4a',
  'samples/multi-track.mp4',
  'samples/h264-aac.mov',
  'thirdparty/mediabunny/multiple-aac-tracks.mp4',
  'thirdparty/mediabunny/edts.mp4',
  'thirdparty/mp4ff/bbb_prog_10s.mp4',
  'thirdparty/mp4ff/prog_8s.mp4',
  'thirdparty/mux.js/malformed-sei-init.mp4',
  'thirdparty/go-mp4/sample.mp4',
  'thirdparty/shaka-player/sintel-audio-init.mp4',
];

describe('parseAudioSpecificConfig vs ffprobe 5.1', () => {
  test.each(ESDS_FILES)('%s', (name) => {
    const ascs = ascsOf(name);
    const audio = ffprobeStreams(name).filter((s) => s.codec_type === 'audio');
    expect(ascs.length).toBeGreaterThanOrEqual(audio.length);
    audio.forEach((p, i) => {
      const asc = parseAudioSpecificConfig(ascs[i]!);
      // Init segments without samples get no profile from ffprobe (it never decodes a frame).
      if (p.profile !== undefined) expect(aacProfileName(asc)).toBe(p.profile);
      expect(String(aacOutputSampleRate(asc))).toBe(p.sample_rate);
      expect(asc.channels).toBe(p.channels);
      expect(aacChannelLayout(asc) ?? 'unknown').toBe(p.channel_layout ?? 'unknown');
      expect(asc.frameLength).toBe(1024);
      expect(mp4aCodecString(0x40, asc.signalledObjectType)).toBe('mp4a.40.2');
    });
  });
});

describe('AudioSpecificConfig vectors', () => {
  test('explicit hierarchical HE-AAC: 2B 92 08 00 (22.05 kHz core, 44.1 kHz SBR, stereo)', () => {
    const asc = parseAudioSpecificConfig(hex('2b920800'));
    expect(asc).toMatchObject({ signalledObjectType: 5, objectType: 2, extensionObjectType: 5, sampleRate: 22050, extensionSampleRate: 44100, channels: 2, sbr: true, ps: false, frameLength: 1024 });
    expect(aacProfileName(asc)).toBe('HE-AAC');
    expect(aacOutputSampleRate(asc)).toBe(44100);
    expect(mp4aCodecString(0x40, asc.signalledObjectType)).toBe('mp4a.40.5');
  });

  test('explicit HE-AACv2 (AOT 29): mono core decodes to stereo', () => {
    const asc = parseAudioSpecificConfig(bitsToBytes([[29, 5], [6, 4], [1, 4], [3, 4], [2, 5], [0, 3]]));
    expect(asc).toMatchObject({ signalledObjectType: 29, objectType: 2, sampleRate: 24000, extensionSampleRate: 48000, channelConfiguration: 1, channels: 2, sbr: true, ps: true });
    expect(aacProfileName(asc)).toBe('HE-AACv2');
    expect(aacChannelLayout(asc)).toBe('stereo');
    expect(mp4aCodecString(0x40, asc.signalledObjectType)).toBe('mp4a.40.29');
  });

  test('backward-compatible signalling: LC + sync extension 0x2b7 (SBR) + 0x548 (PS)', () => {
    const asc = parseAudioSpecificConfig(bitsToBytes([[2, 5], [6, 4], [1, 4], [0, 3], [0x2b7, 11], [5, 5], [1, 1], [3, 4], [0x548, 11], [1, 1]]));
    expect(asc).toMatchObject({ signalledObjectType: 2, objectType: 2, extensionObjectType: 5, sampleRate: 24000, extensionSampleRate: 48000, sbr: true, ps: true, channels: 2 });
    expect(aacProfileName(asc)).toBe('HE-AACv2');
    expect(mp4aCodecString(0x40, asc.signalledObjectType)).toBe('mp4a.40.2');
    // Same with sbrPresentFlag 0 (what ffmpeg's encoder writes: 56 E5 00): plain LC.
    const lc = parseAudioSpecificConfig(hex('119056e500'));
    expect(lc).toMatchObject({ sbr: false, ps: false, sampleRate: 48000, channels: 2 });
    expect(lc.extensionObjectType).toBeUndefined();
  });

  test('960-sample frames, 24-bit explicit frequency, object type escape', () => {
    expect(parseAudioSpecificConfig(bitsToBytes([[2, 5], [3, 4], [2, 4], [1, 1], [0, 2], [0, 8]])).frameLength).toBe(960);
    const explicit = parseAudioSpecificConfig(bitsToBytes([[2, 5], [15, 4], [44056, 24], [2, 4], [0, 3]]));
    expect(explicit).toMatchObject({ samplingFrequencyIndex: 15, sampleRate: 44056, channels: 2 });
    const usac = parseAudioSpecificConfig(bitsToBytes([[31, 5], [10, 6], [3, 4], [2, 4]]));
    expect(usac.objectType).toBe(42);
    expect(usac.frameLength).toBeUndefined();
    expect(parseAudioSpecificConfig(bitsToBytes([[23, 5], [3, 4], [1, 4], [0, 3], [0, 2]]))).toMatchObject({ objectType: 23, frameLength: 512 });
    expect(aacProfileName({ objectType: 23, sbr: false, ps: false })).toBe('LD');
    expect(aacProfileName({ objectType: 39, sbr: false, ps: false })).toBe('ELD');
    expect(aacProfileName({ objectType: 1, sbr: false, ps: false })).toBe('Main');
  });

  // ASCs written by ffmpeg 5.1's aac encoder for `-af aformat=channel_layouts=X`, with what
  // ffprobe 5.1 printed for those files (channelConfiguration 0 = program_config_element).
  test.each([
    ['118856e500', 1, 'mono'],
    ['119856e500', 3, '3.0'],
    ['11a056e500', 4, '4.0'],
    ['11a856e500', 5, '5.0'],
    ['11b056e500', 6, '5.1'],
    ['11b856e500', 8, '7.1'],
    ['118004c4010020000d4c61766335392e33372e31303056e500', 3, '2.1'],
    ['118004c4040020000d4c61766335392e33372e31303056e500', 3, '3.0(back)'],
    ['118004c4040021100d4c61766335392e33372e31303056e500', 4, 'quad'],
    ['118004c4400021100d4c61766335392e33372e31303056e500', 4, 'quad(side)'],
    ['118004c8010020000d4c61766335392e33372e31303056e500', 4, 'unknown'],
    ['118004c840002008800d4c61766335392e33372e31303056e500', 5, 'unknown'],
    ['118004c844002000c40d4c61766335392e33372e31303056e500', 6, 'unknown'],
    ['118004c848002000c6400d4c61766335392e33372e31303056e500', 8, 'unknown'],
  ])('ffmpeg-encoded %s → %i channels, %s', (h, channels, layout) => {
    const asc = parseAudioSpecificConfig(hex(h));
    expect(asc.channels).toBe(channels);
    expect(aacChannelLayout(asc) ?? 'unknown').toBe(layout);
  });

  test('errors', () => {
    expect(() => parseAudioSpecificConfig(new Uint8Array(1))).toThrow(expect.objectContaining({ code: 'TRUNCATED' }));
    expect(() => parseAudioSpecificConfig(bitsToBytes([[2, 5], [13, 4], [2, 4], [0, 3]]))).toThrow(expect.objectContaining({ code: 'BAD_VALUE' }));
  });
});

/** Walks ADTS frames from the first offset where two consecutive headers parse. */
function adtsFrames(bytes: Uint8Array): AdtsHeader[] {
  for (let i = 0; i + 7 <= bytes.length; i++) {
    if (bytes[i] !== 0xff || (bytes[i + 1]! & 0xf6) !== 0xf0) continue;
    const frames: AdtsHeader[] = [];
    let p = i;
    try {
      while (p + 7 <= bytes.length) {
        const h = parseAdtsHeader(bytes, p);
        frames.push(h);
        p += h.frameLength;
      }
    } catch (e) {
      if (!(e instanceof BoxwrightError)) throw e;
    }
    if (frames.length >= 2) return frames;
  }
  return [];
}

/** ADTS bytes of a file: raw ADTS, or the payload of each TS PID. */
function adtsSources(name: string): Uint8Array[] {
  const data = readSample(name);
  return data[0] === 0x47 && data[188] === 0x47 ? [...tsPayloads(data).values()] : [data];
}

const ADTS_FILES = [
  'samples/aac.adts',
  'samples/h264-aac.ts',
  'thirdparty/mediabunny/sample3.aac',
  'thirdparty/mediabunny/no-initial-keyframe.ts',
  'thirdparty/mux.js/test-aac-segment.aac',
  'thirdparty/shaka-player/id3-metadata.ts',
  'thirdparty/shaka-player/id3-metadata.aac',
  'thirdparty/shaka-player/hls-ts-raw-aac/fileSequence0.ts',
  'thirdparty/shaka-player/hls-ts-aac/segment_0.ts',
];

describe('parseAdtsHeader vs ffprobe 5.1', () => {
  test.each(ADTS_FILES)('%s', (name) => {
    const frames = adtsSources(name).map(adtsFrames).find((f) => f.length > 0) ?? [];
    expect(frames.length).toBeGreaterThan(1);
    const h = frames[0]!;
    const p = ffprobeStreams(name).find((s) => s.codec_name === 'aac')!;
    expect(h.objectType).toBe(2);
    for (const f of frames) {
      expect(f.samplingFrequencyIndex).toBe(h.samplingFrequencyIndex);
      expect(f.channelConfiguration).toBe(h.channelConfiguration);
      expect(f.headerLength).toBe(f.protectionAbsent ? 7 : 9);
    }
    const asc = parseAudioSpecificConfig(buildAudioSpecificConfig(h));
    expect(asc).toMatchObject({ objectType: h.objectType, sampleRate: h.sampleRate, channelConfiguration: h.channelConfiguration });
    // ADTS can only carry HE-AAC implicitly: ffprobe finds SBR (double rate) and PS (mono → stereo) by decoding.
    if (p.profile === 'LC') {
      expect(String(h.sampleRate)).toBe(p.sample_rate);
      expect(asc.channels).toBe(p.channels);
      expect(aacChannelLayout(asc)).toBe(p.channel_layout);
    } else {
      expect(String(h.sampleRate * 2)).toBe(p.sample_rate);
      if (p.profile === 'HE-AACv2') {
        expect(h.channelConfiguration).toBe(1);
        expect(aacChannelLayout({ ...asc, ps: true })).toBe(p.channel_layout);
      } else {
        expect(p.profile).toBe('HE-AAC');
        expect(aacChannelLayout(asc)).toBe(p.channel_layout);
      }
    }
  });

  test('samples/aac.adts: header fields and the ASC matches the m4a encoded the same way', () => {
    const frames = adtsFrames(readSample('samples/aac.adts'));
    expect(frames[0]).toMatchObject({ mpegVersion: 4, protectionAbsent: true, objectType: 2, samplingFrequencyIndex: 3, sampleRate: 48000, channelConfiguration: 2, headerLength: 7, numberOfRawDataBlocks: 1 });
    expect(Array.from(buildAudioSpecificConfig(frames[0]!))).toEqual([0x11, 0x90]);
    expect(Array.from(ascsOf('samples/aac.m4a')[0]!.subarray(0, 2))).toEqual([0x11, 0x90]);
  });

  test('errors', () => {
    expect(() => parseAdtsHeader(hex('fff15080'), 0)).toThrow(expect.objectContaining({ code: 'TRUNCATED' }));
    expect(parseAdtsHeader(hex('fff15080021ffc'), 0).frameLength).toBe(16);
    expect(() => parseAdtsHeader(hex('fff1508000bffc'), 0)).toThrow(expect.objectContaining({ code: 'BAD_VALUE' })); // aac_frame_length 5
    expect(() => parseAdtsHeader(hex('00f15080021ffc'), 0)).toThrow(expect.objectContaining({ code: 'BAD_VALUE' })); // no syncword
    expect(() => parseAdtsHeader(hex('fff05080021ffc'), 0)).toThrow(expect.objectContaining({ code: 'TRUNCATED' })); // CRC present, 9 bytes needed
  });
});

describe('AAC mutation safety', () => {
  test('mutated ASCs and ADTS headers only ever throw BoxwrightError', () => {
    const inputs = [hex('2b920800'), hex('118004c848002000c6400d4c61766335392e33372e31303056e500'), bitsToBytes([[2, 5], [6, 4], [1, 4], [0, 3], [0x2b7, 11], [5, 5], [1, 1], [3, 4], [0x548, 11], [1, 1]]), ascsOf('thirdparty/mediabunny/multiple-aac-tracks.mp4')[0]!];
    const failures = inputs.flatMap((b, i) => mutationFailures(b, (x) => parseAudioSpecificConfig(x), 400, 20 + i));
    const adts = readSample('samples/aac.adts').slice(0, 9);
    failures.push(...mutationFailures(adts, (x) => parseAdtsHeader(x, 0), 400, 30));
    failures.push(...mutationFailures(adts, (x) => parseAdtsHeader(x, 5), 100, 31));
    expect(failures).toEqual([]);
    expect(() => buildAudioSpecificConfig({ objectType: 40, samplingFrequencyIndex: 3, channelConfiguration: 2 })).toThrow(BoxwrightError);
  });
});
