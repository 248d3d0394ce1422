import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {formatQuantity, formatRange, percentsApart, scientific, significant} from '../../src/render/format-quantity.js';

describe('significant', () => {
  it('rounds to three significant digits by default and drops trailing zeros', () => {
    expect(significant(54.39)).toBe('54.4');
    expect(significant(2.6735)).toBe('2.67');
    expect(significant(1.2)).toBe('1.2');
    expect(significant(2.0)).toBe('2');
    expect(significant(0.000123456)).toBe('0.000123');
    expect(significant(1234.5)).toBe('1230');
  });

  it('takes the number of significant digits as its second argument', () => {
    expect(significant(3.14159, 1)).toBe('3');
    expect(significant(3.14159, 5)).toBe('3.1416');
    expect(significant(123_456, 2)).toBe('120,000');
  });

  it('groups thousands only from ten thousand up (after rounding)', () => {
    expect(significant(9999)).toBe('10,000');
    expect(significant(1234)).toBe('1230');
    expect(significant(12_345)).toBe('12,300');
    expect(significant(-12_345)).toBe('−12,300');
    expect(significant(1e21)).toBe('1,000,000,000,000,000,000,000');
  });

  it('never switches to exponent notation for small numbers', () => {
    expect(significant(1e-7)).toBe('0.0000001');
    expect(significant(1.5e-9)).toBe('0.0000000015');
  });

  it('passes zero and non-finite values through as String() would', () => {
    expect(significant(0)).toBe('0');
    expect(significant(-0)).toBe('0');
    expect(significant(Number.NaN)).toBe('NaN');
    expect(significant(Infinity)).toBe('Infinity');
  });

  it('does not depend on the default locale', () => {
    // The site is built with `en-US` formatting whatever the machine's locale.
    expect(significant(1_234_567)).toBe('1,230,000');
    expect(significant(0.5)).toBe('0.5');
  });
});

describe('scientific', () => {
  it('writes large values as mantissa × 10 with a superscript exponent', () => {
    expect(scientific(3.7066e24)).toBe('3.71×10²⁴');
    expect(scientific(3.8e25)).toBe('3.8×10²⁵');
    expect(scientific(1.23e6)).toBe('1.23×10⁶');
    expect(scientific(1e24)).toBe('1×10²⁴');
    expect(scientific(1e100)).toBe('1×10¹⁰⁰');
    expect(scientific(-3.7e24)).toBe('−3.7×10²⁴');
  });

  it('rounds the mantissa into the next power of ten when needed', () => {
    expect(scientific(9.995e6)).toBe('1×10⁷');
    expect(scientific(9.9949e6)).toBe('9.99×10⁶');
  });

  it('takes the number of significant digits as its second argument', () => {
    expect(scientific(3.7066e24, 5)).toBe('3.7066×10²⁴');
    expect(scientific(3.7066e24, 1)).toBe('4×10²⁴');
  });

  it('writes plain digits below a million', () => {
    expect(scientific(123_456)).toBe('123,000');
    expect(scientific(999)).toBe('999');
    expect(scientific(0.25)).toBe('0.25');
    expect(scientific(0)).toBe('0');
    expect(scientific(1e6)).toBe('1×10⁶');
  });

  it('rounds before choosing plain digits, so 999,999 gives 1×10⁶ like a million does', () => {
    expect(scientific(999_999)).toBe('1×10⁶');
  });
});

describe('formatQuantity', () => {
  it('formats GPU-hours with short-scale suffixes', () => {
    expect(formatQuantity(2.6735e6, 'GPU-h')).toBe('2.67M GPU-h');
    expect(formatQuantity(2_664_000, 'GPU-h')).toBe('2.66M GPU-h');
    expect(formatQuantity(30.84e6, 'GPU-h')).toBe('30.8M GPU-h');
    expect(formatQuantity(1234.5, 'GPU-h')).toBe('1.23k GPU-h');
    expect(formatQuantity(2.5e9, 'GPU-h')).toBe('2.5B GPU-h');
    expect(formatQuantity(500, 'GPU-h')).toBe('500 GPU-h');
    expect(formatQuantity(0.5, 'GPU-h')).toBe('0.5 GPU-h');
  });

  it('formats money in dollars with short-scale suffixes', () => {
    expect(formatQuantity(5.347e6, 'USD')).toBe('$5.35M');
    expect(formatQuantity(5.328e6, 'USD')).toBe('$5.33M');
    expect(formatQuantity(1.2e9, 'USD')).toBe('$1.2B');
    expect(formatQuantity(3e12, 'USD')).toBe('$3T');
    expect(formatQuantity(1.5e15, 'USD')).toBe('$1500T');
    expect(formatQuantity(42, 'USD')).toBe('$42');
    expect(formatQuantity(0, 'USD')).toBe('$0');
  });

  it('formats fractions as percentages', () => {
    expect(formatQuantity(0.3894, 'fraction')).toBe('38.9%');
    expect(formatQuantity(0.4373, 'fraction')).toBe('43.7%');
    expect(formatQuantity(1, 'fraction')).toBe('100%');
    expect(formatQuantity(0.001, 'fraction')).toBe('0.1%');
  });

  it('formats FLOP totals with powers of ten', () => {
    expect(formatQuantity(3.7066e24, 'FLOP')).toBe('3.71×10²⁴ FLOP');
    expect(formatQuantity(3.8e25, 'FLOP')).toBe('3.8×10²⁵ FLOP');
    expect(formatQuantity(250e9, 'FLOP')).toBe('2.5×10¹¹ FLOP');
    expect(formatQuantity(123_456, 'FLOP')).toBe('123,000 FLOP');
  });

  it('formats FLOP/s rates with SI prefixes', () => {
    expect(formatQuantity(385e12, 'FLOP/s')).toBe('385 TFLOP/s');
    expect(formatQuantity(989.5e12, 'FLOP/s')).toBe('990 TFLOP/s');
    expect(formatQuantity(2.25e15, 'FLOP/s')).toBe('2.25 PFLOP/s');
    expect(formatQuantity(1.5e9, 'FLOP/s')).toBe('1.5 GFLOP/s');
    expect(formatQuantity(1e24, 'FLOP/s')).toBe('1 YFLOP/s');
    expect(formatQuantity(500, 'FLOP/s')).toBe('500 FLOP/s');
    expect(formatQuantity(0, 'FLOP/s')).toBe('0 FLOP/s');
  });

  it('formats energy given in MWh with the SI prefix that fits', () => {
    expect(formatQuantity(1871.48, 'MWh')).toBe('1.87 GWh');
    expect(formatQuantity(11_390, 'MWh')).toBe('11.4 GWh');
    expect(formatQuantity(27.5, 'MWh')).toBe('27.5 MWh');
    expect(formatQuantity(0.5, 'MWh')).toBe('500 kWh');
    expect(formatQuantity(0.0005, 'MWh')).toBe('500 Wh');
    expect(formatQuantity(2.5e6, 'MWh')).toBe('2.5 TWh');
  });

  it('formats days with three significant digits', () => {
    expect(formatQuantity(54.39, 'days')).toBe('54.4 days');
    expect(formatQuantity(1.5, 'days')).toBe('1.5 days');
    expect(formatQuantity(12_345, 'days')).toBe('12,300 days');
  });

  it('formats parameter counts with short-scale suffixes and no unit', () => {
    expect(formatQuantity(671e9, 'params')).toBe('671B');
    expect(formatQuantity(37e9, 'params')).toBe('37B');
    expect(formatQuantity(405.85e9, 'params')).toBe('406B');
    expect(formatQuantity(1.2e12, 'params')).toBe('1.2T');
  });

  it('formats other units (tokens/s, unknown units) with short-scale suffixes and the unit after a space', () => {
    expect(formatQuantity(1234.5, 'tokens/s')).toBe('1.23k tokens/s');
    expect(formatQuantity(3200, 'tokens/s')).toBe('3.2k tokens/s');
    expect(formatQuantity(7.5e6, 'widgets')).toBe('7.5M widgets');
  });

  it('gives an en dash for a missing or NaN value, whatever the unit', () => {
    expect(formatQuantity(undefined, 'USD')).toBe('–');
    expect(formatQuantity(undefined, 'GPU-h')).toBe('–');
    expect(formatQuantity(Number.NaN, 'FLOP')).toBe('–');
    expect(formatQuantity(Number.NaN, 'fraction')).toBe('–');
  });

  it('chooses the suffix after rounding: 999,999 is "1M", never "1000k"', () => {
    expect(formatQuantity(999_999, 'GPU-h')).toBe('1M GPU-h');
    expect(formatQuantity(999_999, 'USD')).toBe('$1M');
    expect(formatQuantity(999_999, 'params')).toBe('1M');
    expect(formatQuantity(999.6, 'USD')).toBe('$1k');
    expect(formatQuantity(999.95e12, 'FLOP/s')).toBe('1 PFLOP/s');
    expect(formatQuantity(999_999.9, 'MWh')).toBe('1 TWh');
    // Just below the rounding boundary the smaller suffix stays.
    expect(formatQuantity(999_400, 'GPU-h')).toBe('999k GPU-h');
  });

  it('honours the digits argument', () => {
    expect(formatQuantity(2.6735e6, 'GPU-h', 2)).toBe('2.7M GPU-h');
    expect(formatQuantity(3.7066e24, 'FLOP', 5)).toBe('3.7066×10²⁴ FLOP');
    expect(formatQuantity(0.3894, 'fraction', 4)).toBe('38.94%');
  });

  it('formats a FLOP total that rounds to a million like a million', () => {
    expect(formatQuantity(999_999, 'FLOP')).toBe(formatQuantity(1e6, 'FLOP'));
  });

  it('puts the minus sign before the dollar sign for negative amounts', () => {
    expect(formatQuantity(-2.5e6, 'USD')).toBe('−$2.5M');
  });
});

describe('multipliers', () => {
  it('print with a times sign, and a range of them with the sign once at each end', () => {
    expect(formatQuantity(9.4321, 'times')).toBe('9.43×');
    expect(formatQuantity(0.924, 'times')).toBe('0.924×');
    expect(formatRange({p5: 6.12, p50: 9.43, p95: 15.2}, 'times')).toBe('9.43× (6.1–15×)');
  });

  it('never print a factor that is not 1 as 1: they take the digits that show how far from 1 it is', () => {
    expect(formatQuantity(1.001, 'times')).toBe('1.001×');
    expect(formatQuantity(0.9996, 'times')).toBe('0.9996×');
    expect(formatQuantity(0.996, 'times')).toBe('0.996×');
    expect(formatQuantity(1, 'times')).toBe('1×');
    expect(formatQuantity(1 + 1e-9, 'times')).toBe('≈1×');
    // A range's ends likewise: an end below 1 does not read as 1 beside a median above it.
    expect(formatRange({p5: 0.996, p50: 1.43, p95: 1.6}, 'times')).toBe('1.43× (0.996–1.6×)');
    expect(formatRange({p5: 0.998, p50: 1.001, p95: 1.003}, 'times')).toBe('1.001× (0.998–1.003×)');
  });
});

describe('device memory', () => {
  it('prints decimal bytes with the binary figure a datasheet rounds, so 81,559 MiB reads beside its "80GB" name', () => {
    expect(formatQuantity(81_559 * 2 ** 20, 'device memory')).toBe('85.5 GB (79.6 GiB)');
    expect(formatQuantity(80e9, 'device memory')).toBe('80 GB (74.5 GiB)');
  });
});

describe('a share that is not 0', () => {
  it('never prints as 0%: it takes the decimals that show it (red team 14: a goodput of 1e-4 read 0%)', () => {
    expect(formatQuantity(1e-4, 'fraction')).toBe('0.01%');
    expect(formatQuantity(-1e-4, 'fraction')).toBe('−0.01%');
    expect(formatQuantity(3e-12, 'fraction')).toBe('<0.000001%');
    expect(formatQuantity(0, 'fraction')).toBe('0%');
    expect(formatQuantity(0.0005, 'fraction')).toBe('0.1%');
    expect(formatQuantity(0.389, 'fraction')).toBe('38.9%');
  });
});

describe('two shares compared in one sentence', () => {
  it('take the decimals that tell them apart (red team 14: "beats it by 10.6%, beyond … up to 10.6%")', () => {
    expect(percentsApart(0.10634, 0.10581)).toEqual(['10.63%', '10.58%']);
    expect(percentsApart(0.106, 0.2)).toEqual(['10.6%', '20%']);
    expect(percentsApart(0.1, 0.1)).toEqual(['10%', '10%']);
    expect(percentsApart(0.1 + 1e-12, 0.1)).toEqual(['10%', '10%']);
  });

  it('never read equal while they differ by more than a millionth of a percent', () => {
    fc.assert(
      fc.property(fc.double({min: -2, max: 2, noNaN: true}), fc.double({min: -2, max: 2, noNaN: true}), (a, b) => {
        const [first, second] = percentsApart(a, b);
        if (Math.abs(a - b) * 100 > 2e-6) expect(first).not.toBe(second);
      }),
    );
  });
});
