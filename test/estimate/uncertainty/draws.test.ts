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
  it('names one stream per kind of FFN, chip and precision, so estimates of one group draw their error alike', () => {
    expect(errorDraw('moe', 'h800-sxm', 'fp8').name).toBe(errorDraw('moe', 'h800-sxm', 'fp8').name);
    const names = new Set(
      [
        errorDraw('moe', 'h800-sxm', 'fp8'),
        errorDraw('moe', 'h800-sxm', 'bf16'),
        errorDraw('dense', 'h800-sxm', 'fp8'),
        errorDraw('moe', 'b200-sxm', 'fp8'),
      ].map((draw) => draw.name),
    );
    expect(names.size).toBe(4);
    const zOf = (draw: ReturnType<typeof errorDraw>) =>
      monteCarloDraws([draw], (record) => record, {z: (record) => record[draw.name]}, SAMPLING).z!;
    expect(zOf(errorDraw('moe', 'h800-sxm', 'fp8'))).toEqual(zOf(errorDraw('moe', 'h800-sxm', 'fp8')));
    expect(zOf(errorDraw('moe', 'h800-sxm', 'fp8'))).not.toEqual(zOf(errorDraw('moe', 'h800-sxm', 'bf16')));
  });
});
