/** parse → write is byte-identical on every ISO-BMFF/QuickTime sample. */
import { parseTree, writeTree } from '../../boxes/tree.js';
import { BoxwrightError } from '../../src/io/errors.js';
import { isoSamples, walkBoxes } from '../helpers/samples.js';

/** Samples whose structure is deliberately broken: parsing must fail with our error, not round-trip. */
const BROKEN: Record<string, string> = {
  'thirdparty/mp4ff/init_truncated.mp4': 'cut at 100 bytes inside moov (box extends past the end of the file)',
};

const samples = isoSamples();

test('the corpus holds ISO-BMFF samples', () => {
  expect(samples.length).toBeGreaterThan(60);
});


describe.each(samples.map((s) => [s.name, s] as const))('%s', (name, s) => {
  if (BROKEN[name]) {
    test(`fails with BoxwrightError (${BROKEN[name]})`, () => {
      expect(() => parseTree(s.data)).toThrow(BoxwrightError);
    });
    return;
  }
  test('round-trips byte for byte', () => {
    const tree = parseTree(s.data);
    const out = writeTree(tree);
    expect(out.length).toBe(s.data.length);
    expect(Buffer.compare(Buffer.from(out), Buffer.from(s.data))).toBe(0);
  });
  test('no box fails to parse', () => {
    const errors: string[] = [];
    walkBoxes(parseTree(s.data).boxes, (b, p) => {
      if (b.error) errors.push(`${p}: ${b.error.message}`);
    });
    expect(errors).toEqual([]);
  });
});
