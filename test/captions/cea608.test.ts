/**
 * CEA-608 decoding: the modes and codes one by one, then seeded random streams against mux.js's CaptionStream
 * (the oracle) over the vocabulary where we mean to agree, then the places where we differ from mux.js on purpose
 * (each one asserts mux.js's output too, so the difference stays documented and deliberate; docs/captions.md).
 */
import { CaptionExtractor, type CaptionCue } from '../../src/captions/index.js';
import { avcSample, chars, f1, f2, parity, seiRbsp, t35Payload, type Triplet } from './build.js';
import { muxjsSeiCaptions } from './oracle.js';
import { prng as rng } from '../fuzz/mutate.js';

/** One picture's caption bytes at a pts (decode order = presentation order here). */
type Frame = [pts: number, triplets: Triplet[]];

function ours(frames: readonly Frame[]): CaptionCue[] {
  const cc = new CaptionExtractor();
  for (const [pts, t] of frames) cc.push(avcSample(t), pts, pts, 'avc');
  return cc.flush();
}

function theirs(frames: readonly Frame[]): CaptionCue[] {
  return muxjsSeiCaptions(frames.map(([pts, t]) => ({ rbsp: Uint8Array.from(seiRbsp([{ type: 4, payload: t35Payload(t) }])), pts, dts: pts })));
}

// Field 1, CC1 control codes (first byte 0x14), each sent twice as encoders do.
const twice = (b2: number): Triplet[] => [f1(0x14, b2), f1(0x14, b2)];
const RCL = twice(0x20);
const EOC = twice(0x2f);
const EDM = twice(0x2c);
const ENM = twice(0x2e);
const CR = twice(0x2d);
const RU2 = twice(0x25);
const RDC = twice(0x29);
const BS = twice(0x21);
/** PAC row 15, column 0, white. */
const ROW15 = twice(0x60);
/** PAC row 14 (0x14 0x40). */
const ROW14 = twice(0x40);

describe('CEA-608 modes', () => {
  test('pop-on: loaded off screen, shown at EOC, ended by EDM', () => {
    const cues = ours([
      [0, [...RCL, ...ENM, ...ROW14, ...chars('HELLO'), ...ROW15, ...chars(' WORLD ')]],
      [3000, EOC],
      [9000, EDM],
    ]);
    expect(cues).toEqual([{ startPts: 3000, endPts: 9000, text: 'HELLO\nWORLD', stream: 'CC1' }]);
  });

  test('a control code sent twice acts once; a third copy acts again', () => {
    // EOC twice = one swap (the caption shows); were the copy not dropped, the second swap would hide it again.
    expect(ours([[0, [...RCL, ...chars('A')]], [10, EOC], [20, EDM]])).toHaveLength(1);
    // Two single EOCs with a character between them are two commands: "A" shows 10..20, then "B".
    expect(ours([[0, [...RCL, ...chars('A')]], [10, [f1(0x14, 0x2f)]], [15, chars('B')], [20, [f1(0x14, 0x2f)]], [30, EDM]])).toEqual([
      { startPts: 10, endPts: 20, text: 'A', stream: 'CC1' },
      { startPts: 20, endPts: 30, text: 'B', stream: 'CC1' },
    ]);
  });

  test('roll-up: each CR ends the cue and rolls the rows', () => {
    const cues = ours([
      [0, [...RU2, ...CR, ...chars('ONE')]],
      [100, [...CR, ...chars('TWO')]],
      [200, [...CR, ...chars('THREE')]],
      [300, EDM],
    ]);
    expect(cues.map((c) => [c.startPts, c.endPts, c.text])).toEqual([
      [0, 100, 'ONE'],
      [100, 200, 'ONE\nTWO'],
      [200, 300, 'TWO\nTHREE'],
    ]);
  });

  test('paint-on: characters show as they come', () => {
    const cues = ours([[50, [...RDC, ...ROW15, ...chars('PAINT')]], [80, EDM]]);
    expect(cues).toEqual([{ startPts: 50, endPts: 80, text: 'PAINT', stream: 'CC1' }]);
  });

  test('special and extended characters, backspace, formatting', () => {
    const cues = ours([
      [0, [...RCL, ...ROW15, ...chars('caf'), ...chars('e'), f1(0x12, 0x21), f1(0x12, 0x21), ...chars(' 1'), f1(0x11, 0x32), f1(0x11, 0x32), ...chars('xy'), ...BS, f1(0x11, 0x2e), f1(0x11, 0x2e), ...chars('it')]],
      [10, EOC],
      [20, EDM],
    ]);
    // 0x12 0x21 = É replacing the "e" sent before it; 0x11 0x32 = ½; BS drops "y"; mid-row 0x2e = a space + italics.
    expect(cues.map((c) => c.text)).toEqual(['cafÉ 1½x <i>it</i>']);
    expect(cues).toEqual(theirs([[0, [...RCL, ...ROW15, ...chars('caf'), ...chars('e'), f1(0x12, 0x21), f1(0x12, 0x21), ...chars(' 1'), f1(0x11, 0x32), f1(0x11, 0x32), ...chars('xy'), ...BS, f1(0x11, 0x2e), f1(0x11, 0x2e), ...chars('it')]], [10, EOC], [20, EDM]]));
  });

  test('field 2 is CC3; its control codes start with 0x15', () => {
    const ctl = (b: number): Triplet[] => [f2(0x15, b), f2(0x15, b)];
    const cues = ours([[0, [...ctl(0x20), f2(0x14, 0x60), f2(0x14, 0x60), ...chars('TROIS', 1)]], [5, ctl(0x2f)], [7, ctl(0x2c)]]);
    expect(cues).toEqual([{ startPts: 5, endPts: 7, text: 'TROIS', stream: 'CC3' }]);
  });

  test('captions on screen at flush stay for the next flush; reset drops them', () => {
    const cc = new CaptionExtractor();
    cc.push(avcSample([...RCL, ...chars('HI'), ...EOC]), 0, 0);
    expect(cc.flush()).toEqual([]);
    cc.push(avcSample(EDM), 10, 10);
    expect(cc.flush()).toEqual([{ startPts: 0, endPts: 10, text: 'HI', stream: 'CC1' }]);
    cc.push(avcSample([...RCL, ...chars('HI'), ...EOC]), 20, 20);
    cc.flush();
    cc.reset();
    cc.push(avcSample(EDM), 30, 30);
    expect(cc.flush()).toEqual([]);
  });

  test('a repeated sample (older dts) is ignored, as mux.js does for a segment loaded twice', () => {
    const frames: Frame[] = [[0, [...RCL, ...chars('AB')]], [10, EOC], [0, chars('CD')], [10, EOC], [20, EDM]];
    expect(ours(frames)).toEqual([{ startPts: 10, endPts: 20, text: 'AB', stream: 'CC1' }]);
    expect(ours(frames)).toEqual(theirs(frames));
  });
});


/**
 * A random CEA-608 pair from the vocabulary where mux.js is right: every command, PACs for rows 8 and 15
 * (far enough apart that moving a roll-up window never overlaps, where mux.js loses rows), special characters,
 * extended and mid-row codes except second byte 0x2a/0x2b (mux.js takes those for Text mode), basic characters,
 * padding and XDS on field 2. Channel 1 of either field.
 */
function randomPair(r: () => number, field: 0 | 1): Triplet {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const ctl = field === 0 ? 0x14 : 0x15;
  const k = r();
  const mk = (b1: number, b2: number): Triplet => [field, parity(b1), parity(b2)];
  if (k < 0.3) return mk(ctl, pick([0x20, 0x21, 0x25, 0x26, 0x27, 0x29, 0x2c, 0x2d, 0x2e, 0x2f, 0x2a]));
  if (k < 0.4) return mk(pick([0x16, 0x14]), 0x40 + Math.floor(r() * 0x40) | 0x20); // rows 8 / 15, any attribute
  if (k < 0.45) return mk(0x11, 0x30 + Math.floor(r() * 16));
  if (k < 0.5) {
    const b2 = 0x20 + Math.floor(r() * 32);
    return mk(pick([0x12, 0x13]), b2 === 0x2a || b2 === 0x2b ? 0x2c : b2);
  }
  if (k < 0.55) {
    const b2 = 0x20 + Math.floor(r() * 16);
    return mk(0x11, b2 === 0x2a || b2 === 0x2b ? 0x2e : b2);
  }
  if (k < 0.57) return mk(0x17, 0x21 + Math.floor(r() * 3));
  if (k < 0.6) return [field, 0x80, 0x80];
  if (k < 0.62 && field === 1) return mk(pick([0x01, 0x02, 0x0f]), 0x20 + Math.floor(r() * 0x50));
  return mk(0x20 + Math.floor(r() * 0x60), 0x20 + Math.floor(r() * 0x60));
}

test.each(Array.from({ length: 40 }, (_, i) => i + 1))('random CEA-608 stream %i equals mux.js', (seed) => {
  const r = rng(seed);
  const frames: Frame[] = [];
  let prev: Triplet | undefined;
  for (let f = 0; f < 300; f++) {
    const t: Triplet[] = [];
    for (let k = 0; k < 2; k++) {
      // Encoders send control codes twice: repeat the last pair half the time.
      const pair = prev && r() < 0.3 ? prev : randomPair(r, r() < 0.7 ? 0 : 1);
      t.push(pair);
      prev = pair;
    }
    frames.push([f * 3003, t]);
  }
  const mine = ours(frames);
  if (process.env.CAPTIONS_DEBUG) console.log(seed, mine.length, mine.slice(0, 3));
  expect(mine).toEqual(theirs(frames));
});

describe('where we differ from mux.js on purpose', () => {
  test('CC2/CC4 PACs set the row (mux.js looks the row up with the channel bit set and misses it)', () => {
    const ctl = (b: number): Triplet[] => [f1(0x1c, b), f1(0x1c, b)];
    const pac = (b1: number, b2: number): Triplet[] => [f1(b1, b2), f1(b1, b2)];
    // CC2: RCL, row 14 "TOP", row 15 "BOTTOM", EOC, EDM.
    const frames: Frame[] = [[0, [...ctl(0x20), ...pac(0x1c, 0x40), ...chars('TOP'), ...pac(0x1c, 0x60), ...chars('BOTTOM')]], [10, ctl(0x2f)], [20, ctl(0x2c)]];
    expect(ours(frames)).toEqual([{ startPts: 10, endPts: 20, text: 'TOP\nBOTTOM', stream: 'CC2' }]);
    expect(theirs(frames).map((c) => c.text)).toEqual(['TOPBOTTOM']);
  });

  test('an em dash (0x12 0x2a) is a character, not a switch to Text mode', () => {
    const frames: Frame[] = [[0, [...RCL, ...chars('A'), f1(0x12, 0x2a), f1(0x12, 0x2a), ...chars('B')]], [10, EOC], [20, EDM]];
    // The extended character replaces the basic one before it, as CEA-608 asks ("A" → "—").
    expect(ours(frames).map((c) => c.text)).toEqual(['—B']);
    expect(theirs(frames).map((c) => c.text)).toEqual(['A']);
  });

  test('moving the roll-up base row by one moves both rows (mux.js loses the top one and splits the bottom)', () => {
    // RU2 at row 15 with two rows, then a PAC for row 14: the two-row window moves up one row.
    const frames: Frame[] = [[0, [...RU2, ...CR, ...chars('ONE'), ...CR, ...chars('TWO'), ...ROW14, ...chars('!')]], [10, EDM]];
    expect(ours(frames).at(-1)!.text).toBe('ONE\nTWO!');
    // mux.js moves row by row into rows it has just vacated: "ONE" is overwritten and "TWO" moves twice.
    expect(theirs(frames).at(-1)!.text).toBe('TWO\n!');
  });
});
