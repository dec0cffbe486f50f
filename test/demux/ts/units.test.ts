/** The small pure pieces of the TS demuxer: timestamps, CRC, sections, descriptors, Opus sizes. */
import { parseDescriptors } from '../../../src/demux/ts/descriptors.js';
import { opusDOps, opusPacketSamples, sniffAudio } from '../../../src/demux/ts/audio-frames.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OWN_SAMPLES } from '../../helpers/samples.js';
import { prng } from '../../fuzz/mutate.js';
import { parsePesHeader, unwrapTimestamp } from '../../../src/demux/ts/pes.js';
import { crc32Mpeg, emptySectionBuffer, parsePmt, pushSectionPayload } from '../../../src/demux/ts/psi.js';
import { esFormatOf } from '../../../src/demux/ts/stream-types.js';
import { addFrameDuration, pesForUnits } from '../../../src/demux/ts/timing.js';
import { dOpsInfo } from '../../../src/model/codec/opus.js';
const parseDOps = dOpsInfo;
import { pes, pmt } from './ts-writer.js';

const W = 2 ** 33;

test('unwrapTimestamp keeps values continuous across the 33-bit wrap', () => {
  expect(unwrapTimestamp(5, undefined)).toBe(5);
  expect(unwrapTimestamp(100, W - 200)).toBe(W + 100);
  expect(unwrapTimestamp(W - 100, 50)).toBe(-100);
  expect(unwrapTimestamp(3000, W + 9000)).toBe(W + 3000); // a B-frame PTS just behind, after one wrap
  expect(unwrapTimestamp(7, 3 * W + 5)).toBe(3 * W + 7);
});

test('PES header: PTS/DTS, header length, bad prefixes', () => {
  const h = parsePesHeader(pes(0xe0, Uint8Array.of(1, 2), W - 1, 12345));
  expect(h).toEqual({ streamId: 0xe0, packetLength: 3 + 10 + 2, payloadOffset: 19, pts: W - 1, dts: 12345 });
  const audio = parsePesHeader(pes(0xc0, new Uint8Array(0), 90000))!;
  expect([audio.pts, audio.dts]).toEqual([90000, undefined]);
  expect(parsePesHeader(Uint8Array.of(0, 0, 2, 0xe0, 0, 0, 0x80, 0, 0))).toBeUndefined();
  expect(parsePesHeader(Uint8Array.of(0, 0, 1, 0xe0, 0, 0, 0x80, 0x80, 200))).toBeUndefined(); // header longer than the bytes
  expect(parsePesHeader(Uint8Array.of(0, 0, 1, 0xbe, 0, 4))).toEqual({ streamId: 0xbe, packetLength: 4, payloadOffset: 6 });
});

test('addFrameDuration: ffmpeg av_add_stable, drift-free', () => {
  // Values ffprobe prints for 44.1 kHz AAC frames after a PES timestamp of 126000.
  const seq = [126000];
  for (let i = 0; i < 5; i++) seq.push(addFrameDuration(seq[seq.length - 1]!, 1024, 44100));
  expect(seq).toEqual([126000, 128090, 130179, 132269, 134359, 136449]);
  // 100000 frames later still within a tick of the exact time.
  let t = 126000;
  for (let k = 1; k <= 100000; k++) {
    t = addFrameDuration(t, 1152, 44100);
    if (k % 9973 === 0) expect(Math.abs(t - (126000 + (k * 1152 * 90000) / 44100))).toBeLessThanOrEqual(1);
  }
  expect(addFrameDuration(1000, 1536, 48000)).toBe(3880);
  expect(addFrameDuration(-5000, 1024, 44100)).toBeGreaterThan(-5000);
});

test('pesForUnits: a PES timestamp goes to the first unit starting in its payload', () => {
  const recs = [{ esOffset: 0, pos: 0, end: 188, pts: 10, dts: 10 }, { esOffset: 50, pos: 188, end: 376 }, { esOffset: 100, pos: 376, end: 564, pts: 30, dts: 30 }, { esOffset: 150, pos: 564, end: 752, pts: 40, dts: 40 }];
  expect(pesForUnits([0, 40, 60, 120, 160], recs).map((r) => r?.pts)).toEqual([10, undefined, undefined, 30, 40]);
});

test('CRC-32/MPEG-2 check value and intact sections', () => {
  expect(crc32Mpeg(new TextEncoder().encode('123456789'))).toBe(0x0376e6e7);
  const s = pmt(1, 3, 0x100, [{ type: 0x1b, pid: 0x100 }]);
  expect(crc32Mpeg(s)).toBe(0);
  expect(parsePmt(s)).toMatchObject({ programNumber: 1, version: 3, pcrPid: 0x100, streams: [{ streamType: 0x1b, pid: 0x100 }] });
  const bad = s.slice();
  bad[bad.length - 1]! ^= 1;
  expect(parsePmt(bad)).toBeUndefined();
});

test('section reassembly: pointer_field, sections spanning payloads, lost packets, stuffing', () => {
  const s = pmt(1, 0, 0x100, [{ type: 0x1b, pid: 0x100 }, { type: 0x0f, pid: 0x101 }]);
  const got: number[] = [];
  const on = (x: Uint8Array): void => void got.push(x.length);
  // Split in three payloads.
  let st = pushSectionPayload(emptySectionBuffer(), Uint8Array.of(0, ...s.subarray(0, 2)), true, false, on);
  st = pushSectionPayload(st, s.subarray(2, 10), false, false, on);
  st = pushSectionPayload(st, Uint8Array.of(...s.subarray(10), 0xff, 0xff), false, false, on);
  expect(got).toEqual([s.length]);
  // A lost packet drops the partial section.
  st = pushSectionPayload(emptySectionBuffer(), Uint8Array.of(0, ...s.subarray(0, 5)), true, false, on);
  st = pushSectionPayload(st, s.subarray(5), false, true, on);
  expect(got).toEqual([s.length]);
  // Two whole sections and stuffing in one payload; a pointer past the end is ignored.
  pushSectionPayload(emptySectionBuffer(), Uint8Array.of(0, ...s, ...s, 0xff), true, false, on);
  expect(got).toEqual([s.length, s.length, s.length]);
  pushSectionPayload(emptySectionBuffer(), Uint8Array.of(200, 1, 2), true, false, on);
  expect(got).toHaveLength(3);
});

test('descriptors and stream types', () => {
  const d = parseDescriptors(Uint8Array.of(0x05, 4, 0x4f, 0x70, 0x75, 0x73, 0x7f, 2, 0x80, 2, 0x0a, 4, 0x65, 0x6e, 0x67, 0, 0x6a, 1, 0));
  expect(d).toMatchObject({ registration: 'Opus', opusChannelConfig: 2, language: 'eng', ac3: true });
  expect(esFormatOf(0x06, d)).toBe('opus');
  expect(esFormatOf(0x06, parseDescriptors(Uint8Array.of(0x7a, 1, 0)))).toBe('eac3');
  expect(esFormatOf(0x06, parseDescriptors(Uint8Array.of(0x05, 4, 0x41, 0x43, 0x2d, 0x33)))).toBe('ac3');
  // Private data that no descriptor names is recognised from its payload (as ffmpeg probes it), unless
  // a DVB descriptor says it is not audio (subtitles, teletext) or a registration names something else.
  expect(esFormatOf(0x06, { tags: [] })).toBe('sniff');
  expect(esFormatOf(0x06, parseDescriptors(Uint8Array.of(0x0a, 4, 0x65, 0x6e, 0x67, 0)))).toBe('sniff');
  expect(esFormatOf(0x06, parseDescriptors(Uint8Array.of(0x59, 8, 0x65, 0x6e, 0x67, 0x10, 0, 1, 0, 1)))).toBeUndefined();
  expect(esFormatOf(0x06, parseDescriptors(Uint8Array.of(0x56, 5, 0x65, 0x6e, 0x67, 0x09, 0x00)))).toBeUndefined();
  expect(esFormatOf(0x06, parseDescriptors(Uint8Array.of(0x05, 4, 0x4b, 0x4c, 0x56, 0x41)))).toBeUndefined();
  expect(esFormatOf(0x15, parseDescriptors(Uint8Array.of(0x26, 9, 0xff, 0xff, 0x49, 0x44, 0x33, 0x20, 0xff, 0x49, 0x44, 0x33, 0x20)))).toBe('id3');
  expect(esFormatOf(0x81, { tags: [] })).toBe('ac3');
  // Blu-ray (HDMV registration in the program info): 0x84 / 0xA1 are E-AC-3; elsewhere they are not ours.
  const hdmv = parsePmt(pmt(1, 0, 0x1011, [{ type: 0x84, pid: 0x1100 }, { type: 0xa1, pid: 0x1a00 }], Uint8Array.of(0x05, 4, 0x48, 0x44, 0x4d, 0x56)))!;
  expect(hdmv.streams.map((x) => esFormatOf(x.streamType, x.descriptors))).toEqual(['eac3', 'eac3']);
  expect(esFormatOf(0x84, { tags: [] })).toBeUndefined();
  expect(esFormatOf(0x87, { tags: [] })).toBe('eac3');
  expect(esFormatOf(0x24, { tags: [] })).toBe('hevc');
  // A descriptor running past the loop ends it without losing what came before.
  expect(parseDescriptors(Uint8Array.of(0x0a, 4, 0x64, 0x65, 0x75, 0, 0x05, 9, 1))).toEqual({ language: 'deu', tags: [0x0a] });
});

test('Opus packet durations (RFC 6716 §3.1) and dOps for channel_config_code', () => {
  expect(opusPacketSamples(Uint8Array.of(0xfc))).toBe(960); // CELT 20 ms, one frame
  expect(opusPacketSamples(Uint8Array.of(0x09))).toBe(1920); // SILK NB 20 ms (config 1), code 1: two frames
  expect(opusPacketSamples(Uint8Array.of(0x0b, 0x03))).toBe(2880); // SILK 20 ms, code 3, 3 frames
  expect(opusPacketSamples(new Uint8Array(0))).toBe(0);
  expect(parseDOps(opusDOps(2).dOps)).toMatchObject({ outputChannelCount: 2, preSkip: 0, inputSampleRate: 48000, channelMappingFamily: 0 });
  expect(parseDOps(opusDOps(6).dOps)).toMatchObject({ outputChannelCount: 6, channelMappingFamily: 1, streamCount: 4, coupledCount: 2, channelMapping: [0, 4, 1, 2, 3, 5] });
  expect(parseDOps(opusDOps(0).dOps)).toMatchObject({ outputChannelCount: 2, channelMappingFamily: 255, streamCount: 2, coupledCount: 0 });
});

test('sniffAudio tells ADTS, MPEG audio, AC-3 and E-AC-3 from their frames, and nothing from noise', () => {
  const read = (n: string): Uint8Array => new Uint8Array(readFileSync(join(OWN_SAMPLES, n)));
  expect(sniffAudio(read('aac.adts'))).toBe('aac');
  expect(sniffAudio(read('ac3.ac3'))).toBe('ac3');
  const mp3 = read('mp3.mp3');
  // Past the ID3v2 tag (a PES payload starts with a frame).
  const tag = 10 + ((mp3[6]! << 21) | (mp3[7]! << 14) | (mp3[8]! << 7) | mp3[9]!);
  expect(sniffAudio(mp3.subarray(tag))).toBe('mp3');
  const r = prng(7);
  const noise = Uint8Array.from({ length: 20000 }, () => Math.floor(r() * 256));
  expect(sniffAudio(noise)).toBeUndefined();
  expect(sniffAudio(new Uint8Array(0))).toBeUndefined();
});
