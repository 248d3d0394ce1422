import {beforeAll, describe, expect, it} from 'vitest';
import type {Catalog} from '../../../src/data/catalog.js';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import type {Hardware} from '../../../src/data/schemas/hardware.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {SERVING_CONSTANT_VALUES} from '../../../src/estimate/inference/serving-constants.js';
import {servingRates} from '../../../src/estimate/inference/serving-rates.js';
import {REPO_ROOT} from '../../helpers/project.js';

/**
 * What a chip sustains in serving kernels (src/estimate/inference/serving-rates.ts):
 * the measured achievable matmul rate in the GEMMs' precision, or an
 * extrapolation that says it is one.
 */

let catalog: Catalog;
beforeAll(async () => {
  const diagnostics = new Diagnostics();
  catalog = await loadCheckedCatalog(REPO_ROOT, diagnostics);
  expect(diagnostics.hasErrors).toBe(false);
});

const chip = (id: string) => catalog.hardware.get(id)!;
const {gemmFractionOfAchievable, fp4ShareRatio} = SERVING_CONSTANT_VALUES;

describe('the GEMM rate of a precision', () => {
  it('is the measured FP4 rate where the chip has one (the B200’s 3,904 TFLOPS), not its 16-bit share of the FP4 peak', () => {
    const b200 = chip('b200-sxm');
    expect(b200.achievable_tflops?.fp4).toBe(3904);
    const rates = servingRates(b200, 'fp4', 'fp4', SERVING_CONSTANT_VALUES);
    expect(rates.gemmFlopsPerSecond).toBeCloseTo(3904e12 * gemmFractionOfAchievable, -6);
    expect(rates.extrapolated).toBe(false);
  });

  it('is extrapolated on a chip with no FP4 measurement: its 16-bit share of the FP4 peak times the FP4 ratio', () => {
    const gb200 = chip('gb200');
    expect(gb200.achievable_tflops?.fp4).toBeUndefined();
    const rates = servingRates(gb200, 'fp4', 'fp4', SERVING_CONSTANT_VALUES);
    const share = gb200.achievable_tflops!.bf16! / gb200.peak_tflops.bf16!;
    expect(rates.gemmFlopsPerSecond).toBeCloseTo(
      gb200.peak_tflops.fp4! * share * fp4ShareRatio * 1e12 * gemmFractionOfAchievable,
      -6,
    );
    expect(rates.extrapolated).toBe(true);
  });

  it('is measured for FP8 on an H100, and extrapolated on a chip with no measured rate at all', () => {
    expect(servingRates(chip('h100-sxm'), 'fp8', 'fp8', SERVING_CONSTANT_VALUES).extrapolated).toBe(false);
    const unmeasured: Hardware = {...chip('h100-sxm'), id: 'unmeasured', achievable_tflops: undefined};
    const rates = servingRates(unmeasured, 'fp8', 'fp8', SERVING_CONSTANT_VALUES);
    expect(rates.extrapolated).toBe(true);
    expect(rates.gemmFlopsPerSecond).toBeLessThan(unmeasured.peak_tflops.fp8! * 1e12);
  });

  it('never makes FP4 slower than FP8 on a chip measured in both, nor faster than its peak', () => {
    const b200 = chip('b200-sxm');
    const fp4 = servingRates(b200, 'fp4', 'fp4', SERVING_CONSTANT_VALUES).gemmFlopsPerSecond;
    const fp8 = servingRates(b200, 'fp8', 'fp8', SERVING_CONSTANT_VALUES).gemmFlopsPerSecond;
    expect(fp4).toBeGreaterThanOrEqual(fp8);
    expect(fp4).toBeLessThan(b200.peak_tflops.fp4! * 1e12);
  });
});

describe('memory-bound kernels', () => {
  it('read at the serving shares measured on the H800, scaled by the chip’s own measured HBM share (MI300X: 0.77 of 0.9)', () => {
    const {attentionHbmFraction, weightStreamHbmFraction, referenceHbmFraction} = SERVING_CONSTANT_VALUES;
    const h800 = servingRates(chip('h800-sxm'), 'fp8', 'fp8', SERVING_CONSTANT_VALUES);
    expect(h800.kvBytesPerSecond).toBeCloseTo(3.35e12 * attentionHbmFraction, -6);
    const mi300x = servingRates(chip('mi300x'), 'fp8', 'fp8', SERVING_CONSTANT_VALUES);
    expect(mi300x.kvBytesPerSecond).toBeCloseTo(5.3e12 * attentionHbmFraction * (0.77 / referenceHbmFraction), -6);
    expect(mi300x.weightBytesPerSecond).toBeCloseTo(
      5.3e12 * weightStreamHbmFraction * (0.77 / referenceHbmFraction),
      -6,
    );
  });
});
