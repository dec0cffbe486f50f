/**
 * The transmuxer's modules on their own: the cut policy's decisions (keyframes, waiting for audio,
 * forced and audio-only cuts, where a window's audio is split), the input's packet finding and holding
 * under odd chunkings, and the timeline's wrap and splice arithmetic.
 */
import { parsePesHeader } from '../../src/demux/ts/pes.js';
import { SampleTableBuilder, SYNC } from '../../src/model/sample-table.js';
import type { Movie, Track } from '../../src/model/movie.js';
import { CutPolicy, MAX_GOP, firstPictureIsKey, nextFragmentStart, splitWindow, type Cut } from '../../src/transmux/cut-policy.js';
import { DETECT_BYTES, PacketInput } from '../../src/transmux/input.js';
import { PACKET, PacketQueue } from '../../src/transmux/packet-queue.js';
import { Timeline } from '../../src/transmux/timeline.js';
import { pes } from '../demux/ts/ts-writer.js';

describe('firstPictureIsKey', () => {
  const nal = (...units: number[][]): Uint8Array => Uint8Array.from(units.flatMap((u) => [0, 0, 1, ...u]));
  it('H.264: the first slice decides (parameter sets and SEI before it do not)', () => {
    expect(firstPictureIsKey('h264', nal([0x67, 1, 2], [0x68, 3], [0x06, 5], [0x65, 0x88]), true)).toBe(true);
    expect(firstPictureIsKey('h264', nal([0x09, 0xf0], [0x41, 0x9a]), true)).toBe(false);
    // A non-IDR first slice: later NAL units do not matter.
    expect(firstPictureIsKey('h264', nal([0x41, 0x9a], [0x65, 0x88]), true)).toBe(false);
  });
  it('HEVC: IRAP types 16–23 are key', () => {
    expect(firstPictureIsKey('hevc', nal([0x40, 0x01, 9], [0x26, 0x01, 0xaf]), true)).toBe(true); // VPS, IDR_W_RADL
    expect(firstPictureIsKey('hevc', nal([0x02, 0x01, 0xd0]), true)).toBe(false); // TRAIL_R
  });
  it('is undecided on the start of a PES that reaches no picture yet', () => {
    expect(firstPictureIsKey('h264', nal([0x67, 1, 2, 3]), false)).toBeUndefined();
    expect(firstPictureIsKey('h264', nal([0x67, 1, 2, 3]), true)).toBe(false);
    // The header byte of the NAL unit is not there yet.
    expect(firstPictureIsKey('h264', Uint8Array.of(0, 0, 1), false)).toBeUndefined();
  });
});

describe('CutPolicy', () => {
  /** A policy whose key PES are the seqs in `keys`. */
  const policy = (keys: number[]): CutPolicy => new CutPolicy((start) => keys.includes(start));
  const GOP = 90000;

  it('cuts when the key PES is complete and every audio stream has started a PES at or after it', () => {
    const p = policy([10]);
    p.videoStart(0, 0);
    p.otherStart(257, 1, 100, false);
    p.videoStart(10, GOP); // key PES starts
    expect(p.nextReady([257])).toBeUndefined(); // not complete yet
    p.videoStart(20, GOP + 3000); // key PES complete: a cut
    expect(p.changed).toBe(true);
    expect(p.nextReady([257])).toBeUndefined(); // audio still before the keyframe
    p.otherStart(257, 21, GOP - 1920, false);
    expect(p.nextReady([257])).toBeUndefined();
    p.otherStart(257, 22, GOP + 100, false);
    expect(p.nextReady([257])).toEqual<Cut>({ consumeBefore: 10, windowBefore: 20, keyTs: GOP });
    expect(p.nextReady([257])).toBeUndefined();
  });

  it('does not wait for an audio stream that has not started, nor past three cuts', () => {
    const p = policy([10, 20, 30, 40]);
    p.videoStart(0, 0);
    p.videoStart(10, GOP);
    p.videoStart(20, 2 * GOP);
    expect(p.nextReady([258])).toEqual({ consumeBefore: 10, windowBefore: 20, keyTs: GOP }); // 258 never started
    p.otherStart(257, 21, 0, false); // an audio stream stuck before the cuts
    p.videoStart(30, 3 * GOP);
    p.videoStart(40, 4 * GOP);
    expect(p.nextReady([257])).toBeUndefined(); // 2 cuts wait
    p.videoStart(50, 5 * GOP); // a third: the oldest goes anyway
    expect(p.nextReady([257])?.keyTs).toBe(2 * GOP);
  });

  it('forces a cut at a picture after 10 s without a keyframe', () => {
    const p = policy([]);
    const frame = 3000;
    let seq = 0;
    let forced: Cut | undefined;
    for (let ts = 0; ts <= MAX_GOP + 2 * frame && !forced; ts += frame) {
      p.videoStart(seq, ts);
      seq += 5;
      forced = p.nextReady([]);
    }
    expect(forced).toEqual({ consumeBefore: MAX_GOP / frame * 5, windowBefore: MAX_GOP / frame * 5 + 5, keyTs: MAX_GOP, forced: true });
  });

  it('cuts a program without video about once a second at its first audio stream', () => {
    const p = policy([]);
    const cuts: Cut[] = [];
    for (let i = 0; i < 200; i++) {
      p.otherStart(257, i, i * 1920 * 4, true); // PES of 4 AAC frames at 48 kHz
      p.otherStart(258, i, i * 1920 * 4, false);
      for (let c = p.nextReady([257, 258]); c; c = p.nextReady([257, 258])) cuts.push(c);
    }
    expect(cuts.length).toBeGreaterThan(15);
    let last = 0;
    for (const c of cuts) {
      expect(c.consumeBefore).toBe(c.windowBefore); // no lookahead
      expect(c.keyTs - last).toBeGreaterThanOrEqual(90000);
      expect(c.keyTs - last).toBeLessThan(90000 + 1920 * 4);
      last = c.keyTs;
    }
  });

  it('forgets the old program on reset', () => {
    const p = policy([10]);
    p.videoStart(0, 0);
    p.otherStart(257, 1, 5, false);
    p.reset();
    expect(p.lastStartOf(257)).toBeUndefined();
    // The first PES of the new program is not a "PES before" that could be cut after.
    p.videoStart(10, GOP);
    p.videoStart(20, GOP + 3000);
    expect(p.nextReady([])).toBeUndefined();
  });
});

/** A 90 kHz track of `count` samples `step` apart from `start` (composition offset `cto`), sync where `sync(i)`. */
function track(id: number, kind: 'video' | 'audio', start: number, step: number, count: number, sync = (_i: number) => true, cto = 0): Track {
  const b = new SampleTableBuilder(Math.max(1, count));
  for (let i = 0; i < count; i++) b.push(start + i * step, cto, step, 10, i * 10, sync(i) ? SYNC : 0, 0);
  return { id, kind, timescale: 90000, samples: b.build(), descriptions: [], data: new Uint8Array(0), durationTicks: 0, edits: [] } as unknown as Track;
}

describe('where a window is split', () => {
  it('audio: at the frame nearest the cut in presentation time (the segment plan rule)', () => {
    const audio = track(257, 'audio', 0, 1920, 100);
    // Frames start at 94080 and 96000: 95000 is nearer the first, 95100 nearer the second.
    expect(nextFragmentStart(audio, 95000)).toBe(49);
    expect(nextFragmentStart(audio, 95100)).toBe(50);
    expect(nextFragmentStart(audio, 96000)).toBe(50);
  });

  it('a window whose audio ends before the cut: the frame after the window counts', () => {
    const audio = track(257, 'audio', 0, 1920, 10); // ends at 19200
    expect(nextFragmentStart(audio, 19200)).toBe(10);
    expect(nextFragmentStart(audio, 18500)).toBe(10); // 700 from the end, 1220 from the last frame
    expect(nextFragmentStart(audio, 18000)).toBe(9);
    expect(nextFragmentStart(audio, 30000)).toBe(10);
  });

  it('the lead keeps the samples before its last keyframe; audio is split at the frame nearest its presentation time', () => {
    // 2 s of video, keyframes every second, pictures presented 2 frames after decoding.
    const video = track(256, 'video', 0, 3000, 61, (i) => i % 30 === 0, 6000);
    const audio = track(257, 'audio', 0, 1920, 100);
    const movie = { tracks: [video, audio] } as unknown as Movie;
    const ranges = splitWindow(movie, 256, { consumeBefore: 100, windowBefore: 110, keyTs: 180000 }, 0);
    expect(ranges.get(256)).toEqual({ first: 0, count: 60, carry: 0 });
    // The cut picture is presented at 186000: audio frame 97 starts at 186240, 96 at 184320.
    expect(ranges.get(257)).toEqual({ first: 0, count: 97, carry: 3 });
  });

  it('a forced cut: the lead is cut at the first sample of a PES at or after the cut packet', () => {
    const video = track(256, 'video', 0, 3000, 10, () => false);
    video.packetView = { pos: Float64Array.from([0, NaN, 376, 564, NaN, 940, 1128, 1316, 1504, 1692]) } as unknown as Track['packetView'];
    const movie = { tracks: [video] } as unknown as Movie;
    const ranges = splitWindow(movie, 256, { consumeBefore: 5, windowBefore: 9, keyTs: 15000, forced: true }, 900);
    expect(ranges.get(256)).toEqual({ first: 0, count: 5, carry: 0 });
  });

  it('an audio-only cut: at the lead PES outside the window', () => {
    const audio = track(257, 'audio', 0, 1920, 47); // ends at 90240
    const other = track(258, 'audio', 0, 1920, 50);
    const ranges = splitWindow({ tracks: [audio, other] } as unknown as Movie, 257, { consumeBefore: 9, windowBefore: 9, keyTs: 90240 }, 0);
    expect(ranges.get(257)).toEqual({ first: 0, count: 47, carry: 0 });
    expect(ranges.get(258)).toEqual({ first: 0, count: 47, carry: 3 });
  });
});

describe('PacketInput', () => {
  /** `n` packets of `stride` bytes (188 + prefix/parity) with PIDs 0x100 + i, packet i's byte 4 = i. */
  function stream(n: number, stride: 188 | 192 | 204): Uint8Array {
    const out = new Uint8Array(n * stride);
    for (let i = 0; i < n; i++) {
      const at = i * stride + (stride === 192 ? 4 : 0);
      out[at] = 0x47;
      out[at + 1] = 0x01;
      out[at + 2] = i & 0xff;
      out[at + 3] = 0x10;
      out[at + 4] = i & 0xff;
    }
    return out;
  }

  /** Pushes `data` in pieces of the given sizes (cycled) and returns byte 4 of every packet walked, in order. */
  function walk(data: Uint8Array, sizes: number[], readAhead: (first: number) => boolean = () => true): number[] {
    const queue = new PacketQueue();
    const seen: number[] = [];
    const input = new PacketInput(queue, {
      readAhead: (at) => readAhead(queue.buf[at + 4]!),
      packet: (at) => {
        seen.push(queue.buf[at + 4]!);
        queue.enqueue(at, 0x100, seen.length, false);
        if (queue.count > 64) queue.clear();
      },
    });
    for (let o = 0, k = 0; o < data.length; k++) {
      const n = sizes[k % sizes.length]!;
      input.push(data.slice(o, o + n));
      o += n;
    }
    input.finish();
    expect(input.bytes).toBe(data.length);
    expect(input.packets).toBe(seen.length);
    return seen;
  }

  const expected = (n: number): number[] => Array.from({ length: n }, (_, i) => i & 0xff);

  it.each([188, 192, 204] as const)('finds every %i-byte packet whatever the chunking', (stride) => {
    const data = stream(300, stride);
    const whole = walk(data, [data.length]);
    expect(whole).toEqual(expected(300));
    for (const sizes of [[1], [187], [189, 7], [4095, 1, 2], [stride - 1, stride + 1]]) expect(walk(data, sizes)).toEqual(whole);
  });

  it('regains sync byte by byte after garbage, the same for every chunking', () => {
    const a = stream(40, 188);
    const garbage = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0x3f); // no 0x47
    const data = new Uint8Array(a.length * 2 + garbage.length);
    data.set(a);
    data.set(garbage, a.length);
    data.set(stream(40, 188), a.length + garbage.length);
    const whole = walk(data, [data.length]);
    expect(whole).toEqual([...expected(40), ...expected(40)]);
    for (const sizes of [[1], [100], [187, 3], [DETECT_BYTES + 1]]) expect(walk(data, sizes)).toEqual(whole);
  });

  it('holds the packets until the PSI is read ahead, then walks them in order', () => {
    const data = stream(200, 188);
    const aheadSeen: number[] = [];
    const seen = walk(data, [1000], (first) => {
      aheadSeen.push(first);
      return first === 150; // the "PMT" is packet 150
    });
    expect(aheadSeen).toEqual(expected(151));
    expect(seen).toEqual(expected(200));
  });

  it('releases held packets at the end when no PMT came', () => {
    expect(walk(stream(50, 192), [333], () => false)).toEqual(expected(50));
  });

  it('a stream shorter than the detection window is decided at the end', () => {
    expect(walk(stream(3, 204), [100])).toEqual(expected(3));
  });
});

describe('Timeline', () => {
  const PERIOD = 2 ** 33;

  it('keeps counting upwards across a 33-bit wrap between windows', () => {
    const t = new Timeline();
    expect(t.windowShift(PERIOD - 90000)).toBe(0);
    t.written(PERIOD - 3000);
    // The next window, demuxed on its own, starts just after the wrap.
    expect(t.windowShift(0)).toBe(PERIOD);
    t.written(PERIOD + 90000);
    expect(t.windowShift(100000)).toBe(PERIOD);
  });

  it('mends a PES after a jump back: the timeline runs on, the header is rewritten in place', () => {
    const t = new Timeline();
    const header = (ts: number): Uint8Array => pes(0xe0, Uint8Array.of(0, 0, 1, 0x65), ts, ts);
    const first = header(900000);
    expect(t.mendPes(first, 0, parsePesHeader(first)!, 256, 'h264', 0)).toBe(900000);
    const second = header(903000);
    expect(t.mendPes(second, 0, parsePesHeader(second)!, 256, 'h264', 1)).toBe(903000);
    const spliced = header(1000); // a new time base
    const ts = t.mendPes(spliced, 0, parsePesHeader(spliced)!, 256, 'h264', 2);
    // One frame after the last PES of the old time base.
    expect(ts).toBe(906000);
    expect(parsePesHeader(spliced)!.dts).toBe(906000);
    expect(parsePesHeader(spliced)!.pts).toBe(906000);
    // A window written up to packet 2 passes the splice, once.
    expect(t.passSplice(1)).toBe(false);
    expect(t.passSplice(2)).toBe(true);
    expect(t.passSplice(3)).toBe(false);
  });

  it('fills the hole before the next PES at a splice, up to a second', () => {
    const t = new Timeline();
    const b = new SampleTableBuilder(2);
    b.push(0, 0, 1920, 10, 0, SYNC, 0);
    b.push(1920, 0, 1920, 10, 10, SYNC, 0);
    const s = b.build();
    t.fillSpliceHole(s, 5000, 0);
    expect(s.duration[1]).toBe(5000 - 1920);
    t.fillSpliceHole(s, 5000 + 90000 * 2, 0); // more than a second: not ours to fill
    expect(s.duration[1]).toBe(5000 - 1920);
  });
});

describe('PacketQueue.indexOfSeq', () => {
  it('finds the first queued packet at or after a seq', () => {
    const q = new PacketQueue();
    q.append(new Uint8Array(PACKET * 4));
    for (const [i, s] of [3, 5, 9, 12].entries()) q.enqueue(i * PACKET, 0x100, s, false);
    expect([0, 3, 4, 9, 10, 12, 13].map((s) => q.indexOfSeq(s))).toEqual([0, 0, 1, 2, 3, 3, 4]);
  });
});
