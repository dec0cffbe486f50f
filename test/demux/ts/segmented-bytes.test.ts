/**
 * SegmentedBytes against the plain concatenation of its segments: start codes found across any
 * segment boundary, copies (block and per-segment paths) and views equal to the concatenated bytes.
 */
import { hostByteSearch } from '../../../src/io/bytes.js';
import { SegmentedBytes } from '../../../src/demux/ts/segmented-bytes.js';
import { prng as rng } from '../../fuzz/mutate.js';

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));

/** Start codes of a contiguous buffer, byte by byte: offsets of the 0x01 of each 00 00 01. */
function naiveStartCodes(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 2; i < b.length; i++) if (b[i] === 1 && b[i - 1] === 0 && b[i - 2] === 0) out.push(i);
  return out;
}

/** A source with gaps between segments (like TS headers) and segments of random length 1..184. */
function build(seed: number, zeroRich: boolean): { es: SegmentedBytes; flat: Uint8Array } {
  const r = rng(seed);
  const src = new Uint8Array(40000);
  for (let i = 0; i < src.length; i++) {
    const x = r();
    src[i] = zeroRich ? (x < 0.3 ? 0 : x < 0.45 ? 1 : Math.floor(r() * 256)) : Math.floor(r() * 256);
  }
  const es = new SegmentedBytes(src, 4);
  const parts: Uint8Array[] = [];
  let p = 0;
  while (p < src.length - 200) {
    p += Math.floor(r() * 6); // a gap
    const len = 1 + Math.floor(r() * (r() < 0.2 ? 3 : 184));
    es.push(p, len);
    parts.push(src.subarray(p, p + len));
    p += len;
  }
  es.seal();
  const flat = new Uint8Array(es.length);
  let o = 0;
  for (const x of parts) {
    flat.set(x, o);
    o += x.length;
  }
  return { es, flat };
}

describe('SegmentedBytes', () => {
  test('Node has the native byte search (so the tests above check both paths)', () => {
    expect(hostByteSearch).toBeDefined();
    const hay = new Uint8Array([5, 0, 0, 1, 0, 0, 0, 1]);
    expect(hostByteSearch!(hay, new Uint8Array([0, 0, 1]), 0)).toBe(1);
    expect(hostByteSearch!(hay, new Uint8Array([0, 0, 1]), 2)).toBe(5);
  });

  test.each([1, 2, 3, 4, 5, 6, 7, 8])('start codes across segment boundaries equal a byte-by-byte scan (seed %i)', (seed) => {
    for (const zeroRich of [true, false]) {
      const { es, flat } = build(seed, zeroRich);
      const expected = naiveStartCodes(flat);
      // The native search (Node's) and the scan in JavaScript (browsers) find the same.
      expect(Array.from(es.startCodes())).toEqual(expected);
      expect(Array.from(es.startCodes(null))).toEqual(expected);
      expect(same(es.materialize(), flat)).toBe(true);
    }
  });

  test.each([11, 12, 13])('copyTo, slice and byteAt equal the concatenated bytes (seed %i)', (seed) => {
    const { es, flat } = build(seed, true);
    const r = rng(seed * 7);
    for (let k = 0; k < 300; k++) {
      const from = Math.floor(r() * flat.length);
      const to = Math.min(flat.length, from + Math.floor(r() * (r() < 0.5 ? 600 : 20000)));
      // Bytes after the range may be overwritten (block copies): only the range is compared, and
      // writing exactly at the end of the buffer must work too.
      const out = new Uint8Array(to - from + (k % 2 ? 0 : 4096));
      es.copyTo(from, to, out, 0);
      expect(same(out.subarray(0, to - from), flat.subarray(from, to))).toBe(true);
      expect(same(es.slice(from, to), flat.subarray(from, to))).toBe(true);
      if (from < flat.length) expect(es.byteAt(from)).toBe(flat[from]);
    }
  });

  test('dropFront removes bytes from the front of a run of segments; truncate drops the tail', () => {
    const src = Uint8Array.from({ length: 100 }, (_, i) => i);
    const es = new SegmentedBytes(src, 2);
    es.push(0, 10);
    es.push(20, 10);
    es.push(40, 10);
    es.dropFront(1, 13); // all of segment 1 and 3 bytes of segment 2
    es.seal();
    expect(Array.from(es.materialize())).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 43, 44, 45, 46, 47, 48, 49]);
    es.truncate(1, 10);
    expect(es.materialize().length).toBe(10);
  });
});
