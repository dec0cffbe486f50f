/**
 * Elementary-stream demuxers: ID3 handling, resynchronisation, trailing tags, gapless edits, dac3/dec3
 * bytes against ffmpeg's MP4 muxer, WAV chunk edge cases and error codes.
 */
import { configBytes } from '../../helpers/config.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demuxAc3, demuxAdts, demuxMp3, demuxWav, MP3_DECODER_DELAY, readWavFormat } from '../../../src/demux/es/index.js';
import { audioEndBeforeTrailingTags, skipLeadingId3 } from '../../../src/demux/es/id3.js';
import { BoxwrightError, isBoxwrightError } from '../../../src/io/errors.js';
import type { Movie } from '../../../src/model/movie.js';
import { SYNC } from '../../../src/model/sample-table.js';
import { OWN_SAMPLES, thirdPartyDir } from '../../helpers/samples.js';
import { prng } from '../../fuzz/mutate.js';

const own = (name: string): Uint8Array => new Uint8Array(readFileSync(join(OWN_SAMPLES, name)));
const third = (name: string): Uint8Array => new Uint8Array(readFileSync(join(thirdPartyDir(), name)));
const cat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Sizes and offsets (shifted by `shift`) of track 1. */
function frames(m: Movie, shift = 0): Array<[number, number]> {
  const s = m.tracks[0]!.samples;
  return Array.from({ length: s.count }, (_, i) => [s.offset[i]! - shift, s.size[i]!]);
}

function syncsafe(n: number): number[] {
  return [(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f];
}

/** An ID3v2.3/2.4 tag with a TXXX frame and the HLS PRIV timestamp frame. */
function hlsId3(version: 3 | 4, ts: number): Uint8Array {
  const frame = (id: string, body: Uint8Array): Uint8Array => {
    const size = version === 4 ? syncsafe(body.length) : [(body.length >>> 24) & 0xff, (body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff];
    return cat(ascii(id), Uint8Array.from(size), new Uint8Array(2), body);
  };
  const tsBytes = Uint8Array.of(0, 0, 0, Math.floor(ts / 2 ** 32) & 1, (ts >>> 24) & 0xff, (ts >>> 16) & 0xff, (ts >>> 8) & 0xff, ts & 0xff);
  const body = cat(frame('TXXX', cat(Uint8Array.of(3), ascii('k\0v'))), frame('PRIV', cat(ascii('com.apple.streaming.transportStreamTimestamp\0'), tsBytes)), new Uint8Array(5));
  return cat(ascii('ID3'), Uint8Array.of(version, 0, 0), Uint8Array.from(syncsafe(body.length)), body);
}

describe('ID3', () => {
  test.each([3, 4] as const)('ID3v2.%i PRIV transportStreamTimestamp (33 bits)', (v) => {
    const ts = 2 ** 32 + 123456;
    const tag = hlsId3(v, ts);
    const data = cat(tag, hlsId3(v, 7), Uint8Array.of(1, 2, 3));
    expect(skipLeadingId3(data)).toEqual({ end: data.length - 3, timestamp90k: ts });
  });

  test('the timestamp shifts every ADTS/MP3/AC-3 dts into the track timescale', () => {
    const ts = 900000; // 10 s
    const adts = demuxAdts(cat(hlsId3(4, ts), own('aac.adts')));
    expect(adts.tracks[0]!.samples.dts[0]).toBe(480000);
    const mp3 = demuxMp3(cat(hlsId3(3, ts), own('mp3.mp3')));
    expect(mp3.tracks[0]!.samples.dts[0]).toBe(480000);
    const ac3 = demuxAc3(cat(hlsId3(4, ts), own('ac3.ac3')));
    expect(ac3.tracks[0]!.samples.dts[0]).toBe(480000);
  });

  test('trailing ID3v1 and APEv2 tags are not audio', () => {
    const mp3 = own('mp3.mp3');
    const id3v1 = cat(ascii('TAG'), new Uint8Array(125).fill(0x41));
    const apeItems = cat(Uint8Array.of(5, 0, 0, 0, 0, 0, 0, 0), ascii('Title\0hello'));
    const apeFooter = (size: number, header: boolean): Uint8Array =>
      cat(ascii('APETAGEX'), Uint8Array.of(0xd0, 0x07, 0, 0), Uint8Array.of(size & 0xff, size >> 8, 0, 0), Uint8Array.of(1, 0, 0, 0), Uint8Array.of(0, 0, 0, header ? 0xa0 : 0x80), new Uint8Array(8));
    const ape = cat(apeFooter(apeItems.length + 32, true), apeItems, apeFooter(apeItems.length + 32, true));
    const want = frames(demuxMp3(mp3));
    for (const tail of [id3v1, ape, cat(ape, id3v1), cat(id3v1, ape)]) {
      const data = cat(mp3, tail);
      expect(audioEndBeforeTrailingTags(data, 0)).toBe(mp3.length);
      expect(frames(demuxMp3(data))).toEqual(want);
    }
  });
});

describe('resynchronisation', () => {
  const junk = (n: number, seed: number): Uint8Array => {
    const r = prng(seed);
    // Random bytes salted with sync-looking pairs so the resync check has false candidates to reject.
    return Uint8Array.from({ length: n }, (_, i) => (i % 97 === 0 ? 0xff : i % 97 === 1 ? 0xf1 : i % 89 === 0 ? 0x0b : i % 89 === 1 ? 0x77 : Math.floor(r() * 256)));
  };

  test.each([
    ['adts', own('aac.adts'), demuxAdts],
    ['mp3', own('mp3.mp3'), demuxMp3],
    ['ac3', own('ac3.ac3'), demuxAc3],
    ['ec3', third('shaka-player/hls-raw-ec3/fileSequence0.ec3'), demuxAc3],
  ] as const)('%s: garbage before, between frames and an ID3 tag mid-stream', (_, data, demux) => {
    const base = demux(data);
    const want = frames(base);
    for (const n of [1, 7, 500, 3001]) {
      const prefix = junk(n, n);
      expect(frames(demux(cat(prefix, data)), n)).toEqual(want);
    }
    // Garbage and an ID3 tag spliced between two frames in the middle.
    const s = base.tracks[0]!.samples;
    const mid = Math.floor(s.count / 2);
    const cut = s.offset[mid]! - (demux === demuxAdts ? 7 : 0);
    const insert = cat(junk(333, 9), hlsId3(4, 1));
    const spliced = demux(cat(data.subarray(0, cut), insert, data.subarray(cut)));
    expect(spliced.tracks[0]!.samples.count).toBe(s.count);
    expect(frames(spliced).slice(mid).map(([o, z]) => [o - insert.length, z])).toEqual(want.slice(mid));
  });

  test('a frame cut short keeps what remains, with the full duration', () => {
    const data = own('ac3.ac3');
    const m = demuxAc3(data.subarray(0, data.length - 100));
    const s = m.tracks[0]!.samples;
    expect(s.size[s.count - 1]).toBe(384 - 100);
    expect(s.duration[s.count - 1]).toBe(1536);
  });
});

describe('MP3', () => {
  test('the Xing/Info frame is not a sample; samples are whole frames', () => {
    const data = own('mp3.mp3');
    const m = demuxMp3(data);
    const s = m.tracks[0]!.samples;
    expect(s.offset[0]).toBe(336); // ID3v2 (48) + Info frame (288)
    expect([data[s.offset[0]!], data[s.offset[0]! + 1]! & 0xe0]).toEqual([0xff, 0xe0]);
    expect(m.tracks[0]!.edits).toEqual([]);
    expect(m.tracks[0]!.descriptions[0]).toMatchObject({ entryType: '.mp3', format: '.mp3', codec: 'mp3' });
  });

  test.each([
    ['samples/mp3.mp3', () => own('mp3.mp3'), join(OWN_SAMPLES, 'mp3.mp3')],
    ['mediabunny/Toothsome-Meme.VBRv2.mp3', () => third('mediabunny/Toothsome-Meme.VBRv2.mp3'), join(thirdPartyDir(), 'mediabunny/Toothsome-Meme.VBRv2.mp3')],
  ])('gapless edit of %s = the samples ffmpeg decodes', (_, load, path) => {
    const m = demuxMp3(load(), { gapless: true });
    const t = m.tracks[0]!;
    expect(t.edits).toHaveLength(1);
    const e = t.edits[0]!;
    const channels = t.descriptions[0]!.channels!;
    const decoded = execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-f', 's16le', '-'], { maxBuffer: 1 << 28 }).length / (2 * channels);
    expect(e.segmentDurationTicks).toBe(decoded);
    expect(e.mediaTimeTicks - MP3_DECODER_DELAY).toBeGreaterThan(0);
    expect(m.durationTicks).toBe(decoded);
  });
});

describe('AC-3 / E-AC-3 configuration records', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'boxwright-es-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The dac3/dec3 payload ffmpeg's MP4 muxer writes for the same stream. */
  function ffmpegConfig(input: string, type: string): string {
    const out = join(dir, 'out.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', input, '-c', 'copy', out]);
    const d = readFileSync(out);
    const i = d.indexOf(type);
    return d.subarray(i + 4, i - 4 + d.readUInt32BE(i - 4)).toString('hex');
  }

  test.each([
    ['samples/ac3.ac3', join(OWN_SAMPLES, 'ac3.ac3'), 'dac3'],
    ['hls-raw-ac3', join(thirdPartyDir(), 'shaka-player/hls-raw-ac3/fileSequence0.ac3'), 'dac3'],
    ['hls-raw-ec3', join(thirdPartyDir(), 'shaka-player/hls-raw-ec3/fileSequence0.ec3'), 'dec3'],
  ])('%s: %s equals ffmpeg’s', (_, path, type) => {
    const m = demuxAc3(new Uint8Array(readFileSync(path)));
    expect(Buffer.from(configBytes(m.tracks[0]!.descriptions[0]!.config)!).toString('hex')).toBe(ffmpegConfig(path, type));
  });

  test.each([
    ['eac3 stereo 48 kHz', ['-ar', '48000', '-ac', '2']],
    ['eac3 mono 32 kHz', ['-ar', '32000', '-ac', '1']],
    ['eac3 5.1 44.1 kHz', ['-ar', '44100', '-ac', '6']],
  ])('%s: dec3 equals ffmpeg’s', (_, args) => {
    const path = join(dir, 'x.ec3');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=duration=0.5', ...args, '-c:a', 'eac3', '-f', 'eac3', path]);
    const m = demuxAc3(new Uint8Array(readFileSync(path)));
    expect(m.container).toBe('eac3');
    expect(Buffer.from(configBytes(m.tracks[0]!.descriptions[0]!.config)!).toString('hex')).toBe(ffmpegConfig(path, 'dec3'));
  });
});

describe('WAV', () => {
  /** A WAVE file from chunks. */
  const riff = (form: string, ...chunks: Uint8Array[]): Uint8Array => {
    const body = cat(ascii('WAVE'), ...chunks);
    const size = form === 'RIFF' ? body.length : 0xffffffff;
    return cat(ascii(form), Uint8Array.of(size & 0xff, (size >> 8) & 0xff, (size >> 16) & 0xff, size >>> 24), body);
  };
  const chunk = (id: string, body: Uint8Array, size = body.length): Uint8Array =>
    cat(ascii(id), Uint8Array.of(size & 0xff, (size >> 8) & 0xff, (size >> 16) & 0xff, size >>> 24), body, body.length & 1 ? new Uint8Array(1) : new Uint8Array(0));
  const fmt = (tag: number, channels: number, rate: number, bits: number): Uint8Array => {
    const b = Buffer.alloc(16);
    const align = channels * Math.ceil(bits / 8);
    b.writeUInt16LE(tag, 0);
    b.writeUInt16LE(channels, 2);
    b.writeUInt32LE(rate, 4);
    b.writeUInt32LE(rate * align, 8);
    b.writeUInt16LE(align, 12);
    b.writeUInt16LE(bits, 14);
    return chunk('fmt ', new Uint8Array(b));
  };
  const pcm = new Uint8Array(10000).map((_, i) => i & 0xff);

  test('packets: 4096 bytes rounded down to whole frames; odd chunks are padded', () => {
    const m = demuxWav(riff('RIFF', chunk('LIST', ascii('INFOx')), fmt(1, 3, 8000, 24), chunk('data', pcm)));
    const s = m.tracks[0]!.samples;
    expect(Array.from(s.size)).toEqual([4095, 4095, 1810]);
    expect(Array.from(s.duration)).toEqual([455, 455, 201]);
    expect(s.offset[0]).toBe(12 + 14 + 24 + 8);
    expect(m.tracks[0]!.descriptions[0]).toMatchObject({ codec: 'pcm_s24le', entryType: 'in24', channels: 3, pcm: { bitsPerSample: 24, littleEndian: true, float: false } });
    expect(Array.from(s.flags).every((f) => f === SYNC)).toBe(true);
  });

  test.each([0, 0xffffffff])('data size %i runs to the end of the file', (size) => {
    const m = demuxWav(riff('RIFF', fmt(1, 2, 8000, 16), chunk('data', pcm, size)));
    expect(m.tracks[0]!.durationTicks).toBe(2500);
  });

  test('RF64: the ds64 data size wins over 0xFFFFFFFF', () => {
    const ds64 = new Uint8Array(28);
    new DataView(ds64.buffer).setUint32(8, 4000, true);
    const m = demuxWav(riff('RF64', chunk('ds64', ds64), fmt(3, 1, 8000, 32), chunk('data', pcm, 0xffffffff)));
    expect(m.tracks[0]!.durationTicks).toBe(1000);
    expect(m.tracks[0]!.descriptions[0]).toMatchObject({ codec: 'pcm_f32le', entryType: 'fl32' });
  });

  test('WAVE_FORMAT_EXTENSIBLE with a channel mask', () => {
    const ext = Buffer.alloc(40);
    ext.writeUInt16LE(0xfffe, 0);
    ext.writeUInt16LE(2, 2);
    ext.writeUInt32LE(48000, 4);
    ext.writeUInt16LE(4, 12);
    ext.writeUInt16LE(16, 14);
    ext.writeUInt16LE(22, 16);
    ext.writeUInt16LE(16, 18);
    ext.writeUInt32LE(3, 20);
    Buffer.from('0100000000001000800000aa00389b71', 'hex').copy(ext, 24);
    const data = riff('RIFF', chunk('fmt ', new Uint8Array(ext)), chunk('data', pcm));
    expect(readWavFormat(data)).toMatchObject({ extensible: true, formatTag: 1, channelMask: 3, codec: 'pcm_s16le', entryType: 'sowt' });
    // A SubFormat that is not a KSDATAFORMAT GUID (e.g. ambisonic B-format) is refused.
    ext[30] = 0x99;
    expect(() => demuxWav(riff('RIFF', chunk('fmt ', new Uint8Array(ext)), chunk('data', pcm)))).toThrow(BoxwrightError);
  });

  test.each([
    ['not RIFF', 'UNSUPPORTED_FORMAT', ascii('RIFX\0\0\0\0WAVE')],
    ['ADPCM', 'UNSUPPORTED_CODEC', riff('RIFF', fmt(2, 2, 8000, 4), chunk('data', pcm))],
    ['12-bit float', 'UNSUPPORTED_CODEC', riff('RIFF', fmt(3, 2, 8000, 12), chunk('data', pcm))],
    ['no fmt', 'BAD_VALUE', riff('RIFF', chunk('data', pcm))],
    ['no data', 'TRUNCATED', riff('RIFF', fmt(1, 2, 8000, 16))],
    ['0 channels', 'BAD_VALUE', riff('RIFF', fmt(1, 0, 8000, 16), chunk('data', pcm))],
    ['ds64 past 2^53', 'TOO_LARGE', riff('RF64', chunk('ds64', new Uint8Array(28).fill(0xff)), fmt(1, 2, 8000, 16), chunk('data', pcm, 0xffffffff))],
  ])('%s → %s', (_, code, data) => {
    let err: unknown;
    try {
      demuxWav(data);
    } catch (e) {
      err = e;
    }
    expect(isBoxwrightError(err, code as 'BAD_VALUE')).toBe(true);
  });
});

describe('no frames', () => {
  test.each([
    ['adts', demuxAdts],
    ['mp3', demuxMp3],
    ['ac3', demuxAc3],
  ] as const)('%s: zeros, an empty input and a lone ID3 tag are UNSUPPORTED_FORMAT', (_, demux) => {
    for (const data of [new Uint8Array(0), new Uint8Array(4096), hlsId3(4, 0)]) {
      expect(() => demux(data)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_FORMAT' }));
    }
  });
});
