/**
 * Fragment and protection boxes on real files: every box of those families in the third-party corpus
 * parses to a value whose canonical encoding is the file's (no `raw`), and none fails (no `error`).
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import * as fragment from '../../boxes/families/fragment.js';
import * as protection from '../../boxes/families/protection.js';
import { parseTree } from '../../boxes/tree.js';
import { filesUnder, thirdPartyDir, walkBoxes } from '../helpers/samples.js';

/** Every box type the two families define (their modules export only BoxDefs at run time). */
const ours = new Set<string>([...Object.values(fragment), ...Object.values(protection)].map((d) => d.type));

/** Known exceptions: `file: path` → reason. The path is the box path as built below. */
const EXCEPTIONS: Record<string, string> = {};

/** Files that do not parse at all (not about our boxes). */
const UNPARSABLE: Record<string, string> = {
  'mp4ff/init_truncated.mp4': 'cut at 100 bytes inside moov',
};


/** Box types of ours seen anywhere in the corpus (filled by the per-file tests, checked last). */
const covered = new Set<string>();

const root = thirdPartyDir();
const files = filesUnder(root).filter((p) => /\.(mp4|m4s|cmfv|m4v)$/i.test(p)).map((p) => ({ path: p, name: relative(root, p) }));

test('the corpus holds fragmented and protected files', () => {
  expect(files.length).toBeGreaterThan(20);
});

test.each(files.map((f) => [f.name, f] as const))('%s', (name, f) => {
  const data = new Uint8Array(readFileSync(f.path));
  if (UNPARSABLE[name]) {
    expect(() => parseTree(data)).toThrow();
    return;
  }
  const problems: string[] = [];
  walkBoxes(parseTree(data).boxes, (b, p) => {
    if (!ours.has(b.type)) return;
    covered.add(b.type);
    const key = `${name}: ${p}`;
    if (EXCEPTIONS[key]) return;
    if (b.error) problems.push(`${p}: error ${b.error.message}`);
    else if (b.raw) problems.push(`${p}: raw (v${b.version} flags=0x${(b.flags ?? 0).toString(16)})`);
  });
  expect(problems).toEqual([]);
});

test('the corpus exercises every fragment and protection box', () => {
  expect([...ours].filter((t) => !covered.has(t)).sort()).toEqual([]);
});

describe('trun sample count without per-sample fields', () => {
  // size 16: version/flags 0 (no optional fields), then only the sample count
  const trunWithCount = (n: number): Uint8Array =>
    new Uint8Array([0, 0, 0, 16, 0x74, 0x72, 0x75, 0x6e, 0, 0, 0, 0, n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);

  test('up to 16 samples per byte of the box are read (a count, no columns)', () => {
    const b = parseTree(trunWithCount(256)).boxes[0]!;
    expect(b.error).toBeUndefined();
    expect(b.value).toEqual({ sampleCount: 256 });
  });

  test('a larger count leaves the trun opaque (BAD_VALUE): a reader would add that many samples to its tables', () => {
    const b = parseTree(trunWithCount(0xffffffff)).boxes[0]!;
    expect(b.error?.code).toBe('BAD_VALUE');
    expect(b.value).toBeUndefined();
    expect(b.raw).toHaveLength(8);
    expect(parseTree(trunWithCount(257)).boxes[0]!.error?.code).toBe('BAD_VALUE');
  });
});
