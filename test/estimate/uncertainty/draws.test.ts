import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {
  drawRatio,
  monteCarloDraws,
  monteCarloOutputs,
  percentiles,
  rangesOfDraws,
  type UncertainRecord,
} from '../../../src/estimate/uncertainty/monte-carlo.js';
import {errorDraw} from '../../../src/estimate/calibration/error-draws.js';
import {Distribution} from '../../../src/uncertain/distribution.js';

/** A record with one uncertain number `x`, uniform over [1, 2]. */
const uniform: UncertainRecord<{readonly x: number}> = {
  nominal: {x: 1.5},
  leaves: [{path: ['x'], distribution: new Distribution({kind: 'uniform', low: 1, high: 2})}],
};
const SAMPLING = {samples: 400, seed: 7};

describe('monteCarloDraws', () => {
  it('keeps every draw in draw order, NaN where an output is undefined, and its percentiles are the ranges', () => {
    const outputs = {
      x: (record: {readonly x: number}) => record.x,
      above: (record: {readonly x: number}) => (record.x > 1.5 ? record.x : undefined),
    };
    const draws = monteCarloDraws([uniform], (record) => record, outputs, SAMPLING);
    expect(draws.x).toHaveLength(SAMPLING.samples);
    expect(draws.above).toHaveLength(SAMPLING.samples);
    draws.x!.forEach((value, index) => {
      const above = draws.above![index]!;
      if (value > 1.5) expect(above).toBe(value);
      else expect(above).toBeNaN();
    });
    expect(rangesOfDraws(draws)).toEqual(monteCarloOutputs([uniform], (record) => record, outputs, SAMPLING));
  });

  it('draws an input two Monte Carlos hold at the same place alike, draw by draw', () => {
    const a = monteCarloDraws([uniform], (record) => record, {x: (record) => record.x}, SAMPLING).x!;
    const b = monteCarloDraws([uniform], (record) => record, {doubled: (record) => 2 * record.x}, SAMPLING).doubled!;
    // So their ratio is exactly 2 on every draw: the shared input cancels.
    expect(drawRatio(b, a)).toEqual({p5: 2, p50: 2, p95: 2});
  });
});

describe('drawRatio', () => {
  it('takes percentiles of the ratio draw by draw, leaving out draws where either side is not finite or the divisor is zero', () => {
    const top = Float64Array.from([2, 4, Number.NaN, 6, 8]);
    const bottom = Float64Array.from([1, 2, 3, 0, 2]);
    expect(drawRatio(top, bottom)).toEqual(percentiles([2, 2, 4]));
    expect(drawRatio(Float64Array.from([Number.NaN]), Float64Array.from([1]))).toBeUndefined();
  });

  it('spreads less than the ratio of the two ranges when both sides share what moves them (property)', () => {
    fc.assert(
      fc.property(fc.double({min: 0.1, max: 10, noNaN: true}), (scale) => {
        const shared = monteCarloDraws([uniform], (record) => record, {x: (record) => record.x}, SAMPLING).x!;
        const top = shared.map((value) => scale * value * value);
        const ratio = drawRatio(top, shared)!;
        const a = percentiles([...top]);
        const b = percentiles([...shared]);
        expect(ratio.p95 / ratio.p5).toBeLessThan(a.p95 / b.p5 / (a.p5 / b.p95));
      }),
      {numRuns: 20},
    );
  });
});

describe('errorDraw', () => {
  const zOf = (draw: ReturnType<typeof errorDraw>) =>
    monteCarloDraws([draw], (record) => record, {z: (record) => draw.z(record)}, SAMPLING).z!;
  const correlation = (a: Float64Array, b: Float64Array) => {
    const mean = (x: Float64Array) => x.reduce((sum, value) => sum + value, 0) / x.length;
    const [ma, mb] = [mean(a), mean(b)];
    let [ab, aa, bb] = [0, 0, 0];
    for (let i = 0; i < a.length; i++) {
      ab += (a[i]! - ma) * (b[i]! - mb);
      aa += (a[i]! - ma) ** 2;
      bb += (b[i]! - mb) ** 2;
    }
    return ab / Math.sqrt(aa * bb);
  };

  it('draws one run alike whichever estimate asks, and a standard normal whatever the correlation', () => {
    expect(zOf(errorDraw('deepseek-v3', 'h800-sxm', 'fp8 · a', 0.7))).toEqual(
      zOf(errorDraw('deepseek-v3', 'h800-sxm', 'fp8 · a', 0.7)),
    );
    for (const rho of [0, 0.5, 1]) {
      const z = zOf(errorDraw('deepseek-v3', 'h800-sxm', 'fp8 · a', rho));
      const mean = z.reduce((sum, value) => sum + value, 0) / z.length;
      const sd = Math.sqrt(z.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (z.length - 1));
      expect(Math.abs(mean)).toBeLessThan(0.15);
      expect(sd).toBeGreaterThan(0.85);
      expect(sd).toBeLessThan(1.15);
    }
  });

  it('correlates two runs of one model on one chip by the correlation given, and other setups not at all', () => {
    const run = (key: string, model = 'deepseek-v3', chip = 'h800-sxm') => zOf(errorDraw(model, chip, key, 0.75));
    expect(correlation(run('fp8 · a'), run('fp8 · b'))).toBeCloseTo(0.75, 1);
    expect(correlation(run('fp8 · a'), run('bf16 · a'))).toBeCloseTo(0.75, 1);
    expect(Math.abs(correlation(run('fp8 · a'), run('fp8 · a', 'deepseek-v3', 'b200-sxm')))).toBeLessThan(0.2);
    expect(Math.abs(correlation(run('fp8 · a'), run('fp8 · a', 'llama-3.1-405b')))).toBeLessThan(0.2);
    expect(correlation(zOf(errorDraw('m', 'c', 'a', 1)), zOf(errorDraw('m', 'c', 'b', 1)))).toBeCloseTo(1, 10);
  });
});
