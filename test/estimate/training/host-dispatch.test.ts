import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {chipRates} from '../../../src/estimate/chip-rates.js';
import {NOMINAL_CONSTANTS, withConstants} from '../../../src/estimate/model-constants.js';
import {
  computeTimes,
  hostDispatchSeconds,
  hostWaitSeconds,
  pipelineStages,
  predictStep,
} from '../../../src/estimate/training/step-time.js';
import {gptProfile, layoutOf, setupOf, testChip} from '../../helpers/training-fixtures.js';

/**
 * The host's dispatch of the routed experts' work (hostSecondsPerLocalExpert):
 * an MoE layer whose expert GEMMs are shorter than their dispatch waits for
 * the host, unless CUDA graphs replay the whole step. The host cannot run
 * ahead across the layer (the router's token counts go to the host first),
 * so the rest of the layer's work does not hide the dispatch.
 * Megatron-Bridge's B200 recipes without full graphs run 16–32 experts per
 * GPU at 4,096 tokens per micro-batch and wait for the host; the same models
 * with graphs, or few experts per GPU, do not.
 */

// 16 layers of 64 small experts (top 8): little GPU work per expert.
const moe = gptProfile({
  layers: 16,
  ffn: {kind: 'moe', experts: 64, active: 8, expert_d_ff: 512, gated: true},
  declared: {params_total: 5e9, source: 'example'},
});
const hostPerExpert = 1e-3;
const hostPerUngraphedLayer = 2e-3;
const rates = chipRates(
  testChip(),
  withConstants(NOMINAL_CONSTANTS, {
    hostSecondsPerLocalExpert: hostPerExpert,
    hostSecondsPerUngraphedMoeLayer: hostPerUngraphedLayer,
  }),
);
const setup = setupOf({gpus: 8, seqLen: 1024, globalBatchTokens: 8 * 1024 * 4});
const layout = layoutOf({dp: 8, ep: 2});
const [stage] = pipelineStages(moe, setup, layout);

describe('the host dispatch of routed experts', () => {
  it('costs its time per local expert per MoE layer, the rest of the layer too without graphs, none under full ones', () => {
    const partial = {...setup, cudaGraphs: 'partial' as const};
    // 32 local experts on each of 16 MoE layers, the rest of each layer graphed.
    expect(hostDispatchSeconds(moe, partial, layout, rates, stage!)).toBeCloseTo(16 * 32 * hostPerExpert, 12);
    expect(hostDispatchSeconds(moe, partial, {...layout, ep: 8}, rates, stage!)).toBeCloseTo(
      16 * 8 * hostPerExpert,
      12,
    );
    // No graph at all: the host launches every kernel of each MoE layer, on top of the experts'.
    expect(hostDispatchSeconds(moe, {...setup, cudaGraphs: 'none'}, layout, rates, stage!)).toBeCloseTo(
      16 * (hostPerUngraphedLayer + 32 * hostPerExpert),
      12,
    );
    expect(hostDispatchSeconds(moe, {...setup, cudaGraphs: 'full'}, layout, rates, stage!)).toBe(0);
    const dense = gptProfile();
    expect(
      hostDispatchSeconds(dense, setup, layoutOf({dp: 8}), rates, pipelineStages(dense, setup, layoutOf({dp: 8}))[0]!),
    ).toBe(0);
  });

  it("waits by how much the dispatch outlasts the experts' GEMMs, as compute, the other parts as on the GPU", () => {
    const eager = predictStep(moe, setup, layout, rates);
    const graphed = predictStep(moe, {...setup, cudaGraphs: 'full'}, layout, rates);
    const compute = computeTimes(moe, setup, layout, rates, stage!);
    expect(compute.hostWaitSeconds).toBeGreaterThan(0);
    expect(eager.hostBound).toBe(true);
    expect(graphed.hostBound).toBe(false);
    expect(eager.breakdown.computeSeconds - graphed.breakdown.computeSeconds).toBeCloseTo(
      eager.microBatches * compute.hostWaitSeconds,
      12,
    );
    expect(eager.stepSeconds - graphed.stepSeconds).toBeCloseTo(eager.microBatches * compute.hostWaitSeconds, 12);
    expect(eager.breakdown.expertParallelSeconds).toBe(graphed.breakdown.expertParallelSeconds);
  });

  it("is not hidden by the layer's other work: a long sequence's attention leaves the wait as it was", () => {
    // At 16,384 tokens the attention outweighs the dispatch, yet the experts' GEMMs alone do not.
    const long = setupOf({gpus: 8, seqLen: 16_384, globalBatchTokens: 8 * 16_384 * 4});
    const [longStage] = pipelineStages(moe, long, layout);
    const compute = computeTimes(moe, long, layout, rates, longStage!);
    const host = hostDispatchSeconds(moe, long, layout, rates, longStage!);
    expect(compute.microBatchSeconds - compute.hostWaitSeconds).toBeGreaterThan(host);
    expect(compute.hostWaitSeconds).toBeGreaterThan(0);
    const eager = predictStep(moe, long, layout, rates);
    const graphed = predictStep(moe, {...long, cudaGraphs: 'full'}, layout, rates);
    expect(eager.stepSeconds).toBeGreaterThan(graphed.stepSeconds);
  });

  it('hides entirely behind expert GEMMs that take longer than their dispatch', () => {
    // A slow host-free case: experts wide enough that their GEMMs outlast a short dispatch.
    const fast = chipRates(testChip(), withConstants(NOMINAL_CONSTANTS, {hostSecondsPerLocalExpert: 1e-7}));
    const wide = layoutOf({dp: 8, ep: 8});
    expect(predictStep(moe, setup, wide, fast).stepSeconds).toBe(
      predictStep(moe, {...setup, cudaGraphs: 'full'}, wide, fast).stepSeconds,
    );
    expect(hostWaitSeconds(0.3, 0.5)).toBe(0);
    expect(hostWaitSeconds(0.5, 0.3)).toBeCloseTo(0.2, 15);
  });

  it("lengthens the pipeline's fill and drain as it lengthens each micro-batch", () => {
    const piped = layoutOf({dp: 4, pp: 2, ep: 2});
    const pipedSetup = setupOf({gpus: 8, seqLen: 1024, globalBatchTokens: 8 * 1024 * 4});
    const eager = predictStep(moe, pipedSetup, piped, rates);
    const graphed = predictStep(moe, {...pipedSetup, cudaGraphs: 'full'}, piped, rates);
    expect(eager.breakdown.pipelineBubbleSeconds).toBeGreaterThan(graphed.breakdown.pipelineBubbleSeconds);
  });

  it('never makes a step faster, whatever the host time per expert (property)', () => {
    fc.assert(
      fc.property(fc.double({min: 0, max: 0.01, noNaN: true}), fc.constantFrom(1, 2, 4, 8), (perExpert, ep) => {
        const at = (value: number) =>
          predictStep(
            moe,
            setup,
            layoutOf({dp: 8, ep}),
            chipRates(testChip(), withConstants(NOMINAL_CONSTANTS, {hostSecondsPerLocalExpert: value})),
          ).stepSeconds;
        expect(at(perExpert)).toBeGreaterThanOrEqual(at(0) * (1 - 1e-12));
      }),
    );
  });
});
