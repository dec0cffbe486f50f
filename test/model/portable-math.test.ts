/**
 * The engine-independent transcendental functions agree with the engine's own to within a few units in the last
 * place over the ranges the decoders and the loudness meter use, and keep the special values.
 */
import * as pm from '../../src/model/portable-math.js';

/** Relative difference in units of 2^-52. */
const ulps = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / (Math.abs(b) * 2 ** -52));

function sweep(from: number, to: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1));
}

test('sin, cos, tan within a few ulps of Math on [−100, 100] (absolute near zero crossings)', () => {
  for (const x of sweep(-100, 100, 20001)) {
    expect(Math.abs(pm.sin(x) - Math.sin(x))).toBeLessThan(4e-16 * Math.max(1, Math.abs(x)));
    expect(Math.abs(pm.cos(x) - Math.cos(x))).toBeLessThan(4e-16 * Math.max(1, Math.abs(x)));
  }
  for (const x of sweep(-1.5, 1.5, 3001)) expect(ulps(pm.tan(x), Math.tan(x))).toBeLessThan(8);
  expect(pm.sin(0)).toBe(0);
  expect(pm.cos(0)).toBe(1);
  expect(pm.sin(Infinity)).toBeNaN();
});

test('log, log10, exp, pow, cbrt within a few ulps of Math', () => {
  const xs = [...sweep(1e-6, 10, 5000), ...sweep(10, 1e6, 5000), 5e-324, 1e-310, 2.2250738585072014e-308, 1.7976931348623157e308];
  for (const x of xs) {
    expect(ulps(pm.log(x), Math.log(x))).toBeLessThan(4);
    expect(ulps(pm.log10(x), Math.log10(x))).toBeLessThan(4);
    expect(ulps(pm.cbrt(x), Math.cbrt(x))).toBeLessThan(4);
  }
  for (const x of sweep(-700, 700, 20001)) expect(ulps(pm.exp(x), Math.exp(x))).toBeLessThan(4);
  for (const y of sweep(-40, 40, 801)) expect(ulps(pm.pow(10, y / 10), 10 ** (y / 10))).toBeLessThan(64);
  for (let i = 0; i < 428; i++) expect(ulps(pm.pow(2, (i - 200) / 4), 2 ** ((i - 200) / 4))).toBeLessThan(64);
});

test('special values: log of 0 / negative / Infinity, exp overflow and underflow, exact powers of ten', () => {
  expect(pm.log10(0)).toBe(-Infinity);
  expect(pm.log(-1)).toBeNaN();
  expect(pm.log(Infinity)).toBe(Infinity);
  expect(pm.exp(710)).toBe(Infinity);
  expect(pm.exp(-746)).toBe(0);
  expect(pm.exp(0)).toBe(1);
  for (let n = 0; n <= 22; n++) expect(pm.log10(Number(`1e${n}`))).toBe(n);
  expect(pm.log10(0.1)).toBeCloseTo(-1, 15);
  expect(pm.cbrt(27)).toBe(3);
  expect(pm.cbrt(-8)).toBe(-2);
});
