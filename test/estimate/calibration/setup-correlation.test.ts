import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {
  setupCorrelation,
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
