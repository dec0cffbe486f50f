/** AC-3/E-AC-3, Opus, FLAC, MP3 and channel layouts against ffprobe 5.1; mutation safety. */
import { ac3ChannelLayout, dac3Info, dec3Info, parseAc3FrameHeader, type Ac3FrameHeader } from '../../../src/model/codec/ac3.js';
import { channelLayoutMask, channelLayoutName, defaultChannelLayoutName, CH } from '../../../src/model/codec/channel-layout.js';
import { dfLaStreamInfo, parseFlacStreamHeader } from '../../../src/model/codec/flac.js';
import { id3v2Size, parseMpegAudioHeader, parseVbrHeader, type MpegAudioHeader } from '../../../src/model/codec/mp3.js';
import { dOpsInfo, parseOpusHead } from '../../../src/model/codec/opus.js';
import { BoxwrightError } from '../../../src/io/errors.js';
import { decodeBox, ffprobeStream, firstBoxPayload, mutationFailures, readSample, tsPayloads } from './helpers.js';

const parseDac3 = (b: Uint8Array) => dac3Info(decodeBox('dac3', b));
const parseDec3 = (b: Uint8Array) => dec3Info(decodeBox('dec3', b));
const parseDOps = (b: Uint8Array) => dOpsInfo(decodeBox('dOps', b));
const parseDfLa = (b: Uint8Array) => dfLaStreamInfo(decodeBox('dfLa', b));

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

function sources(name: string): Uint8Array[] {
  const data = readSample(name);
  return data[0] === 0x47 && data[188] === 0x47 ? [...tsPayloads(data).values()] : [data];
}

/** Frames chained from the first offset where 3 consecutive headers parse. */
function chain<T extends { frameLength?: number; frameSize?: number }>(bytes: Uint8Array, parse: (b: Uint8Array, o: number) => T, isSync: (b: Uint8Array, i: number) => boolean, from = 0): T[] {
  for (let i = from; i + 4 <= bytes.length; i++) {
    if (!isSync(bytes, i)) continue;
    const frames: T[] = [];
    let p = i;
    try {
      while (p < bytes.length) {
        const h = parse(bytes, p);
        const len = h.frameLength ?? h.frameSize ?? 0;
        if (len <= 0) break;
        frames.push(h);
        p += len;
      }
    } catch (e) {
      if (!(e instanceof BoxwrightError)) throw e;
    }
    if (frames.length >= 3) return frames;
  }
  return [];
}

const ac3Sync = (b: Uint8Array, i: number): boolean => b[i] === 0x0b && b[i + 1] === 0x77;
const mpaSync = (b: Uint8Array, i: number): boolean => b[i] === 0xff && (b[i + 1]! & 0xe0) === 0xe0;

describe('AC-3 / E-AC-3 vs ffprobe 5.1', () => {
  test.each([
    ['samples/ac3.mp4', 'dac3'],
    ['thirdparty/mediabunny/ac3.mp4', 'dac3'],
    ['samples/eac3.mp4', 'dec3'],
    ['thirdparty/mediabunny/eac3.mp4', 'dec3'],
  ])('%s (%s)', (name, box) => {
    const payload = firstBoxPayload(readSample(name), box);
    const info = box === 'dac3' ? parseDac3(payload) : parseDec3(payload);
    const p = ffprobeStream(name, 'audio');
    expect(String(info.sampleRate)).toBe(p.sample_rate);
    expect(info.channels).toBe(p.channels);
    expect(info.channelLayout).toBe(p.channel_layout);
    if (name.startsWith('samples/')) expect(String(info.bitRate)).toBe(p.bit_rate);
  });

  test.each([
    'samples/ac3.ac3',
    'thirdparty/shaka-player/hls-raw-ac3/fileSequence0.ac3',
    'thirdparty/shaka-player/hls-raw-ec3/fileSequence0.ec3',
    'thirdparty/mediabunny/ac3-system-b.ts',
    'thirdparty/mediabunny/eac3-system-b.ts',
  ])('sync frames of %s', (name) => {
    const frames = sources(name).map((b) => chain<Ac3FrameHeader>(b, (x, o) => parseAc3FrameHeader(x, o), ac3Sync)).find((f) => f.length > 0)!;
    expect(frames.length).toBeGreaterThanOrEqual(3);
    const h = frames[0]!;
    const p = ffprobeStream(name, 'audio');
    expect(h.codec).toBe(p.codec_name);
    expect(String(h.sampleRate)).toBe(p.sample_rate);
    expect(h.channels).toBe(p.channels);
    expect(h.channelLayout).toBe(p.channel_layout);
    if (h.codec === 'ac3') expect(String(h.bitRate)).toBe(p.bit_rate);
    for (const f of frames) expect(f.sampleRate).toBe(h.sampleRate);
  });

  test('dac3 fields of samples/ac3.mp4 and layouts for every acmod', () => {
    expect(decodeBox('dac3', hex('1010c0'))).toEqual({ fscod: 0, bsid: 8, bsmod: 0, acmod: 2, lfeon: 0, bitRateCode: 6 });
    expect(parseDac3(hex('1010c0'))).toMatchObject({ bsid: 8, bsmod: 0, acmod: 2, lfeon: false, bitRate: 96000, channelLayout: 'stereo' });
    // ffprobe 5.1 on ac3/eac3 files encoded from each input layout (checked by hand):
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((a) => ac3ChannelLayout(a, false))).toEqual(['stereo', 'mono', 'stereo', '3.0', '3.0(back)', '4.0', 'quad(side)', '5.0(side)']);
    expect([2, 3, 5, 7].map((a) => ac3ChannelLayout(a, true))).toEqual(['2.1', '3.1', '4.1', '5.1(side)']);
    expect(ac3ChannelLayout(4, true)).toBe('4 channels (FL+FR+LFE+BC)');
    // 5.1(side) core + Lrs/Rrs in a dependent substream → 7.1.
    expect(ac3ChannelLayout(7, true, 0b010000000)).toBe('7.1');
  });

  test('mutations only throw BoxwrightError', () => {
    const f: string[] = [];
    f.push(...mutationFailures(firstBoxPayload(readSample('samples/ac3.mp4'), 'dac3'), (x) => parseDac3(x), 200, 60));
    f.push(...mutationFailures(firstBoxPayload(readSample('thirdparty/mediabunny/eac3.mp4'), 'dec3'), (x) => parseDec3(x), 200, 61));
    f.push(...mutationFailures(readSample('samples/ac3.ac3').slice(0, 10), (x) => parseAc3FrameHeader(x, 0), 300, 62));
    f.push(...mutationFailures(readSample('thirdparty/shaka-player/hls-raw-ec3/fileSequence0.ec3').slice(0, 10), (x) => parseAc3FrameHeader(x, 0), 300, 63));
    expect(f).toEqual([]);
  });
});

describe('Opus vs ffprobe 5.1', () => {
  test.each(['samples/opus.mp4', 'samples/vp9-opus.mp4', 'thirdparty/mp4ff/opus.mp4'])('%s', (name) => {
    const c = parseDOps(firstBoxPayload(readSample(name), 'dOps'));
    const p = ffprobeStream(name, 'audio');
    expect(String(c.sampleRate)).toBe(p.sample_rate);
    expect(c.outputChannelCount).toBe(p.channels);
    expect(c.channelLayout).toBe(p.channel_layout);
    expect(c.preSkip).toBe(312);
  });
  test('mapping family 1 and OpusHead', () => {
    const six = parseDOps(hex('000601380000bb800000010402000401020305'));
    expect(six).toMatchObject({ channelMappingFamily: 1, streamCount: 4, coupledCount: 2, channelLayout: '5.1' });
    expect(parseDOps(hex('000801380000bb800000010503000601020304050607')).channelLayout).toBe('7.1');
    const head = parseOpusHead(Uint8Array.from([...Buffer.from('OpusHead'), 1, 2, 0x38, 1, 0x80, 0xbb, 0, 0, 0, 0, 0]));
    expect(head).toMatchObject({ outputChannelCount: 2, preSkip: 312, inputSampleRate: 48000, channelLayout: 'stereo' });
  });
  test('mutations only throw BoxwrightError', () => {
    expect(mutationFailures(firstBoxPayload(readSample('samples/opus.mp4'), 'dOps'), (x) => parseDOps(x), 300, 70)).toEqual([]);
  });
});

describe('FLAC vs ffprobe 5.1', () => {
  test('samples/flac.mp4', () => {
    const si = parseDfLa(firstBoxPayload(readSample('samples/flac.mp4'), 'dfLa'));
    const p = ffprobeStream('samples/flac.mp4', 'audio');
    expect(String(si.sampleRate)).toBe(p.sample_rate);
    expect(si.channels).toBe(p.channels);
    expect(si.channelLayout).toBe(p.channel_layout);
    expect(String(si.bitsPerSample)).toBe(p.bits_per_raw_sample);
    expect(si.totalSamples).toBe(96000);
  });
  test('native stream header and ffmpeg layouts for 1..8 channels', () => {
    const dfla = firstBoxPayload(readSample('samples/flac.mp4'), 'dfLa');
    const native = Uint8Array.from([...Buffer.from('fLaC'), ...dfla.subarray(4)]);
    expect(parseFlacStreamHeader(native).sampleRate).toBe(48000);
    const names: Array<string | undefined> = [];
    for (let ch = 1; ch <= 8; ch++) {
      const body = dfla.slice(4);
      body[4 + 12] = (body[4 + 12]! & 0xf1) | ((ch - 1) << 1);
      names.push(parseDfLa(Uint8Array.from([0, 0, 0, 0, ...body])).channelLayout);
    }
    // What ffprobe 5.1 printed for flac files of 1..8 channels made by ffmpeg's encoder:
    expect(names).toEqual(['mono', 'stereo', '3.0', 'quad', '5.0(side)', '5.1(side)', '6.1', '7.1']);
  });
  test('mutations only throw BoxwrightError', () => {
    expect(mutationFailures(firstBoxPayload(readSample('samples/flac.mp4'), 'dfLa'), (x) => parseDfLa(x), 300, 80)).toEqual([]);
  });
});

describe('MP3 vs ffprobe 5.1', () => {
  test.each([
    'samples/mp3.mp3',
    'samples/mp3.mp4',
    'thirdparty/mediabunny/Toothsome-Meme.VBRv2.mp3',
    'thirdparty/mediabunny/malformed-join.mp3',
    'thirdparty/mediabunny/mp3.ts',
    'thirdparty/shaka-player/hls-raw-mp3/media_w905519204_0.mp3',
    'thirdparty/shaka-player/hls-ts-mp3/media_w239891843_0.ts',
  ])('%s', (name) => {
    const p = ffprobeStream(name, 'audio');
    const frames = sources(name)
      .map((b) => chain<MpegAudioHeader>(b, (x, o) => parseMpegAudioHeader(x, o), mpaSync, id3v2Size(b)))
      .find((f) => f.length > 0)!;
    expect(frames.length).toBeGreaterThanOrEqual(3);
    const h = frames[0]!;
    expect(String(h.sampleRate)).toBe(p.sample_rate);
    expect(h.channels).toBe(p.channels);
    expect(h.channelLayout).toBe(p.channel_layout);
    expect(h.layer).toBe(3);
  });

  test('Xing/Info + LAME tag of samples/mp3.mp3 give the frame count ffprobe uses', () => {
    const data = readSample('samples/mp3.mp3');
    const first = id3v2Size(data);
    expect(first).toBeGreaterThan(10);
    const h = parseMpegAudioHeader(data, first);
    expect(h).toMatchObject({ version: 1, layer: 3, bitRate: 96000, sampleRate: 48000, samplesPerFrame: 1152, frameLength: 288 });
    const vbr = parseVbrHeader(data, first)!;
    expect(vbr.kind).toBe('Info');
    expect(vbr.encoder).toMatch(/^(LAME|Lav)/);
    expect(vbr.encoderDelay).toBe(576);
    const p = ffprobeStream('samples/mp3.mp3', 'audio');
    const duration = (vbr.frames! * h.samplesPerFrame - (vbr.encoderDelay ?? 0) - (vbr.encoderPadding ?? 0)) / h.sampleRate;
    expect(Math.abs(duration - Number(p.duration))).toBeLessThan(0.05);
  });

  test('VBR MPEG-2 Layer III: Xing frame count', () => {
    const data = readSample('thirdparty/mediabunny/Toothsome-Meme.VBRv2.mp3');
    const first = id3v2Size(data);
    const vbr = parseVbrHeader(data, first)!;
    const h = parseMpegAudioHeader(data, first);
    expect(h).toMatchObject({ version: 2, samplesPerFrame: 576, sampleRate: 24000 });
    expect(vbr.kind).toBe('Xing');
    const p = ffprobeStream('thirdparty/mediabunny/Toothsome-Meme.VBRv2.mp3', 'audio');
    expect(Math.abs((vbr.frames! * 576) / 24000 - Number(p.duration))).toBeLessThan(0.1);
  });

  test('mutations only throw BoxwrightError', () => {
    const data = readSample('samples/mp3.mp3');
    const frame = data.slice(id3v2Size(data), id3v2Size(data) + 288);
    const f = mutationFailures(frame, (x) => {
      parseMpegAudioHeader(x, 0);
      parseVbrHeader(x, 0);
    }, 400, 90);
    f.push(...mutationFailures(data.slice(0, 16), (x) => id3v2Size(x), 100, 91));
    expect(f).toEqual([]);
  });
});

describe('channel layouts (ffmpeg 5.1 names)', () => {
  test('names, masks, defaults', () => {
    expect(channelLayoutName(CH.FL + CH.FR + CH.FC + CH.LFE + CH.SL + CH.SR)).toBe('5.1(side)');
    expect(channelLayoutName(channelLayoutMask('7.1(wide-side)')!)).toBe('7.1(wide-side)');
    expect(channelLayoutName(CH.FL + CH.FR + CH.LFE + CH.SL + CH.SR)).toBe('5 channels (FL+FR+LFE+SL+SR)');
    expect(channelLayoutName(0)).toBeUndefined();
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(defaultChannelLayoutName)).toEqual(['mono', 'stereo', '2.1', '4.0', '5.0', '5.1', '6.1', '7.1']);
  });
});
