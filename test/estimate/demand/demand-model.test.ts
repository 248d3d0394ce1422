import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {
  BREAK_EVEN_TOLERANCE,
  demandCurve,
  demandOutcome,
  type DemandInputs,
} from '../../../src/estimate/demand/demand-model.js';

/** Tests of the Jevons-paradox demand model: worked examples, then properties. */

// Bounded so that E^(θε) stays far from overflow (≤ 1e3^10 = 1e30).
const efficiencyArbitrary = fc.double({min: 1, max: 1e3, noNaN: true});
const efficiencyAboveOneArbitrary = fc.double({min: 1.001, max: 1e3, noNaN: true});
const elasticityArbitrary = fc.double({min: 0, max: 10, noNaN: true});
const passThroughArbitrary = fc.double({min: 0, max: 1, noNaN: true});

describe('demandOutcome examples', () => {
  it('E = 2, ε = 0.5, θ = 1: compute falls to 2^(−0.5), rebound √2 − 1', () => {
    const outcome = demandOutcome({efficiencyFactor: 2, elasticity: 0.5, passThrough: 1});
    expect(outcome.priceRatio).toBe(0.5);
    expect(outcome.capabilityRatio).toBeCloseTo(Math.SQRT2, 15);
    expect(outcome.computeRatio).toBeCloseTo(2 ** -0.5, 15);
    expect(outcome.rebound).toBeCloseTo(Math.SQRT2 - 1, 15);
    expect(outcome.breakEvenElasticity).toBe(1);
    expect(outcome.direction).toBe('falls');
  });

  it('ε = 1, θ = 1: compute unchanged, rebound exactly 1', () => {
    const outcome = demandOutcome({efficiencyFactor: 2, elasticity: 1, passThrough: 1});
    expect(outcome.computeRatio).toBe(1);
    expect(outcome.capabilityRatio).toBe(2);
    expect(outcome.rebound).toBe(1);
    expect(outcome.direction).toBe('unchanged');
  });

  it('ε = 1.5, θ = 1: compute rises (backfire, rebound > 1)', () => {
    const outcome = demandOutcome({efficiencyFactor: 2, elasticity: 1.5, passThrough: 1});
    expect(outcome.computeRatio).toBeCloseTo(Math.SQRT2, 15);
    // R = 1 − (1 − √2) / (1 − 1/2) = 2√2 − 1.
    expect(outcome.rebound).toBeCloseTo(2 * Math.SQRT2 - 1, 14);
    expect(outcome.rebound).toBeGreaterThan(1);
    expect(outcome.direction).toBe('rises');
  });

  it('θ = 0: price unchanged, demand unchanged, compute falls by exactly 1/E, no rebound', () => {
    for (const efficiencyFactor of [2, 3, 10, 1.5]) {
      const outcome = demandOutcome({efficiencyFactor, elasticity: 3, passThrough: 0});
      expect(outcome.priceRatio).toBe(1);
      expect(outcome.capabilityRatio).toBe(1);
      expect(outcome.computeRatio).toBe(1 / efficiencyFactor);
      expect(outcome.rebound).toBe(0);
      expect(outcome.breakEvenElasticity).toBe(Infinity);
      expect(outcome.direction).toBe('falls');
    }
  });

  it('rebound is 0 at ε = 0, 1 at the break-even, above 1 beyond it', () => {
    const base = {efficiencyFactor: 4, passThrough: 0.5};
    expect(demandOutcome({...base, elasticity: 0}).rebound).toBe(0);
    expect(demandOutcome({...base, elasticity: 0}).computeRatio).toBe(0.25);
    const atBreakEven = demandOutcome({...base, elasticity: 2});
    expect(atBreakEven.breakEvenElasticity).toBe(2);
    expect(atBreakEven.rebound).toBe(1);
    expect(atBreakEven.direction).toBe('unchanged');
    expect(demandOutcome({...base, elasticity: 3}).rebound).toBeGreaterThan(1);
    expect(demandOutcome({...base, elasticity: 3}).direction).toBe('rises');
  });

  it('θ = 0.3, ε = 1/0.3 is break-even despite rounding in θ·(1/θ)', () => {
    const passThrough = 0.3;
    const outcome = demandOutcome({efficiencyFactor: 10, elasticity: 1 / passThrough, passThrough});
    expect(outcome.direction).toBe('unchanged');
    expect(outcome.computeRatio).toBe(1);
    expect(outcome.rebound).toBe(1);
  });

  it('rejects invalid inputs with a RangeError naming the field', () => {
    const valid: DemandInputs = {efficiencyFactor: 2, elasticity: 1, passThrough: 1};
    const cases: Array<[Partial<DemandInputs>, RegExp]> = [
      [{efficiencyFactor: 0.5}, /efficiencyFactor must be a finite number >= 1.*got 0\.5/],
      [{efficiencyFactor: Number.NaN}, /efficiencyFactor.*got NaN/],
      [{efficiencyFactor: Infinity}, /efficiencyFactor.*got Infinity/],
      [{elasticity: -0.1}, /elasticity must be a finite number >= 0, got -0\.1/],
      [{elasticity: Infinity}, /elasticity.*got Infinity/],
      [{passThrough: 1.1}, /passThrough must be a finite number in \[0, 1\], got 1\.1/],
      [{passThrough: -0.5}, /passThrough.*got -0\.5/],
      [{passThrough: Number.NaN}, /passThrough.*got NaN/],
    ];
    for (const [override, message] of cases) {
      expect(() => demandOutcome({...valid, ...override})).toThrow(RangeError);
      expect(() => demandOutcome({...valid, ...override})).toThrow(message);
    }
    expect(() => demandCurve([2], [1], 2)).toThrow(RangeError);
    expect(() => demandCurve([], [], 2)).toThrow(/passThrough/);
    expect(() => demandCurve([0.9], [1], 1)).toThrow(/efficiencyFactor/);
    expect(() => demandCurve([2], [-1], 1)).toThrow(/elasticity/);
  });
});

describe('demandCurve examples', () => {
  it('rows efficiency-major, in the order given', () => {
    const rows = demandCurve([2, 4], [0, 1, 2], 1);
    expect(rows.map((row) => [row.efficiencyFactor, row.elasticity])).toEqual([
      [2, 0],
      [2, 1],
      [2, 2],
      [4, 0],
      [4, 1],
      [4, 2],
    ]);
    expect(rows[0]).toEqual({efficiencyFactor: 2, elasticity: 0, computeRatio: 0.5, capabilityRatio: 1});
    expect(rows[4]).toEqual({efficiencyFactor: 4, elasticity: 1, computeRatio: 1, capabilityRatio: 4});
    expect(demandCurve([], [1], 1)).toEqual([]);
  });
});

describe('demand model properties', () => {
  it('computeRatio is non-decreasing in ε', () => {
    fc.assert(
      fc.property(
        efficiencyAboveOneArbitrary,
        elasticityArbitrary,
        elasticityArbitrary,
        passThroughArbitrary,
        (efficiencyFactor, e1, e2, passThrough) => {
          const [low, high] = e1 <= e2 ? [e1, e2] : [e2, e1];
          const atLow = demandOutcome({efficiencyFactor, elasticity: low, passThrough});
          const atHigh = demandOutcome({efficiencyFactor, elasticity: high, passThrough});
          expect(atHigh.computeRatio).toBeGreaterThanOrEqual(atLow.computeRatio);
          expect(atHigh.capabilityRatio).toBeGreaterThanOrEqual(atLow.capabilityRatio);
        },
      ),
    );
  });

  it('computeRatio is non-decreasing in θ', () => {
    fc.assert(
      fc.property(
        efficiencyAboveOneArbitrary,
        elasticityArbitrary,
        passThroughArbitrary,
        passThroughArbitrary,
        (efficiencyFactor, elasticity, t1, t2) => {
          const [low, high] = t1 <= t2 ? [t1, t2] : [t2, t1];
          const atLow = demandOutcome({efficiencyFactor, elasticity, passThrough: low});
          const atHigh = demandOutcome({efficiencyFactor, elasticity, passThrough: high});
          expect(atHigh.computeRatio).toBeGreaterThanOrEqual(atLow.computeRatio);
          expect(atHigh.priceRatio).toBeLessThanOrEqual(atLow.priceRatio);
        },
      ),
    );
  });

  it('E = 1: every ratio is 1, direction unchanged, rebound the limit θε', () => {
    fc.assert(
      fc.property(elasticityArbitrary, passThroughArbitrary, (elasticity, passThrough) => {
        const outcome = demandOutcome({efficiencyFactor: 1, elasticity, passThrough});
        expect(outcome.priceRatio).toBe(1);
        expect(outcome.capabilityRatio).toBe(1);
        expect(outcome.computeRatio).toBe(1);
        expect(outcome.direction).toBe('unchanged');
        expect(outcome.rebound).toBeCloseTo(passThrough * elasticity, 12);
      }),
    );
  });

  it('direction agrees with the sign of θε − 1 (E > 1)', () => {
    fc.assert(
      fc.property(
        efficiencyAboveOneArbitrary,
        elasticityArbitrary,
        passThroughArbitrary,
        (efficiencyFactor, elasticity, passThrough) => {
          const exponent = passThrough * elasticity - 1;
          const outcome = demandOutcome({efficiencyFactor, elasticity, passThrough});
          const expected = Math.abs(exponent) <= BREAK_EVEN_TOLERANCE ? 'unchanged' : exponent < 0 ? 'falls' : 'rises';
          expect(outcome.direction).toBe(expected);
          // The same sign shows in the compute ratio and in the rebound against 1.
          const sign = {falls: -1, unchanged: 0, rises: 1}[expected];
          expect(Math.sign(outcome.computeRatio - 1)).toBe(sign);
          expect(Math.sign(outcome.rebound - 1)).toBe(sign);
        },
      ),
    );
  });

  it('ε at the break-even elasticity leaves compute unchanged for every θ > 0', () => {
    fc.assert(
      fc.property(efficiencyArbitrary, fc.double({min: 0.01, max: 1, noNaN: true}), (efficiencyFactor, passThrough) => {
        const {breakEvenElasticity} = demandOutcome({efficiencyFactor, elasticity: 0, passThrough});
        const outcome = demandOutcome({efficiencyFactor, elasticity: breakEvenElasticity, passThrough});
        expect(outcome.direction).toBe('unchanged');
        expect(outcome.computeRatio).toBe(1);
        expect(outcome.rebound).toBe(1);
      }),
    );
  });

  it('rebound matches its definition 1 − (1 − C1/C0) / (1 − 1/E) and C1/C0 = (Q1/Q0)/E', () => {
    fc.assert(
      fc.property(
        efficiencyAboveOneArbitrary,
        elasticityArbitrary,
        passThroughArbitrary,
        (efficiencyFactor, elasticity, passThrough) => {
          const outcome = demandOutcome({efficiencyFactor, elasticity, passThrough});
          const potentialSaving = 1 - 1 / efficiencyFactor;
          const actualSaving = 1 - outcome.computeRatio;
          const scale = Math.max(1, outcome.computeRatio);
          expect(Math.abs(outcome.rebound - (1 - actualSaving / potentialSaving))).toBeLessThanOrEqual(
            (1e-9 * scale) / potentialSaving,
          );
          expect(Math.abs(outcome.computeRatio - outcome.capabilityRatio / efficiencyFactor)).toBeLessThanOrEqual(
            1e-9 * scale,
          );
          expect(outcome.priceRatio).toBeCloseTo(efficiencyFactor ** -passThrough, 12);
        },
      ),
    );
  });

  it('demandCurve returns |E|×|ε| rows, E-major, matching demandOutcome', () => {
    fc.assert(
      fc.property(
        fc.array(efficiencyArbitrary, {maxLength: 6}),
        fc.array(elasticityArbitrary, {maxLength: 6}),
        passThroughArbitrary,
        (efficiencyFactors, elasticities, passThrough) => {
          const rows = demandCurve(efficiencyFactors, elasticities, passThrough);
          expect(rows).toHaveLength(efficiencyFactors.length * elasticities.length);
          rows.forEach((row, index) => {
            const efficiencyFactor = efficiencyFactors[Math.floor(index / elasticities.length)];
            const elasticity = elasticities[index % elasticities.length];
            if (efficiencyFactor === undefined || elasticity === undefined)
              throw new Error(`row ${index} out of range`);
            const {computeRatio, capabilityRatio} = demandOutcome({efficiencyFactor, elasticity, passThrough});
            expect(row).toEqual({efficiencyFactor, elasticity, computeRatio, capabilityRatio});
          });
        },
      ),
    );
  });
});
