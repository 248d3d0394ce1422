import {describe, expect, it} from 'vitest';
import {parseHardwareRecord} from '../../src/data/schemas/hardware.js';
import {chipRates, deviceMemoryBytes} from '../../src/estimate/chip-rates.js';
import {servingRates} from '../../src/estimate/inference/serving-rates.js';
import {SERVING_CONSTANT_VALUES} from '../../src/estimate/inference/serving-constants.js';

/** A chip's capacity as training and serving divide it up (src/estimate/chip-rates.ts). */

const chip = (memory: Record<string, unknown>) =>
  parseHardwareRecord({
    id: 'test-gpu',
    name: 'Test GPU',
    vendor: 'Nobody',
    peak_tflops: {bf16: 1000, source: 'example'},
    memory: {capacity_gb: 80, bandwidth_tb_per_s: 3.35, source: 'example', ...memory},
    scale_up: {bandwidth_gb_per_s: 450, domain_gpus: 8, source: 'example'},
    scale_out: {bandwidth_gb_per_s: 50, source: 'example'},
    power: {tdp_w: 700, source: 'example'},
  });

describe('device memory', () => {
  it("is what the device reports where the data gives it: an '80 GB' H100's 81,559 MiB is 85.5e9 bytes, not 80e9", () => {
    const reported = chip({reported_mib: 81559});
    expect(deviceMemoryBytes(reported)).toBe(81559 * 2 ** 20);
    expect(chipRates(reported).memoryBytes).toBe(81559 * 2 ** 20);
  });

  it('is the marketed capacity in decimal GB where the data gives only that', () => {
    expect(chipRates(chip({})).memoryBytes).toBe(80e9);
  });

  it('is the same for training and serving', () => {
    for (const hardware of [chip({}), chip({reported_mib: 81559})]) {
      expect(servingRates(hardware, 'bf16', 'bf16', SERVING_CONSTANT_VALUES).deviceBytes).toBe(
        chipRates(hardware).memoryBytes,
      );
    }
  });
});
