import {describe, expect, it} from 'vitest';
import {splitUncertain} from '../../../src/data/split-uncertain.js';
import {scenarioSchema, type DemandScenario} from '../../../src/data/schemas/scenario.js';
import {estimateDemand, passThroughOf} from '../../../src/estimate/demand/demand-scenario.js';

/** A demand scenario as written in the data, parsed and split into its nominal values and uncertain leaves. */
const demand = (fields: Record<string, unknown>) => {
  const parsed = scenarioSchema.parse({
    id: 'rebound',
    name: 'Rebound',
    kind: 'demand',
    efficiency_factors: [1, 10],
    elasticity: {low: 0.6, mode: 1.1, high: 1.8},
    source: '[D] the elasticity, bounded by evidence',
    ...fields,
  });
  const {nominal, leaves} = splitUncertain(parsed);
  return estimateDemand(nominal as DemandScenario, leaves, {samples: 400, seed: 3});
};

describe("a demand scenario's pass-through", () => {
  it('may carry its own source without changing the estimate', () => {
    const range = {low: 0.5, mode: 0.9, high: 1};
    const bare = demand({pass_through: range});
    const sourced = demand({pass_through: {value: range, source: '[?] an assumed range'}});
    // The same assumption: the same central outcomes and ranges (the draws of a leaf at another path take another stream).
    expect(sourced.points.map((point) => point.nominal)).toEqual(bare.points.map((point) => point.nominal));
    expect(sourced.passThroughRange).toEqual(bare.passThroughRange);
    expect(sourced.passThrough).toBe(0.9);
    expect(sourced.passThroughRange?.p50).toBeGreaterThan(0.8);
    expect(sourced.breakEvenElasticity).toBeCloseTo(1 / 0.9, 12);
  });

  it('reads as a number however it is written', () => {
    expect(passThroughOf({pass_through: 0.4})).toBe(0.4);
    expect(passThroughOf({pass_through: {value: 0.4, source: '[?] assumed'}})).toBe(0.4);
    expect(demand({}).passThrough).toBe(1);
  });
});
