import {describe, expect, it} from 'vitest';
import {modelSchema} from '../../../src/data/schemas/model.js';
import {chipRates, type ChipRates} from '../../../src/estimate/chip-rates.js';
import {allReduceSeconds} from '../../../src/estimate/collectives.js';
import {NOMINAL_CONSTANTS} from '../../../src/estimate/model-constants.js';
import {profileModel} from '../../../src/estimate/model-profile.js';
import type {Layout, TrainingSetup} from '../../../src/estimate/training/layout.js';
import {
  busiestStage,
  computeTimes,
  contextParallelSeconds,
  dataParallelGroups,
  dataParallelSeconds,
  expertParallelSeconds,
  flopsUtilisation,
  optimizerSeconds,
  pairedMicroBatch,
  pipelineBubble,
  pipelineTransferSeconds,
  predictStep,
  tensorParallelSeconds,
  zero3GatherSeconds,
} from '../../../src/estimate/training/step-time.js';
import {layoutOf, setupOf, testChip} from '../../helpers/training-fixtures.js';

/**
 * One test or more per term of the step-time model
 * (src/estimate/training/step-time.ts): each fails if its term is wired to
 * the wrong degree, link or phase. The whole step's invariants are in
 * step-time-properties.test.ts.
 */

const chip = testChip({peak_tflops: {bf16: 400, fp8: 800, source: 'example'}});
const rates = chipRates(chip);
const SM_SHARE = NOMINAL_CONSTANTS.overlapSmShare;

/** 8 layers of 8 experts (2 active) behind 8 attention heads. */
const profile = profileModel(
  modelSchema.parse({
    id: 'test-moe',
    name: 'Test MoE',
    layers: 8,
    d_model: 1024,
    vocab: 32_000,
    attention: {kind: 'gqa', heads: 8, kv_heads: 2, head_dim: 128},
    ffn: {kind: 'moe', experts: 8, active: 2, shared: 0, expert_d_ff: 2048, gated: true},
    declared: {params_total: 1e9, source: 'example'},
    source: 'example',
  }),
);
const denseProfile = profileModel(
  modelSchema.parse({
    id: 'test-dense',
    name: 'Test dense',
    layers: 8,
    d_model: 1024,
    vocab: 32_000,
    attention: {kind: 'gqa', heads: 8, kv_heads: 2, head_dim: 128},
    ffn: {kind: 'dense', d_ff: 4096, gated: true},
    declared: {params_total: 1e9, source: 'example'},
    source: 'example',
  }),
);

const setup: TrainingSetup = setupOf({seqLen: 4096, globalBatchTokens: 64 * 4096});

const faster = (overrides: Partial<ChipRates>): ChipRates => ({...rates, ...overrides});
const ratesWithLatency = rates;
const stageOf = (layout: Layout) => busiestStage(profile, setup, layout);

describe('busiestStage', () => {
  it('splits the micro-batch over the context-parallel ranks and the layers over the stages', () => {
    const stage = stageOf(layoutOf({pp: 4, cp: 2, dp: 8, microBatchSize: 2}));
    expect(stage.tokens).toBe((2 * 4096) / 2);
    expect(stage.share).toBe(2 / 8);
    expect(stage.layers).toBe(2);
  });
});

describe('computeTimes', () => {
  const layout = layoutOf();
  const base = computeTimes(profile, setup, layout, rates, stageOf(layout));

  it('adds forward, backward and recomputation into the micro-batch', () => {
    expect(base.recomputeSeconds).toBe(0);
    expect(base.microBatchSeconds).toBe(base.forwardSeconds + base.backwardSeconds);
    // The backward does at least twice the GEMM work of the forward, and the weight-gradient half of it.
    expect(base.backwardSeconds).toBeGreaterThan(2 * base.weightGradientSeconds - 1e-15);
  });

  it("recomputes the layers' whole forward under full recomputation, not the head's", () => {
    const full = layoutOf({recompute: 'full'});
    const stage = stageOf(full);
    const times = computeTimes(profile, setup, full, rates, stage);
    const withoutHead = computeTimes(profile, setup, full, rates, {...stage, headShare: 0});
    expect(times.recomputeSeconds).toBeLessThan(times.forwardSeconds);
    expect(times.recomputeSeconds).toBeCloseTo(withoutHead.forwardSeconds, 12);
    expect(withoutHead.recomputeSeconds).toBeCloseTo(withoutHead.forwardSeconds, 12);
  });

  it('takes less time on a chip with a faster matmul rate and attention', () => {
    const quick = faster({
      gemmFlopsPerSecond: {bf16: 2 * (rates.gemmFlopsPerSecond.bf16 as number)},
      attentionFlopsPerSecond: 2 * rates.attentionFlopsPerSecond,
    });
    const times = computeTimes(profile, setup, layout, quick, stageOf(layout));
    expect(times.forwardSeconds).toBeLessThan(base.forwardSeconds);
    expect(times.attentionSeconds).toBeCloseTo(base.attentionSeconds / 2, 15);
  });

  it('splits the work over the tensor-parallel ranks', () => {
    // The GPU's work: under full CUDA graphs, with no wait for the host's dispatch of each rank's whole experts.
    const graphed: TrainingSetup = {...setup, cudaGraphs: 'full'};
    const tp = layoutOf({tp: 4, dp: 16});
    const one = computeTimes(profile, graphed, layout, rates, stageOf(layout));
    expect(one.hostWaitSeconds).toBe(0);
    expect(computeTimes(profile, graphed, tp, rates, stageOf(tp)).forwardSeconds).toBeLessThan(one.forwardSeconds / 2);
  });
});

describe('tensorParallelSeconds', () => {
  it('is zero without tensor parallelism', () => {
    const layout = layoutOf();
    expect(tensorParallelSeconds(profile, layout, rates, stageOf(layout))).toBe(0);
  });

  it('is four all-reduces of the activations per layer on the scale-up link, six with full recomputation', () => {
    const layout = layoutOf({tp: 4, dp: 16});
    const stage = stageOf(layout);
    const one = allReduceSeconds(
      stage.tokens * profile.dModel * 2,
      4,
      rates.scaleUpBytesPerSecond,
      rates.scaleUpLatencySeconds,
    );
    expect(tensorParallelSeconds(profile, layout, rates, stage)).toBeCloseTo(8 * 4 * one, 15);
    const full = layoutOf({tp: 4, dp: 16, recompute: 'full'});
    expect(tensorParallelSeconds(profile, full, rates, stage)).toBeCloseTo(8 * 6 * one, 15);
  });

  it('takes less time on a faster scale-up link, and the scale-out link once the group leaves the domain', () => {
    const layout = layoutOf({tp: 4, dp: 16});
    const stage = stageOf(layout);
    const rates = {...ratesWithLatency, scaleUpLatencySeconds: 0, scaleOutLatencySeconds: 0};
    const faster = (overrides: Partial<ChipRates>): ChipRates => ({...rates, ...overrides});
    const base = tensorParallelSeconds(profile, layout, rates, stage);
    expect(
      tensorParallelSeconds(profile, layout, faster({scaleUpBytesPerSecond: 2 * rates.scaleUpBytesPerSecond}), stage),
    ).toBeCloseTo(base / 2, 15);
    const small = faster({domainGpus: 2});
    expect(tensorParallelSeconds(profile, layout, small, stage)).toBeCloseTo(
      (base * rates.scaleUpBytesPerSecond) / rates.scaleOutBytesPerSecond,
      12,
    );
  });
});

describe('contextParallelSeconds', () => {
  it('is zero without context parallelism', () => {
    const layout = layoutOf();
    expect(contextParallelSeconds(profile, layout, rates, stageOf(layout), 0)).toBe(0);
  });

  it('exposes what the attention does not hide, less on a faster link', () => {
    const layout = layoutOf({cp: 2, dp: 32});
    const stage = stageOf(layout);
    const exposed = contextParallelSeconds(profile, layout, rates, stage, 0);
    expect(exposed).toBeGreaterThan(0);
    expect(contextParallelSeconds(profile, layout, rates, stage, exposed / 3.5)).toBe(0);
    expect(
      contextParallelSeconds(
        profile,
        layout,
        faster({scaleUpBytesPerSecond: 2 * rates.scaleUpBytesPerSecond}),
        stage,
        0,
      ),
    ).toBeCloseTo(exposed / 2, 15);
  });
});

describe('expertParallelSeconds', () => {
  it('is zero without expert parallelism and for a dense model', () => {
    const layout = layoutOf();
    expect(expertParallelSeconds(profile, setup, layout, rates, stageOf(layout))).toBe(0);
    const ep = layoutOf({ep: 8});
    expect(expertParallelSeconds(denseProfile, setup, ep, rates, busiestStage(denseProfile, setup, ep))).toBe(0);
  });

  it('grows with the bytes dispatched and shrinks with faster links', () => {
    const layout = layoutOf({ep: 8});
    const stage = stageOf(layout);
    const bf16 = expertParallelSeconds(profile, setup, layout, rates, stage);
    expect(bf16).toBeGreaterThan(0);
    // FP8 dispatch: 1 + 2 + 2 + 2 bytes per element instead of 2 + 2 + 2 + 2.
    const fp8 = expertParallelSeconds(profile, {...setup, gemmPrecision: 'fp8'}, layout, rates, stage);
    expect(fp8).toBeCloseTo((bf16 * 7) / 8, 15);
    const quick = faster({
      scaleUpBytesPerSecond: 2 * rates.scaleUpBytesPerSecond,
      scaleOutBytesPerSecond: 2 * rates.scaleOutBytesPerSecond,
    });
    expect(expertParallelSeconds(profile, setup, layout, quick, stage)).toBeCloseTo(bf16 / 2, 15);
  });
});

describe('pipelineTransferSeconds', () => {
  it('is zero without pipeline parallelism', () => {
    const layout = layoutOf();
    expect(pipelineTransferSeconds(profile, layout, rates, stageOf(layout))).toBe(0);
  });

  it('sends the BF16 activations and their gradients over the scale-out link, once per model chunk', () => {
    const layout = layoutOf({pp: 2, dp: 32});
    const stage = stageOf(layout);
    const seconds = pipelineTransferSeconds(profile, layout, rates, stage);
    expect(seconds).toBeCloseTo((2 * stage.tokens * profile.dModel * 2) / rates.scaleOutBytesPerSecond, 15);
    const interleaved = layoutOf({pp: 2, dp: 32, schedule: 'interleaved', virtualStages: 2});
    expect(pipelineTransferSeconds(profile, interleaved, rates, stage)).toBeCloseTo(2 * seconds, 15);
  });
});

describe('pipelineBubble', () => {
  it('is zero with one stage, (p − 1) chunks under 1F1B and a v-th of that interleaved', () => {
    expect(pipelineBubble(layoutOf(), 1, 1, 2, 1)).toBe(0);
    expect(pipelineBubble(layoutOf({pp: 4, dp: 16}), 3, 1, 2, 1)).toBe(9);
    expect(pipelineBubble(layoutOf({pp: 4, dp: 16, schedule: 'interleaved', virtualStages: 3}), 3, 1, 2, 1)).toBe(3);
  });

  it('fills the bubble with weight-gradient work under zero-bubble and DualPipe', () => {
    expect(pipelineBubble(layoutOf({pp: 4, dp: 16, schedule: 'zero-bubble'}), 10, 1, 2, 1)).toBe(3 * (1 + 2 - 2));
    expect(pipelineBubble(layoutOf({pp: 4, dp: 16, schedule: 'dualpipe'}), 10, 1, 2, 1)).toBe(1 * (1 + 4 - 3));
  });

  it('fills no more of the bubble than the step has weight gradients to defer', () => {
    // Zero-bubble over 4 stages defers 2·(p − 1) = 6 weight gradients, but one micro-batch has only one.
    expect(pipelineBubble(layoutOf({pp: 4, dp: 16, schedule: 'zero-bubble'}), 10, 1, 2, 1, 1)).toBe(3 * (1 + 2) - 1);
    expect(pipelineBubble(layoutOf({pp: 4, dp: 16, schedule: 'zero-bubble'}), 10, 1, 2, 1, 6)).toBe(3 * (1 + 2 - 2));
  });
});

describe('pairedMicroBatch', () => {
  it('exposes every transfer outside DualPipe, with compute at full speed', () => {
    const paired = pairedMicroBatch(layoutOf(), SM_SHARE, 10, 2, 3, 0);
    expect(paired).toEqual({
      computeSeconds: 10,
      computeSlowdown: 1,
      expertParallelSeconds: 2,
      pipelineTransferSeconds: 3,
      dataParallelSeconds: 0,
    });
  });

  it('under DualPipe hides the pipeline transfers and the all-to-all behind compute slowed by the SMs they take', () => {
    const paired = pairedMicroBatch(layoutOf({schedule: 'dualpipe'}), SM_SHARE, 10, 2, 3, 0);
    expect(paired.computeSlowdown).toBe(1 / (1 - SM_SHARE));
    expect(paired.computeSeconds).toBeCloseTo(10 / (1 - SM_SHARE), 12);
    expect(paired.expertParallelSeconds).toBe(0);
    expect(paired.pipelineTransferSeconds).toBe(0);
  });

  it("shares what exceeds the compute between the all-to-all and the data-parallel link's work", () => {
    const paired = pairedMicroBatch(layoutOf({schedule: 'dualpipe', zero: 3}), SM_SHARE, 1, 30, 0, 10);
    const exposed = 30 + 10 - 1 / (1 - SM_SHARE);
    expect(paired.expertParallelSeconds).toBeCloseTo((exposed * 3) / 4, 12);
    expect(paired.dataParallelSeconds).toBeCloseTo(exposed / 4, 12);
  });
});

describe('data parallel: groups, ZeRO-3 gathers, gradient exchange', () => {
  it('exchanges nothing without data parallelism', () => {
    const layout = layoutOf({dp: 1});
    const groups = dataParallelGroups(profile, layout, rates, stageOf(layout));
    expect(dataParallelSeconds(layout, groups, 0)).toBe(0);
    expect(zero3GatherSeconds(layoutOf({dp: 1, zero: 3}), groups)).toBe(0);
  });

  it('groups experts over the EP degree and leaves the domain for the scale-out link', () => {
    const layout = layoutOf({ep: 8});
    const groups = dataParallelGroups(profile, layout, rates, stageOf(layout));
    expect(groups.denseGroup).toBe(64);
    expect(groups.expertGroup).toBe(8);
    expect(groups.linkBytesPerSecond).toBe(rates.scaleOutBytesPerSecond);
    expect(groups.expertParams).toBeCloseTo(profile.expertParams / 8, 6);
  });

  it('moves 2Ψ either way (ZeRO-0 all-reduce or reduce-scatter and all-gather), less on a faster link, hidden up to its window', () => {
    const layout = layoutOf();
    const groups = dataParallelGroups(profile, layout, rates, stageOf(layout));
    const allReduce = dataParallelSeconds(layout, groups, 0);
    expect(allReduce).toBeGreaterThan(0);
    expect(dataParallelSeconds(layoutOf({zero: 1}), groups, 0)).toBeCloseTo(allReduce, 12);
    const noLatency = {...groups, latencySeconds: 0};
    const quick = {...noLatency, linkBytesPerSecond: 2 * groups.linkBytesPerSecond};
    expect(dataParallelSeconds(layout, quick, 0)).toBeCloseTo(dataParallelSeconds(layout, noLatency, 0) / 2, 12);
    expect(dataParallelSeconds(layout, groups, allReduce / 4)).toBeCloseTo((allReduce * 3) / 4, 12);
    expect(dataParallelSeconds(layout, groups, 2 * allReduce)).toBe(0);
  });

  it('gathers the weights twice per micro-batch under ZeRO-3 only', () => {
    const layout = layoutOf();
    const groups = dataParallelGroups(profile, layout, rates, stageOf(layout));
    expect(zero3GatherSeconds(layoutOf({zero: 2}), groups)).toBe(0);
    // A weight all-gather is half an all-reduce: two of them take as long as the ZeRO-0 exchange.
    expect(zero3GatherSeconds(layoutOf({zero: 3}), groups)).toBeCloseTo(dataParallelSeconds(layout, groups, 0), 12);
  });
});

describe('optimizerSeconds', () => {
  it('sweeps the owned parameters at HBM speed: all of them under ZeRO-0, a share from ZeRO-1', () => {
    const layout = layoutOf();
    const groups = dataParallelGroups(profile, layout, rates, stageOf(layout));
    const all = optimizerSeconds(setup, layout, rates, groups);
    expect(all).toBeGreaterThan(0);
    expect(optimizerSeconds(setup, layoutOf({zero: 1}), rates, groups)).toBeCloseTo(all / 64, 15);
    expect(
      optimizerSeconds(setup, layout, faster({hbmBytesPerSecond: 2 * rates.hbmBytesPerSecond}), groups),
    ).toBeCloseTo(all / 2, 15);
    // BF16 moments: 4 + 4 + 2·2 + 4 + 2·2 + 2 = 22 bytes per parameter instead of 30.
    expect(optimizerSeconds({...setup, momentBytes: 2}, layout, rates, groups)).toBeCloseTo((all * 22) / 30, 15);
  });
});

describe('flopsUtilisation', () => {
  it('counts non-causal attention above causal, and recomputation in HFU only', () => {
    const none = flopsUtilisation(profile, setup, layoutOf(), rates, 1e6);
    expect(none.mfuNonCausal).toBeGreaterThan(none.mfu);
    expect(none.hfu).toBeCloseTo(none.mfu, 15);
    const full = flopsUtilisation(profile, setup, layoutOf({recompute: 'full'}), rates, 1e6);
    expect(full.mfu).toBe(none.mfu);
    expect(full.hfu).toBeGreaterThan(none.hfu);
  });
});

describe('predictStep', () => {
  it('puts each term in its part of the breakdown', () => {
    const layout = layoutOf({tp: 2, pp: 2, cp: 2, dp: 8, ep: 8, zero: 1});
    const step = predictStep(profile, setup, layout, rates);
    const stage = stageOf(layout);
    expect(step.breakdown.tensorParallelSeconds).toBe(
      step.microBatches * tensorParallelSeconds(profile, layout, rates, stage),
    );
    expect(step.breakdown.pipelineTransferSeconds).toBe(
      step.microBatches * pipelineTransferSeconds(profile, layout, rates, stage),
    );
    expect(step.breakdown.expertParallelSeconds).toBe(
      step.microBatches * expertParallelSeconds(profile, setup, layout, rates, stage),
    );
    expect(step.breakdown.optimizerSeconds).toBe(
      optimizerSeconds(setup, layout, rates, dataParallelGroups(profile, layout, rates, stage)),
    );
  });
});
