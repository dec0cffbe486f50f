/**
 * Transcendental functions that give the same bits in every JavaScript engine. ECMAScript fixes +, −, ×, ÷ and
 * `Math.sqrt` (correctly rounded) but leaves `Math.sin`, `Math.log10`, `**`… "implementation-approximated": V8
 * has changed them between versions (Node and Chrome differ), and other engines differ again. The decoders and
 * the loudness meter compute their coefficients and reported levels with these instead, so a browser and Node
 * give the same numbers bit for bit. The algorithms are fdlibm's (argument reduction, then minimax polynomials),
 * written with basic operations only; accuracy is within a few units in the last place.
 */

const view = new DataView(new ArrayBuffer(8));

/** 2^k for an integer k in [−1022, 1023], built from its bits (exact). */
function pow2(k: number): number {
  view.setUint32(0, (k + 1023) << 20);
  view.setUint32(4, 0);
  return view.getFloat64(0);
}

// π/2 in three parts (fdlibm pio2_1, pio2_2, pio2_2t): n·part is exact for the n reached here.
const PIO2_1 = 1.5707963267341256;
const PIO2_2 = 6.077100506303966e-11;
const PIO2_2T = 2.0222662487959506e-21;
const INV_PIO2 = 0.6366197723675814;

/** sin on [−π/4, π/4] (fdlibm __kernel_sin). */
function kernelSin(x: number): number {
  const z = x * x;
  const r = 8.33333333332248946124e-3 + z * (-1.98412698298579493134e-4 + z * (2.75573137070700676789e-6 + z * (-2.50507602534068634195e-8 + z * 1.58969099521155010221e-10)));
  return x + z * x * (-1.66666666666666324348e-1 + z * r);
}

/** cos on [−π/4, π/4] (fdlibm __kernel_cos). */
function kernelCos(x: number): number {
  const z = x * x;
  const r = z * (4.16666666666666019037e-2 + z * (-1.38888888888741095749e-3 + z * (2.48015872894767294178e-5 + z * (-2.75573143513906633035e-7 + z * (2.08757232129817482790e-9 + z * -1.13596475577881948265e-11)))));
  const hz = 0.5 * z;
  const w = 1 - hz;
  return w + (1 - w - hz + z * r);
}

/** The quadrant n and the remainder of x − n·π/2. */
function reduce(x: number): [number, number] {
  const n = Math.round(x * INV_PIO2);
  return [n, x - n * PIO2_1 - n * PIO2_2 - n * PIO2_2T];
}

/** sin(x), the same in every engine (|x| up to about 10^6 at full accuracy). */
export function sin(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  const [n, y] = reduce(x);
  switch (n & 3) {
    case 0:
      return kernelSin(y);
    case 1:
      return kernelCos(y);
    case 2:
      return -kernelSin(y);
    default:
      return -kernelCos(y);
  }
}

/** cos(x), the same in every engine. */
export function cos(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  const [n, y] = reduce(x);
  switch (n & 3) {
    case 0:
      return kernelCos(y);
    case 1:
      return -kernelSin(y);
    case 2:
      return -kernelCos(y);
    default:
      return kernelSin(y);
  }
}

/** tan(x) = sin/cos, the same in every engine. */
export function tan(x: number): number {
  return sin(x) / cos(x);
}

const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;

/** x = m·2^k with m in [√2/2, √2): [k, m − 1] for a finite x > 0. */
function split(x: number): [number, number] {
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54: subnormals to normal
    k = -54;
  }
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  k += (hi >>> 20) - 1023;
  view.setUint32(0, (hi & 0xfffff) | 0x3ff00000);
  let m = view.getFloat64(0);
  if (m > Math.SQRT2) {
    m *= 0.5;
    k++;
  }
  return [k, m - 1];
}

/** log(1 + f) for f in [√2/2 − 1, √2 − 1] (fdlibm __ieee754_log's kernel), without the exponent term. */
function log1pKernel(f: number): number {
  const s = f / (2 + f);
  const z = s * s;
  const r = z * (6.666666666666735130e-1 + z * (3.999999999940941908e-1 + z * (2.857142874366239149e-1 + z * (2.222219843214978396e-1 + z * (1.818357216161805012e-1 + z * (1.531383769920937332e-1 + z * 1.479819860511658591e-1))))));
  const hfsq = 0.5 * f * f;
  return f - (hfsq - s * (hfsq + r));
}

/** Natural logarithm, the same in every engine (−Infinity at 0, NaN below). */
export function log(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return x;
  const [k, f] = split(x);
  return k * LN2_HI + (log1pKernel(f) + k * LN2_LO);
}

/** Base-10 logarithm, the same in every engine; an integer for 1, 10, …, 1e22. */
export function log10(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return x;
  const [k, f] = split(x);
  const r = k * 3.01029995663611771306e-1 + (k * 3.69423907715893078616e-13 + 4.34294481903251816668e-1 * log1pKernel(f));
  // Exact powers of ten (1, 10, 100, …, 1e22 are exact doubles) give their exponent, as a reader expects.
  const n = Math.round(r);
  return n >= 0 && n <= 22 && POW10[n] === x ? n : r;
}

const POW10 = Array.from({ length: 23 }, (_, n) => Number(`1e${n}`));

/** e^x, the same in every engine. */
export function exp(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.1332191019412) return 0;
  if (Math.abs(x) < 3.725290298461914e-9) return 1 + x;
  const k = Math.round(x * 1.44269504088896338700);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (1.66666666666666019037e-1 + t * (-2.77777777770155933842e-3 + t * (6.61375632143793436117e-5 + t * (-1.65339022054652515390e-6 + t * 4.13813679705723846039e-8))));
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  // Scale in two steps so 2^k stays a normal double at both ends of the range.
  const k1 = k >> 1;
  return y * pow2(k1) * pow2(k - k1);
}

/** base^y for base > 0 (e^(y·log base)), the same in every engine. */
export function pow(base: number, y: number): number {
  if (y === 0) return 1;
  if (base === 1) return 1;
  if (base === 0) return y > 0 ? 0 : Infinity;
  return exp(y * log(base));
}

/** Cube root, the same in every engine: e^(log/3), then Newton steps. */
export function cbrt(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const a = Math.abs(x);
  // y³ must not underflow or overflow in the Newton steps: scale by 2^±600, back by 2^∓200.
  if (a < 1e-290) return cbrt(x * pow2(600)) * pow2(-200);
  if (a > 1e290) return cbrt(x * pow2(-600)) * pow2(200);
  let y = exp(log(a) / 3);
  // Two Newton steps polish the estimate to within an ulp.
  y = y - (y * y * y - a) / (3 * y * y);
  y = y - (y * y * y - a) / (3 * y * y);
  return x < 0 ? -y : y;
}
