/** muxTs on inputs MPEG-TS cannot carry or that lack what the TS needs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demuxMp4 } from '../../../src/demux/mp4/index.js';
import { BoxwrightError } from '../../../src/io/errors.js';
import { parseAudioSpecificConfig } from '../../../src/model/codec/aac-asc.js';
import type { Movie, SampleDescription, Track } from '../../../src/model/movie.js';
import { SampleTableBuilder } from '../../../src/model/sample-table.js';
import { muxTs } from '../../../src/mux/ts/index.js';
import { OWN_SAMPLES } from '../../helpers/samples.js';
import { hex, readPackets, readPes } from './ts-reader.js';

const load = (name: string): Movie => demuxMp4(new Uint8Array(readFileSync(join(OWN_SAMPLES, name)))).movie;

function thrown(f: () => unknown): BoxwrightError {
  try {
    f();
  } catch (e) {
    if (e instanceof BoxwrightError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

/** The movie with track `k`'s first sample description replaced. */
function withDescription(m: Movie, k: number, patch: Partial<SampleDescription>): Movie {
  const tracks = m.tracks.map((t, i): Track => (i === k ? { ...t, descriptions: [{ ...t.descriptions[0]!, ...patch }] } : t));
  return { ...m, tracks };
}

describe('UNSUPPORTED_CODEC', () => {
  test.each([
    ['flac.mp4', 'flac'],
    ['vp9-opus.mp4', 'vp9'],
    ['av1.mp4', 'av1'],
    ['alac.m4a', 'alac'],
    ['pcm-s16le.mov', 'pcm_s16le'],
  ])('%s → codec %s cannot be carried in MPEG-TS', (file, codec) => {
    const e = thrown(() => muxTs(load(file)));
    expect(e.code).toBe('UNSUPPORTED_CODEC');
    expect(e.detail).toBe(`codec ${codec} cannot be carried in MPEG-TS`);
  });

  test('the carriable track of a file with an unsupported one can still be chosen (vp9-opus → opus)', () => {
    const m = load('vp9-opus.mp4');
    const opus = m.tracks.findIndex((t) => t.descriptions[0]?.codec === 'opus');
    expect(muxTs(m, [opus]).length % 188).toBe(0);
  });

  test('a subtitle track chosen explicitly', () => {
    const m = load('subtitles-tx3g.mp4');
    const sub = m.tracks.findIndex((t) => t.kind === 'subtitle');
    const e = thrown(() => muxTs(m, [sub]));
    expect(e.code).toBe('UNSUPPORTED_CODEC');
    expect(e.detail).toMatch(/cannot be carried in MPEG-TS/);
    // By default only audio and video are taken, so the same file muxes.
    expect(muxTs(m).length).toBeGreaterThan(0);
  });

  test('encrypted (cenc) tracks', () => {
    const e = thrown(() => muxTs(load('encrypted-cenc.mp4')));
    expect(e.code).toBe('UNSUPPORTED_CODEC');
    expect(e.detail).toMatch(/encrypted with cenc cannot be carried in MPEG-TS/);
  });

  test('AAC that ADTS cannot describe (AAC-LD, channelConfiguration 0)', () => {
    const m = load('aac.m4a');
    const ld = withDescription(m, 0, { config: { kind: 'aac', audioSpecificConfig: Uint8Array.of(0xb9, 0x88, 0x00) } }); // AOT 23 (ER AAC-LD), 48 kHz, mono
    expect(thrown(() => muxTs(ld)).code).toBe('UNSUPPORTED_CODEC');
    // AAC LC, 48 kHz, channelConfiguration 0 with a program_config_element (one front CPE).
    const pce = withDescription(m, 0, { config: { kind: 'aac', audioSpecificConfig: Uint8Array.from(Buffer.from('118004c400002000', 'hex')) } });
    const e = thrown(() => muxTs(pce));
    expect(e.code).toBe('UNSUPPORTED_CODEC');
    expect(e.detail).toBe('codec aac (channelConfiguration 0) cannot be carried in MPEG-TS (ADTS)');
    // HE-AAC signalled explicitly (AOT 5 over LC) is fine: ADTS carries the LC core and SBR stays implicit.
    const heConfig = Uint8Array.from(Buffer.from('2b118800', 'hex')); // AOT 5, core 24 kHz stereo, SBR 48 kHz, core AOT 2
    expect(parseAudioSpecificConfig(heConfig)).toMatchObject({ objectType: 2, sbr: true, sampleRate: 24000, extensionSampleRate: 48000 });
    const ts = muxTs(withDescription(m, 0, { config: { kind: 'aac', audioSpecificConfig: heConfig } }));
    // Every frame: profile 1 (LC), sampling_frequency_index 6 (24 kHz), channel_configuration 2.
    for (const u of readPes(readPackets(ts))) expect(hex(u.data.subarray(0, 4))).toMatch(/^fff15880/);
  });
});

describe('BAD_VALUE', () => {
  test('H.264 without an avcC', () => {
    const e = thrown(() => muxTs(withDescription(load('h264-aac.mp4'), 0, { config: undefined })));
    expect(e.code).toBe('BAD_VALUE');
    expect(e.detail).toMatch(/H\.264 track \d+ has no avcC/);
    // An empty avcC (mediabunny's annex-b.mp4 stores one) gives no configuration: no better.
    expect(thrown(() => muxTs(withDescription(load('h264-aac.mp4'), 0, { config: { kind: 'aac', audioSpecificConfig: new Uint8Array(0) } }))).detail).toMatch(/has no avcC/);
  });

  test('H.264 whose avcC has no SPS and whose keyframes carry none', () => {
    // version 1, High, level 3.1, 4-byte lengths, 0 SPS, 0 PPS.
    const e = thrown(() => muxTs(withDescription(load('h264-aac.mp4'), 0, { config: { kind: 'avc', avcC: { configurationVersion: 1, avcProfileIndication: 100, profileCompatibility: 0, avcLevelIndication: 31, lengthSizeMinusOne: 3, sequenceParameterSets: [], pictureParameterSets: [] } } })));
    expect(e.code).toBe('BAD_VALUE');
    expect(e.detail).toMatch(/carries no SPS and the avcC has none/);
  });

  test('HEVC without an hvcC, AAC without an AudioSpecificConfig', () => {
    expect(thrown(() => muxTs(withDescription(load('hevc-aac.mp4'), 0, { config: undefined }))).detail).toMatch(/HEVC track \d+ has no hvcC/);
    expect(thrown(() => muxTs(withDescription(load('aac.m4a'), 0, { config: undefined }))).detail).toMatch(/AAC track \d+ has no AudioSpecificConfig/);
  });

  test('a track without samples', () => {
    const m = load('h264-aac.mp4');
    const empty: Movie = { ...m, tracks: m.tracks.map((t, i) => (i === 1 ? { ...t, samples: new SampleTableBuilder().build() } : t)) };
    const e = thrown(() => muxTs(empty));
    expect(e.code).toBe('BAD_VALUE');
    expect(e.detail).toMatch(/has no samples/);
  });

  test('a movie without audio or video', () => {
    const m = load('h264-aac.mp4');
    expect(thrown(() => muxTs({ ...m, tracks: [] })).code).toBe('BAD_VALUE');
  });

  test('a truncated NAL length inside a sample → TRUNCATED', () => {
    const m = load('h264-aac.mp4');
    const v = m.tracks[0]!;
    const data = v.data.slice();
    data[v.samples.offset[1]!] = 0x7f; // first NAL length of sample 1 now runs past the sample
    const e = thrown(() => muxTs({ ...m, tracks: [{ ...v, data }, m.tracks[1]!] }));
    expect(e.code).toBe('TRUNCATED');
  });
});

test('invalid trackIndexes are a RangeError', () => {
  const m = load('h264-aac.mp4');
  expect(() => muxTs(m, [])).toThrow(RangeError);
  expect(() => muxTs(m, [2])).toThrow(RangeError);
  expect(() => muxTs(m, [0, 0])).toThrow(RangeError);
  expect(() => muxTs(m, [0.5])).toThrow(RangeError);
});
