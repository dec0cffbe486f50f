/**
 * Sample table boxes are parsed without re-encoding their rows (`exact` definitions): only the FullBox header is
 * compared with what the writer would produce. These are the bodies where that header check must still catch a
 * difference, checked against the bytes themselves (parse → write must reproduce them).
 */
import { parseTree, writeTree } from '../../boxes/tree.js';

/** A box: size, type, then the body bytes. */
function boxBytes(type: string, body: number[]): Uint8Array {
  const size = 8 + body.length;
  return Uint8Array.from([size >>> 24, (size >>> 16) & 255, (size >>> 8) & 255, size & 255, ...[...type].map((c) => c.charCodeAt(0)), ...body]);
}
const u32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

const cases: Array<[string, Uint8Array, boolean]> = [
  // ctts version 0 whose offset has the top bit set: read as a negative i32, which the writer would put in version 1.
  ['ctts v0 with an offset ≥ 2^31', boxBytes('ctts', [0, 0, 0, 0, ...u32(2), ...u32(1), ...u32(0x80000000), ...u32(1), ...u32(3)]), true],
  ['ctts v1 with a negative offset', boxBytes('ctts', [1, 0, 0, 0, ...u32(1), ...u32(4), ...u32(0xfffffffe)]), false],
  ['ctts v1 with only positive offsets (version kept)', boxBytes('ctts', [1, 0, 0, 0, ...u32(1), ...u32(4), ...u32(2)]), false],
  ['stts with flag bits set', boxBytes('stts', [0, 0, 0, 5, ...u32(1), ...u32(30), ...u32(1001)]), false],
  ['stsz with one size for all', boxBytes('stsz', [0, 0, 0, 0, ...u32(188), ...u32(7)]), false],
  ['stsz per sample, then trailing bytes', boxBytes('stsz', [0, 0, 0, 0, ...u32(0), ...u32(2), ...u32(5), ...u32(6), 9, 9]), false],
  ['stco', boxBytes('stco', [0, 0, 0, 0, ...u32(2), ...u32(48), ...u32(4096)]), false],
  ['co64', boxBytes('co64', [0, 0, 0, 0, ...u32(1), ...u32(1), ...u32(16)]), false],
];

describe.each(cases)('%s', (_name, bytes, keptRaw) => {
  test('round-trips byte for byte', () => {
    const tree = parseTree(bytes, { within: 'stbl' });
    expect(Buffer.from(writeTree(tree))).toEqual(Buffer.from(bytes));
  });
  test(keptRaw ? 'keeps the body verbatim (the writer would encode it differently)' : 'is re-encoded from its value', () => {
    const box = parseTree(bytes, { within: 'stbl' }).boxes[0]!;
    expect(box.value).toBeDefined();
    expect(box.raw !== undefined).toBe(keptRaw);
  });
});
