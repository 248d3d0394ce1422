import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import type {Catalog} from '../../../src/data/catalog.js';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import type {Model} from '../../../src/data/schemas/model.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {
  allToAllSecondsPerToken,
  forwardPass,
  kernelSeconds,
  smallShapeFactor,
  type PassLoad,
  type ServingUnit,
} from '../../../src/estimate/inference/forward-pass.js';
import {SERVING_CONSTANT_VALUES} from '../../../src/estimate/inference/serving-constants.js';
import {servingMemory} from '../../../src/estimate/inference/serving-memory.js';
import {servingProfile, type ServingProfile} from '../../../src/estimate/inference/serving-profile.js';
import {servingRates, type ServingRates} from '../../../src/estimate/inference/serving-rates.js';
import {profileModel} from '../../../src/estimate/model-profile.js';
import {REPO_ROOT} from '../../helpers/project.js';

/**
 * One forward pass of a serving unit (src/estimate/inference/forward-pass.ts):
 * a sum of kernels each bound by its own resource, the all-to-all and
 * all-reduces, and what two-batch overlap hides. Golden values from the
 * kernel benchmarks the constants come from, and invariants as properties.
 */

const RUNS = {numRuns: 150};
const SLACK = 1e-9;
const constants = SERVING_CONSTANT_VALUES;

let catalog: Catalog;
beforeAll(async () => {
  const diagnostics = new Diagnostics();
  catalog = await loadCheckedCatalog(REPO_ROOT, diagnostics);
  expect(diagnostics.hasErrors).toBe(false);
});

const modelOf = (id: string): Model => catalog.models.get(id)!;
const profileOf = (id: string): ServingProfile => servingProfile(modelOf(id), profileModel(modelOf(id)));
const ratesOf = (chip: string, weights: 'bf16' | 'fp8' | 'fp4' = 'fp8'): ServingRates =>
  servingRates(catalog.hardware.get(chip)!, weights, weights, constants);

const unit = (overrides: Partial<ServingUnit> & Pick<ServingUnit, 'gpus'>): ServingUnit => ({
  tp: 1,
  ep: 1,
  expertSlots: 0,
  imbalance: 1,
  overlap: false,
  weightBytes: 1,
  expertWeightBytes: 1,
  kvBytes: 2,
  dispatchBytes: 1 + 4 / 128,
  combineBytes: 2,
  ...overrides,
});
const decodeLoad = (sequences: number, contextTokens: number): PassLoad => ({
  sequences,
  queryTokensPerSequence: 1,
  contextTokens,
  prefillTokens: 0,
  prefillContextTokens: 0,
});

/** DeepSeek's Day-6 decode unit: 144 H800, DP attention, EP144 over 256 + 32 expert slots, two micro-batches. */
const day6Decode = () =>
  unit({gpus: 144, tp: 1, ep: 144, expertSlots: 288, imbalance: constants.balancedImbalance, overlap: true});

describe('kernel times', () => {
  it('take the longer of compute and memory traffic for each kernel', () => {
    expect(kernelSeconds(2e12, 1e15, 1e9, 1e12)).toBeCloseTo(2e-3, 12);
    expect(kernelSeconds(2e12, 1e15, 4e9, 1e12)).toBeCloseTo(4e-3, 12);
  });

  it('lose a fifth of the GEMM rate at 256 tokens per expert, as DeepGEMM’s masked grouped GEMM (932 of ~1,233 TFLOPS at 1,024)', () => {
    expect(smallShapeFactor(256, constants.gemmHalfEfficiencyTokens)).toBeCloseTo(0.8, 9);
    expect(smallShapeFactor(1024, constants.gemmHalfEfficiencyTokens)).toBeCloseTo(1024 / 1088, 9);
  });

  it('reproduce FlashMLA’s H800 rates: 3,000 GB/s reading the cache and 660 TFLOPS when compute-bound', () => {
    const rates = ratesOf('h800-sxm');
    expect(rates.kvBytesPerSecond / 1e9).toBeCloseTo(3015, 0);
    expect(Math.abs(rates.attentionFlopsPerSecond / 660e12 - 1)).toBeLessThan(0.02);
  });

  it('reproduce DeepGEMM’s H800 rates: about 2.4 TB/s streaming weights and 1.1 PFLOPS on large FP8 shapes', () => {
    const rates = ratesOf('h800-sxm');
    expect(Math.abs(rates.weightBytesPerSecond / 2.388e12 - 1)).toBeLessThan(0.01);
    expect(Math.abs(rates.gemmFlopsPerSecond / 1.096e15 - 1)).toBeLessThan(0.01);
  });
});

describe('a decode step of DeepSeek-V3 on the Day-6 unit (128 sequences per GPU, 4,989 tokens of context)', () => {
  const step = () =>
    forwardPass(
      profileOf('deepseek-v3'),
      ratesOf('h800-sxm'),
      day6Decode(),
      decodeLoad(128, 4989),
      constants,
      'low-latency',
    );

  it('is the sum of its kernels, the all-to-all less what overlap hides, and the fixed overhead', () => {
    const times = step();
    expect(times.totalSeconds).toBeCloseTo(
      times.denseGemmSeconds +
        times.attentionSeconds +
        times.expertGemmSeconds +
        times.elementwiseSeconds +
        times.expertParallelSeconds -
        times.hiddenSeconds +
        times.tensorParallelSeconds +
        times.overheadSeconds,
      12,
    );
  });

  it('is longer than one roofline over the whole step: attention is compute-bound while the expert weights are read', () => {
    const profile = profileOf('deepseek-v3');
    const rates = ratesOf('h800-sxm');
    const times = step();
    // The whole step's FLOPs at their rates and bytes at HBM speed, the larger of the two (the old model).
    const flops =
      (128 * 4989 * profile.decodeAttentionFlopsPerContextToken) / rates.attentionFlopsPerSecond +
      (2 * 128 * (profile.denseMatmulParams + profile.paramsPerExpertLayer * profile.moeLayers * 8)) /
        rates.gemmFlopsPerSecond;
    const bytes =
      (128 * 4989 * profile.kvElementsPerToken * 2 +
        profile.denseMatmulParams +
        2 * profile.paramsPerExpertLayer * profile.moeLayers) /
      (rates.kvBytesPerSecond / constants.attentionHbmFraction);
    expect(times.denseGemmSeconds + times.attentionSeconds + times.expertGemmSeconds).toBeGreaterThan(
      Math.max(flops, bytes),
    );
  });

  it('spends most of its time in the all-to-all and attention, as DeepSeek and SGLang profile it', () => {
    const times = step();
    expect(times.expertParallelSeconds).toBeGreaterThan(times.expertGemmSeconds);
    expect(times.attentionSeconds).toBeGreaterThan(times.denseGemmSeconds);
  });
});

describe('attention with the context', () => {
  it('grows with each sequence’s context, and so does the step', () => {
    const profile = profileOf('deepseek-v3');
    const rates = ratesOf('h800-sxm');
    const times = [1024, 4096, 16384, 65536].map((context) =>
      forwardPass(profile, rates, day6Decode(), decodeLoad(64, context), constants, 'low-latency'),
    );
    for (let index = 1; index < times.length; index++) {
      expect(times[index]!.attentionSeconds).toBeGreaterThan(times[index - 1]!.attentionSeconds * 3.9);
      expect(times[index]!.totalSeconds).toBeGreaterThan(times[index - 1]!.totalSeconds);
    }
  });
});

describe('data-parallel attention', () => {
  it('keeps one copy of MLA’s latent cache per sequence, where attention TP4 copies it to each of the 4 ranks', () => {
    const profile = profileOf('deepseek-v3');
    const rates = ratesOf('h800-sxm');
    const engine = {fraction: 0.9, of: 'total' as const};
    const dp = servingMemory(
      profile,
      rates,
      unit({gpus: 320, tp: 1, ep: 320, expertSlots: 320}),
      engine,
      constants,
      false,
    );
    const tp4 = servingMemory(
      profile,
      rates,
      unit({gpus: 320, tp: 4, ep: 320, expertSlots: 320}),
      engine,
      constants,
      false,
    );
    expect(tp4.kvBytesPerTokenPerGpu).toBe(dp.kvBytesPerTokenPerGpu);
    // Per sequence, the TP4 group holds 4 copies on its 4 GPUs, DP one copy on one GPU.
    expect(4 * tp4.kvBytesPerTokenPerGpu).toBe(4 * dp.kvBytesPerTokenPerGpu);
  });

  it('splits a GQA cache by KV head over the TP ranks', () => {
    const profile = profileOf('llama-3.1-405b');
    const rates = ratesOf('h100-sxm');
    const engine = {fraction: 0.9, of: 'total' as const};
    const tp1 = servingMemory(profile, rates, unit({gpus: 8, tp: 1}), engine, constants, false);
    const tp8 = servingMemory(profile, rates, unit({gpus: 8, tp: 8}), engine, constants, false);
    expect(tp8.kvBytesPerTokenPerGpu * 8).toBe(tp1.kvBytesPerTokenPerGpu);
  });
});

describe('expert-parallel all-to-all', () => {
  it('sends each remote copy over the scale-out network in low-latency mode, once per remote node in normal mode', () => {
    const profile = profileOf('deepseek-v3');
    const rates = ratesOf('h800-sxm');
    const bytes = 7168 * 3;
    const lowLatency = allToAllSecondsPerToken(profile, rates, 144, bytes, true);
    const normal = allToAllSecondsPerToken(profile, rates, 144, bytes, false);
    // 8 copies, 17/18 of them remote, at 40 GB/s: about 4.1 µs; normal mode: at most 4 nodes.
    expect(lowLatency * 1e6).toBeCloseTo(
      ((8 * 17) / 18) * (bytes / 40e9) * 1e6 + (((8 / 18) * bytes) / 160e9) * 1e6,
      6,
    );
    expect(normal).toBeLessThan(lowLatency);
  });

  it('stays inside the scale-up domain when the experts fit in one node', () => {
    const profile = profileOf('deepseek-v3');
    const rates = ratesOf('h200-sxm');
    const seconds = allToAllSecondsPerToken(profile, rates, 8, 7168 * 3, true);
    expect(seconds).toBeCloseTo((8 * 7168 * 3 * (7 / 8)) / rates.scaleUpBytesPerSecond, 15);
  });
});

// ---------------------------------------------------------------------------
// Properties

const chipArbitrary = fc.constantFrom('a100-sxm', 'h100-sxm', 'h800-sxm', 'h200-sxm', 'h20', 'b200-sxm', 'mi300x');
const modelIdArbitrary = fc.constantFrom(
  'deepseek-v3',
  'llama-3.1-405b',
  'llama-3.1-70b',
  'llama-3.1-8b',
  'gpt-3-175b',
);

interface Case {
  readonly profile: ServingProfile;
  readonly rates: ServingRates;
  readonly unit: ServingUnit;
  readonly load: PassLoad;
}

const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({
    model: modelIdArbitrary,
    chip: chipArbitrary,
    tp: fc.constantFrom(1, 2, 4, 8),
    groups: fc.integer({min: 1, max: 32}),
    redundantPerGpu: fc.integer({min: 0, max: 1}),
    imbalance: fc.double({min: 1, max: 3, noNaN: true}),
    overlap: fc.boolean(),
    sequences: fc.double({min: 0.5, max: 512, noNaN: true}),
    query: fc.integer({min: 1, max: 3}),
    context: fc.integer({min: 1, max: 131_072}),
    prefill: fc.oneof(fc.constant(0), fc.integer({min: 1, max: 16_384})),
    lowLatency: fc.boolean(),
  })
  .map((pick) => {
    const profile = servingProfile(modelOf(pick.model), profileModel(modelOf(pick.model)));
    const gpus = pick.tp * pick.groups;
    const ep = profile.experts > 0 ? gpus : 1;
    const expertSlots = profile.experts > 0 ? profile.experts + pick.redundantPerGpu * gpus : 0;
    return {
      profile,
      rates: ratesOf(pick.chip),
      unit: unit({gpus, tp: pick.tp, ep, expertSlots, imbalance: pick.imbalance, overlap: pick.overlap}),
      load: {
        sequences: pick.sequences,
        queryTokensPerSequence: pick.query,
        contextTokens: pick.context,
        prefillTokens: pick.prefill,
        prefillContextTokens: pick.prefill / 2,
      },
      lowLatency: pick.lowLatency,
    };
  });

const timeOf = ({profile, rates, unit: servingUnit, load}: Case) =>
  forwardPass(profile, rates, servingUnit, load, constants, 'low-latency');

describe('forward pass properties', () => {
  it('gives finite, non-negative kernel times that add up to the pass, and hides no more than the shorter side', () => {
    fc.assert(
      fc.property(caseArbitrary, (testCase) => {
        const times = timeOf(testCase);
        for (const value of Object.values(times))
          if (typeof value === 'number') expect(Number.isFinite(value) && value >= 0).toBe(true);
        const compute =
          times.denseGemmSeconds + times.attentionSeconds + times.expertGemmSeconds + times.elementwiseSeconds;
        expect(times.hiddenSeconds).toBeLessThanOrEqual(Math.min(compute, times.expertParallelSeconds) * (1 + SLACK));
        expect(times.totalSeconds).toBeGreaterThanOrEqual(Math.max(compute, times.expertParallelSeconds) * (1 - SLACK));
      }),
      RUNS,
    );
  });

  it('never shortens with more sequences, a longer context or a larger prompt chunk', () => {
    fc.assert(
      fc.property(caseArbitrary, fc.double({min: 1, max: 8, noNaN: true}), (testCase, factor) => {
        const base = timeOf(testCase).totalSeconds;
        const {load} = testCase;
        for (const grown of [
          {...load, sequences: load.sequences * factor},
          {...load, contextTokens: load.contextTokens * factor},
          {...load, prefillTokens: load.prefillTokens * factor + 1},
        ]) {
          expect(timeOf({...testCase, load: grown}).totalSeconds).toBeGreaterThanOrEqual(base * (1 - SLACK));
        }
      }),
      RUNS,
    );
  });

  it('never lengthens with more HBM bandwidth or faster links, and two-batch overlap never slows the all-to-all side', () => {
    fc.assert(
      fc.property(caseArbitrary, fc.double({min: 1, max: 4, noNaN: true}), (testCase, factor) => {
        const base = timeOf(testCase);
        const {rates} = testCase;
        const faster: ServingRates[] = [
          {
            ...rates,
            weightBytesPerSecond: rates.weightBytesPerSecond * factor,
            kvBytesPerSecond: rates.kvBytesPerSecond * factor,
          },
          {
            ...rates,
            scaleUpBytesPerSecond: rates.scaleUpBytesPerSecond * factor,
            scaleOutBytesPerSecond: rates.scaleOutBytesPerSecond * factor,
          },
        ];
        for (const better of faster)
          expect(timeOf({...testCase, rates: better}).totalSeconds).toBeLessThanOrEqual(
            base.totalSeconds * (1 + SLACK),
          );
        const overlapped = timeOf({...testCase, unit: {...testCase.unit, overlap: true}});
        const serial = timeOf({...testCase, unit: {...testCase.unit, overlap: false}});
        expect(overlapped.totalSeconds - overlapped.overheadSeconds).toBeLessThanOrEqual(
          (serial.totalSeconds - serial.overheadSeconds) * (1 + SLACK),
        );
      }),
      RUNS,
    );
  });

  it('never speeds up the expert layers when the busiest GPU carries more of the load', () => {
    fc.assert(
      fc.property(caseArbitrary, fc.double({min: 1, max: 3, noNaN: true}), (testCase, factor) => {
        const base = timeOf(testCase).totalSeconds;
        const skewed = timeOf({...testCase, unit: {...testCase.unit, imbalance: testCase.unit.imbalance * factor}});
        expect(skewed.totalSeconds).toBeGreaterThanOrEqual(base * (1 - SLACK));
      }),
      RUNS,
    );
  });
});
