/** parse → write is byte-identical on every ISO-BMFF/QuickTime sample. */
import { parseTree, writeTree, type Box } from '../../boxes/tree.js';
import { BoxwrightError } from '../../src/io/errors.js';
import { isoSamples } from '../helpers/samples.js';

/** Samples whose structure is deliberately broken: parsing must fail with our error, not round-trip. */
const BROKEN: Record<string, string> = {
  'thirdparty/mp4ff/init_truncated.mp4': 'cut at 100 bytes inside moov (box extends past the end of the file)',
};

const samples = isoSamples();

test('the corpus holds ISO-BMFF samples', () => {
  expect(samples.length).toBeGreaterThan(60);
});

function walk(boxes: Box[] | undefined, path: string, visit: (b: Box, path: string) => void): void {
  for (const b of boxes ?? []) {
    const p = path ? `${path}/${b.type}` : b.type;
    visit(b, p);
    walk(b.children, p, visit);
  }
}

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
    walk(parseTree(s.data).boxes, '', (b, p) => {
      if (b.error) errors.push(`${p}: ${b.error.message}`);
    });
    expect(errors).toEqual([]);
  });
});
