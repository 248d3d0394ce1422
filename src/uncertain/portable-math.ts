/**
 * The elementary functions the estimates use, computed from addition,
 * subtraction, multiplication, division and square root alone. IEEE 754
 * rounds those the same in every engine, so these give the same bits in
 * Node and in every browser; `Math.log`, `Math.exp`, `Math.pow` and
 * `Math.cos` are each engine's own (Chromium 156 and Node 20 differ in the
 * last bit for about one input in ten), and the explorer computes in the
 * browser exactly what the CLI computes. Accurate to a few units in the
 * last place: range reduction, then Taylor series taken far enough that
 * the first term left out is below 1e-17 of the result (Abramowitz and
 * Stegun 4.1.27, 4.2.1, 4.3.65–66; ln 2 split as in Cody and Waite,
 * Software Manual for the Elementary Functions, 1980).
 */

/** ln 2 in two parts: the first has its low 32 bits zero, so k · LN2_HI is exact for |k| < 2^20. */
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.442695040888963387;
const SQRT2 = 1.4142135623730951;
const TWO_PI = 6.283185307179586;

const bits = new DataView(new ArrayBuffer(8));

/** 2^k for −1022 ≤ k ≤ 1023, built from its bits. */
function powerOfTwo(k: number): number {
  bits.setUint32(0, (k + 1023) << 20);
  bits.setUint32(4, 0);
  return bits.getFloat64(0);
}

/** 1/n! for n = 0…22, each rounded once from the exact ratio of the previous one. */
const INVERSE_FACTORIALS: readonly number[] = (() => {
  const values = [1];
  for (let n = 1; n <= 22; n++) values.push((values[n - 1] as number) / n);
  return values;
})();

/** The coefficients c(0)…c(count − 1) of a series. */
function coefficients(count: number, c: (n: number) => number): Float64Array {
  return Float64Array.from({length: count}, (_, n) => c(n));
}
const inverseFactorial = (n: number) => INVERSE_FACTORIALS[n] as number;

/** 2/(2n + 3): 2 atanh(s) = 2s + s·z·Σ 2z^n/(2n + 3), z = s². */
const ATANH = coefficients(12, (n) => 2 / (2 * n + 3));
/** 1/(n + 2)!: e^x − 1 = x + x²·Σ x^n/(n + 2)!. */
const EXPM1 = coefficients(15, (n) => inverseFactorial(n + 2));
/** sin θ = θ + θ·z·Σ (−1)^(n+1) z^n/(2n + 3)!, z = θ². */
const SIN = coefficients(9, (n) => (n % 2 === 0 ? -1 : 1) * inverseFactorial(2 * n + 3));
/** cos θ = 1 − z·Σ (−1)^n z^n/(2n + 2)!. */
const COS = coefficients(10, (n) => (n % 2 === 0 ? 1 : -1) * inverseFactorial(2 * n + 2));

/** Σ c[n]·x^n by Horner's rule, highest term first. */
function horner(x: number, c: Float64Array): number {
  let sum = c[c.length - 1] as number;
  for (let n = c.length - 2; n >= 0; n--) sum = sum * x + (c[n] as number);
  return sum;
}

/** The natural logarithm. */
export function log(x: number): number {
  if (Number.isNaN(x) || x < 0) return Number.NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  let k = 0;
  // Subnormal: scale into the normal range first (exact).
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54
    k -= 54;
  }
  // x = m · 2^k with m in [1, 2): the exponent's bits set to zero's.
  bits.setFloat64(0, x);
  const high = bits.getUint32(0);
  k += ((high >>> 20) & 0x7ff) - 1023;
  bits.setUint32(0, (high & 0x000fffff) | 0x3ff00000);
  let m = bits.getFloat64(0);
  if (m > SQRT2) {
    m /= 2;
    k += 1;
  }
  // m in (√2/2, √2]: f = m − 1 is exact (Sterbenz), and log(1 + f) = 2 atanh(s) with s = f/(2 + f),
  // |s| < 0.1716: 2 atanh(s) = f − s·(f − R), R = Σ 2z^n/(2n+1), z = s², n ≥ 1 (A&S 4.1.27).
  const f = m - 1;
  const s = f / (2 + f);
  const z = s * s;
  const r = z * horner(z, ATANH);
  return k * LN2_HI + (f - (s * (f - r) - k * LN2_LO));
}

/** e^x − 1 for |x| ≤ ln 2 / 2, without the loss of 1 + x − 1: x + x²·Σ x^n/(n+2)! (A&S 4.2.1). */
function smallExpm1(x: number): number {
  return x + x * x * horner(x, EXPM1);
}

/** e^x. */
export function exp(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.1332191019412) return 0;
  // x = k ln 2 + r, |r| ≤ ln 2 / 2.
  const k = Math.round(x * INV_LN2);
  const r = x - k * LN2_HI - k * LN2_LO;
  const y = 1 + smallExpm1(r);
  if (k > 1023) return y * powerOfTwo(1023) * 2;
  if (k < -1022) return y * powerOfTwo(k + 1000) * powerOfTwo(-1000);
  return y * powerOfTwo(k);
}

/** e^x − 1, accurate near zero. */
export function expm1(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (Math.abs(x) <= 0.34657359027997264) return smallExpm1(x);
  return exp(x) - 1;
}

/**
 * x^y. Whole powers up to 1024 by repeated squaring; other powers of a
 * positive base as e^(y·ln x) (within about ten units in the last place),
 * of a negative one from its absolute value; the cases ECMAScript defines
 * outright (a zero or infinite base or power, a negative base to a
 * fractional power, NaN) as `Math.pow` gives them, which is exact and the
 * same everywhere.
 */
export function pow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (Number.isInteger(y) && Math.abs(y) <= 1024 && Number.isFinite(x)) {
    let result = 1;
    let base = x;
    for (let rest = Math.abs(y); rest > 0; rest = Math.floor(rest / 2)) {
      if (rest % 2 === 1) result *= base;
      base *= base;
    }
    return y < 0 ? 1 / result : result;
  }
  if (Number.isFinite(x) && Number.isFinite(y) && x !== 0) {
    if (x > 0) return exp(y * log(x));
    // A negative base takes whole powers only: the sign of an odd one.
    if (Number.isInteger(y)) return (y % 2 === 0 ? 1 : -1) * pow(-x, y);
  }
  return Math.pow(x, y);
}

/** sin θ and cos θ for 0 ≤ θ ≤ π/4 (A&S 4.3.65–66). */
function sinKernel(theta: number): number {
  const z = theta * theta;
  return theta + theta * z * horner(z, SIN);
}
function cosKernel(theta: number): number {
  const z = theta * theta;
  return 1 - z * horner(z, COS);
}

/**
 * cos(2π·turns): the reduction to an eighth of a turn is done on `turns`
 * itself, where it is exact (a fraction of a power of two, Sterbenz), and
 * only the last step multiplies by 2π.
 */
export function cosTwoPi(turns: number): number {
  if (!Number.isFinite(turns)) return Number.NaN;
  const t = turns - Math.floor(turns);
  const quadrant = Math.floor(t * 4);
  const u = t - quadrant / 4;
  // cos and sin of 2πu, u in [0, 1/4), each from the kernel on at most an eighth of a turn.
  const cos = u <= 0.125 ? cosKernel(TWO_PI * u) : sinKernel(TWO_PI * (0.25 - u));
  const sin = u <= 0.125 ? sinKernel(TWO_PI * u) : cosKernel(TWO_PI * (0.25 - u));
  switch (quadrant) {
    case 0:
      return cos;
    case 1:
      return -sin;
    case 2:
      return -cos;
    default:
      return sin;
  }
}
