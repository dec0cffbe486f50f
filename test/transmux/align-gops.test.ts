/**
 * GOP alignment (`alignGopsWith`, `alignGopsAt`, `onGopInfo`) against mux.js 7.1 as the peer:
 *
 * - the two walks (src/transmux/gop-align.ts) give mux.js's own `alignGopsAtStart_` / `alignGopsAtEnd_` result on
 *   random GOP lists;
 * - a rendition switch: segment 1 of one "rendition" (a transport stream cut at video PES starts, PAT/PMT in
 *   front, as HLS segments are) reports its GOPs, segment 2 (overlapping it, or before it, or after it) is
 *   aligned with them — at start and at end: the video kept (first picture's PTS, number of pictures) and the
 *   GOPs reported are mux.js's, given mux.js's own report of segment 1;
 * - the output timeline is the one without alignment (audio untouched, the video kept at the same times), ffprobe
 *   reads the aligned output and its first picture is a keyframe, and 188-byte pushes give the bytes of whole ones.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demuxMp4 } from '../../src/demux/mp4/index.js';
import { concatBytes } from '../../src/io/bytes.js';
import type { Track } from '../../src/model/movie.js';
import { alignGopsAtEnd, alignGopsAtStart } from '../../src/transmux/gop-align.js';
import { createTransmuxer, type GopAlignInfo, type TransmuxerOptions, type TransmuxGopInfo } from '../../src/transmux/index.js';
import { prng } from '../fuzz/mutate.js';
import { ffprobeJson } from '../helpers/ffprobe.js';
import { OWN_SAMPLES, thirdPartyDir } from '../helpers/samples.js';
import { transmux } from '../helpers/transmux.js';

const require = createRequire(import.meta.url);

type At = 'start' | 'end';
interface MuxjsGop {
  pts: number;
  dts: number;
  byteLength: number;
}
interface MuxjsTransmuxer {
  on(event: 'data', f: (s: { initSegment: Uint8Array; data: Uint8Array }) => void): void;
  on(event: 'gopInfo', f: (g: MuxjsGop[]) => void): void;
  push(b: Uint8Array): void;
  alignGopsWith(gops: readonly GopAlignInfo[]): void;
  flush(): void;
}
type MuxjsGopList = Array<{ pts: number }> & { byteLength: number; nalCount: number; duration: number };
interface MuxjsVideoSegmentStream {
  alignGopsWith(gops: Array<{ pts: number }>): void;
  alignGopsAtStart_(gops: MuxjsGopList): MuxjsGopList | null;
  alignGopsAtEnd_(gops: MuxjsGopList): MuxjsGopList | null;
}
const muxjs = require('mux.js') as {
  mp4: {
    Transmuxer: new (o: object) => MuxjsTransmuxer;
    VideoSegmentStream: new (track: object, options: object) => MuxjsVideoSegmentStream;
  };
};

const PACKET = 188;
const TIMESTAMP_PERIOD = 2 ** 33;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'boxwright-align-gops-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The index of the first GOP mux.js keeps (gops.length: none), from its own VideoSegmentStream methods. */
function muxjsKeepFrom(gops: readonly number[], align: readonly number[], at: At): number {
  const stream = new muxjs.mp4.VideoSegmentStream({ timelineStartInfo: {} }, { alignGopsAtEnd: at === 'end' });
  stream.alignGopsWith(align.map((pts) => ({ pts })));
  const list = Object.assign(
    gops.map((pts) => ({ pts, byteLength: 1, nalCount: 1, duration: 1 })),
    { byteLength: gops.length, nalCount: gops.length, duration: gops.length },
  );
  const kept = at === 'end' ? stream.alignGopsAtEnd_(list) : stream.alignGopsAtStart_(list);
  return kept === null ? gops.length : gops.length - kept.length;
}

describe('the two walks', () => {
  test.each(['start', 'end'] as const)('align at %s: mux.js’s result on 3000 random GOP lists', (at) => {
    const rnd = prng(at === 'start' ? 11 : 12);
    // Ascending lists of presentation times drawn from a small grid, so that they often share some.
    const list = (): number[] => {
      const n = Math.floor(rnd() * 7);
      let t = Math.floor(rnd() * 4);
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((t += 1 + Math.floor(rnd() * 3)));
      return out;
    };
    const ours = at === 'end' ? alignGopsAtEnd : alignGopsAtStart;
    for (let i = 0; i < 3000; i++) {
      const gops = list();
      const align = list();
      if (align.length === 0) continue; // (an empty list is no alignment; mux.js does not walk it either)
      expect([gops, align, ours(gops, align)]).toEqual([gops, align, muxjsKeepFrom(gops, align, at)]);
    }
  });
});

/** A transport stream with its video PES starts (packet index, PTS) and the PAT + PMT packets HLS segments start with. */
interface Source {
  data: Uint8Array;
  psi: Uint8Array;
  videoStarts: Map<number, number>;
}

function readSource(path: string): Source {
  const data = new Uint8Array(readFileSync(path));
  expect(data.length % PACKET).toBe(0);
  const pid = (i: number): number => ((data[i * PACKET + 1]! & 0x1f) << 8) | data[i * PACKET + 2]!;
  const n = data.length / PACKET;
  // The first PAT, and the first packet of the PMT it names (ffmpeg writes an SDT first).
  let pat = 0;
  while (pat < n && pid(pat) !== 0) pat++;
  const payload = pat * PACKET + 4 + ((data[pat * PACKET + 3]! & 0x20) !== 0 ? 1 + data[pat * PACKET + 4]! : 0);
  const section = payload + 1 + data[payload]!;
  let entry = section + 8;
  while (((data[entry]! << 8) | data[entry + 1]!) === 0) entry += 4;
  const pmtPid = ((data[entry + 2]! & 0x1f) << 8) | data[entry + 3]!;
  let pmt = pat;
  while (pmt < n && pid(pmt) !== pmtPid) pmt++;
  expect(pmt).toBeLessThan(n);
  const videoStarts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const o = i * PACKET;
    if ((data[o + 1]! & 0x40) === 0) continue;
    let p = o + 4;
    if ((data[o + 3]! & 0x20) !== 0) p += 1 + data[p]!;
    if (data[p] !== 0 || data[p + 1] !== 0 || data[p + 2] !== 1 || (data[p + 3]! & 0xf0) !== 0xe0) continue;
    const b = data.subarray(p + 9, p + 14);
    videoStarts.set((b[0]! & 0x0e) * 2 ** 29 + b[1]! * 2 ** 22 + (b[2]! >> 1) * 2 ** 15 + b[3]! * 2 ** 7 + (b[4]! >> 1), i);
  }
  return { data, psi: concatBytes([data.subarray(pat * PACKET, (pat + 1) * PACKET), data.subarray(pmt * PACKET, (pmt + 1) * PACKET)]), videoStarts };
}

/** Our GOPs of the whole file and a cutter: GOPs [from, to) of it as an HLS segment (to past the end: to the end). */
function segmenter(src: Source): { gops: TransmuxGopInfo[]; segment(from: number, to: number): Uint8Array } {
  const gops = oursRun([src.data], {}).gops[0]!;
  const packetOf = (g: number): number => src.videoStarts.get(gops[g]!.pts % TIMESTAMP_PERIOD)!;
  for (let g = 0; g < gops.length; g++) expect(packetOf(g)).toBeDefined();
  return {
    gops,
    segment: (from, to) => concatBytes([src.psi, src.data.subarray(packetOf(from) * PACKET, to < gops.length ? packetOf(to) * PACKET : src.data.length)]),
  };
}

interface Run {
  bytes: Uint8Array;
  /** The bytes per output (`type` of the callbacks' info), each an init segment + fragments file. */
  byType: Map<string, Uint8Array>;
  /** Each onGopInfo call. */
  gops: TransmuxGopInfo[][];
}

/** Ours over `segments` (flush after each); `align(i)` gives the list set before segment i. */
function oursRun(segments: readonly Uint8Array[], options: Partial<TransmuxerOptions>, align?: (i: number) => readonly GopAlignInfo[] | undefined, chunk = 0): Run {
  const gops: TransmuxGopInfo[][] = [];
  const out = transmux(segments, chunk, { ...options, onGopInfo: (g) => gops.push(g) }, true, (tm, i) => {
    const list = align?.(i);
    if (list) tm.alignGopsWith(list);
  });
  const byType = new Map<string, Uint8Array>();
  for (const e of out.events) byType.set(e.info.type, concatBytes([byType.get(e.info.type) ?? new Uint8Array(0), e.bytes]));
  return { bytes: out.all, byType, gops };
}

/** mux.js over one segment, timestamps kept, aligned with `align` (set after the push: its video track exists then). */
function theirsRun(segment: Uint8Array, at: At, align?: readonly GopAlignInfo[]): { bytes: Uint8Array; gops: MuxjsGop[] } {
  const gops: MuxjsGop[] = [];
  const parts: Uint8Array[] = [];
  const t = new muxjs.mp4.Transmuxer({ keepOriginalTimestamps: true, alignGopsAtEnd: at === 'end' });
  t.on('gopInfo', (g) => gops.push(...g));
  t.on('data', (s) => {
    if (parts.length === 0) parts.push(s.initSegment);
    parts.push(s.data);
  });
  t.push(segment);
  if (align) t.alignGopsWith(align);
  t.flush();
  return { bytes: concatBytes(parts), gops };
}

/** The tracks of an init + fragments file (none when it is empty). */
function tracksOf(bytes: Uint8Array): Track[] {
  return bytes.length === 0 ? [] : demuxMp4(bytes).movie.tracks;
}

/** Number of video pictures, and the first one's presentation time (90 kHz) and sync flag. */
function videoSummary(bytes: Uint8Array): { count: number; firstPts?: number; firstKey?: boolean } {
  const v = tracksOf(bytes).find((t) => t.kind === 'video');
  const s = v?.samples;
  if (!v || !s || s.count === 0) return { count: 0 };
  return { count: s.count, firstPts: Math.round(((s.dts[0]! + s.ctsOffset[0]!) * 90000) / v.timescale), firstKey: (s.flags[0]! & 1) === 1 };
}

/** Per track kind, every sample as `dts/pts` in 90 kHz ticks. */
function sampleTimes(bytes: Uint8Array): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of tracksOf(bytes)) {
    const s = t.samples;
    const list = (out[t.kind] ??= []);
    const at = (v: number): number => Math.round((v * 90000) / t.timescale);
    for (let i = 0; i < s.count; i++) list.push(`${at(s.dts[i]!)}/${at(s.dts[i]! + s.ctsOffset[i]!)}`);
  }
  return out;
}

const ptsDts = (g: readonly { pts: number; dts: number }[]): Array<[number, number]> => g.map((x) => [x.pts, x.dts]);

/**
 * Rendition switches, as GOP ranges of the file: segment 1 (whose GOPs are aligned with) and segment 2, and how the
 * list is taken from segment 1's report.
 */
const SCENARIOS: Array<{ name: string; seg1: [number, number]; seg2: [number, number]; list?: (g: GopAlignInfo[]) => GopAlignInfo[] }> = [
  { name: 'segment 2 starts one GOP into segment 1', seg1: [0, 3], seg2: [1, 99] },
  { name: 'segment 2 starts before segment 1', seg1: [2, 5], seg2: [0, 99] },
  { name: 'no GOP starts where one aligned with does', seg1: [1, 3], seg2: [0, 99], list: (g) => g.map((x) => ({ ...x, pts: x.pts + 1 })) },
  { name: 'segment 2 ends before segment 1 (all its video dropped)', seg1: [3, 99], seg2: [0, 2] },
];

const PEER_FILES: Array<[string, () => string]> = [
  ['h264-aac.ts', () => join(OWN_SAMPLES, 'h264-aac.ts')],
  ['mux.js/test-segment.ts', () => join(thirdPartyDir(), 'mux.js/test-segment.ts')],
];

describe.each(PEER_FILES)('%s against mux.js', (_name, path) => {
  let src: Source;
  let cut: ReturnType<typeof segmenter>;
  beforeAll(() => {
    src = readSource(path());
    cut = segmenter(src);
  });

  test('its GOPs (onGopInfo) are mux.js’s gopInfo: pts and dts in the source clock', () => {
    expect(cut.gops.length).toBeGreaterThanOrEqual(4);
    expect(ptsDts(cut.gops)).toEqual(ptsDts(theirsRun(src.data, 'start').gops));
    // Not moved to the output timeline: the same with the timeline at 0, 1000 s, or the source's own.
    expect(ptsDts(oursRun([src.data], { baseMediaDecodeTime: 90_000_000 }).gops[0]!)).toEqual(ptsDts(cut.gops));
    expect(ptsDts(oursRun([src.data], { keepOriginalTimestamps: true }).gops[0]!)).toEqual(ptsDts(cut.gops));
  });

  describe.each(SCENARIOS)('$name', ({ seg1, seg2, list }) => {
    test.each(['start', 'end'] as const)('aligned at %s: the video and the GOPs mux.js keeps', (at) => {
      const s1 = cut.segment(...seg1);
      const s2 = cut.segment(...seg2);
      const ourList = (list ?? ((g) => g))(oursRun([s1], {}).gops[0]!);
      const theirList = (list ?? ((g) => g))(theirsRun(s1, at).gops);
      expect(ptsDts(ourList as TransmuxGopInfo[])).toEqual(ptsDts(theirList as MuxjsGop[]));
      const ours = oursRun([s2], { keepOriginalTimestamps: true, alignGopsAt: at }, () => ourList);
      const theirs = theirsRun(s2, at, theirList);
      const summary = videoSummary(ours.bytes);
      expect(summary).toEqual(videoSummary(theirs.bytes));
      expect(ptsDts(ours.gops.flat())).toEqual(ptsDts(theirs.gops));
      if (summary.count > 0) expect(summary.firstKey).toBe(true);
      // Something was dropped in every scenario here but one (segment 2 one GOP into segment 1, at start).
      const unaligned = videoSummary(oursRun([s2], { keepOriginalTimestamps: true }).bytes);
      if (!(seg2[0] === 1 && at === 'start')) expect(summary.count).toBeLessThan(unaligned.count);
    });
  });
});

describe('the output', () => {
  const file = (): string => join(OWN_SAMPLES, 'h264-aac.ts');
  let src: Source;
  let cut: ReturnType<typeof segmenter>;
  beforeAll(() => {
    src = readSource(file());
    cut = segmenter(src);
  });

  test.each([true, false])('remux %s: placed as without alignment — audio the same, the video from the first GOP kept at its own time', (remux) => {
    const s2 = cut.segment(0, 99);
    const align = cut.gops.slice(2, 3);
    const timesOf = (r: Run): Record<string, string[]> => Object.assign({}, ...[...r.byType.values()].map(sampleTimes));
    const plain = timesOf(oursRun([s2], { remux }));
    expect(Object.keys(plain).sort()).toEqual(['audio', 'video']);
    for (const at of ['start', 'end'] as const) {
      const aligned = timesOf(oursRun([s2], { remux, alignGopsAt: at }, () => align));
      expect(aligned.audio).toEqual(plain.audio);
      const video = plain.video!;
      expect(aligned.video!.length).toBeLessThan(video.length);
      expect(aligned.video).toEqual(video.slice(video.length - aligned.video!.length));
    }
  });

  test('ffprobe reads the aligned output; its first video frame is a keyframe', () => {
    const out = oursRun([cut.segment(0, 99)], { alignGopsAt: 'start' }, () => cut.gops.slice(1, 2));
    const path = join(dir, 'aligned.mp4');
    writeFileSync(path, out.bytes);
    const probe = ffprobeJson(path, ['-show_frames', '-show_streams', '-select_streams', 'v:0', '-show_entries', 'frame=key_frame,pict_type,pts:stream=codec_type']);
    expect(probe).toBeDefined();
    const frames = (probe as { frames: Array<{ key_frame: number; pict_type: string }> }).frames;
    expect(frames.length).toBe(videoSummary(out.bytes).count);
    expect(frames[0]).toMatchObject({ key_frame: 1, pict_type: 'I' });
    const audio = ffprobeJson(path, ['-show_streams', '-select_streams', 'a:0']) as { streams: unknown[] };
    expect(audio.streams).toHaveLength(1);
  });

  test.each(['start', 'end'] as const)('aligned at %s: 1, 188 and 1000-byte pushes give the bytes and GOPs of whole ones, over consecutive segments', (at) => {
    // A player's switch: segment A of this rendition, then (aligned with the other rendition's report) segment B.
    const segments = [cut.segment(0, 2), cut.segment(1, 99)];
    const list = (i: number): GopAlignInfo[] | undefined => (i === 1 ? cut.gops.slice(1, 3) : undefined);
    const whole = oursRun(segments, { alignGopsAt: at, remux: false }, list);
    expect(whole.gops).toHaveLength(2);
    for (const chunk of [1, 188, 1000]) {
      const part = oursRun(segments, { alignGopsAt: at, remux: false }, list, chunk);
      expect(Buffer.compare(Buffer.from(part.bytes), Buffer.from(whole.bytes))).toBe(0);
      expect(part.gops).toEqual(whole.gops);
    }
  });

  test('all video dropped: the segment has its audio and no video, and no GOP report', () => {
    const s = cut.segment(0, 2);
    const out = oursRun([s], {}, () => [{ pts: cut.gops[3]!.pts }]);
    expect(out.gops).toEqual([]);
    const times = sampleTimes(out.bytes);
    expect(times.video ?? []).toEqual([]);
    expect(times.audio).toEqual(sampleTimes(oursRun([s], {}).bytes).audio);
  });

  test('an empty list turns alignment off; reset() does too', () => {
    const s = cut.segment(0, 99);
    const plain = oursRun([s], {}).bytes;
    const off = oursRun([s], {}, () => []).bytes;
    expect(Buffer.compare(Buffer.from(off), Buffer.from(plain))).toBe(0);
    const parts: Uint8Array[] = [];
    const tm = createTransmuxer({ onInit: (b) => parts.push(b), onFragment: (b) => parts.push(b) });
    tm.alignGopsWith(cut.gops.slice(2, 3));
    tm.reset();
    tm.push(s);
    tm.flush();
    expect(Buffer.compare(Buffer.from(concatBytes(parts)), Buffer.from(plain))).toBe(0);
  });

  test('a list from mux.js across the 33-bit wrap (it counts from the first DTS it sees) aligns as our own', () => {
    const bf = readSource(join(thirdPartyDir(), 'shaka-player/hls-ts-b-frames/1.ts'));
    const theirs = theirsRun(bf.data, 'start').gops;
    const ours = oursRun([bf.data], {}).gops[0]!;
    expect(theirs.map((g) => g.pts - ours[theirs.indexOf(g)]!.pts)).toEqual(theirs.map(() => TIMESTAMP_PERIOD));
    for (const at of ['start', 'end'] as const) {
      const withTheirs = oursRun([bf.data], { alignGopsAt: at }, () => theirs.slice(2, 4)).bytes;
      const withOurs = oursRun([bf.data], { alignGopsAt: at }, () => ours.slice(2, 4)).bytes;
      expect(videoSummary(withTheirs).count).toBeLessThan(videoSummary(oursRun([bf.data], {}).bytes).count);
      expect(Buffer.compare(Buffer.from(withTheirs), Buffer.from(withOurs))).toBe(0);
    }
  });

  test('bad arguments', () => {
    const cb = { onInit: (): void => undefined, onFragment: (): void => undefined };
    const tm = createTransmuxer(cb);
    expect(() => tm.alignGopsWith('x' as never)).toThrow(/alignGopsWith\(\) takes an array/);
    expect(() => tm.alignGopsWith([null] as never)).toThrow(TypeError);
    expect(() => tm.alignGopsWith([{ pts: 1 }, { pts: Number.NaN }])).toThrow(RangeError);
    expect(() => tm.alignGopsWith([{ dts: 1 }] as never)).toThrow(/entry 0 needs a finite pts/);
    expect(() => createTransmuxer({ ...cb, alignGopsAt: 'middle' as never })).toThrow(RangeError);
    expect(() => createTransmuxer({ ...cb, onGopInfo: 1 as never })).toThrow(TypeError);
  });
});
