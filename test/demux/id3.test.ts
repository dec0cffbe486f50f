/**
 * ID3v2 frames (parseId3Tag) and timed metadata from MPEG-TS (timedMetadata), with mux.js 7.1 as the oracle:
 * its parse-id3 tools on single tags, its TS pipeline (TransportPacketStream → … → MetadataStream) on streams.
 */
import { readFileSync } from 'node:fs';
import { parseId3Tag, id3v2TagSize, skipLeadingId3, type Id3Frame } from '../../src/demux/es/id3.js';
import { demuxTs, movieTimedMetadata, timedMetadata, type TimedId3 } from '../../src/demux/ts/index.js';
import { BoxwrightError } from '../../src/io/errors.js';
import { concat, packetize, pat, pes, pmt, type Counters } from './ts/ts-writer.js';

interface MuxFrame {
  key: string;
  data: Uint8Array | string;
  value?: string;
  description?: string;
  owner?: string;
  url?: string;
  timeStamp?: number;
}
interface MuxTag {
  pts: number;
  dts: number;
  data: Uint8Array;
  frames: MuxFrame[];
}
interface MuxStream {
  pipe(s: MuxStream): MuxStream;
  on(event: string, fn: (x: never) => void): void;
  push(x: Uint8Array): void;
  flush(): void;
}
interface MuxJs {
  mp2t: {
    TransportPacketStream: new () => MuxStream;
    TransportParseStream: new () => MuxStream;
    ElementaryStream: new () => MuxStream;
    MetadataStream: new () => MuxStream;
  };
  mp4: { Transmuxer: new () => MuxStream };
}
// mux.js is CommonJS without types; jest runs this file as CommonJS.
const muxjs = require('mux.js') as MuxJs;
const muxId3 = require('mux.js/lib/tools/parse-id3.js') as { parseId3Frames(d: Uint8Array): MuxFrame[] | undefined };

const SAMPLES = '/work/shared/samples/thirdparty';

/** mux.js's timed-metadata events for a whole transport stream. */
function muxTimedMetadata(ts: Uint8Array): MuxTag[] {
  const packets = new muxjs.mp2t.TransportPacketStream();
  const parse = new muxjs.mp2t.TransportParseStream();
  const es = new muxjs.mp2t.ElementaryStream();
  const meta = new muxjs.mp2t.MetadataStream();
  packets.pipe(parse).pipe(es).pipe(meta);
  const tags: MuxTag[] = [];
  meta.on('data', (t: MuxTag) => tags.push(t));
  packets.push(ts);
  packets.flush();
  return tags;
}

/** The tags mux.js's mp4 Transmuxer attaches to its segments (`segment.metadata`). */
function muxTransmuxerMetadata(ts: Uint8Array): MuxTag[] {
  const t = new muxjs.mp4.Transmuxer();
  const tags: MuxTag[] = [];
  t.on('data', (segment: { metadata?: MuxTag[] }) => tags.push(...(segment.metadata ?? [])));
  t.push(ts);
  t.flush();
  return tags;
}

const latin1 = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)];
const syncsafe4 = (n: number): number[] => [(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f];
const be4 = (n: number): number[] => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];

/** An ID3v2 frame: v2.4 syncsafe size, v2.3 plain. */
function frame(id: string, body: number[], major = 4, format = 0): number[] {
  return [...latin1(id), ...(major === 4 ? syncsafe4(body.length) : be4(body.length)), 0, format, ...body];
}
/** An ID3v2 tag around frame bytes. */
function tag(frames: number[], major = 4, flags = 0, padding = 0): Uint8Array {
  const body = [...frames, ...new Array<number>(padding).fill(0)];
  return Uint8Array.from([...latin1('ID3'), major, 0, flags, ...syncsafe4(body.length), ...body]);
}
const appleTimestamp = (t: number): number[] => [...latin1('com.apple.streaming.transportStreamTimestamp'), 0, 0, 0, 0, Math.floor(t / 2 ** 32), ...be4(t % 2 ** 32)];

/** The fields two frames must agree on (mux.js puts TXXX's value in `data` as a string). */
function compareWithMux(ours: Id3Frame, theirs: MuxFrame): void {
  expect(ours.key).toBe(theirs.key);
  for (const f of ['value', 'description', 'owner', 'url', 'timeStamp'] as const) {
    if (theirs[f] !== undefined) expect(ours[f]).toEqual(theirs[f]);
  }
  if (typeof theirs.data !== 'string') expect(Buffer.from(ours.data).equals(Buffer.from(theirs.data))).toBe(true);
}

describe('parseId3Tag', () => {
  test('text, TXXX, URL, WXXX, PRIV (Apple timestamp), unknown frames — as mux.js reads them', () => {
    const t = tag([
      ...frame('TIT2', [3, ...utf8('Zażółć – title'), 0]),
      ...frame('TXXX', [3, ...utf8('desc'), 0, ...utf8('välue')]),
      ...frame('WOAF', [...latin1('http://a.example/x'), 0, 0x41]),
      ...frame('WXXX', [3, ...utf8('link'), 0, ...latin1('https://b.example/')]),
      ...frame('PRIV', appleTimestamp(2 ** 32 + 12345)),
      ...frame('PRIV', [...latin1('owner.x'), 0, 1, 2, 3]),
      ...frame('ZZZZ', [9, 8, 7]),
    ]);
    const ours = parseId3Tag(t);
    const theirs = muxId3.parseId3Frames(t)!;
    expect(ours).toHaveLength(7);
    expect(theirs).toHaveLength(7);
    ours.forEach((f, i) => compareWithMux(f, theirs[i]!));
    expect(ours[0]).toMatchObject({ key: 'TIT2', value: 'Zażółć – title', values: ['Zażółć – title'] });
    expect(ours[1]).toMatchObject({ key: 'TXXX', description: 'desc', value: 'välue' });
    expect(ours[2]).toMatchObject({ key: 'WOAF', url: 'http://a.example/x' });
    expect(ours[3]).toMatchObject({ key: 'WXXX', description: 'link', url: 'https://b.example/' });
    expect(ours[4]).toMatchObject({ key: 'PRIV', owner: 'com.apple.streaming.transportStreamTimestamp', timeStamp: 2 ** 32 + 12345 });
    expect(ours[4]!.data).toHaveLength(8);
    expect(ours[5]).toMatchObject({ key: 'PRIV', owner: 'owner.x', data: Uint8Array.of(1, 2, 3) });
    expect(ours[6]).toEqual({ key: 'ZZZZ', data: Uint8Array.of(9, 8, 7) });
    expect(skipLeadingId3(t).timestamp90k).toBe(2 ** 32 + 12345);
  });

  test('all four text encodings and multiple values', () => {
    const utf16le = [0xff, 0xfe, ...[...'Hé♪'].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]), 0, 0];
    const utf16be = [...[...'Hé♪'].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff])];
    const frames = parseId3Tag(
      tag([
        ...frame('TPE1', [0, 0x48, 0xe9, 0, 0x42]),
        ...frame('TPE2', [1, ...utf16le]),
        ...frame('TPE3', [2, ...utf16be]),
        ...frame('TCOM', [3, ...utf8('a'), 0, ...utf8('b'), 0]),
        ...frame('TXXX', [1, 0xff, 0xfe, 0x41, 0, 0, 0, 0xff, 0xfe, 0x42, 0]),
      ]),
    );
    expect(frames.map((f) => f.values ?? f.value)).toEqual([['Hé', 'B'], ['Hé♪'], ['Hé♪'], ['a', 'b'], 'B']);
    expect(frames[4]!.description).toBe('A');
  });

  test('APIC and GEOB: header fields and the object as data', () => {
    const frames = parseId3Tag(
      tag([
        ...frame('APIC', [3, ...latin1('image/png'), 0, 3, ...utf8('cover'), 0, 0x89, 0x50]),
        ...frame('APIC', [0, ...latin1('-->'), 0, 0, 0, ...latin1('http://c.example/p.jpg')]),
        ...frame('GEOB', [0, ...latin1('application/x'), 0, ...latin1('f.bin'), 0, ...latin1('d'), 0, 1, 2]),
      ]),
    );
    expect(frames[0]).toMatchObject({ key: 'APIC', mimeType: 'image/png', pictureType: 3, description: 'cover', data: Uint8Array.of(0x89, 0x50) });
    expect(frames[1]).toMatchObject({ mimeType: '-->', url: 'http://c.example/p.jpg' });
    expect(frames[2]).toMatchObject({ key: 'GEOB', mimeType: 'application/x', filename: 'f.bin', description: 'd', data: Uint8Array.of(1, 2) });
  });

  test('v2.3: plain frame sizes, extended header, whole-tag unsynchronisation, padding', () => {
    const long = new Array<number>(300).fill(0x61);
    const body = [...frame('TIT2', [0, ...long], 3), ...frame('PRIV', [...latin1('o'), 0, 0xff, 0xe0, 0xff], 3)];
    // Extended header: size 6 (excluding itself), flags, padding size.
    const ext = [...be4(6), 0, 0, ...be4(0)];
    const plain = [...ext, ...body, 0, 0, 0, 0];
    const unsync: number[] = [];
    for (let i = 0; i < plain.length; i++) {
      unsync.push(plain[i]!);
      if (plain[i] === 0xff && ((plain[i + 1] ?? 0) & 0xe0) === 0xe0) unsync.push(0);
    }
    const frames = parseId3Tag(tag(unsync, 3, 0x80 | 0x40));
    expect(frames.map((f) => f.key)).toEqual(['TIT2', 'PRIV']);
    expect(frames[0]!.value).toBe('a'.repeat(300));
    expect(frames[1]).toMatchObject({ owner: 'o', data: Uint8Array.of(0xff, 0xe0, 0xff) });
  });

  test('v2.4: extended header, per-frame unsynchronisation + data length indicator, grouping, footer, u32 sizes', () => {
    const ext = [...syncsafe4(6), 1, 0];
    const unsynced = [0, 0x41, 0xff, 0, 0xe1, 0x42];
    const frames = parseId3Tag(
      Uint8Array.from([
        ...tag(
          [
            ...ext,
            ...frame('TXXX', [...syncsafe4(5), ...unsynced], 4, 0x02 | 0x01),
            ...frame('TIT2', [7, 3, ...utf8('g')], 4, 0x40),
            // A 200-byte frame whose size an old writer stored as a plain u32 (0x000000c8 is not syncsafe-sized 200).
            ...[...latin1('TIT3'), ...be4(200), 0, 0, 3, ...new Array<number>(199).fill(0x7a)],
            ...frame('TALB', [3, ...utf8('after')]),
          ],
          4,
          0x40 | 0x10,
        ),
        ...latin1('3DI'),
        4,
        0,
        0x10,
        0,
        0,
        0,
        0,
      ]).map((b, i, a) => (i >= 6 && i < 10 ? syncsafe4(a.length - 20)[i - 6]! : b)),
    );
    expect(frames.map((f) => f.key)).toEqual(['TXXX', 'TIT2', 'TIT3', 'TALB']);
    // No NUL after the description: all of it is the description, the value is empty.
    expect(frames[0]).toMatchObject({ description: 'A\u00ff\u00e1B', value: '' });
    expect(frames[0]!.data).toEqual(Uint8Array.of(0, 0x41, 0xff, 0xe1, 0x42));
    expect(frames[1]!.value).toBe('g');
    expect(frames[2]!.value).toBe('z'.repeat(199));
    expect(frames[3]!.value).toBe('after');
  });

  test('what is not a readable tag throws a BoxwrightError with a code', () => {
    expect(() => parseId3Tag(Uint8Array.of(1, 2, 3))).toThrow(BoxwrightError);
    expect(() => parseId3Tag(tag([...frame('TIT2', [3, 0x41])]).subarray(0, 15))).toThrow(/TRUNCATED/);
    expect(() => parseId3Tag(tag([], 2))).toThrow(/UNSUPPORTED_FORMAT/);
    // A frame running past the tag ends the frames; those before it stay.
    const t = tag([...frame('TIT2', [3, 0x41]), ...latin1('TIT3'), ...syncsafe4(100), 0, 0, 3]);
    expect(parseId3Tag(t).map((f) => f.key)).toEqual(['TIT2']);
  });

  test('mux.js parse-id3 on the leading tag of an HLS packed-audio segment (test-aac-segment.aac, id3-metadata.aac)', () => {
    for (const f of [`${SAMPLES}/mux.js/test-aac-segment.aac`, `${SAMPLES}/shaka-player/id3-metadata.aac`]) {
      const d = new Uint8Array(readFileSync(f));
      const t = d.subarray(0, id3v2TagSize(d, 0));
      expect(t.length).toBeGreaterThan(10);
      const ours = parseId3Tag(t);
      const theirs = muxId3.parseId3Frames(t)!;
      expect(ours.length).toBe(theirs.length);
      ours.forEach((fr, i) => compareWithMux(fr, theirs[i]!));
      expect(ours.some((fr) => fr.timeStamp !== undefined)).toBe(true);
    }
  });

  test('mutated and cut tags: only BoxwrightError, quickly', () => {
    const base = tag(
      [
        ...frame('TIT2', [3, ...utf8('title')]),
        ...frame('TXXX', [1, 0xff, 0xfe, 0x41, 0, 0, 0, 0x42, 0]),
        ...frame('PRIV', appleTimestamp(90000)),
        ...frame('APIC', [3, ...latin1('image/png'), 0, 3, 0, 1]),
        ...frame('GEOB', [1, 0, 0, 0]),
        ...frame('WXXX', [2, 0, 0x41]),
      ],
      4,
      0x80,
    );
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const started = Date.now();
    for (let i = 0; i < 20000; i++) {
      const m = base.slice(0, 10 + rand(base.length));
      for (let k = rand(6); k >= 0; k--) m[rand(m.length)] = rand(4) === 0 ? 0xff : rand(256);
      if (rand(3) === 0) m[3] = 3 + rand(2);
      try {
        parseId3Tag(m);
      } catch (e) {
        if (!(e instanceof BoxwrightError)) throw e;
      }
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

/** A TS with one timed ID3 PID (stream type 0x15, metadata descriptor naming 'ID3 ') carrying the given PES payloads. */
function id3Ts(units: Array<{ pts: number; payload: Uint8Array }>): Uint8Array {
  const cc: Counters = new Map();
  // metadata_descriptor (§2.6.60): application 0xFFFF + 'ID3 ', format 0xFF + 'ID3 ', service id, flags.
  const md = [0x26, 13, 0xff, 0xff, ...latin1('ID3 '), 0xff, ...latin1('ID3 '), 0, 0x0f];
  const parts = [...packetize(0, pat(1, 0x1000), cc, true), ...packetize(0x1000, pmt(1, 0, 0x102, [{ type: 0x15, pid: 0x102, descriptors: Uint8Array.from(md) }]), cc, true)];
  for (const u of units) parts.push(...packetize(0x102, pes(0xbd, u.payload, u.pts), cc));
  return concat(parts);
}

function compareTimed(ours: TimedId3[], theirs: MuxTag[]): void {
  expect(ours.length).toBe(theirs.length);
  ours.forEach((t, i) => {
    const m = theirs[i]!;
    expect([t.pts, t.dts]).toEqual([m.pts, m.dts]);
    expect(Buffer.from(t.data).equals(Buffer.from(m.data))).toBe(true);
    // mux.js stops at a frame of size 0 (its "malformed frame"); we read on, so it may have fewer.
    m.frames.forEach((f, k) => compareWithMux(t.frames[k]!, f));
    if (t.frames.length !== m.frames.length) expect(t.frames[m.frames.length]!.data.length).toBe(0);
  });
}

describe('timedMetadata', () => {
  test('id3-metadata.ts: the same tags, times and frames as mux.js', () => {
    const ts = new Uint8Array(readFileSync(`${SAMPLES}/shaka-player/id3-metadata.ts`));
    const byPid = movieTimedMetadata(demuxTs(ts));
    expect(byPid.size).toBe(1);
    const ours = [...byPid.values()][0]!;
    const theirs = muxTimedMetadata(ts);
    expect(theirs.length).toBe(2);
    compareTimed(ours, theirs);
    compareTimed(ours, muxTransmuxerMetadata(ts));
    // Each tag: TIT2, an empty WOAF (where mux.js stops), TENC.
    expect(ours[1]!.frames.map((f) => [f.key, f.value ?? f.url])).toEqual([
      ['TIT2', 'FUKAJ SWEEPER - Imanbek'],
      ['WOAF', ''],
      ['TENC', 'Z/IPStream X/2 v1.24.12'],
    ]);
  });

  test('hls-ts-mp3: an ID3 PID with no packets gives no tags, for mux.js and us', () => {
    const ts = new Uint8Array(readFileSync(`${SAMPLES}/shaka-player/hls-ts-mp3/media_w239891843_0.ts`));
    const byPid = movieTimedMetadata(demuxTs(ts));
    expect([...byPid.keys()]).toEqual([258]);
    compareTimed(byPid.get(258)!, muxTimedMetadata(ts));
  });

  test('a tag split over several PES packets is reassembled and timed by its first, as mux.js does', () => {
    const big = tag([...frame('TXXX', [3, ...utf8('long'), 0, ...utf8('x'.repeat(600))]), ...frame('PRIV', [...latin1('o'), 0, 5, 6])]);
    const small = tag([...frame('TIT2', [3, ...utf8('next')])]);
    const ts = id3Ts([
      { pts: 90000, payload: small },
      { pts: 180000, payload: big.subarray(0, 200) },
      { pts: 183000, payload: big.subarray(200, 500) },
      { pts: 186000, payload: big.subarray(500) },
      { pts: 270000, payload: Uint8Array.of(1, 2, 3) }, // not ID3: skipped
      { pts: 360000, payload: small },
    ]);
    const ours = timedMetadata(demuxTs(ts).tracks[0]!);
    expect(ours.map((t) => t.pts)).toEqual([90000, 180000, 360000]);
    expect(ours[1]!.data).toEqual(big);
    expect(ours[1]!.frames.map((f) => f.key)).toEqual(['TXXX', 'PRIV']);
    compareTimed(ours, muxTimedMetadata(ts));
  });

  test('a cut tag followed by a new one is dropped', () => {
    const big = tag([...frame('TXXX', [3, 0x61, 0, ...utf8('x'.repeat(600))])]);
    const small = tag([...frame('TIT2', [3, ...utf8('next')])]);
    const ts = id3Ts([
      { pts: 1000, payload: big.subarray(0, 300) },
      { pts: 2000, payload: small },
    ]);
    const ours = timedMetadata(demuxTs(ts).tracks[0]!);
    expect(ours.map((t) => t.pts)).toEqual([2000]);
  });

  test('mutated streams: timedMetadata returns or the demuxer throws a BoxwrightError, quickly', () => {
    const big = tag([...frame('TXXX', [3, ...utf8('long'), 0, ...utf8('x'.repeat(600))]), ...frame('PRIV', appleTimestamp(5))], 4, 0x80);
    const synthetic = id3Ts([
      { pts: 1000, payload: big.subarray(0, 300) },
      { pts: 2000, payload: big.subarray(300) },
      { pts: 3000, payload: tag([...frame('TIT2', [1, 0xff, 0xfe, 0x41, 0])], 3) },
    ]);
    const sample = new Uint8Array(readFileSync(`${SAMPLES}/shaka-player/id3-metadata.ts`));
    let seed = 777;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const started = Date.now();
    for (let i = 0; i < 300; i++) {
      const base = i % 6 === 0 ? sample : synthetic;
      const m = base.slice(0, base.length - (rand(4) === 0 ? rand(400) : 0));
      // Mutations inside the packets that carry ID3 bytes, where this code reads.
      const at = base === sample ? [30699, 43150] : [564];
      for (let k = rand(8); k >= 0; k--) m[Math.min(m.length - 1, at[rand(at.length)]! - 20 + rand(200))] = rand(256);
      try {
        for (const tags of movieTimedMetadata(demuxTs(m)).values()) for (const t of tags) expect(t.data.length).toBeGreaterThanOrEqual(10);
      } catch (e) {
        if (!(e instanceof BoxwrightError)) throw e;
      }
    }
    expect(Date.now() - started).toBeLessThan(15000);
  });
});
