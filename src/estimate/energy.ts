import type {EnergyInput} from '../data/schemas/scenario.js';
import {JOULES_PER_MEGAWATT_HOUR} from './units.js';

/** How electricity and emissions follow from GPU time. */
export interface EnergyAssumptions {
  /** Average board power as a fraction of TDP. */
  readonly powerFractionOfTdp: number;
  /** Node power over GPU power: CPUs, memory, NICs, fans (1 = GPU boards only). */
  readonly nodeOverhead: number;
  /** Power usage effectiveness of the data centre (1 = IT power only). */
  readonly pue: number;
  /** Grid carbon intensity, kg CO2e per kWh. */
  readonly gridKgCo2PerKwh: number;
}

/**
 * Defaults, each with its source:
 * - board power at TDP: the convention of the Llama 3.1 model card, which
 *   counts GPU-hours at the 700 W TDP (an upper bound on board power);
 * - no node overhead and a PUE of 1 unless a scenario states them (a DGX
 *   H100 draws up to 10.2 kW for 8 × 700 W of GPUs, ×1.8: NVIDIA datasheet);
 * - the 2022 world-average grid, 436 g CO2/kWh (Ember, Global Electricity
 *   Review 2023).
 */
export const DEFAULT_ENERGY: EnergyAssumptions = {
  powerFractionOfTdp: 1,
  nodeOverhead: 1,
  pue: 1,
  gridKgCo2PerKwh: 0.436,
};

/** Energy = GPU-seconds × TDP × power fraction × node overhead × PUE (reference §4.10). */
export function energyJoules(gpuSeconds: number, tdpWatts: number, assumptions: EnergyAssumptions): number {
  return gpuSeconds * tdpWatts * assumptions.powerFractionOfTdp * assumptions.nodeOverhead * assumptions.pue;
}

/** CO2e in kilograms: energy × grid intensity. */
export function co2Kilograms(joules: number, assumptions: EnergyAssumptions): number {
  return (joules / 3.6e6) * assumptions.gridKgCo2PerKwh;
}

export function megawattHours(joules: number): number {
  return joules / JOULES_PER_MEGAWATT_HOUR;
}

/** A scenario's energy assumptions (`energy:` in its data) over the defaults. */
export function energyAssumptions(energy: EnergyInput | undefined): EnergyAssumptions {
  return {
    powerFractionOfTdp: energy?.power_fraction_of_tdp ?? DEFAULT_ENERGY.powerFractionOfTdp,
    nodeOverhead: energy?.node_overhead ?? DEFAULT_ENERGY.nodeOverhead,
    pue: energy?.pue ?? DEFAULT_ENERGY.pue,
    gridKgCo2PerKwh: energy?.grid_kg_co2_per_kwh ?? DEFAULT_ENERGY.gridKgCo2PerKwh,
  };
}
