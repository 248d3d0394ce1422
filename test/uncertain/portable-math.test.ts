// The portable elementary functions (src/uncertain/portable-math.ts): as accurate as the engine's own, and
// exact where they should be. (That they give the same bits in Chromium as in Node is what
// test/e2e/explorer.test.ts shows: the page's estimates equal the CLI's.)
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {cosTwoPi, exp, expm1, log, pow} from '../../src/uncertain/portable-math.js';

/** The difference in units in the last place of `reference`. */
const ulps = (value: number, reference: number) =>
  value === reference ? 0 : Math.abs(value - reference) / (Math.abs(reference) * 2 ** -52);

const settings = {seed: 19, numRuns: 4000};

describe('the portable elementary functions', () => {
  it('agree with the engine’s own to within a few units in the last place', () => {
    fc.assert(
      fc.property(fc.double({min: 1e-300, max: 1e300, noNaN: true}), (x) => {
        expect(ulps(log(x), Math.log(x))).toBeLessThanOrEqual(1);
      }),
      settings,
    );
    fc.assert(
      fc.property(fc.double({min: -700, max: 700, noNaN: true}), (x) => {
        expect(ulps(exp(x), Math.exp(x))).toBeLessThanOrEqual(1.5);
      }),
      settings,
    );
    fc.assert(
      fc.property(fc.double({min: -30, max: 30, noNaN: true}), (x) => {
        expect(ulps(expm1(x), Math.expm1(x))).toBeLessThanOrEqual(2.5);
      }),
      settings,
    );
    fc.assert(
      fc.property(fc.double({min: 1e-3, max: 1e3, noNaN: true}), fc.double({min: -5, max: 5, noNaN: true}), (x, y) => {
        expect(ulps(pow(x, y), Math.pow(x, y))).toBeLessThanOrEqual(40);
      }),
      settings,
    );
    fc.assert(
      fc.property(fc.double({min: 0, max: 1, maxExcluded: true, noNaN: true}), (turns) => {
        expect(Math.abs(cosTwoPi(turns) - Math.cos(2 * Math.PI * turns))).toBeLessThanOrEqual(4 * 2 ** -52);
      }),
      settings,
    );
  });

  it('are exact where the answer is, and give the values ECMAScript defines at the edges', () => {
    expect([log(1), exp(0), expm1(0), cosTwoPi(0), cosTwoPi(0.5), cosTwoPi(0.75)]).toEqual([0, 1, 0, 1, -1, 0]);
    expect([pow(2, 10), pow(3, -2), pow(-2, 3), pow(10, 0), pow(1, 1e9), pow(1.5, 1)]).toEqual([
      1024,
      1 / 9,
      -8,
      1,
      1,
      1.5,
    ]);
    expect([log(0), log(-1), log(Infinity), exp(-Infinity), exp(Infinity), expm1(-Infinity)]).toEqual([
      -Infinity,
      Number.NaN,
      Infinity,
      0,
      Infinity,
      -1,
    ]);
    expect([pow(0, -1), pow(-2, 0.5), pow(2, Infinity), pow(Number.NaN, 1)]).toEqual([
      Infinity,
      Number.NaN,
      Infinity,
      Number.NaN,
    ]);
    expect(log(5e-324)).toBe(Math.log(5e-324));
    expect(exp(-745)).toBe(5e-324);
    expect(exp(709.78)).toBeLessThan(Infinity);
    expect(expm1(1e-300)).toBe(1e-300);
  });
});
