import {describe, expect, it} from 'vitest';
import {
  co2Kilograms,
  DEFAULT_ENERGY,
  energyAssumptions,
  energyJoules,
  megawattHours,
} from '../../src/estimate/energy.js';

/** Energy and emissions from GPU time (src/estimate/energy.ts). */

describe('energyAssumptions', () => {
  it('takes the defaults for what a scenario leaves out', () => {
    expect(energyAssumptions(undefined)).toEqual(DEFAULT_ENERGY);
    expect(energyAssumptions({pue: 1.3, source: 'example'})).toEqual({...DEFAULT_ENERGY, pue: 1.3});
  });

  it("takes every field a scenario's `energy:` gives", () => {
    expect(
      energyAssumptions({
        power_fraction_of_tdp: 0.8,
        node_overhead: 1.5,
        pue: 1.2,
        grid_kg_co2_per_kwh: 0.1,
        source: 'example',
      }),
    ).toEqual({powerFractionOfTdp: 0.8, nodeOverhead: 1.5, pue: 1.2, gridKgCo2PerKwh: 0.1});
  });
});

describe('energy', () => {
  it('is GPU-seconds × TDP × power fraction × node overhead × PUE, and CO2 the grid intensity of it', () => {
    const assumptions = {powerFractionOfTdp: 0.5, nodeOverhead: 2, pue: 1.5, gridKgCo2PerKwh: 0.4};
    const joules = energyJoules(3600, 1000, assumptions);
    expect(joules).toBe(3600 * 1000 * 1.5);
    expect(co2Kilograms(joules, assumptions)).toBeCloseTo(1.5 * 0.4, 12);
    expect(megawattHours(3.6e9)).toBe(1);
  });
});
