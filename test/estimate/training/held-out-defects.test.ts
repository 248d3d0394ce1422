import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import type {Catalog} from '../../../src/data/catalog.js';
import {isInferenceReference, type ReferenceRun} from '../../../src/data/schemas/reference.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {betweenChipsSigma, extrapolatedModelError} from '../../../src/estimate/calibration/model-error.js';
import {chipRates} from '../../../src/estimate/chip-rates.js';
import {NOMINAL_CONSTANTS} from '../../../src/estimate/model-constants.js';
import {predictRun} from '../../../src/estimate/training/calibration.js';
import {trainingSetup} from '../../../src/estimate/training/inputs.js';
import {validateLayout} from '../../../src/estimate/training/layout.js';
import {
  busiestStage,
  computeTimes,
  contextParallelSeconds,
  exposedTensorParallelSeconds,
  pipelineStages,
  predictStep,
} from '../../../src/estimate/training/step-time.js';
import {REPO_ROOT} from '../../helpers/project.js';
import {gptProfile, layoutOf, setupOf, testChip} from '../../helpers/training-fixtures.js';

/**
 * The defects the held-out published runs of issue #14 showed (round
 * three), one block each: every test here failed on main before its fix.
 */

const chip = testChip({achievable_tflops: {bf16: 320, source: 'example'}});
const rates = chipRates(chip);

/** A GPT-style dense model with dropout, as Megatron-LM's defaults. */
const gpt = (overrides: Record<string, unknown> = {}) => gptProfile({dropout: true, ...overrides});

describe('1. tensor-parallel collectives overlapped with their GEMMs (userbuffers)', () => {
  const profile = gpt();
  const layout = layoutOf({tp: 8, dp: 8});

  it('expose less than without overlap, but still the share of the GPU their kernels take', () => {
    const plain = predictStep(profile, setupOf(), layout, rates);
    const overlapped = predictStep(profile, setupOf({overlapTensorParallel: true}), layout, rates);
    expect(overlapped.breakdown.tensorParallelSeconds).toBeLessThan(plain.breakdown.tensorParallelSeconds);
    const share = NOMINAL_CONSTANTS.tensorParallelOverlapSmShare;
    expect(overlapped.breakdown.tensorParallelSeconds).toBeGreaterThanOrEqual(
      Math.min(1, share / (1 - share)) * plain.breakdown.tensorParallelSeconds * (1 - 1e-12),
    );
    expect(overlapped.stepSeconds).toBeLessThan(plain.stepSeconds);
  });

  it('change nothing without tensor parallelism', () => {
    const single = layoutOf();
    expect(predictStep(profile, setupOf({overlapTensorParallel: true}), single, rates).stepSeconds).toBe(
      predictStep(profile, setupOf(), single, rates).stepSeconds,
    );
  });

  it('stay between the overlapped cost and the whole exchange, less with a longer window (property)', () => {
    fc.assert(
      fc.property(
        fc.double({min: 0, max: 10, noNaN: true}),
        fc.double({min: 0, max: 10, noNaN: true}),
        fc.double({min: 0, max: 10, noNaN: true}),
        fc.double({min: 0.01, max: 0.5, noNaN: true}),
        (communication, window, more, share) => {
          const exposed = exposedTensorParallelSeconds(communication, window, share);
          expect(exposed).toBeLessThanOrEqual(communication);
          expect(exposed).toBeGreaterThanOrEqual(
            Math.min(communication, (communication * share) / (1 - share)) - 1e-12,
          );
          expect(exposedTensorParallelSeconds(communication, window + more, share)).toBeLessThanOrEqual(
            exposed + 1e-12,
          );
          expect(exposedTensorParallelSeconds(communication, 0, share)).toBe(communication);
        },
      ),
    );
  });

  it('is read from `overlap_tensor_parallel`, off when a recipe leaves it out (Megatron-LM: store_true)', () => {
    const base = {gpus: 8, seqLen: 2048, globalBatchTokens: 2048 * 8, precision: 'bf16' as const};
    expect(trainingSetup({...base, recipe: undefined}).overlapTensorParallel).toBe(false);
    expect(trainingSetup({...base, recipe: {overlap_tensor_parallel: true}}).overlapTensorParallel).toBe(true);
  });
});

describe('2. the output head runs on the last pipeline stage', () => {
  it('is carried whole by the last stage of an even split, on top of its layers', () => {
    const profile = gpt();
    const setup = setupOf();
    const layout = layoutOf({pp: 4, dp: 16});
    const stage = busiestStage(profile, setup, layout);
    expect(stage.headShare).toBe(1);
    expect(stage.layers).toBe(6);
    const withHead = computeTimes(profile, setup, layout, rates, stage);
    const withoutHead = computeTimes(profile, setup, layout, rates, {...stage, headShare: 0});
    // 51,200 × 2,048 weights: about a third of a layer's 12·d² in the forward.
    const headShare = (withHead.forwardSeconds - withoutHead.forwardSeconds) / withoutHead.forwardSeconds;
    expect(headShare).toBeGreaterThan(0.04);
  });

  it('sheds layers to the other stages when stages may be uneven, and the slower stage sets the pace', () => {
    // A 256K vocabulary: the head outweighs two layers.
    const profile = gpt({vocab: 256_000});
    const setup = setupOf();
    const layout = layoutOf({pp: 4, dp: 16, unevenStages: true});
    const [last, other] = pipelineStages(profile, setup, layout);
    expect(last!.headShare).toBe(1);
    expect(last!.layers).toBeLessThan(6);
    expect(other!.headShare).toBe(0);
    expect(other!.layers).toBeGreaterThanOrEqual(6);
    expect(last!.layers + 3 * other!.layers).toBeGreaterThanOrEqual(24);
    const step = predictStep(profile, setup, layout, rates);
    // The even split, which keeps all six layers with the head on the last stage, is never faster.
    expect(step.stepSeconds).toBeLessThanOrEqual(
      predictStep(profile, setup, {...layout, unevenStages: false}, rates).stepSeconds,
    );
  });
});

describe('3. a context-parallel all-gather before attention is exposed (Llama 3 Herd §3.3.2)', () => {
  it('costs its whole exchange, where ring attention hides it behind attention', () => {
    const profile = gpt();
    const setup = setupOf({seqLen: 32_768, globalBatchTokens: 16 * 32_768});
    const layout = layoutOf({tp: 8, cp: 2, dp: 4});
    expect(validateLayout(profile, setup, layout)).toEqual([]);
    const stage = busiestStage(profile, setup, layout);
    const attention = computeTimes(profile, setup, layout, rates, stage).attentionSeconds;
    const exposed = contextParallelSeconds(profile, layout, rates, stage, 0);
    expect(exposed).toBeGreaterThan(contextParallelSeconds(profile, layout, rates, stage, attention));
    expect(
      predictStep(profile, {...setup, overlapContextParallel: false}, layout, rates).breakdown.contextParallelSeconds,
    ).toBeGreaterThan(0);
    const base = {gpus: 8, seqLen: 2048, globalBatchTokens: 2048 * 8, precision: 'bf16' as const};
    expect(trainingSetup({...base, recipe: undefined}).overlapContextParallel).toBe(true);
    expect(trainingSetup({...base, recipe: {overlap_context_parallel: false}}).overlapContextParallel).toBe(false);
  });
});

describe('4. unfused attention moves each score tensor through HBM (no FlashAttention)', () => {
  it('forward 13 bytes and backward 19 per score element with dropout, 8 and 14 without', () => {
    for (const [dropout, forwardBytes, backwardBytes] of [
      [true, 13, 19],
      [false, 8, 14],
    ] as const) {
      const profile = gpt({dropout});
      const layout = layoutOf({microBatchSize: 4});
      const stage = busiestStage(profile, setupOf(), layout);
      const fused = computeTimes(profile, setupOf(), layout, rates, stage);
      const unfused = computeTimes(profile, setupOf({flashAttention: false}), layout, rates, stage);
      const elements = stage.tokens * 16 * 2048 * 24;
      expect(unfused.forwardSeconds - fused.forwardSeconds).toBeCloseTo(
        (elements * forwardBytes) / rates.hbmBytesPerSecond,
        9,
      );
      expect(unfused.backwardSeconds - fused.backwardSeconds).toBeCloseTo(
        (elements * backwardBytes) / rates.hbmBytesPerSecond,
        9,
      );
    }
  });
});

describe('5. HFU as Megatron counts it: non-causal attention, the layers recomputed but not the head', () => {
  it('adds the masked half of attention, and full recomputation redoes the layers only', () => {
    const profile = gpt();
    const setup = setupOf({flashAttention: false, sequenceParallel: false});
    const step = predictStep(profile, setup, layoutOf({recompute: 'full'}), rates);
    const plain = predictStep(profile, setup, layoutOf(), rates);
    // Megatron's Eq. 3 per token: 96·l·h²·(1 + s/6h + V/16lh)/B·s... = 72·l·h² + 12·l·h·s (4 passes) + 6·V·h.
    const {layers, dModel: h, vocab} = profile;
    const eq3PerToken = 96 * layers * h * h * (1 + 2048 / (6 * h) + vocab / (16 * layers * h));
    const peak = setup.gpus * rates.peakBf16FlopsPerSecond;
    expect((step.hfuNonCausal * peak) / step.tokensPerSecond / eq3PerToken).toBeCloseTo(1, 1);
    expect(step.hfuNonCausal).toBeGreaterThan(step.hfu);
    expect(plain.hfuNonCausal).toBeCloseTo(plain.mfuNonCausal, 12);
  });
});

describe('6. the published runs as published', () => {
  let catalog: Catalog;
  let runs: ReferenceRun[];
  beforeAll(async () => {
    catalog = await loadCheckedCatalog(REPO_ROOT, new Diagnostics());
    runs = [...catalog.references.values()].filter((run): run is ReferenceRun => !isInferenceReference(run));
  });
  const predicted = (id: string) => {
    const run = runs.find((candidate) => candidate.id === id)!;
    const hardware = catalog.hardware.get(run.cluster!.hardware)!;
    return predictRun(run, catalog.models.get(run.model)!, hardware, [...(catalog.techniques?.values() ?? [])]);
  };

  it("runs Nemotron-4 340B's DGXC benchmark with its selective recomputation and BF16 optimizer, within 10% of its step", () => {
    const prediction = predicted('nemotron-4-340b-128-h100');
    expect(prediction.layout?.recompute).toBe('selective');
    expect(Math.abs(prediction.throughputRatio! - 1)).toBeLessThan(0.1);
  });

  it('says which Megatron-Bridge runs overlap their tensor-parallel collectives', () => {
    for (const id of ['llama-3-70b-64-h100', 'llama-3.1-405b-1024-h100', 'llama-3.1-405b-128-b200']) {
      const run = runs.find((candidate) => candidate.id === id)!;
      expect(run.recipe?.overlap_tensor_parallel, id).toBe(true);
    }
  });

  it('compares Megatron-formula HFU with its own convention (non-causal attention)', () => {
    const hfu = runs.filter((run) => run.reported.metric === 'hfu');
    expect(hfu.length).toBeGreaterThanOrEqual(15);
    for (const run of hfu) expect('attention' in run.reported && run.reported.attention, run.id).toBe('non-causal');
  });
});

describe('7. a chip without a measured rate carries the model bias from chip to chip on top of its error', () => {
  it('widens the error in quadrature by the spread of the per-chip mean ln(ratio)', () => {
    const between = betweenChipsSigma(
      new Map([
        ['a', [Math.exp(0.1), Math.exp(0.1)]],
        ['b', [Math.exp(-0.1)]],
      ]),
    )!;
    expect(between).toBeCloseTo(Math.sqrt(0.02), 12);
    expect(betweenChipsSigma(new Map([['a', [1.1]]]))).toBeUndefined();
    const error = {mu: 0, sigma: 0.05, medianAbsolute: 0.04, runs: 3, betweenChips: between};
    expect(extrapolatedModelError(error).sigma).toBeCloseTo(Math.sqrt(0.05 ** 2 + 0.02), 12);
    expect(extrapolatedModelError({...error, betweenChips: undefined}).sigma).toBe(0.05);
  });
});
