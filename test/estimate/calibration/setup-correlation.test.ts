import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {
  modelErrorForSetup,
  setupCorrelation,
  setupErrors,
  type ModelError,
  type SetupPrediction,
} from '../../../src/estimate/calibration/model-error.js';

const ERROR: ModelError = {mu: 0, sigma: 0.2, medianAbsolute: 0.1, runs: 10};
const run = (id: string, ratio: number, model = 'm', chip = 'c'): SetupPrediction => ({
  run: id,
  model,
  chip,
  ffn: 'dense',
  ratio,
});

describe('setupCorrelation', () => {
  it('is 1 when runs of one setup err alike, and falls as their errors part', () => {
    expect(setupCorrelation([run('a', 1.1), run('b', 1.1)], ERROR)).toBe(1);
    // (ln 1.1 − ln 0.9)² / (2 · 0.2²) = 0.503: the pair differs by about half the error's variance.
    expect(setupCorrelation([run('a', 1.1), run('b', 0.9)], ERROR)).toBeCloseTo(1 - 0.503, 3);
    // Far apart: no shared error at all, never below 0.
    expect(setupCorrelation([run('a', 2), run('b', 0.5)], ERROR)).toBe(0);
  });

  it('pairs only runs of one model on one chip, and never two figures of one run', () => {
    expect(setupCorrelation([run('a', 1.1), run('b', 0.9, 'other')], ERROR)).toBeUndefined();
    expect(setupCorrelation([run('a', 1.1), run('b', 0.9, 'm', 'other')], ERROR)).toBeUndefined();
    expect(setupCorrelation([run('a', 1.1), run('a', 0.9)], ERROR)).toBeUndefined();
  });

  it('lies within 0 and 1 whatever the ratios', () => {
    fc.assert(
      fc.property(fc.array(fc.double({min: 0.1, max: 10, noNaN: true}), {minLength: 2, maxLength: 12}), (ratios) => {
        const rho = setupCorrelation(
          ratios.map((ratio, index) => run(String(index), ratio)),
          ERROR,
        );
        expect(rho).toBeGreaterThanOrEqual(0);
        expect(rho).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('setupErrors and modelErrorForSetup', () => {
  const CORRELATED: ModelError = {...ERROR, mu: 0.1, setupCorrelation: 0.75};

  it('counts a run with several figures once, per model and chip', () => {
    const setups = setupErrors([run('a', Math.E), run('a', 1), run('b', 1), run('c', 2, 'm', 'd')]);
    expect(setups['m · c']).toEqual({runs: 2, meanLogRatio: (0.5 + 0) / 2});
    expect(setups['m · d']).toEqual({runs: 1, meanLogRatio: Math.log(2)});
  });

  it("keeps the kind's error for a setup the calibration has not seen", () => {
    const error = {...CORRELATED, setups: {'m · c': {runs: 3, meanLogRatio: -0.2}}};
    expect(modelErrorForSetup(error, 'dense', 'm', 'other')).toMatchObject({
      mu: 0.1,
      sigma: 0.2,
      setupCorrelation: 0.75,
    });
  });

  it("moves towards a seen setup's errors as its runs grow, and narrows, never past them", () => {
    const after = (runs: number) =>
      modelErrorForSetup({...CORRELATED, setups: {'m · c': {runs, meanLogRatio: -0.2}}}, 'dense', 'm', 'c');
    // One run: k = 0.75 / (0.75 + 0.25) = 0.75 of the way from μ to the setup's mean; the variance left is
    // 0.75·0.25 + 0.25 = 0.4375 of σ², of which 0.1875 is shared by two new runs of the setup.
    expect(after(1).mu).toBeCloseTo(0.1 + 0.75 * (-0.2 - 0.1), 12);
    expect(after(1).sigma).toBeCloseTo(0.2 * Math.sqrt(0.4375), 12);
    expect(after(1).setupCorrelation).toBeCloseTo(0.1875 / 0.4375, 12);
    fc.assert(
      fc.property(fc.integer({min: 1, max: 50}), (runs) => {
        const [fewer, more] = [after(runs), after(runs + 1)];
        expect(more.mu).toBeLessThan(fewer.mu);
        expect(more.mu).toBeGreaterThan(-0.2);
        expect(more.sigma).toBeLessThan(fewer.sigma);
        expect(more.sigma).toBeGreaterThan(0.2 * Math.sqrt(0.25));
      }),
    );
  });
});
