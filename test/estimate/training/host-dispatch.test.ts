import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {chipRates} from '../../../src/estimate/chip-rates.js';
import {NOMINAL_CONSTANTS, withConstants} from '../../../src/estimate/model-constants.js';
import {
  hostBubbleSlots,
  hostDispatchSeconds,
  pipelineStages,
  predictStep,
} from '../../../src/estimate/training/step-time.js';
import {gptProfile, layoutOf, setupOf, testChip} from '../../helpers/training-fixtures.js';

/**
 * The host's dispatch of the routed experts' work (hostSecondsPerLocalExpert):
 * a micro-batch whose GPU work is shorter waits for the host, unless CUDA
 * graphs replay the whole step. Megatron-Bridge's B200 recipes without full
 * graphs run 16–32 experts per GPU at 4,096 tokens per micro-batch and are
 * host-bound; the same models with graphs, or few experts per GPU, are not.
 */

// 16 layers of 64 small experts (top 8): little GPU work per expert.
const moe = gptProfile({
  layers: 16,
  ffn: {kind: 'moe', experts: 64, active: 8, expert_d_ff: 512, gated: true},
  declared: {params_total: 5e9, source: 'example'},
});
const hostPerExpert = 1e-3;
const rates = chipRates(testChip(), withConstants(NOMINAL_CONSTANTS, {hostSecondsPerLocalExpert: hostPerExpert}));
const setup = setupOf({gpus: 8, seqLen: 1024, globalBatchTokens: 8 * 1024 * 4});
const layout = layoutOf({dp: 8, ep: 2});
const [stage] = pipelineStages(moe, setup, layout);

describe('the host dispatch of routed experts', () => {
  it('costs its time per local expert per MoE layer, none for a dense model or under full CUDA graphs', () => {
    // 32 local experts on each of 16 MoE layers.
    expect(hostDispatchSeconds(moe, setup, layout, rates, stage!)).toBeCloseTo(16 * 32 * hostPerExpert, 12);
    expect(hostDispatchSeconds(moe, setup, {...layout, ep: 8}, rates, stage!)).toBeCloseTo(16 * 8 * hostPerExpert, 12);
    expect(hostDispatchSeconds(moe, {...setup, cudaGraphs: 'full'}, layout, rates, stage!)).toBe(0);
    expect(hostDispatchSeconds(moe, {...setup, cudaGraphs: 'partial'}, layout, rates, stage!)).toBeGreaterThan(0);
    const dense = gptProfile();
    expect(
      hostDispatchSeconds(dense, setup, layoutOf({dp: 8}), rates, pipelineStages(dense, setup, layoutOf({dp: 8}))[0]!),
    ).toBe(0);
  });

  it('hides behind a step the GPU takes longer over, and otherwise sets the step: the GPU waits as compute', () => {
    const host = hostDispatchSeconds(moe, setup, layout, rates, stage!);
    const eager = predictStep(moe, setup, layout, rates);
    const graphed = predictStep(moe, {...setup, cudaGraphs: 'full'}, layout, rates);
    // Host-bound: the step is the dispatch of its micro-batches; the wait is in compute, the other parts as on the GPU.
    expect(graphed.stepSeconds).toBeLessThan(eager.microBatches * host);
    expect(eager.stepSeconds).toBeCloseTo(eager.microBatches * host, 12);
    expect(eager.breakdown.computeSeconds - graphed.breakdown.computeSeconds).toBeCloseTo(
      eager.stepSeconds - graphed.stepSeconds,
      12,
    );
    expect(eager.breakdown.expertParallelSeconds).toBe(graphed.breakdown.expertParallelSeconds);
    // Few experts per GPU (ep 8: 8 of them) and long sequences: the host hides behind the GPU's work.
    const busy = setupOf({gpus: 8, seqLen: 16_384, globalBatchTokens: 8 * 16_384 * 4});
    const wide = layoutOf({dp: 8, ep: 8});
    expect(predictStep(moe, busy, wide, rates).stepSeconds).toBe(
      predictStep(moe, {...busy, cudaGraphs: 'full'}, wide, rates).stepSeconds,
    );
  });

  it("counts the pipeline's fill and drain in micro-batches as each schedule's bubble does", () => {
    expect(hostBubbleSlots(layoutOf({pp: 1}))).toBe(0);
    expect(hostBubbleSlots(layoutOf({pp: 8}))).toBe(7);
    expect(hostBubbleSlots(layoutOf({pp: 8, schedule: 'interleaved', virtualStages: 2}))).toBe(3.5);
    expect(hostBubbleSlots(layoutOf({pp: 7, schedule: 'zero-bubble'}))).toBe(2);
    expect(hostBubbleSlots(layoutOf({pp: 8, schedule: 'dualpipe'}))).toBe(0);
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
