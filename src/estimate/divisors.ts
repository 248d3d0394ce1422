/** Whole-number helpers for layouts and deployments: which degrees divide what they split. */

/** The divisors of a positive integer, ascending (trial division up to its square root). */
export function divisors(value: number): number[] {
  const small: number[] = [];
  const large: number[] = [];
  for (let candidate = 1; candidate * candidate <= value; candidate++) {
    if (value % candidate !== 0) continue;
    small.push(candidate);
    if (candidate * candidate !== value) large.push(value / candidate);
  }
  return [...small, ...large.reverse()];
}

/** The greatest common divisor of two non-negative integers (Euclid). */
export function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
