/**
 * CEA-708 decoding: windows and commands one by one, then seeded random DTVCC streams against mux.js's
 * CaptionStream (Cea708Stream inside), then the places where we differ from mux.js on purpose.
 */
import { CaptionExtractor, type CaptionCue } from '../../src/captions/index.js';
import { avcSample, seiRbsp, t35Payload, type Triplet } from './build.js';
import { muxjsSeiCaptions } from './oracle.js';
import { prng as rng } from '../fuzz/mutate.js';

/** A caption channel packet (CEA-708 §5) holding service blocks (§6.2), as cc_data pairs: type 3, then type 2. */
function dtvcc(seq: number, blocks: ReadonlyArray<{ service: number; bytes: readonly number[] }>): Triplet[] {
  const body: number[] = [];
  for (const b of blocks) body.push((b.service << 5) | b.bytes.length, ...b.bytes);
  const size = Math.ceil((body.length + 1) / 2);
  const data = [((seq & 3) << 6) | (size & 0x3f), ...body];
  if (data.length % 2) data.push(0);
  const out: Triplet[] = [];
  for (let i = 0; i < data.length; i += 2) out.push([i === 0 ? 3 : 2, data[i]!, data[i + 1]!]);
  return out;
}

const text = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
/** DF0 (window 0), visible or not, 2 rows (row count 1 → 2 virtual rows), 32 columns. */
const DF0 = (visible: boolean): number[] => [0x98, visible ? 0x20 : 0x00, 0x00, 0x00, 0x01, 0x1f, 0x00];
const DSW = (map: number): number[] => [0x89, map];
const HDW = (map: number): number[] => [0x8a, map];
const CLW = (map: number): number[] => [0x88, map];

type Frame = [pts: number, triplets: Triplet[]];

function ours(frames: readonly Frame[]): CaptionCue[] {
  const cc = new CaptionExtractor();
  for (const [pts, t] of frames) cc.push(avcSample(t), pts, pts, 'avc');
  return cc.flush();
}

function theirs(frames: readonly Frame[]): CaptionCue[] {
  return muxjsSeiCaptions(frames.map(([pts, t]) => ({ rbsp: Uint8Array.from(seiRbsp([{ type: 4, payload: t35Payload(t) }])), pts, dts: pts })));
}

/** Frames carrying one packet each (a packet is decoded when the next one starts, so an empty one ends the list). */
function packets(...blocks: Array<[pts: number, bytes: number[]]>): Frame[] {
  const frames: Frame[] = blocks.map(([pts, bytes], i) => [pts, dtvcc(i, [{ service: 1, bytes }])]);
  frames.push([(blocks.at(-1)?.[0] ?? 0) + 1, dtvcc(blocks.length, [])]);
  return frames;
}

describe('CEA-708 windows', () => {
  test('text in a visible window is a cue from display until cleared', () => {
    const frames = packets([0, [...DF0(false), ...text('Hello')]], [100, [0x0d, ...text('world'), ...DSW(1)]], [400, CLW(1)]);
    expect(ours(frames)).toEqual([{ startPts: 100, endPts: 400, text: 'Hello\nworld', stream: 'cc708_1' }]);
    expect(ours(frames)).toEqual(theirs(frames));
  });

  test('hide, toggle, delete; G2 characters, P16, backspace, music note', () => {
    const frames = packets(
      [0, [...DF0(true), ...text('ab'), 0x08, 0x10, 0x39, 0x18, 0x4e, 0x2d, 0x7f]],
      [10, HDW(1)],
      [20, [0x8b, 1]],
      [30, [0x8c, 1]],
    );
    // BS drops "b"; EXT1 0x39 = ™; P16 0x4e2d = 中; 0x7f = ♪.
    const cues = ours(frames);
    expect(cues.map((c) => [c.startPts, c.endPts, c.text])).toEqual([
      [0, 10, 'a™中♪'],
      [20, 30, 'a™中♪'],
    ]);
    expect(cues).toEqual(theirs(frames));
  });

  test('a full window rolls: the cue ends when a row scrolls off', () => {
    const frames = packets([0, [...DF0(true), ...text('1'), 0x0d, ...text('2')]], [50, [0x0d, ...text('3')]], [90, CLW(1)]);
    expect(ours(frames).map((c) => [c.startPts, c.endPts, c.text])).toEqual([
      [0, 50, '1\n2'],
      [50, 90, '2\n3'],
    ]);
    expect(ours(frames)).toEqual(theirs(frames));
  });

  test('services are separate streams; the extended service number has 6 bits', () => {
    const frames: Frame[] = [
      [0, dtvcc(0, [{ service: 2, bytes: [...DF0(true), ...text('two')] }, { service: 7, bytes: [] }])],
      [5, dtvcc(1, [{ service: 2, bytes: CLW(1) }])],
      [6, dtvcc(2, [])],
    ];
    expect(ours(frames)).toEqual([{ startPts: 0, endPts: 5, text: 'two', stream: 'cc708_2' }]);
  });
});


/**
 * A random command or character from the vocabulary where mux.js is right: text (G0, G1, G2 through EXT1, P16),
 * CR, BS, FF, ETX, NUL, CWx, DFx, CLW/DSW/HDW/TGW/DLW, SWA, SPA, SPC, SPL, DLY, DLC, RST. Not HCR, not the C0
 * codes with parameters, not EXT1 C2/C3 codes (we skip their parameters, mux.js reads them as commands).
 */
function randomCommand(r: () => number): number[] {
  const n = (k: number): number => Math.floor(r() * k);
  const k = r();
  if (k < 0.4) return Array.from({ length: 1 + n(6) }, () => (r() < 0.8 ? 0x20 + n(0x60) : 0xa0 + n(0x60)));
  if (k < 0.45) return [0x10, r() < 0.5 ? 0x20 + n(0x60) : 0xa0 + n(0x60)];
  if (k < 0.47) return [0x18, 0x20 + n(0x60), 0x20 + n(0x60)];
  if (k < 0.6) return [[0x0d, 0x08, 0x0c, 0x03, 0x00, 0x8e][n(6)]!];
  if (k < 0.66) return [0x80 + n(8)];
  if (k < 0.74) return [0x98 + n(8), n(256), n(256), n(256), n(256), n(256), n(256)];
  if (k < 0.88) return [0x88 + n(5), n(256)];
  if (k < 0.9) return [0x97, n(256), n(256), n(256), n(256)];
  if (k < 0.92) return [0x90, n(256), n(256)];
  if (k < 0.94) return [0x91, n(256), n(256), n(256)];
  if (k < 0.97) return [0x92, n(256), n(256)];
  if (k < 0.98) return [0x8d, n(256)];
  return [0x8f];
}

test.each(Array.from({ length: 40 }, (_, i) => i + 1))('random CEA-708 stream %i equals mux.js', (seed) => {
  const r = rng(seed);
  const pairs: Triplet[] = [];
  for (let p = 0; p < 120; p++) {
    const blocks: Array<{ service: number; bytes: number[] }> = [];
    for (let b = 0, count = 1 + Math.floor(r() * 2); b < count; b++) {
      const bytes: number[] = [];
      for (let c = 0; c < 6; c++) {
        const cmd = randomCommand(r);
        if (bytes.length + cmd.length > 31) break;
        bytes.push(...cmd);
      }
      blocks.push({ service: 1 + Math.floor(r() * 3), bytes });
    }
    pairs.push(...dtvcc(p, blocks));
  }
  // Spread the pairs over pictures, a few per picture, 608 padding among them.
  const frames: Frame[] = [];
  for (let i = 0, f = 0; i < pairs.length; f++) {
    const take = 1 + Math.floor(r() * 8);
    frames.push([f * 1501, [...pairs.slice(i, i + take), [0, 0x80, 0x80]]]);
    i += take;
  }
  const mine = ours(frames);
  if (process.env.CAPTIONS_DEBUG) console.log(seed, mine.length, mine.slice(0, 3));
  expect(mine).toEqual(theirs(frames));
});

describe('where we differ from mux.js on purpose', () => {
  test('HCR erases the current row only (mux.js clears the window)', () => {
    const frames = packets([0, [...DF0(true), ...text('one'), 0x0d, ...text('two'), 0x0e, ...text('2')]], [10, CLW(1)]);
    expect(ours(frames).map((c) => c.text)).toEqual(['one\n2']);
    expect(theirs(frames).map((c) => c.text)).toEqual(['2']);
  });

  test('C0 codes skip their parameter bytes (mux.js reads them as text)', () => {
    // 0x11 takes one parameter byte (CEA-708 §7.1.4): the "X" is not text.
    const frames = packets([0, [...DF0(true), ...text('a'), 0x11, 0x58, ...text('b')]], [10, CLW(1)]);
    expect(ours(frames).map((c) => c.text)).toEqual(['ab']);
    expect(theirs(frames).map((c) => c.text)).toEqual(['aXb']);
  });
});
