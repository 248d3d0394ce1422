import type {Hardware, PriceRecord} from '../data/schemas/hardware.js';
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
 * the busy hours of its life (straight-line, no residual value, no cost of
 * capital), plus the electricity it draws (with node overhead and PUE) at
 * the energy price. Epoch AI's cost study (Cottier et al. 2024, arXiv
 * 2405.21015) has the same structure: amortised hardware plus energy.
 */
export function ownedUsdPerGpuHour(owned: OwnedCost, tdpWatts: number, energy: EnergyAssumptions): number {
  const capital = owned.capexUsdPerGpu / (owned.lifetimeYears * HOURS_PER_YEAR * owned.utilization);
  const kilowattHours = energyJoules(3600, tdpWatts, energy) / 3.6e6;
  return capital + kilowattHours * owned.usdPerKwh;
}

/** An owned cost's inputs, as data writes them (`cost.owned` of a scenario, or an `owned` price record). */
interface OwnedInput {
  readonly capex_usd_per_gpu: number;
  readonly lifetime_years: number;
  readonly utilization: number;
  readonly usd_per_kwh: number;
}

/** The owned price of a GPU-hour on `hardware`; undefined when its power is not published (the energy is unknown). */
function ownedPrice(owned: OwnedInput, hardware: Hardware, energy: EnergyAssumptions): number | undefined {
  if (hardware.power.tdp_w === undefined) return undefined;
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

/** The price of a GPU-hour a chip's price record gives: the rental quote, or the owned cost. */
export function recordPrice(
  record: PriceRecord | undefined,
  hardware: Hardware,
  energy: EnergyAssumptions,
): number | undefined {
  if (!record) return undefined;
  return record.kind === 'owned' ? ownedPrice(record, hardware, energy) : record.usd_per_gpu_hour;
}

/**
 * The price of a GPU-hour: the scenario's own (`cost:` in its data, rented
 * or owned: capital and power) on the hardware it names, else the chip's
 * price record (on another chip of a sweep too: the scenario's price is
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
    return ownedPrice(cost.owned, hardware, energy);
  }
  return recordPrice(hardware.price, hardware, energy);
}
