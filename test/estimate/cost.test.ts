import {describe, expect, it} from 'vitest';
import {parseHardwareRecord} from '../../src/data/schemas/hardware.js';
import {ownedUsdPerGpuHour, priceFor, recordPrice} from '../../src/estimate/cost.js';
import {DEFAULT_ENERGY, type EnergyAssumptions} from '../../src/estimate/energy.js';

/** The price of a GPU-hour (src/estimate/cost.ts): a scenario's own, rented or owned, else the catalog's. */

const chip = (id: string, price?: number, extra: Record<string, unknown> = {}) =>
  parseHardwareRecord({
    id,
    name: id,
    vendor: 'Nobody',
    peak_tflops: {bf16: 1000, source: 'example'},
    memory: {capacity_gb: 80, bandwidth_tb_per_s: 3, source: 'example'},
    scale_up: {bandwidth_gb_per_s: 400, domain_gpus: 8, source: 'example'},
    scale_out: {bandwidth_gb_per_s: 50, source: 'example'},
    power: {tdp_w: 1000, source: 'example'},
    ...(price === undefined
      ? {}
      : {price: {kind: 'on-demand', usd_per_gpu_hour: price, as_of: '2025-01', source: 'example'}}),
    ...extra,
  });

const rented = {usd_per_gpu_hour: 2, source: 'example'};
const owned = {
  owned: {capex_usd_per_gpu: 43_800, lifetime_years: 5, utilization: 0.5, usd_per_kwh: 0.1},
  source: 'example',
};

describe('priceFor', () => {
  it("takes the scenario's rental price on its own hardware", () => {
    expect(priceFor(rented, 'own', chip('own', 3), DEFAULT_ENERGY)).toBe(2);
  });

  it("takes the catalog's price on other hardware, or without a scenario price", () => {
    expect(priceFor(rented, 'own', chip('other', 3), DEFAULT_ENERGY)).toBe(3);
    expect(priceFor(undefined, 'own', chip('own', 3), DEFAULT_ENERGY)).toBe(3);
  });

  it('has no price when neither the scenario nor the catalog gives one', () => {
    expect(priceFor(undefined, 'own', chip('own'), DEFAULT_ENERGY)).toBeUndefined();
    expect(priceFor(rented, 'own', chip('other'), DEFAULT_ENERGY)).toBeUndefined();
  });

  it('prices owned GPUs by their capital over their busy hours plus the power they draw', () => {
    // 43,800 USD over 5 × 8,760 h × 0.5 busy = 2 USD an hour; 1 kW for an hour at 0.1 USD/kWh = 0.1 USD.
    expect(priceFor(owned, 'own', chip('own', 3), DEFAULT_ENERGY)).toBeCloseTo(2.1, 12);
    expect(priceFor(owned, 'own', chip('other', 3), DEFAULT_ENERGY)).toBe(3);
  });
});

describe('ownedUsdPerGpuHour', () => {
  const gpu = {capexUsdPerGpu: 43_800, lifetimeYears: 5, utilization: 0.5, usdPerKwh: 0.1};

  it('spreads the capital over fewer hours when the GPUs are busy less', () => {
    const busy = ownedUsdPerGpuHour(gpu, 1000, DEFAULT_ENERGY);
    const idle = ownedUsdPerGpuHour({...gpu, utilization: 0.25}, 1000, DEFAULT_ENERGY);
    expect(idle - busy).toBeCloseTo(2, 12);
  });

  it('pays for the power with its board fraction, node overhead and PUE', () => {
    const energy: EnergyAssumptions = {...DEFAULT_ENERGY, powerFractionOfTdp: 0.5, nodeOverhead: 1.5, pue: 1.2};
    // 1 kW × 0.5 × 1.5 × 1.2 = 0.9 kWh an hour at 0.1 USD/kWh.
    expect(ownedUsdPerGpuHour(gpu, 1000, energy)).toBeCloseTo(2 + 0.09, 12);
    expect(ownedUsdPerGpuHour({...gpu, capexUsdPerGpu: 0}, 1000, energy)).toBeCloseTo(0.09, 12);
  });
});

describe('price records', () => {
  const ownedRecord = {
    kind: 'owned',
    capex_usd_per_gpu: 43_800,
    lifetime_years: 5,
    utilization: 0.5,
    usd_per_kwh: 0.1,
    as_of: '2024-06',
    source: 'example',
  };

  it('give a rental quote as it is, whatever its kind', () => {
    for (const kind of ['on-demand', 'reserved', 'assumed']) {
      const record = chip('own', undefined, {
        price: {kind, usd_per_gpu_hour: 2.5, as_of: '2026-03', source: 'example'},
      });
      expect(recordPrice(record.price, record, DEFAULT_ENERGY)).toBe(2.5);
      expect(priceFor(undefined, 'own', record, DEFAULT_ENERGY)).toBe(2.5);
    }
  });

  it('price an owned chip as its capital over its busy hours plus its power', () => {
    const record = chip('own', undefined, {price: ownedRecord});
    expect(recordPrice(record.price, record, DEFAULT_ENERGY)).toBeCloseTo(2.1, 12);
  });

  it('have no owned price for a chip whose power is not published', () => {
    const record = chip('own', undefined, {price: ownedRecord, power: {source: 'not published'}});
    expect(record.power.tdp_w).toBeUndefined();
    expect(recordPrice(record.price, record, DEFAULT_ENERGY)).toBeUndefined();
    expect(priceFor(owned, 'own', record, DEFAULT_ENERGY)).toBeUndefined();
  });

  it('must say their kind and a date that exists', () => {
    expect(() => chip('own', undefined, {price: {usd_per_gpu_hour: 2, as_of: '2026-03', source: 'example'}})).toThrow();
    expect(() =>
      chip('own', undefined, {price: {kind: 'on-demand', usd_per_gpu_hour: 2, as_of: '2026-13', source: 'example'}}),
    ).toThrow();
    expect(() =>
      chip('own', undefined, {price: {kind: 'on-demand', usd_per_gpu_hour: 2, source: 'undated quote'}}),
    ).toThrow();
  });
});
