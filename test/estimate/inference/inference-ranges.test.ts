import {modelErrorForSetup} from '../../../src/estimate/calibration/model-error.js';
import {beforeAll, describe, expect, it} from 'vitest';
import type {Catalog} from '../../../src/data/catalog.js';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import type {Hardware} from '../../../src/data/schemas/hardware.js';
import type {InferenceScenario} from '../../../src/data/schemas/scenario.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {inferenceWithRanges, type RangedInferenceEstimate} from '../../../src/estimate/inference/inference-ranges.js';
import {SERVING_CONSTANT_VALUES} from '../../../src/estimate/inference/serving-constants.js';
import {calibrateServing, servingModelError} from '../../../src/estimate/inference/calibration.js';
import {REPO_ROOT} from '../../helpers/project.js';

/** The ranges of a serving estimate (src/estimate/inference/inference-ranges.ts): wider where a rate is extrapolated. */

let catalog: Catalog;
beforeAll(async () => {
  const diagnostics = new Diagnostics();
  catalog = await loadCheckedCatalog(REPO_ROOT, diagnostics);
  expect(diagnostics.hasErrors).toBe(false);
});

const SAMPLING = {samples: 300, seed: 1};
const spread = (estimate: RangedInferenceEstimate) => {
  const range = estimate.ranges!.outputTokensPerSecondPerGpu!;
  return range.p95 / range.p5;
};

describe('an estimate whose GEMM rate is extrapolated', () => {
  it('has wider ranges than the same estimate with that rate measured: it draws the assumption from its range', () => {
    const base = catalog.scenarios.get('llama-3.1-405b-serving') as InferenceScenario;
    const fp4: InferenceScenario = {...base, hardware: 'gb200', precision: {...base.precision, weights: 'fp4'}};
    // The variant keeps the scenario's uncertain inputs (prompt and output lengths).
    const uncertainty = new Map(catalog.uncertainty);
    uncertainty.set(fp4, catalog.uncertainty.get(base) ?? []);
    const extrapolated = inferenceWithRanges({...catalog, uncertainty}, fp4, {}, SAMPLING);
    expect(extrapolated.extrapolated).toBe(true);

    // The same chip with its FP4 rate measured at the very value the extrapolation gives.
    const gb200 = catalog.hardware.get('gb200')!;
    const share = gb200.achievable_tflops!.bf16! / gb200.peak_tflops.bf16!;
    const fp4Tflops = gb200.peak_tflops.fp4! * share * SERVING_CONSTANT_VALUES.fp4ShareRatio;
    const measured: Hardware = {...gb200, achievable_tflops: {...gb200.achievable_tflops!, fp4: fp4Tflops}};
    uncertainty.set(measured, catalog.uncertainty.get(gb200) ?? []);
    const asMeasured = inferenceWithRanges(
      {...catalog, hardware: new Map([...catalog.hardware, ['gb200', measured]]), uncertainty},
      fp4,
      {},
      SAMPLING,
    );
    expect(asMeasured.extrapolated).toBe(false);
    expect(asMeasured.outputTokensPerSecondPerGpu).toBeCloseTo(extrapolated.outputTokensPerSecondPerGpu, 6);
    expect(spread(extrapolated)).toBeGreaterThan(spread(asMeasured) * 1.05);
  });
});

describe("the serving model's own error", () => {
  it('is fitted to the leave-one-out errors of the serving references, and widens every range it enters', () => {
    const error = servingModelError(catalog);
    expect(error).toBeDefined();
    // One ratio per reported figure of every serving reference.
    expect(error!.runs).toBe(calibrateServing(catalog).rows.length);
    expect(error!.sigma).toBeGreaterThan(0);

    const scenario = catalog.scenarios.get('deepseek-v3-serving') as InferenceScenario;
    const without = inferenceWithRanges(catalog, scenario, {}, SAMPLING);
    const withError = inferenceWithRanges(catalog, scenario, {}, SAMPLING, {servingModelError: () => error});
    expect(without.modelError).toBeUndefined();
    // DeepSeek-V3 is a mixture of experts: its range takes the error on the MoE figures, centred on those of
    // DeepSeek-V3 on the same chip.
    expect(withError.modelError).toEqual(modelErrorForSetup(error!, 'moe', scenario.model, withError.hardwareId));
    // The nominal estimate is the model's; only the ranges take its error.
    expect(withError.outputTokensPerSecondPerGpu).toBe(without.outputTokensPerSecondPerGpu);
    expect(spread(withError)).toBeGreaterThan(spread(without));
    const cost = (estimate: RangedInferenceEstimate) => estimate.ranges!.usdPerMillionOutputTokens!;
    expect(cost(withError).p95 / cost(withError).p5).toBeGreaterThan(cost(without).p95 / cost(without).p5);
  });

  it('makes a scenario with no uncertain input ranged: the model error alone is uncertain', () => {
    const base = catalog.scenarios.get('deepseek-v3-serving') as InferenceScenario;
    const certain: InferenceScenario = {...base, id: 'certain'};
    const uncertainty = new Map(catalog.uncertainty);
    uncertainty.set(certain, []);
    const plain = {...catalog, uncertainty};
    expect(inferenceWithRanges(plain, certain, {}, SAMPLING).ranges).toBeUndefined();
    const error = servingModelError(catalog)!;
    const ranged = inferenceWithRanges(plain, certain, {}, SAMPLING, {servingModelError: () => error});
    const range = ranged.ranges!.outputTokensPerSecondPerGpu!;
    // The error of the model's kind of FFN (an MoE model: the MoE runs' fit), not the pooled one, centred on
    // the figures of the same model on the same chip.
    const sigma = ranged.modelError!.sigma;
    expect(sigma).toBe(modelErrorForSetup(error, 'moe', base.model, ranged.hardwareId).sigma);
    // A log-normal factor on the step: p95 / p5 of the throughput is about exp(2 × 1.645 σ) (within sampling error).
    expect(Math.log(range.p95 / range.p5)).toBeGreaterThan(2 * 1.645 * sigma * 0.8);
    expect(Math.log(range.p95 / range.p5)).toBeLessThan(2 * 1.645 * sigma * 1.25);
  });
});
