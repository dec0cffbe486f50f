/**
 * Elementary-stream demuxers against ffprobe 5.1: every packet's pts, dts, duration, size and pos, and the
 * stream's codec, sample rate, channels, channel layout and duration. Files: our samples, the third-party
 * corpus and variants generated here with ffmpeg (sample formats, rates, layouts, RF64, ADTS with CRC).
 *
 * Known, documented differences (asserted as such, not hidden):
 * - ADTS: ffprobe's packets are whole ADTS frames, ours the payload → size = ours + header, pos = ours − header.
 * - ADTS, CBR MP3 without a Xing/Info frame and AC-3 at 44.1 kHz: ffprobe's stream duration is an estimate
 *   from the bit rate, so our duration (the sum of frame durations) is compared with the sum of ffprobe's
 *   packet durations (each rounded down to its time base: 1536/44100 s is 3134.69 ticks of 1/90000).
 * - Times are compared relative to the first packet: ffprobe's raw demuxers start at 0 and ignore the HLS
 *   ID3 timestamp that ours use as the first dts.
 * - mediabunny/malformed-join.mp3: ffmpeg's MP3 parser locks onto a false sync inside 196 bytes of junk and
 *   emits 5 misaligned packets where we resync on the 4 real frames after it.
 */
import { configBytes } from '../../helpers/config.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demuxAc3, demuxAdts, demuxMp3, demuxWav, readWavFormat } from '../../../src/demux/es/index.js';
import { aacChannelLayout, parseAudioSpecificConfig } from '../../../src/model/codec/aac-asc.js';
import { dac3Info, dec3Info } from '../../../src/model/codec/ac3.js';
import { channelLayoutName } from '../../../src/model/codec/channel-layout.js';
import { parseMpegAudioHeader } from '../../../src/model/codec/mp3.js';
import type { Movie } from '../../../src/model/movie.js';
import { OWN_SAMPLES, thirdPartyDir } from '../../helpers/samples.js';
import { ffprobeBin } from '../../helpers/ffprobe.js';
import { agreement, durationSeconds, probeAudio, type Probe } from './helpers.js';

type Kind = 'adts' | 'mp3' | 'ac3' | 'wav';

const DEMUX: Record<Kind, (d: Uint8Array) => Movie> = { adts: demuxAdts, mp3: demuxMp3, ac3: demuxAc3, wav: demuxWav };


/** ADTS header length in front of sample i (7, or 9 when protection_absent = 0). */
function adtsHeaderOf(movie: Movie, data: Uint8Array): (i: number) => number {
  const s = movie.tracks[0]!.samples;
  return (i) => {
    const o = s.offset[i]!;
    // The byte holding protection_absent is the second of the header: 9 bytes back for CRC headers.
    return o >= 9 && data[o - 9] === 0xff && (data[o - 8]! & 0xf7) === 0xf0 ? 9 : 7;
  };
}

/** The ffprobe channel_layout our description implies. */
function layoutOf(kind: Kind, movie: Movie, data: Uint8Array): string | undefined {
  const t = movie.tracks[0]!;
  const d = t.descriptions[0]!;
  switch (kind) {
    case 'adts':
      return aacChannelLayout(parseAudioSpecificConfig(configBytes(d.config)!));
    case 'mp3':
      return parseMpegAudioHeader(data, t.samples.offset[0]!).channelLayout;
    case 'ac3':
      const c = d.config!;
      return (c.kind === 'eac3' ? dec3Info(c.dec3) : c.kind === 'ac3' ? dac3Info(c.dac3) : undefined)?.channelLayout;
    case 'wav': {
      // ffprobe prints a layout only for WAVE_FORMAT_EXTENSIBLE with a channel mask.
      const f = readWavFormat(data);
      return f.channelMask ? channelLayoutName(f.channelMask) : undefined;
    }
  }
}

/** Sum of ffprobe's packet durations in seconds. */
function probePacketSeconds(p: Probe): number {
  const [n, d] = p.stream.time_base.split('/').map(Number) as [number, number];
  return (p.packets.reduce((a, x) => a + x.duration, 0) * n) / d;
}

interface Case {
  name: string;
  path: string;
  kind: Kind;
  /** ffprobe's stream duration is a bit-rate estimate: compare with its packet durations instead. */
  estimatedDuration?: boolean;
}

function check(c: Case): void {
  const data = new Uint8Array(readFileSync(c.path));
  const movie = DEMUX[c.kind](data);
  const probe = probeAudio(c.path);
  const a = agreement(movie, probe, c.kind === 'adts' ? adtsHeaderOf(movie, data) : undefined);
  expect(a.diffs).toEqual([]);
  expect(a.matching).toBe(probe.packets.length);
  const t = movie.tracks[0]!;
  const d = t.descriptions[0]!;
  expect(d.codec).toBe(probe.stream.codec_name);
  expect(String(d.sampleRate)).toBe(probe.stream.sample_rate);
  expect(d.channels).toBe(probe.stream.channels);
  expect(layoutOf(c.kind, movie, data)).toBe(probe.stream.channel_layout);
  if (c.kind === 'wav') expect(d.pcm?.bitsPerSample).toBe(probe.stream.bits_per_sample);
  const want = c.estimatedDuration ? probePacketSeconds(probe) : Number(probe.stream.duration);
  // ffprobe's packet durations are rounded down to its time base: allow that per packet.
  const [tbNum, tbDen] = probe.stream.time_base.split('/').map(Number) as [number, number];
  const slack = c.estimatedDuration ? (probe.packets.length * tbNum) / tbDen : 0;
  expect(Math.abs(durationSeconds(movie) - want)).toBeLessThanOrEqual(slack + 1e-6);
  // Model invariants shared by every demuxer here.
  expect(t.timescale).toBe(d.sampleRate);
  expect(t.durationTicks).toBe(t.samples.duration.reduce((x, y) => x + y, 0));
  expect(movie.container).toBe(c.kind === 'adts' ? 'aac' : c.kind === 'ac3' ? d.codec : c.kind);
  expect(t.data).toBe(data);
}

const T = thirdPartyDir();
const FILES: Case[] = [
  { name: 'samples/aac.adts', path: join(OWN_SAMPLES, 'aac.adts'), kind: 'adts', estimatedDuration: true },
  { name: 'mux.js/test-aac-segment.aac', path: join(T, 'mux.js/test-aac-segment.aac'), kind: 'adts', estimatedDuration: true },
  { name: 'mediabunny/sample3.aac', path: join(T, 'mediabunny/sample3.aac'), kind: 'adts', estimatedDuration: true },
  { name: 'shaka-player/id3-metadata.aac', path: join(T, 'shaka-player/id3-metadata.aac'), kind: 'adts', estimatedDuration: true },
  { name: 'shaka-player/hls-ts-raw-aac/fileSequence0.ts', path: join(T, 'shaka-player/hls-ts-raw-aac/fileSequence0.ts'), kind: 'adts', estimatedDuration: true },
  { name: 'samples/mp3.mp3', path: join(OWN_SAMPLES, 'mp3.mp3'), kind: 'mp3' },
  { name: 'mediabunny/Toothsome-Meme.VBRv2.mp3', path: join(T, 'mediabunny/Toothsome-Meme.VBRv2.mp3'), kind: 'mp3' },
  { name: 'shaka-player/hls-raw-mp3', path: join(T, 'shaka-player/hls-raw-mp3/media_w905519204_0.mp3'), kind: 'mp3', estimatedDuration: true },
  { name: 'samples/ac3.ac3', path: join(OWN_SAMPLES, 'ac3.ac3'), kind: 'ac3' },
  { name: 'shaka-player/hls-raw-ac3', path: join(T, 'shaka-player/hls-raw-ac3/fileSequence0.ac3'), kind: 'ac3' },
  { name: 'shaka-player/hls-raw-ec3', path: join(T, 'shaka-player/hls-raw-ec3/fileSequence0.ec3'), kind: 'ac3' },
  { name: 'samples/pcm.wav', path: join(OWN_SAMPLES, 'pcm.wav'), kind: 'wav' },
  { name: 'samples/pcm-float.wav', path: join(OWN_SAMPLES, 'pcm-float.wav'), kind: 'wav' },
];

describe('sample files vs ffprobe 5.1', () => {
  beforeAll(() => ffprobeBin());
  test.each(FILES.map((c) => [c.name, c] as const))('%s', (_, c) => check(c));

  test('shaka-player HLS packed audio: the ID3 PRIV timestamp is the first dts', () => {
    const movie = demuxAdts(new Uint8Array(readFileSync(join(T, 'shaka-player/id3-metadata.aac'))));
    // PRIV 0x0d99f4 = 891380 at 90 kHz → 22050 Hz ticks, rounded.
    expect(movie.tracks[0]!.samples.dts[0]).toBe(Math.round((891380 * 22050) / 90000));
    const ac3 = demuxAc3(new Uint8Array(readFileSync(join(T, 'shaka-player/hls-raw-ac3/fileSequence0.ac3'))));
    expect(ac3.tracks[0]!.samples.dts[0]).toBe(Math.round((0x0dbba0 * 48000) / 90000));
  });

  test('mediabunny/malformed-join.mp3: agrees everywhere but the junk ffmpeg mis-syncs on', () => {
    const path = join(T, 'mediabunny/malformed-join.mp3');
    const data = new Uint8Array(readFileSync(path));
    const movie = demuxMp3(data);
    const probe = probeAudio(path);
    const s = movie.tracks[0]!.samples;
    const theirs = new Map(probe.packets.map((p) => [p.pos, p.size]));
    let same = 0;
    for (let i = 0; i < s.count; i++) if (theirs.get(s.offset[i]!) === s.size[i]) same++;
    // 4 of our frames sit where ffprobe has 5 misaligned packets (junk + false syncs); all others coincide.
    expect([s.count, probe.packets.length, same]).toEqual([328, 329, 324]);
    const junk = probe.packets.filter((p) => !s.offset.includes(p.pos));
    expect(junk.map((p) => p.pos)).toEqual([131326, 131825, 132198, 132454, 132654]);
    // Before the junk, timestamps agree packet for packet.
    const a = agreement(movie, { ...probe, packets: probe.packets.slice(0, 250) });
    expect(a.matching).toBe(250);
  });
});

/** ffmpeg-generated variants. */
describe('generated variants vs ffprobe 5.1', () => {
  let dir = '';
  const ff = (out: string, ...args: string[]): string => {
    const path = join(dir, out);
    execFileSync('ffmpeg', ['-v', 'error', '-y', ...args, path]);
    return path;
  };
  const sine = (rate: number, seconds = 1.3): string[] => ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${rate}:duration=${seconds}`];

  beforeAll(() => {
    ffprobeBin();
    dir = mkdtempSync(join(tmpdir(), 'boxwright-es-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const WAV: Array<[string, string[]]> = [
    ['s24le', ['-c:a', 'pcm_s24le']],
    ['s32le', ['-c:a', 'pcm_s32le']],
    ['u8 mono odd size', ['-c:a', 'pcm_u8', '-ac', '1', '-t', '0.0227']],
    ['alaw', ['-c:a', 'pcm_alaw']],
    ['mulaw', ['-c:a', 'pcm_mulaw']],
    ['f64le', ['-c:a', 'pcm_f64le']],
    ['s16le 6 channels (extensible)', ['-c:a', 'pcm_s16le', '-ac', '6']],
    ['s16le 4.0 (extensible)', ['-c:a', 'pcm_s16le', '-af', 'aformat=channel_layouts=4.0']],
    ['s16le rf64', ['-c:a', 'pcm_s16le', '-ac', '2', '-rf64', 'always']],
    ['s24le 96 kHz stereo', ['-c:a', 'pcm_s24le', '-ac', '2', '-ar', '96000']],
  ];
  test.each(WAV)('wav %s', (name, args) => {
    const path = ff(`${name.replace(/\W+/g, '_')}.wav`, ...sine(44100), ...args);
    check({ name, path, kind: 'wav' });
    if (name.includes('rf64')) expect(String.fromCharCode(...readFileSync(path).subarray(0, 4))).toBe('RF64');
    if (name.includes('odd')) expect(readWavFormat(new Uint8Array(readFileSync(path))).codec).toBe('pcm_u8');
  });

  const ADTS: Array<[string, string[]]> = [
    ['mono 8 kHz', ['-ac', '1', '-ar', '8000']],
    ['5.1 48 kHz', ['-ac', '6', '-ar', '48000']],
    ['stereo 96 kHz', ['-ac', '2', '-ar', '96000']],
  ];
  test.each(ADTS)('adts %s', (name, args) => {
    const path = ff(`${name.replace(/\W+/g, '_')}.aac`, ...sine(48000), ...args, '-c:a', 'aac', '-f', 'adts');
    check({ name, path, kind: 'adts', estimatedDuration: true });
  });

  test('adts with CRC (protection_absent = 0, 9-byte headers)', () => {
    const src = new Uint8Array(readFileSync(join(OWN_SAMPLES, 'aac.adts')));
    const path = join(dir, 'crc.aac');
    writeFileSync(path, withAdtsCrc(src));
    check({ name: 'crc', path, kind: 'adts', estimatedDuration: true });
    const m = demuxAdts(new Uint8Array(readFileSync(path)));
    expect(Array.from(m.tracks[0]!.samples.size)).toEqual(Array.from(demuxAdts(src).tracks[0]!.samples.size));
  });

  const MP3: Array<[string, string[]]> = [
    ['MPEG-2 layer III 22.05 kHz mono', [...sine(22050), '-c:a', 'libmp3lame', '-ac', '1']],
    ['MPEG-2.5 layer III 8 kHz', [...sine(8000), '-c:a', 'libmp3lame']],
    ['CBR without Xing + ID3v1', [...sine(44100), '-c:a', 'libmp3lame', '-b:a', '128k', '-write_xing', '0', '-write_id3v1', '1', '-metadata', 'title=x']],
    ['layer II', [...sine(44100), '-c:a', 'mp2', '-f', 'mp2']],
  ];
  test.each(MP3)('mp3 %s', (name, args) => {
    const path = ff(`${name.replace(/\W+/g, '_')}.mp3`, ...args);
    check({ name, path, kind: 'mp3', estimatedDuration: name.includes('without') || name.includes('layer II') });
  });

  const AC3: Array<[string, string[]]> = [
    ['ac3 44.1 kHz stereo', [...sine(44100, 2), '-c:a', 'ac3', '-f', 'ac3']],
    ['ac3 32 kHz mono', [...sine(32000, 2), '-c:a', 'ac3', '-f', 'ac3']],
    ['ac3 5.1', [...sine(48000, 2), '-ac', '6', '-c:a', 'ac3', '-f', 'ac3']],
    ['eac3 stereo', [...sine(48000, 2), '-ac', '2', '-c:a', 'eac3', '-f', 'eac3']],
    ['eac3 5.1 44.1 kHz', [...sine(44100, 2), '-ac', '6', '-c:a', 'eac3', '-f', 'eac3']],
  ];
  test.each(AC3)('%s', (name, args) => {
    const path = ff(`${name.replace(/\W+/g, '_')}.ac3`, ...args);
    check({ name, path, kind: 'ac3', estimatedDuration: name.includes('44.1') });
  });
});

/** Rewrites every ADTS frame with protection_absent = 0 and a (zero) CRC word: 9-byte headers. */
function withAdtsCrc(src: Uint8Array): Uint8Array {
  const m = demuxAdts(src);
  const s = m.tracks[0]!.samples;
  const parts: Uint8Array[] = [];
  for (let i = 0; i < s.count; i++) {
    const h = src.slice(s.offset[i]! - 7, s.offset[i]!);
    const len = s.size[i]! + 9;
    h[1] = h[1]! & 0xfe;
    h[3] = (h[3]! & 0xfc) | (len >> 11);
    h[4] = (len >> 3) & 0xff;
    h[5] = ((len & 7) << 5) | (h[5]! & 0x1f);
    parts.push(h, new Uint8Array(2), src.subarray(s.offset[i]!, s.offset[i]! + s.size[i]!));
  }
  return Buffer.concat(parts);
}
