import type {Hardware} from '../data/schemas/hardware.js';
import type {CostInput} from '../data/schemas/scenario.js';
import {energyJoules, type EnergyAssumptions} from './energy.js';

/** Owning GPUs instead of renting them. */
export interface OwnedCost {
  readonly capexUsdPerGpu: number;
  readonly lifetimeYears: number;
  /** Share of the lifetime the GPU is busy: the hours the capital is spread over. */
  readonly utilization: number;
  readonly usdPerKwh: number;
}

const HOURS_PER_YEAR = 8760;

/**
 * The cost of one busy GPU-hour when owned: the capital spread evenly over
 * the busy hours of its life, plus the electricity it draws (with node
 * overhead and PUE) at the energy price.
 */
export function ownedUsdPerGpuHour(owned: OwnedCost, tdpWatts: number, energy: EnergyAssumptions): number {
  const capital = owned.capexUsdPerGpu / (owned.lifetimeYears * HOURS_PER_YEAR * owned.utilization);
  const kilowattHours = energyJoules(3600, tdpWatts, energy) / 3.6e6;
  return capital + kilowattHours * owned.usdPerKwh;
}

/**
 * The price of a GPU-hour: the scenario's own (`cost:` in its data, rented
 * or owned: capital and power) on the hardware it names, else the chip's
 * catalog price (on another chip of a sweep too: the scenario's price is
 * for its own hardware).
 */
export function priceFor(
  cost: CostInput | undefined,
  ownHardwareId: string,
  hardware: Hardware,
  energy: EnergyAssumptions,
): number | undefined {
  if (cost && hardware.id === ownHardwareId) {
    if ('usd_per_gpu_hour' in cost) return cost.usd_per_gpu_hour;
    const owned = cost.owned;
    return ownedUsdPerGpuHour(
      {
        capexUsdPerGpu: owned.capex_usd_per_gpu,
        lifetimeYears: owned.lifetime_years,
        utilization: owned.utilization,
        usdPerKwh: owned.usd_per_kwh,
      },
      hardware.power.tdp_w,
      energy,
    );
  }
  return hardware.price?.usd_per_gpu_hour;
}
