import { sameData } from '../../src/model/same-data.js';

describe('sameData', () => {
  it('compares plain data structurally', () => {
    const a = { codec: 'h264', config: new Uint8Array([1, 2, 3]), size: [1280, 720], nested: { x: 1, y: undefined } };
    const b = { codec: 'h264', config: new Uint8Array([1, 2, 3]), size: [1280, 720], nested: { x: 1, y: undefined } };
    expect(sameData(a, b)).toBe(true);
    expect(sameData([a], [b])).toBe(true);
    expect(sameData(NaN, NaN)).toBe(true);
  });

  it('tells apart any difference, and is unsure (false) about objects it does not know', () => {
    const base = { codec: 'h264', config: new Uint8Array([1, 2, 3]), size: [1280, 720] };
    expect(sameData(base, { ...base, config: new Uint8Array([1, 2, 4]) })).toBe(false);
    expect(sameData(base, { ...base, config: new Uint8Array([1, 2]) })).toBe(false);
    expect(sameData(base, { ...base, size: [1280, 721] })).toBe(false);
    expect(sameData(base, { ...base, extra: 1 })).toBe(false);
    expect(sameData({ a: undefined }, { b: undefined })).toBe(false);
    expect(sameData(new Uint8Array([1]), new Int8Array([1]))).toBe(false);
    expect(sameData(new Uint8Array([1]), [1])).toBe(false);
    expect(sameData(new Map(), new Map())).toBe(false);
    expect(sameData(() => 1, () => 1)).toBe(false);
    expect(sameData(null, {})).toBe(false);
  });
});
