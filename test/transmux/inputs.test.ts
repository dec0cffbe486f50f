/**
 * The transmuxer's inputs other than MPEG-TS: audio elementary streams (ADTS AAC, MP3, AC-3 / E-AC-3, as
 * HLS packed audio with ID3 timestamps) and MP4 (fMP4 init + segments, whole fragmented files, progressive
 * files). Chunk invariance, ffmpeg as the oracle (the same packets, payload hashes and timestamps as the
 * input), the init's MIME type, and bad input (only BoxwrightError, never a hang).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skipLeadingId3 } from '../../src/demux/es/id3.js';
import { demuxMp3 } from '../../src/demux/es/mp3.js';
import { concatBytes } from '../../src/io/bytes.js';
import { isBoxwrightError } from '../../src/io/errors.js';
import { detectInputKind } from '../../src/transmux/input-kind.js';
import { createTransmuxer, type InitInfo } from '../../src/transmux/index.js';
import { ffprobeBin, ffprobeJson } from '../helpers/ffprobe.js';
import { OWN_SAMPLES, thirdPartyDir } from '../helpers/samples.js';
import { transmux, type TransmuxOutput as Output } from '../helpers/transmux.js';

/** The inputs' own timestamps are kept (compared with the source below) unless a test says otherwise. */
const KEEP = { keepOriginalTimestamps: true };

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
const tp = (p: string): string => join(thirdPartyDir(), p);
const own = (p: string): string => join(OWN_SAMPLES, p);

interface Case {
  name: string;
  /** The files pushed one after another (an init segment and its media segments; HLS segments). */
  files: () => string[];
  kind: string;
  mimeType: string;
  /** Input streams ffprobe compares (per type: 'a', 'v'). */
  types: Array<'a' | 'v'>;
  /** Chunk sizes tried besides the whole input (1-byte pushes are skipped on the largest inputs). */
  chunks?: number[];
  /**
   * The packets are compared with our whole-file demuxer's samples instead of ffmpeg's: where the two differ on
   * the input itself (a known demuxer parity gap, not the transmuxer's).
   */
  againstDemuxer?: string;
}

const CASES: Case[] = [
  { name: 'ADTS (samples/aac.adts)', files: () => [own('aac.adts')], kind: 'adts', mimeType: 'audio/mp4; codecs="mp4a.40.2"', types: ['a'] },
  { name: 'ADTS with ID3 timestamp (shaka id3-metadata.aac)', files: () => [tp('shaka-player/id3-metadata.aac')], kind: 'adts', mimeType: 'audio/mp4; codecs="mp4a.40.2"', types: ['a'] },
  { name: 'MP3 (samples/mp3.mp3)', files: () => [own('mp3.mp3')], kind: 'mp3', mimeType: 'audio/mp4; codecs="mp4a.40.34"', types: ['a'] },
  { name: 'MP3 HLS packed audio (shaka hls-raw-mp3)', files: () => [tp('shaka-player/hls-raw-mp3/media_w905519204_0.mp3')], kind: 'mp3', mimeType: 'audio/mp4; codecs="mp4a.40.34"', types: ['a'] },
  { name: 'MP3 VBR MPEG-2 (mediabunny Toothsome-Meme)', files: () => [tp('mediabunny/Toothsome-Meme.VBRv2.mp3')], kind: 'mp3', mimeType: 'audio/mp4; codecs="mp4a.40.34"', types: ['a'], chunks: [188, 1000] },
  { name: 'MP3 behind an ID3 tag with cover art (mediabunny malformed-join)', files: () => [tp('mediabunny/malformed-join.mp3')], kind: 'mp3', mimeType: 'audio/mp4; codecs="mp4a.40.34"', types: ['a'], chunks: [188, 1000],
    againstDemuxer: "at the malformed join (byte 131326) ffmpeg's MP3 parser re-splits the broken frames into 5 packets, demuxMp3 resyncs on 4 whole frames" },
  { name: 'AC-3 (samples/ac3.ac3)', files: () => [own('ac3.ac3')], kind: 'ac3', mimeType: 'audio/mp4; codecs="ac-3"', types: ['a'] },
  { name: 'AC-3 HLS packed audio (shaka hls-raw-ac3)', files: () => [tp('shaka-player/hls-raw-ac3/fileSequence0.ac3')], kind: 'ac3', mimeType: 'audio/mp4; codecs="ac-3"', types: ['a'] },
  { name: 'E-AC-3 HLS packed audio (shaka hls-raw-ec3)', files: () => [tp('shaka-player/hls-raw-ec3/fileSequence0.ec3')], kind: 'ac3', mimeType: 'audio/mp4; codecs="ec-3"', types: ['a'] },
  { name: 'fMP4 init + segment (shaka cea)', files: () => [tp('shaka-player/cea-init.mp4'), tp('shaka-player/cea-segment.mp4')], kind: 'mp4', mimeType: 'video/mp4; codecs="avc1', types: ['v'] },
  { name: 'fMP4 audio init + segment (shaka sintel-audio)', files: () => [tp('shaka-player/sintel-audio-init.mp4'), tp('shaka-player/sintel-audio-segment.mp4')], kind: 'mp4', mimeType: 'audio/mp4; codecs="', types: ['a'] },
  { name: 'fMP4 muxed init + segment (shaka hls-mp4-muxed-aac-h264)', files: () => [tp('shaka-player/hls-mp4-muxed-aac-h264/init.mp4'), tp('shaka-player/hls-mp4-muxed-aac-h264/hls11.m4s')], kind: 'mp4', mimeType: 'video/mp4; codecs="avc1', types: ['v', 'a'], chunks: [188, 1000] },
  { name: 'fMP4 HEVC init + segment (mp4ff hvc1)', files: () => [tp('mp4ff/hvc1_init.mp4'), tp('mp4ff/hvc1_seg_1.m4s')], kind: 'mp4', mimeType: 'video/mp4; codecs="hvc1', types: ['v'] },
  { name: 'whole fragmented file with sidx (mp4ff bbb5s_aac_sidx)', files: () => [tp('mp4ff/bbb5s_aac_sidx.mp4')], kind: 'mp4', mimeType: 'audio/mp4; codecs="mp4a.40.2"', types: ['a'] },
  { name: 'whole fragmented file (samples/h264-aac-frag.mp4)', files: () => [own('h264-aac-frag.mp4')], kind: 'mp4', mimeType: 'video/mp4; codecs="avc1', types: ['v', 'a'] },
  { name: 'progressive MP4 (samples/h264-aac.mp4)', files: () => [own('h264-aac.mp4')], kind: 'mp4', mimeType: 'video/mp4; codecs="avc1', types: ['v', 'a'] },
  { name: 'progressive MP4, audio track first (mp4ff prog_8s)', files: () => [tp('mp4ff/prog_8s.mp4')], kind: 'mp4', mimeType: 'video/mp4; codecs="', types: ['v', 'a'], chunks: [188, 1000] },
  { name: 'progressive MP4, moov at the end (samples/h264-aac-moov-end.mp4)', files: () => [own('h264-aac-moov-end.mp4')], kind: 'mp4', mimeType: 'video/mp4; codecs="avc1', types: ['v', 'a'] },
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'boxwright-inputs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Pkt {
  pts_time?: string;
  dts_time?: string;
  size: string;
}

/** ffprobe's packets of the first stream of `type`. */
function packets(path: string, type: 'v' | 'a'): Pkt[] {
  const j = ffprobeJson(path, ['-select_streams', `${type}:0`, '-show_entries', 'packet=pts_time,dts_time,size']);
  expect(j).toBeDefined();
  return (j!.packets as Pkt[]) ?? [];
}

/** framemd5 payload hashes of the first stream of `type`, after `bsf`. */
function hashes(path: string, type: 'v' | 'a', bsf?: string): string[] {
  ffprobeBin();
  const args = ['-v', 'error', '-i', path, '-map', `0:${type}:0`, '-c', 'copy', ...(bsf ? ['-bsf', bsf] : []), '-f', 'framemd5', '-'];
  const out = execFileSync('ffmpeg', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  return out
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(',')[5]!.trim());
}

describe.each(CASES)('$name', (c) => {
  let inputs: Uint8Array[];
  let whole: Output;
  beforeAll(() => {
    inputs = c.files().map((f) => new Uint8Array(readFileSync(f)));
    whole = transmux(inputs, 0, KEEP);
  });

  test('is detected as its kind, and the init comes first with the MIME type a browser takes', () => {
    expect(detectInputKind(inputs[0]!, false)).toBe(c.kind);
    expect(whole.events[0]!.kind).toBe('init');
    expect((whole.events[0]!.info as InitInfo).mimeType.startsWith(c.mimeType)).toBe(true);
    expect(whole.events.filter((e) => e.kind === 'fragment').length).toBeGreaterThan(0);
    // One init: a VBR stream's bit rate changing from window to window does not make a new one.
    expect(whole.events.filter((e) => e.kind === 'init')).toHaveLength(1);
  });

  test('any chunking gives the same bytes', () => {
    for (const chunk of c.chunks ?? [1, 188, 1000]) {
      const out = transmux(inputs, chunk, KEEP);
      expect(out.events.map((e) => `${e.kind}:${e.bytes.length}`)).toEqual(whole.events.map((e) => `${e.kind}:${e.bytes.length}`));
      expect(sameBytes(out.all, whole.all)).toBe(true);
    }
  });

  test('ffprobe reads the same packets, payloads and timestamps as in the input', () => {
    const safe = c.name.replace(/\W+/g, '_');
    const inPath = join(dir, `${safe}.in${c.kind === 'mp4' ? '.mp4' : `.${c.kind}`}`);
    const outPath = join(dir, `${safe}.out.mp4`);
    writeFileSync(inPath, concatBytes(inputs));
    writeFileSync(outPath, whole.all);
    const tag = ffprobeJson(outPath, ['-show_streams'])!.streams as Array<{ codec_tag_string: string; codec_type: string }>;
    // Sample entries a browser's MP4 parser knows (MP3 as mp4a, not QuickTime's '.mp3').
    for (const st of tag) expect(['mp4a', 'ac-3', 'ec-3', 'avc1', 'avc3', 'hvc1', 'hev1']).toContain(st.codec_tag_string);
    if (c.againstDemuxer) {
      const track = demuxMp3(concatBytes(inputs)).tracks[0]!;
      const s = track.samples;
      const b = packets(outPath, 'a');
      expect(b.map((p) => Number(p.size))).toEqual(Array.from(s.size));
      b.forEach((p, i) => expect(Math.abs(Number(p.dts_time) - s.dts[i]! / track.timescale)).toBeLessThan(2e-5));
      return;
    }
    for (const type of c.types) {
      const a = packets(inPath, type);
      const b = packets(outPath, type);
      expect(b.length).toBe(a.length);
      expect(a.length).toBeGreaterThan(0);
      // ADTS: ffmpeg's packets carry the 7/9-byte header, the MP4 samples do not.
      if (c.kind !== 'adts') expect(b.map((p) => p.size)).toEqual(a.map((p) => p.size));
      expect(hashes(outPath, type)).toEqual(hashes(inPath, type, c.kind === 'adts' ? 'aac_adtstoasc' : undefined));
      // Timestamps: the same steps (an edit list or the ID3 start moves the origin; the output has no edit list).
      const t0a = Number(a[0]!.dts_time);
      const t0b = Number(b[0]!.dts_time);
      a.forEach((p, i) => expect(Math.abs(Number(b[i]!.dts_time) - t0b - (Number(p.dts_time) - t0a))).toBeLessThan(2e-5));
      if (c.kind !== 'mp4') {
        // Elementary streams start at their ID3 time (ffmpeg ignores it), else at 0.
        const id3 = skipLeadingId3(inputs[0]!).timestamp90k;
        expect(Math.abs(t0b - (id3 ?? 0) / 90000)).toBeLessThan(2e-5);
      }
    }
  });
});

describe('by default the timeline starts at 0, whatever the input', () => {
  test.each([
    ['ADTS with an ID3 timestamp', () => [tp('shaka-player/id3-metadata.aac')]],
    ['fMP4 init + segment', () => [tp('shaka-player/sintel-audio-init.mp4'), tp('shaka-player/sintel-audio-segment.mp4')]],
  ])('%s', (_name, files) => {
    const inputs = files().map((f) => new Uint8Array(readFileSync(f)));
    const path = join(dir, 'rebased.mp4');
    writeFileSync(path, transmux(inputs, 1000).all);
    const p = packets(path, 'a');
    expect(p.length).toBeGreaterThan(0);
    expect(Number(p[0]!.dts_time)).toBe(0);
  });
});

describe('HLS packed audio segments fed one after another', () => {
  // The same ADTS segment twice with consecutive ID3 timestamps: the second re-anchors at its own time.
  test('each segment starts at its ID3 timestamp; chunking does not change the bytes', () => {
    const seg = new Uint8Array(readFileSync(tp('shaka-player/id3-metadata.aac')));
    const ts = skipLeadingId3(seg).timestamp90k;
    expect(ts).toBeDefined();
    const outs = [0, 1000, 7].map((chunk) => transmux([seg, seg], chunk, KEEP).all);
    expect(sameBytes(outs[1]!, outs[0]!)).toBe(true);
    expect(sameBytes(outs[2]!, outs[0]!)).toBe(true);
    const path = join(dir, 'two-segments.mp4');
    writeFileSync(path, outs[0]!);
    const p = packets(path, 'a');
    writeFileSync(join(dir, 'one-segment.aac'), seg);
    expect(p.length).toBe(2 * packets(join(dir, 'one-segment.aac'), 'a').length);
    // Both segments carry the same timestamp: the second starts there again (hls.js takes each segment's ID3 time).
    const starts = p.filter((x) => Math.abs(Number(x.dts_time) - ts! / 90000) < 2e-5);
    expect(starts.length).toBe(2);
  });
});

describe('bad input gives only BoxwrightError, never a hang', () => {
  const noop = { onInit: () => undefined, onFragment: () => undefined };
  const run = (data: Uint8Array, chunk: number): unknown => {
    try {
      const tm = createTransmuxer(noop);
      for (let p = 0; p < data.length; p += chunk) tm.push(data.subarray(p, p + chunk));
      tm.flush();
      return undefined;
    } catch (e) {
      return e;
    }
  };
  const expectClean = (data: Uint8Array, chunk: number): void => {
    const t0 = Date.now();
    const err = run(data, chunk);
    if (err !== undefined && !isBoxwrightError(err)) throw err;
    expect(Date.now() - t0).toBeLessThan(10_000);
  };
  /** Deterministic xorshift. */
  const rng = (seed: number) => () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const SOURCES = [
    own('aac.adts'),
    own('mp3.mp3'),
    own('ac3.ac3'),
    tp('shaka-player/hls-raw-ec3/fileSequence0.ec3'),
    tp('shaka-player/id3-metadata.aac'),
    own('h264-aac-frag.mp4'),
    own('h264-aac.mp4'),
  ];

  test.each(SOURCES)('%s: truncated, byte-flipped and size-mangled copies', (file) => {
    const src = new Uint8Array(readFileSync(file)).subarray(0, 200_000);
    const r = rng(file.length * 7919 + 1);
    for (let k = 0; k < 12; k++) {
      const m = src.slice(0, Math.max(1, Math.floor(r() * src.length)));
      for (let f = 0; f < 1 + k * 3; f++) m[Math.floor(r() * m.length)] = Math.floor(r() * 256);
      // Box / frame sizes set to extremes at a random place.
      const at = Math.floor(r() * Math.max(1, m.length - 4));
      if (k % 3 === 0) m.set([0xff, 0xff, 0xff, 0xff].slice(0, m.length - at), at);
      if (k % 3 === 1) m.set([0, 0, 0, 1].slice(0, m.length - at), at);
      expectClean(m, 1 + Math.floor(r() * 4000));
    }
  });

  test('garbage behind a valid start, and ID3 tags that claim 256 MB', () => {
    const r = rng(42);
    const garbage = Uint8Array.from({ length: 50_000 }, () => Math.floor(r() * 256));
    for (const head of [Uint8Array.of(0xff, 0xf1), Uint8Array.of(0xff, 0xfb), Uint8Array.of(0x0b, 0x77), Uint8Array.of(0, 0, 0, 8, 0x66, 0x74, 0x79, 0x70)]) {
      expectClean(concatBytes([head, garbage]), 777);
    }
    const bigTag = Uint8Array.of(0x49, 0x44, 0x33, 4, 0, 0, 0x7f, 0x7f, 0x7f, 0x7f);
    expectClean(concatBytes([bigTag, garbage]), 1000);
    // A valid ADTS stream, then a tag of 256 MB that never comes: skipped as it would stream past.
    expectClean(concatBytes([new Uint8Array(readFileSync(own('aac.adts'))), bigTag, garbage]), 4096);
    // An mdat that declares 4 GB in fragmented input fails at once instead of waiting for it.
    const frag = new Uint8Array(readFileSync(own('h264-aac-frag.mp4')));
    const err = run(concatBytes([frag, Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x6d, 0x64, 0x61, 0x74)]), 65536);
    expect(isBoxwrightError(err)).toBe(true);
  });
});

describe('HLS packed audio across the 33-bit wrap of the ID3 timestamps', () => {
  /** An ID3v2.4 tag with the HLS PRIV transportStreamTimestamp frame (RFC 8216 §3.4). */
  const id3 = (ts90k: number): Uint8Array => {
    const owner = new TextEncoder().encode('com.apple.streaming.transportStreamTimestamp');
    const body = concatBytes([owner, Uint8Array.of(0, 0, 0, 0, ts90k >= 2 ** 32 ? 1 : 0), Uint8Array.of((ts90k >>> 24) & 0xff, (ts90k >>> 16) & 0xff, (ts90k >>> 8) & 0xff, ts90k & 0xff)]);
    const frame = concatBytes([new TextEncoder().encode('PRIV'), Uint8Array.of(0, 0, 0, body.length, 0, 0), body]);
    return concatBytes([Uint8Array.of(0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, frame.length), frame]);
  };

  test('the second segment starts where the first ends, on a timeline counting upwards', () => {
    const audio = new Uint8Array(readFileSync(own('aac.adts')));
    const start = skipLeadingId3(audio).end;
    const frames = audio.subarray(start);
    // The segment's duration in 90 kHz ticks, from what the transmuxer writes for it alone.
    const one = transmux([concatBytes([id3(0), frames])], 0, KEEP);
    const onePath = join(dir, 'wrap-one.mp4');
    writeFileSync(onePath, one.all);
    const p1 = packets(onePath, 'a');
    const durSec = Number(p1.at(-1)!.dts_time) + (Number(p1[1]!.dts_time) - Number(p1[0]!.dts_time));
    const t1 = 2 ** 33 - 45_000; // half a second before the wrap
    const t2 = (t1 + Math.round(durSec * 90000)) % 2 ** 33;
    expect(t2).toBeLessThan(t1);
    const out = transmux([concatBytes([id3(t1), frames]), concatBytes([id3(t2), frames])], 0, KEEP);
    expect(sameBytes(transmux([concatBytes([id3(t1), frames]), concatBytes([id3(t2), frames])], 333, KEEP).all, out.all)).toBe(true);
    const path = join(dir, 'wrap-two.mp4');
    writeFileSync(path, out.all);
    const p = packets(path, 'a');
    expect(p.length).toBe(2 * p1.length);
    const dts = p.map((x) => Number(x.dts_time));
    expect(Math.abs(dts[0]! - t1 / 90000)).toBeLessThan(2e-5);
    for (let i = 1; i < dts.length; i++) {
      expect(dts[i]! - dts[i - 1]!).toBeGreaterThan(0);
      expect(dts[i]! - dts[i - 1]!).toBeLessThan(0.03);
    }
  });
});
